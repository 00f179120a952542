"""The access keys page: a signed-in user makes keys (the secret shown once), lists and
revokes their own, and nobody else's."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from awsapi import keys
from awsapi.models import AccessKey

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_shows_a_new_secret_once(signed_in: Client, user: Any) -> None:
    made = signed_in.post("/access-keys/")
    key = AccessKey.objects.get(user=user)
    secret = re.search(r"Secret access key</dt><dd><code>([^<]+)</code>", made.content.decode())

    later = signed_in.get("/access-keys/")

    assert made.status_code == 200
    assert made["Cache-Control"] == "no-store"
    assert secret is not None and keys.secret_of(key) == secret.group(1)
    assert key.access_key_id in later.content.decode()
    assert secret.group(1) not in later.content.decode()
    assert secret.group(1) not in key.encrypted_secret


def test_it_revokes_only_the_users_own_key(signed_in: Client, user: Any, outsider: Any) -> None:
    mine, _ = keys.create_access_key(user)
    theirs, _ = keys.create_access_key(outsider)

    signed_in.post(f"/access-keys/{theirs.access_key_id}/revoke/")
    signed_in.post(f"/access-keys/{mine.access_key_id}/revoke/")

    assert AccessKey.objects.get(pk=theirs.pk).revoked_at is None
    assert AccessKey.objects.get(pk=mine.pk).revoked_at is not None
    assert theirs.access_key_id not in signed_in.get("/access-keys/").content.decode()
    assert "revoked" in signed_in.get("/access-keys/").content.decode()


def test_it_limits_how_many_keys_a_user_holds(signed_in: Client, user: Any) -> None:
    for _ in range(keys.MAX_ACTIVE_KEYS):
        keys.create_access_key(user)

    refused = signed_in.post("/access-keys/")

    assert refused.status_code == 400
    assert "revoke one first" in refused.content.decode()
    assert AccessKey.objects.filter(user=user).count() == keys.MAX_ACTIVE_KEYS


def test_it_sends_a_stranger_to_the_login_page() -> None:
    assert Client().get("/access-keys/")["Location"].startswith("/accounts/login/")
    assert Client().get("/access-keys/").status_code == 302


def test_it_links_the_page_from_the_header(signed_in: Client) -> None:
    assert 'href="/access-keys/"' in signed_in.get("/access-keys/").content.decode()
