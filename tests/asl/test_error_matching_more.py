"""More of which errors Retry and Catch match, and the 256 KiB payload quota.

https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html:
States.Timeout: "A Task state either ran longer than the TimeoutSeconds value, or failed to
send a heartbeat for a period longer than the HeartbeatSeconds value"; States.HeartbeatTimeout
is the heartbeat case by its own name; States.TaskFailed matches "any known error name except
for States.Timeout"; "States.ALL ... can't catch the States.DataLimitExceeded terminal error or
Runtime error types"; States.DataLimitExceeded is reported when "the output of a connector is
larger than payload size quota", "the output of a state is larger than payload size quota",
or "after Parameters processing, the input of a state is larger than the payload size quota".
https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html: "Maximum input or
output size for a task, state, or execution: 256 KiB of data as a UTF-8 encoded string".
"""

from __future__ import annotations

from typing import Any

import pytest

import asl
from tests.asl.clock import VirtualClock

ARN = "arn:aws:lambda:us-east-1:123456789012:function:f"
LIMIT = 256 * 1024
RESULT_TOO_BIG = (
    "The state/task 'T' returned a result with a size exceeding the maximum number of bytes "
    "service limit."
)


def caught(errors: list[str], **task: Any) -> dict[str, Any]:
    return {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": ARN,
                "Catch": [{"ErrorEquals": errors, "Next": "Caught"}],
                "End": True,
                **task,
            },
            "Caught": {"Type": "Pass", "End": True},
        },
    }


def heartbeat_timeout(errors: list[str]) -> asl.RunResult:
    clock = VirtualClock()

    def silent(event: Any, context: Any) -> Any:
        clock.sleep(20)  # past HeartbeatSeconds, within TimeoutSeconds
        return event

    definition = caught(errors, HeartbeatSeconds=5, TimeoutSeconds=50)
    return asl.run(definition, {}, functions={"f": silent}, clock=clock)


@pytest.mark.parametrize(
    "errors", [["States.Timeout"], ["States.HeartbeatTimeout"], ["States.ALL"]]
)
def test_a_heartbeat_timeout_is_caught_as_a_timeout(errors: list[str]) -> None:
    result = heartbeat_timeout(errors)
    assert result.status == "SUCCEEDED"
    assert result.output["Error"] == "States.HeartbeatTimeout"


def test_states_task_failed_does_not_match_a_heartbeat_timeout() -> None:
    result = heartbeat_timeout(["States.TaskFailed"])
    assert (result.status, result.error) == ("FAILED", "States.HeartbeatTimeout")


def test_a_retrier_for_states_timeout_retries_a_heartbeat_timeout() -> None:
    clock = VirtualClock()
    calls: list[Any] = []

    def silent(event: Any, context: Any) -> Any:
        calls.append(event)
        clock.sleep(20)
        return event

    definition = caught(["X"], HeartbeatSeconds=5, TimeoutSeconds=50)
    definition["States"]["T"]["Retry"] = [{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 2}]
    result = asl.run(definition, {}, functions={"f": silent}, clock=clock)
    assert (result.error, len(calls)) == ("States.HeartbeatTimeout", 3)


def run_task(definition: dict[str, Any], handler: Any, data: Any = None) -> tuple[Any, int]:
    calls: list[Any] = []

    def counted(event: Any, context: Any) -> Any:
        calls.append(event)
        return handler(event, context)

    result = asl.run(definition, data or {}, functions={"f": counted}, clock=VirtualClock())
    return result, len(calls)


def test_a_retrier_naming_states_data_limit_exceeded_retries_it() -> None:
    definition = caught(["X"])
    definition["States"]["T"]["Retry"] = [
        {"ErrorEquals": ["States.DataLimitExceeded"], "MaxAttempts": 2, "IntervalSeconds": 1}
    ]
    result, calls = run_task(definition, lambda e, c: "x" * LIMIT)
    assert (result.error, result.cause, calls) == ("States.DataLimitExceeded", RESULT_TOO_BIG, 3)


def test_states_task_failed_neither_retries_nor_catches_states_runtime() -> None:
    definition = caught(["States.TaskFailed"], OutputPath="$.missing")
    definition["States"]["T"]["Retry"] = [{"ErrorEquals": ["States.TaskFailed"]}]
    result, calls = run_task(definition, lambda e, c: {"a": 1})
    assert (result.status, result.error, calls) == ("FAILED", "States.Runtime", 1)


def test_the_limit_counts_the_json_text_quotes_included() -> None:
    # A string of LIMIT - 2 characters is LIMIT bytes of JSON text with its quotes: allowed.
    at_limit, _ = run_task(caught(["X"]), lambda e, c: "x" * (LIMIT - 2))
    over, _ = run_task(caught(["X"]), lambda e, c: "x" * (LIMIT - 1))
    assert at_limit.status == "SUCCEEDED"
    assert (over.status, over.error, over.cause) == (
        "FAILED",
        "States.DataLimitExceeded",
        RESULT_TOO_BIG,
    )


def test_the_limit_counts_utf8_bytes_not_characters() -> None:
    # 100,000 characters of two bytes each: 200,002 bytes, under the quota; 140,000 are over.
    under, _ = run_task(caught(["X"]), lambda e, c: "é" * 100_000)
    over, _ = run_task(caught(["X"]), lambda e, c: "é" * 140_000)
    assert under.status == "SUCCEEDED"
    assert (over.status, over.error) == ("FAILED", "States.DataLimitExceeded")


def test_escapes_count_as_written_in_the_json_text() -> None:
    # Each quote is written as \\" : two bytes.
    result, _ = run_task(caught(["X"]), lambda e, c: '"' * (LIMIT // 2))
    assert result.error == "States.DataLimitExceeded"


def test_an_input_over_the_quota_after_parameters_fails_before_the_call() -> None:
    definition = caught(["States.ALL"], Parameters={"a.$": "$.s", "b.$": "$.s"})
    result, calls = run_task(definition, lambda e, c: e, {"s": "x" * (LIMIT // 2)})
    assert (result.status, result.error, calls) == ("FAILED", "States.DataLimitExceeded", 0)
    assert result.cause == (
        "The state/task 'T' has an input with a size exceeding the maximum number of bytes "
        "service limit."
    )


def test_an_input_over_the_quota_is_caught_by_its_own_name() -> None:
    definition = caught(["States.DataLimitExceeded"], Parameters={"a.$": "$.s", "b.$": "$.s"})
    result, calls = run_task(definition, lambda e, c: e, {"s": "x" * (LIMIT // 2)})
    assert (result.status, calls) == ("SUCCEEDED", 0)
    assert result.output["Error"] == "States.DataLimitExceeded"


def test_a_pass_state_whose_output_is_over_the_quota_fails_the_execution() -> None:
    # As the shared case test_start_large_input records: no PassStateExited.
    definition = {
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "Result": "x" * LIMIT, "End": True}},
    }
    result = asl.run(definition, {}, clock=VirtualClock())
    assert (result.error, result.cause) == (
        "States.DataLimitExceeded",
        "The state/task 'P' returned a result with a size exceeding the maximum number of "
        "bytes service limit.",
    )
    assert [e["type"] for e in result.events] == [
        "ExecutionStarted",
        "PassStateEntered",
        "ExecutionFailed",
    ]


def parallel_of_twice(errors: list[str]) -> dict[str, Any]:
    """A Parallel whose Parameters give each branch the input's text twice."""
    return {
        "StartAt": "Par",
        "States": {
            "Par": {
                "Type": "Parallel",
                "Parameters": {"a.$": "$.s", "b.$": "$.s"},
                "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": True}}}],
                "Catch": [{"ErrorEquals": errors, "Next": "Caught"}],
                "End": True,
            },
            "Caught": {"Type": "Pass", "End": True},
        },
    }


def test_a_parallels_input_over_the_quota_after_parameters_fails_before_its_branches() -> None:
    # "after Parameters processing, the input of a state is larger than the payload size
    # quota" holds for every state, not only a Task.
    big = {"s": "x" * (LIMIT // 2)}
    result = asl.run(parallel_of_twice(["States.ALL"]), big, clock=VirtualClock())
    assert (result.status, result.error, result.cause) == (
        "FAILED",
        "States.DataLimitExceeded",
        "The state/task 'Par' has an input with a size exceeding the maximum number of bytes "
        "service limit.",
    )
    assert "PassStateEntered" not in [e["type"] for e in result.events]
    named = asl.run(parallel_of_twice(["States.DataLimitExceeded"]), big, clock=VirtualClock())
    assert (named.status, named.output["Error"]) == ("SUCCEEDED", "States.DataLimitExceeded")
