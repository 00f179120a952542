"""After LOGIN_FAILURE_LIMIT (5) failed logins, that username is locked out from that address
for a while, even with the right password, and the login page says so; other addresses and
other users are not locked out. Driven through the real login view with Django's test client.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

PASSWORD = "the right password, long enough"
LOGIN = "/accounts/login/"


@pytest.fixture
def alice(django_user_model: Any) -> Iterator[Any]:
    # A fast hasher, so that the attempts fall well inside the short lockouts below.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield django_user_model.objects.create_user("alice", password=PASSWORD)


def log_in(password: str, username: str = "alice", address: str = "203.0.113.5") -> Any:
    return Client(REMOTE_ADDR=address).post(LOGIN, {"username": username, "password": password})


def signed_in(response: Any) -> bool:
    return response.status_code == 302 and response.url == "/"


def test_it_locks_a_username_out_from_an_address_after_five_failed_logins(alice: Any) -> None:
    for _ in range(4):
        failed = log_in("wrong")
        assert failed.status_code == 200
        assert b"match" in failed.content and b'class="error"' in failed.content
    assert log_in("wrong").status_code == 429
    locked = log_in(PASSWORD)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many failed logins" in page
    assert "locked out" in page and "5 failed attempts" in page and "Try again in" in page
    # Someone else's mistakes lock out only that pair: alice from another address still gets in.
    assert signed_in(log_in(PASSWORD, address="198.51.100.7"))


def test_it_lets_the_user_in_again_after_the_lockout_ends(alice: Any) -> None:
    with override_settings(AXES_COOLOFF_TIME=dt.timedelta(seconds=2)):
        for _ in range(5):
            log_in("wrong")
        assert log_in(PASSWORD).status_code == 429
        time.sleep(2.5)
        assert signed_in(log_in(PASSWORD))


def test_it_signs_in_normally_below_the_limit(alice: Any) -> None:
    for _ in range(4):
        log_in("wrong")
    assert signed_in(log_in(PASSWORD))
    # A success resets the count: four more mistakes do not lock alice out.
    for _ in range(4):
        log_in("wrong")
    assert signed_in(log_in(PASSWORD))
