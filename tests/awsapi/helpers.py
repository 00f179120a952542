"""What the AWS API tests share: definitions and waiting for an execution to get somewhere."""

from __future__ import annotations

import json
import time
from typing import Any

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
