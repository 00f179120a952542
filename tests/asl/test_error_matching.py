"""Which errors Retry and Catch match.

https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html:
"States.ALL ... must appear alone in a Catcher and can't catch the States.DataLimitExceeded
terminal error or Runtime error types"; States.TaskFailed matches any error of a Task except
States.Timeout; https://states-language.net/spec.html#error-names (States.ALL must be alone
and the last retrier or catcher).
"""

from __future__ import annotations

from typing import Any

import pytest

import asl
from asl.validate import validate
from tests.asl.clock import VirtualClock

ARN = "arn:aws:lambda:us-east-1:123456789012:function:f"
# A result above the 256 KiB payload quota:
# https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
TOO_BIG = "x" * (256 * 1024 + 1)


def task(errors: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": ARN,
                "Retry": [{"ErrorEquals": errors, "MaxAttempts": 2, "IntervalSeconds": 1}],
                "Catch": [{"ErrorEquals": errors, "Next": "Caught"}],
                "End": True,
                **extra,
            },
            "Caught": {"Type": "Pass", "End": True},
        },
    }


def run(definition: dict[str, Any], handler: Any) -> tuple[asl.RunResult, int]:
    calls = []

    def counted(event: Any, context: Any) -> Any:
        calls.append(event)
        return handler(event, context)

    result = asl.run(definition, {}, functions={"f": counted}, clock=VirtualClock())
    return result, len(calls)


def too_big(event: Any, context: Any) -> str:
    return TOO_BIG


def test_states_all_neither_retries_nor_catches_a_data_limit_error() -> None:
    result, calls = run(task(["States.ALL"]), too_big)
    assert (result.status, result.error, calls) == ("FAILED", "States.DataLimitExceeded", 1)


def test_a_data_limit_error_is_caught_by_its_own_name() -> None:
    result, _ = run(task(["States.DataLimitExceeded"]), too_big)
    assert result.status == "SUCCEEDED"
    assert [e["type"] for e in result.events][-3:] == [
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]


def test_states_task_failed_does_not_match_a_data_limit_error() -> None:
    result, _ = run(task(["States.TaskFailed"]), too_big)
    assert result.error == "States.DataLimitExceeded"


def test_states_all_neither_retries_nor_catches_states_runtime() -> None:
    # OutputPath that matches nothing: States.Runtime.
    result, calls = run(task(["States.ALL"], OutputPath="$.missing"), lambda e, c: {"a": 1})
    assert (result.status, result.error, calls) == ("FAILED", "States.Runtime", 1)


def test_states_task_failed_matches_a_function_error_and_retries_it() -> None:
    def boom(event: Any, context: Any) -> Any:
        raise ValueError("no")

    result, calls = run(task(["States.TaskFailed"]), boom)
    assert (result.status, calls) == ("SUCCEEDED", 3)


def test_states_task_failed_does_not_match_a_timeout() -> None:
    clock = VirtualClock()

    def slow(event: Any, context: Any) -> Any:
        clock.sleep(10)
        return event

    definition = task(["States.TaskFailed"], TimeoutSeconds=5)
    result = asl.run(definition, {}, functions={"f": slow}, clock=clock)
    assert (result.status, result.error) == ("FAILED", "States.Timeout")


def test_states_all_catches_a_timeout() -> None:
    clock = VirtualClock()

    def slow(event: Any, context: Any) -> Any:
        clock.sleep(10)
        return event

    definition = task(["States.ALL"], TimeoutSeconds=5)
    result = asl.run(definition, {}, functions={"f": slow}, clock=clock)
    assert result.status == "SUCCEEDED"


@pytest.mark.parametrize("field", ["Retry", "Catch"])
def test_states_all_must_be_alone(field: str) -> None:
    definition = task(["X"])
    definition["States"]["T"][field][0]["ErrorEquals"] = ["States.ALL", "States.Timeout"]
    found = {(d.code, d.location.split("/")[3]) for d in validate(definition)}
    assert found == {("STATES_ALL_NOT_ALONE", field)}


def test_states_all_must_be_the_last_catcher() -> None:
    definition = task(["X"])
    definition["States"]["T"]["Catch"] = [
        {"ErrorEquals": ["States.ALL"], "Next": "Caught"},
        {"ErrorEquals": ["X"], "Next": "Caught"},
    ]
    assert "STATES_ALL_NOT_LAST" in {d.code for d in validate(definition)}


@pytest.mark.parametrize(("value", "shown"), [(1.5, "1.5"), (0, "0"), ("5", '"5"'), (True, "true")])
def test_a_timeout_seconds_path_must_name_a_positive_integer(value: Any, shown: str) -> None:
    # TimeoutSecondsPath: "a positive, non-zero integer", as TimeoutSeconds:
    # https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html
    definition = task(["X"], TimeoutSecondsPath="$.t")
    result = asl.run(
        definition, {"t": value}, functions={"f": lambda e, c: e}, clock=VirtualClock()
    )
    assert (result.status, result.error) == ("FAILED", "States.Runtime")
    assert (result.cause or "").endswith(
        f"The TimeoutSecondsPath field must be a positive integer, but was {shown}."
    )
