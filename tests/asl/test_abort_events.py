"""The events AWS writes when one Map iteration or Parallel branch fails and the others are
stopped.

Not in the developer guide; AWS's recorded history of four Lambda tasks in a Map that time
out together (LocalStack's AWS-validated snapshot ``test_service_lambda_map_timeout``) has
four TaskTimedOut, one MapIterationFailed, three MapIterationAborted and four
TaskStateAborted: the failed iteration's Task state is aborted with the others.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import asl
from tests.asl.clock import VirtualClock

ARN = "arn:aws:lambda:us-east-1:123456789012:function:slow"


def slow_task() -> dict[str, Any]:
    return {"Type": "Task", "Resource": ARN, "TimeoutSeconds": 5, "End": True}


def run(definition: dict[str, Any], data: Any) -> Counter[str]:
    clock = VirtualClock()

    def slow(event: Any, context: Any) -> Any:
        clock.sleep(60)
        return event

    result = asl.run(definition, data, functions={"slow": slow}, clock=clock)
    assert (result.status, result.error) == ("FAILED", "States.Timeout")
    return Counter(e["type"] for e in result.events)


def test_tasks_of_a_map_that_time_out_together_are_all_aborted() -> None:
    definition = {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "Call", "States": {"Call": slow_task()}},
                "End": True,
            }
        },
    }
    events = run(definition, [1, 2, 3])
    # A Lambda ARN as Resource writes the Lambda events (LambdaFunctionTimedOut).
    assert events["LambdaFunctionTimedOut"] == 3
    assert events["MapIterationFailed"] == 1
    assert events["MapIterationAborted"] == 2
    assert events["TaskStateAborted"] == 3


def test_a_lone_failed_iteration_aborts_nothing() -> None:
    definition = {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "Call", "States": {"Call": slow_task()}},
                "End": True,
            }
        },
    }
    events = run(definition, [1])
    assert (events["MapIterationFailed"], events["TaskStateAborted"]) == (1, 0)


def test_a_parallel_stops_its_branches_and_the_failed_task_with_them() -> None:
    branches = [{"StartAt": name, "States": {name: slow_task()}} for name in ("A", "B")]
    definition = {
        "StartAt": "Both",
        "States": {"Both": {"Type": "Parallel", "Branches": branches, "End": True}},
    }
    events = run(definition, {})
    assert events["LambdaFunctionTimedOut"] == 2
    assert events["TaskStateAborted"] == 2
    assert events["ParallelStateFailed"] == 1
