"""The integration pattern of a Task's Resource, read from its suffix.

https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html: "To specify
the Run a Job pattern, append .sync (or .sync:2) to the resource URI"; "append
.waitForTaskToken" for Wait for Callback; otherwise Request Response.
https://docs.aws.amazon.com/step-functions/latest/dg/concepts-activities.html: activity ARNs.
"""

from __future__ import annotations

import pytest

from asl import task_resources
from tests.asl.test_interpreter_stepper import START, start


@pytest.mark.parametrize(
    ("resource", "pattern", "base"),
    [
        (
            "arn:aws:states:::sqs:sendMessage",
            "request_response",
            "arn:aws:states:::sqs:sendMessage",
        ),
        ("arn:aws:states:::glue:startJobRun.sync", "sync", "arn:aws:states:::glue:startJobRun"),
        (
            "arn:aws:states:::states:startExecution.sync:2",
            "sync",
            "arn:aws:states:::states:startExecution",
        ),
        (
            "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "wait_for_task_token",
            "arn:aws:states:::lambda:invoke",
        ),
        # A function whose name merely contains the word is called as it is.
        (
            "arn:aws:lambda:us-east-1:123456789012:function:sync-orders",
            "request_response",
            "arn:aws:lambda:us-east-1:123456789012:function:sync-orders",
        ),
    ],
)
def test_the_suffix_names_the_pattern(resource: str, pattern: str, base: str) -> None:
    assert task_resources.pattern(resource) == pattern
    assert task_resources.base(resource) == base


def test_an_activity_arn_names_its_activity() -> None:
    arn = "arn:aws:states:us-east-1:123456789012:activity:review:orders"
    assert task_resources.activity_name(arn) == "review:orders"
    assert task_resources.activity_name("arn:aws:states:::sqs:sendMessage") is None


def test_a_sync_2_task_asks_for_the_run_a_job_pattern() -> None:
    execution = start(
        {
            "StartAt": "Child",
            "States": {
                "Child": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::states:startExecution.sync:2",
                    "End": True,
                }
            },
        }
    )
    (request,) = execution.step(START).requests
    assert request.pattern == "sync"
