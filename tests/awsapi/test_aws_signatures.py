"""Who may call the AWS protocol: SigV4 with a user's access key, refused with AWS's codes
(https://docs.aws.amazon.com/step-functions/latest/apireference/CommonErrors.html), and `/`
still the home page for everything else."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError
from django.conf import settings

from awsapi.keys import create_access_key, revoke_access_key
from awsapi.models import AccessKey
from tests import servers
from tests.awsapi.conftest import client_for
from tests.awsapi.helpers import HELLO, create, signed

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TARGET = "AWSStepFunctions.ListStateMachines"


def code_of(call: Any) -> tuple[str, int]:
    with pytest.raises(ClientError) as raised:
        call()
    response = raised.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def test_it_refuses_a_wrong_secret_an_unknown_key_and_a_revoked_one(web: str, user: Any) -> None:
    key, secret = create_access_key(user)
    revoked, revoked_secret = create_access_key(user)
    revoke_access_key(user, revoked.access_key_id)

    wrong = client_for(web, key.access_key_id, secret[:-1] + ("x" if secret[-1] != "x" else "y"))
    unknown = client_for(web, "AKIAUNKNOWNUNKNOWN00", secret)
    gone = client_for(web, revoked.access_key_id, revoked_secret)

    assert code_of(wrong.list_state_machines) == ("InvalidSignatureException", 400)
    assert code_of(unknown.list_state_machines) == ("UnrecognizedClientException", 400)
    assert code_of(gone.list_state_machines) == ("UnrecognizedClientException", 400)
    good = client_for(web, key.access_key_id, secret)
    assert good.list_state_machines()["stateMachines"] == []
    assert AccessKey.objects.get(pk=key.pk).last_used_at is not None


def test_it_refuses_a_stale_signature_and_a_missing_one(web: str, user: Any) -> None:
    key, secret = create_access_key(user)
    now = dt.datetime.now(dt.UTC)

    def send(headers: dict[str, str]) -> httpx.Response:
        return httpx.post(f"{web}/", content=b"{}", headers=headers)

    fresh = send(signed(web, key.access_key_id, secret, b"{}", now))
    stale = send(signed(web, key.access_key_id, secret, b"{}", now - dt.timedelta(minutes=16)))
    missing = send({"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": TARGET})
    tampered_headers = signed(web, key.access_key_id, secret, b"{}", now)
    tampered = httpx.post(f"{web}/", content=b'{"maxResults": 1}', headers=tampered_headers)

    assert fresh.status_code == 200, fresh.text
    assert stale.status_code == 400
    assert stale.headers["x-amzn-ErrorType"] == "InvalidSignatureException"
    assert stale.json()["message"].startswith("Signature expired")
    assert missing.status_code == 403
    assert missing.json()["__type"].endswith("#MissingAuthenticationTokenException")
    assert tampered.json()["__type"].endswith("#InvalidSignatureException")


def test_it_refuses_an_inactive_users_key(web: str, user: Any) -> None:
    key, secret = create_access_key(user)
    user.is_active = False
    user.save()

    sfn = client_for(web, key.access_key_id, secret)

    assert code_of(sfn.list_state_machines) == ("UnrecognizedClientException", 400)


def test_it_refuses_an_unknown_operation_and_a_body_that_is_not_json(web: str, user: Any) -> None:
    key, secret = create_access_key(user)
    now = dt.datetime.now(dt.UTC)
    headers = signed(web, key.access_key_id, secret, b"[1, 2", now)

    broken = httpx.post(f"{web}/", content=b"[1, 2", headers=headers)
    unknown = httpx.post(
        f"{web}/",
        content=b"{}",
        headers={
            **signed(web, key.access_key_id, secret, b"{}", now),
            "X-Amz-Target": "AWSStepFunctions.Nope",
        },
    )

    assert broken.status_code == 400
    assert broken.json()["__type"].endswith("#SerializationException")
    assert unknown.status_code == 400
    assert unknown.json()["__type"].endswith("#UnknownOperationException")


def test_it_keeps_the_home_page_at_the_root(web: str) -> None:
    page = httpx.get(f"{web}/")
    form = httpx.post(f"{web}/", data={"name": "x"})

    assert page.status_code == 302 and "/accounts/login/" in page.headers["location"]
    # A form post without AWS's header is the home page's, with its CSRF check.
    assert form.status_code == 403


def test_it_acts_with_the_keys_users_roles(web: str, user: Any, outsider: Any) -> None:
    from designer.models import StateMachine
    from designer.roles import grant

    key, secret = create_access_key(user)
    alice = client_for(web, key.access_key_id, secret)
    machine_arn = create(alice, "Hello", HELLO)
    viewer_key, viewer_secret = create_access_key(outsider)
    viewer = client_for(web, viewer_key.access_key_id, viewer_secret)
    grant("viewer", user=outsider, machine=StateMachine.objects.get(name="Hello"))

    described = viewer.describe_state_machine(stateMachineArn=machine_arn)
    code = code_of(lambda: viewer.start_execution(stateMachineArn=machine_arn))

    assert described["name"] == "Hello"
    assert code == ("AccessDeniedException", 400)
    assert [m["name"] for m in viewer.list_state_machines()["stateMachines"]] == ["Hello"]


def test_it_makes_a_key_on_the_command_line(web: str, user: Any, test_database_url: str) -> None:
    env = servers.environment(DATABASE_URL=test_database_url, REDIS_URL=settings.REDIS_URL)

    output = servers.manage("createaccesskey", user.username, env=env)
    key_id, secret = output.strip().splitlines()[-1].split()

    sfn = client_for(web, key_id, secret)
    assert key_id.startswith("AKIA") and len(key_id) == 20
    assert sfn.list_state_machines()["stateMachines"] == []
    assert AccessKey.objects.get(access_key_id=key_id).user == user
    # Stored encrypted: the secret is nowhere in the row.
    row = AccessKey.objects.filter(access_key_id=key_id).values().get()
    assert secret not in json.dumps(row, default=str)
