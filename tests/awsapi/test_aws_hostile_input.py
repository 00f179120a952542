"""Whatever a signed client sends, every operation answers in AWS's error shape with a 4xx,
never a 500: wrong types, missing members, foreign ARNs, forged page tokens, huge pages."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from awsapi.keys import create_access_key
from awsapi.operations import OPERATIONS
from tests.awsapi.conftest import client_for
from tests.awsapi.helpers import HELLO, ROLE, create, signed

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:Hello"
BODIES: list[Any] = [
    {},
    {"stateMachineArn": 5, "executionArn": [], "activityArn": {}, "resourceArn": None},
    {"stateMachineArn": "arn:aws:states:eu-west-1:999999999999:stateMachine:Hello"},
    {"stateMachineArn": MACHINE, "maxResults": 10**9, "nextToken": "x" * 2000},
    {"stateMachineArn": MACHINE, "maxResults": True, "nextToken": 7},
    {"stateMachineArn": MACHINE, "name": "\u0000", "input": "\ud800", "definition": 3},
    {"stateMachineArn": f"{MACHINE}:1", "executionArn": f"{MACHINE}:x", "taskToken": ""},
    {"name": ["list"], "definition": "[]", "tags": "no", "routingConfiguration": [1, 2, 3]},
    {"resourceArn": MACHINE, "tags": [{"key": 1}], "tagKeys": "k", "output": None},
    {"definition": json.dumps(HELLO), "input": "1e999999", "mock": "x", "inspectionLevel": 4},
]


def test_it_never_fails_with_a_500(web: str, user: Any) -> None:
    key, secret = create_access_key(user)
    create(client_for(web, key.access_key_id, secret), "Hello", HELLO)
    failures, codes = [], set()
    for operation in sorted([*OPERATIONS, "GetActivityTask"]):
        for body in BODIES:
            content = json.dumps(body).encode()
            target = f"AWSStepFunctions.{operation}"
            headers = signed(web, key.access_key_id, secret, content, target=target)
            answer = httpx.post(f"{web}/", content=content, headers=headers, timeout=30)
            codes.add(answer.json().get("__type", "").rsplit("#", 1)[-1] or "OK")
            if answer.status_code >= 500 or (
                answer.status_code >= 400 and "__type" not in answer.json()
            ):
                failures.append((operation, body, answer.status_code, answer.text[:200]))
    assert failures == []
    # The requests reached the operations: signed right, and some even succeed.
    assert "OK" in codes and "InvalidArn" in codes and "ValidationException" in codes
    assert not codes & {"InvalidSignatureException", "IncompleteSignatureException"}


def test_it_refuses_a_body_past_the_limit_in_awss_shape(sfn: Any) -> None:
    from django.conf import settings

    huge = json.dumps({**HELLO, "Comment": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})

    with pytest.raises(sfn.exceptions.ValidationException) as refused:
        sfn.create_state_machine(name="Huge", definition=huge, roleArn=ROLE)

    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413
    assert "limit" in refused.value.response["Error"]["Message"]
