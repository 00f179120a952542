"""State machines the Django-side suites run: small, and each exercising one thing."""

from __future__ import annotations

from typing import Any

# A workflow that exercises every kind of state the runner handles without a resource:
# quantities up to 10 are packed (after a one-second Wait) and shipped, larger ones fail.
ORDER_DEFINITION: dict[str, Any] = {
    "StartAt": "Receive",
    "States": {
        "Receive": {
            "Type": "Pass",
            "Parameters": {"quantity.$": "$.quantity", "received": True},
            "Next": "In stock?",
        },
        "In stock?": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.quantity", "NumericLessThanEquals": 10, "Next": "Pack"}],
            "Default": "Out of stock",
        },
        "Pack": {"Type": "Wait", "Seconds": 1, "Next": "Shipped"},
        "Shipped": {"Type": "Succeed"},
        "Out of stock": {"Type": "Fail", "Error": "OutOfStock", "Cause": "Too many items."},
    },
}

HELLO_DEFINITION: dict[str, Any] = {
    "StartAt": "Hello",
    "States": {"Hello": {"Type": "Pass", "Result": {"greeting": "hello"}, "End": True}},
}


def pass_chain(length: int) -> dict[str, Any]:
    """A line of Pass states: a long history in a single advance."""
    names = [f"Step{i}" for i in range(1, length + 1)]
    states: dict[str, Any] = {}
    for name, following in zip(names, [*names[1:], None], strict=True):
        states[name] = {"Type": "Pass", **({"Next": following} if following else {"End": True})}
    return {"StartAt": names[0], "States": states}


# A person (or program) answers with the task token: the run waits holding no worker.
APPROVAL: dict[str, Any] = {
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
