"""What the AWS API tests share: definitions and waiting for an execution to get somewhere."""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/anything"
HELLO = {"StartAt": "Hi", "States": {"Hi": {"Type": "Pass", "Result": "hello", "End": True}}}
WAIT = {"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 120, "End": True}}}
CALLBACK = {
    "StartAt": "Approve",
    "States": {
        "Approve": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "https://example.com/q", "MessageBody.$": "$$.Task.Token"},
            "End": True,
        }
    },
}


def machine_arn(name: str) -> str:
    return f"arn:aws:states:us-east-1:{ACCOUNT}:stateMachine:{name}"


def create(sfn: Any, name: str, definition: Any, **extra: Any) -> str:
    return str(
        sfn.create_state_machine(
            name=name, definition=json.dumps(definition), roleArn=ROLE, **extra
        )["stateMachineArn"]
    )


def wait_until(sfn: Any, execution_arn: str, status: str, timeout: float = 30) -> dict[str, Any]:
    """DescribeExecution until the execution has ``status``; its last description."""
    deadline = time.monotonic() + timeout
    while True:
        described: dict[str, Any] = sfn.describe_execution(executionArn=execution_arn)
        if described["status"] == status or time.monotonic() > deadline:
            assert described["status"] == status, described
            return described
        time.sleep(0.1)


def wait_for(condition: Any, timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            assert value, "the condition never held"
            return value
        time.sleep(0.1)


def signed(
    web: str,
    key_id: str,
    secret: str,
    body: bytes,
    when: dt.datetime | None = None,
    target: str = "AWSStepFunctions.ListStateMachines",
) -> dict[str, str]:
    """The headers of a request that botocore's signer signs as of ``when`` (its own clock
    otherwise), for tests that send what an SDK would not."""
    stamp = (when or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    request = AWSRequest(
        method="POST",
        url=f"{web}/",
        data=body,
        headers={"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": target},
    )

    class At(SigV4Auth):
        def _set_necessary_date_headers(self, request: AWSRequest) -> None:
            request.headers["X-Amz-Date"] = stamp

        def add_auth(self, request: AWSRequest) -> None:
            request.context["timestamp"] = stamp
            self._set_necessary_date_headers(request)
            canonical = self.canonical_request(request)
            signature = self.signature(self.string_to_sign(request, canonical), request)
            self._inject_signature_to_request(request, signature)

    At(Credentials(key_id, secret), "states", "us-east-1").add_auth(request)
    return dict(request.headers.items())
