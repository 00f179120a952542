"""Redrive (AWS RedriveExecution) in the stepper: an unsuccessful execution continues from the
step that did not succeed, and inside a Parallel or an inline Map only the branches and
iterations that did not succeed run again."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

import asl
from asl.interpreter import TIMEOUT_REQUEST, Execution, ExecutionContext, Invoke, Sleep
from asl.redrive import NotRedrivable
from tests.asl.clock import START

LATER = START + timedelta(hours=1)


def fn(name: str) -> str:
    return f"arn:aws:lambda:us-east-1:123456789012:function:{name}"


def task(name: str, next_state: str | None = None, **fields: Any) -> dict[str, Any]:
    state: dict[str, Any] = {"Type": "Task", "Resource": fn(name), **fields}
    if next_state:
        state["Next"] = next_state
    else:
        state["End"] = True
    return state


class Failure(Exception):
    def __init__(self, error: str, cause: str = "") -> None:
        super().__init__(error)
        self.error, self.cause = error, cause


class Functions:
    """Task handlers by function name; ``calls`` records every (name, payload) invoked."""

    def __init__(self, **handlers: Callable[[Any], Any]) -> None:
        self.handlers = handlers
        self.calls: list[tuple[str, Any]] = []

    def answer(self, ex: Execution, request: Invoke) -> None:
        name = request.resource.rsplit(":", 1)[-1]
        self.calls.append((name, request.payload))
        try:
            ex.resume(request.id, self.handlers[name](request.payload))
        except Failure as failure:
            ex.resume(request.id, error=failure.error, cause=failure.cause)


def drive(
    ex: Execution,
    functions: Functions,
    now: Any = START,
    last: Callable[[Invoke], bool] = lambda request: False,
) -> list[dict[str, Any]]:
    """Steps to the end, answering one request per step (requests for which ``last`` is true
    after all others); returns the events written."""
    events: list[dict[str, Any]] = []
    while True:
        step = ex.step(now)
        events += step.events
        if step.status != "RUNNING":
            return events
        waiting = [r for r in ex.pending() if r.id != TIMEOUT_REQUEST]
        assert waiting, "the execution waits for nothing but did not end"
        request = sorted(waiting, key=lambda r: isinstance(r, Invoke) and last(r))[0]
        if isinstance(request, Sleep):
            ex.resume(request.id)
        else:
            functions.answer(ex, request)


def kept(ex: Execution) -> Execution:
    """The execution as a driver gets it back: restored from its stored checkpoint."""
    stored = json.loads(json.dumps(ex.checkpoint()))
    return Execution.restore(ex.machine, stored)


def start(definition: dict[str, Any], data: Any = None, **context: Any) -> Execution:
    return Execution.start(
        asl.parse(definition),
        {} if data is None else data,
        context=ExecutionContext(**context),
        now=START,
    )


def entered(events: list[dict[str, Any]]) -> list[str]:
    return [e["stateEnteredEventDetails"]["name"] for e in events if e["type"].endswith("Entered")]


def flaky(broken: dict[str, bool], result: Any) -> Callable[[Any], Any]:
    def handler(payload: Any) -> Any:
        if broken["now"]:
            raise Failure("Payment.Declined", "the card was declined")
        return result(payload)

    return handler


ORDER = {
    "StartAt": "Prepare",
    "States": {
        "Prepare": {
            "Type": "Pass",
            "Parameters": {"amount.$": "$.amount", "customer.$": "$.customer"},
            "Assign": {"customer.$": "$.customer"},
            "Next": "Charge",
        },
        "Charge": task(
            "charge",
            "Done",
            Parameters={"amount.$": "$.amount", "attempt.$": "$$.Execution.RedriveCount"},
            ResultPath="$.receipt",
        ),
        "Done": {
            "Type": "Pass",
            "Parameters": {"receipt.$": "$.receipt", "customer.$": "$customer"},
            "End": True,
        },
    },
}


def test_it_continues_from_the_task_that_failed_with_the_input_it_had() -> None:
    broken = {"now": True}
    functions = Functions(charge=flaky(broken, lambda p: {"paid": p["amount"]}))
    ex = start(ORDER, {"amount": 12, "customer": "ada"})
    first = drive(ex, functions)
    assert first[-1]["type"] == "ExecutionFailed"
    assert ex.redrivable(LATER) is None

    broken["now"] = False
    ex = kept(ex)
    step = ex.redrive(LATER)
    assert step.status == "RUNNING"
    [redriven] = step.events
    assert redriven["type"] == "ExecutionRedriven"
    assert redriven["executionRedrivenEventDetails"] == {"redriveCount": 1}
    assert redriven["id"] == first[-1]["id"] + 1
    assert redriven["previousEventId"] == first[-1]["id"]

    second = drive(ex, functions, LATER)
    assert entered(second) == ["Charge", "Done"]
    charge_inputs = [
        e["stateEnteredEventDetails"]["input"]
        for e in first + second
        if e["type"] == "TaskStateEntered"
    ]
    assert charge_inputs[0] == charge_inputs[1]
    assert second[0]["previousEventId"] == redriven["id"]
    assert [e["id"] for e in second] == list(range(redriven["id"] + 1, second[-1]["id"] + 1))
    assert second[-1]["type"] == "ExecutionSucceeded"
    # The variable assigned before the failure is still there after the redrive.
    assert json.loads(second[-1]["executionSucceededEventDetails"]["output"]) == {
        "receipt": {"paid": 12},
        "customer": "ada",
    }


def test_it_counts_redrives_in_the_context_object() -> None:
    broken = {"now": True}
    functions = Functions(charge=flaky(broken, lambda p: p))
    ex = start(ORDER, {"amount": 1, "customer": "bo"})
    drive(ex, functions)
    ex = kept(ex)
    ex.redrive(LATER)
    drive(ex, functions, LATER)  # fails again
    broken["now"] = False
    ex = kept(ex)
    step = ex.redrive(LATER + timedelta(hours=1))
    assert step.events[0]["executionRedrivenEventDetails"] == {"redriveCount": 2}
    drive(ex, functions, LATER)
    assert [payload["attempt"] for _, payload in functions.calls] == [0, 1, 2]
    assert ex.status == "SUCCEEDED"


def test_it_reruns_only_the_parallel_branch_that_failed_from_its_failed_state() -> None:
    broken = {"now": True}
    functions = Functions(
        left=lambda p: "left done",
        right=flaky(broken, lambda p: "right done"),
    )
    definition = {
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "Left", "States": {"Left": task("left")}},
                    {
                        "StartAt": "Before",
                        "States": {
                            "Before": {"Type": "Pass", "Next": "Right"},
                            "Right": task("right"),
                        },
                    },
                ],
                "End": True,
            }
        },
    }
    ex = start(definition)
    drive(ex, functions, last=lambda r: r.resource == fn("right"))
    assert ex.status == "FAILED"
    assert [name for name, _ in functions.calls] == ["left", "right"]

    broken["now"] = False
    ex = kept(ex)
    second = ex.redrive(LATER).events + drive(ex, functions, LATER)
    assert [name for name, _ in functions.calls] == ["left", "right", "right"]
    assert entered(second) == ["Both", "Right"]
    assert ex.status == "SUCCEEDED"
    assert ex.output == ["left done", "right done"]


def test_it_reruns_only_the_map_iteration_that_failed() -> None:
    broken = {"now": True}

    def square(item: int) -> int:
        if item == 3 and broken["now"]:
            raise Failure("Math.Broken")
        return item * item

    functions = Functions(square=square)
    definition = {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "Square", "States": {"Square": task("square")}},
                "End": True,
            }
        },
    }
    ex = start(definition, [1, 2, 3, 4, 5])
    first = drive(ex, functions, last=lambda r: r.payload == 3)
    assert ex.status == "FAILED"
    assert [e["type"] for e in first].count("MapIterationSucceeded") == 4

    broken["now"] = False
    ex = kept(ex)
    second = ex.redrive(LATER).events + drive(ex, functions, LATER)
    assert [payload for _, payload in functions.calls] == [1, 2, 4, 5, 3, 3]
    started = [e for e in second if e["type"] == "MapIterationStarted"]
    assert [e["mapIterationStartedEventDetails"]["index"] for e in started] == [2]
    assert ex.status == "SUCCEEDED"
    assert ex.output == [1, 4, 9, 16, 25]


def test_it_runs_the_map_iterations_a_failure_kept_from_starting() -> None:
    functions = Functions(square=lambda item: item * item)
    broken = {"now": True}
    functions.handlers["check"] = flaky(broken, lambda item: item)
    definition = {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "MaxConcurrency": 1,
                "ItemProcessor": {
                    "StartAt": "Check",
                    "States": {"Check": task("check", "Square"), "Square": task("square")},
                },
                "End": True,
            }
        },
    }
    ex = start(definition, [1, 2, 3])
    drive(ex, functions)
    assert [payload for _, payload in functions.calls] == [1]

    broken["now"] = False
    ex = kept(ex)
    ex.redrive(LATER)
    drive(ex, functions, LATER)
    assert ex.status == "SUCCEEDED"
    assert ex.output == [1, 4, 9]


def test_it_redrives_an_aborted_execution_from_the_state_it_was_stopped_in() -> None:
    functions = Functions(slow=lambda p: "finally")
    definition = {
        "StartAt": "First",
        "States": {
            "First": {"Type": "Pass", "Result": "one", "Next": "Slow"},
            "Slow": task("slow"),
        },
    }
    ex = start(definition)
    [request] = ex.step(START).requests
    stopped = ex.stop(START, error="Operator.Stop", cause="by hand")
    assert stopped.status == "ABORTED"

    ex = kept(ex)
    ex.resume(request.id, "too late")  # the old attempt's answer changes nothing
    ex.redrive(LATER)
    events = drive(ex, functions, LATER)
    assert entered(events) == ["Slow"]
    assert (ex.status, ex.output) == ("SUCCEEDED", "finally")


def test_it_gives_a_redriven_execution_its_whole_timeout_again() -> None:
    definition = {"TimeoutSeconds": 10, "StartAt": "Slow", "States": {"Slow": task("slow")}}
    ex = start(definition)
    ex.step(START)
    assert ex.step(START + timedelta(seconds=11)).status == "TIMED_OUT"

    ex = kept(ex)
    step = ex.redrive(LATER)
    [timeout] = [r for r in step.requests if isinstance(r, Sleep)]
    assert (timeout.id, timeout.until) == (TIMEOUT_REQUEST, LATER + timedelta(seconds=10))
    assert ex.step(LATER + timedelta(seconds=9)).status == "RUNNING"
    assert ex.step(LATER + timedelta(seconds=10)).status == "TIMED_OUT"


def test_it_refuses_to_redrive_a_succeeded_execution() -> None:
    ex = start({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    assert ex.step(START).status == "SUCCEEDED"
    ex = kept(ex)
    assert ex.redrivable(LATER) == "Execution is SUCCEEDED and cannot be redriven."
    with pytest.raises(NotRedrivable, match="SUCCEEDED"):
        ex.redrive(LATER)


def test_it_refuses_to_redrive_a_running_execution() -> None:
    ex = start({"StartAt": "T", "States": {"T": task("slow")}})
    ex.step(START)
    with pytest.raises(NotRedrivable, match="RUNNING"):
        ex.redrive(LATER)


FAILING = {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Nope"}}}


def test_it_refuses_a_redrive_more_than_fourteen_days_after_the_stop() -> None:
    ex = start(FAILING)
    assert ex.step(START).status == "FAILED"
    assert ex.redrivable(START + timedelta(days=14)) is None
    with pytest.raises(NotRedrivable, match="period exceeded"):
        ex.redrive(START + timedelta(days=14, seconds=1))


def test_it_refuses_a_redrive_past_the_thousandth() -> None:
    ex = start(FAILING, redrive_count=999)
    ex.step(START)
    ex.redrive(LATER)
    assert ex.step(LATER).status == "FAILED"
    assert ex.redrivable(LATER) == "Execution has been redriven 1000 times, the most allowed."


def test_it_refuses_to_redrive_an_execution_that_reports_no_redrive_count() -> None:
    ex = start(FAILING, redrive_count=None)
    ex.step(START)
    assert ex.redrivable(LATER) == "Express executions cannot be redriven."


def test_it_reenters_a_fail_state_and_fails_again() -> None:
    ex = start(FAILING)
    ex.step(START)
    ex.redrive(LATER)
    again = ex.step(LATER)
    assert [e["type"] for e in again.events] == ["FailStateEntered", "ExecutionFailed"]
    assert (again.status, again.error) == ("FAILED", "Nope")


def test_it_reruns_only_the_failed_iteration_of_a_map_inside_a_parallel_branch() -> None:
    broken = {"now": True}

    def double(item: int) -> int:
        if item == 2 and broken["now"]:
            raise Failure("Math.Broken")
        return item * 2

    functions = Functions(double=double, other=lambda p: "other")
    definition = {
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "Other", "States": {"Other": task("other")}},
                    {
                        "StartAt": "Each",
                        "States": {
                            "Each": {
                                "Type": "Map",
                                "ItemsPath": "$.items",
                                "ItemProcessor": {
                                    "StartAt": "Double",
                                    "States": {"Double": task("double")},
                                },
                                "End": True,
                            }
                        },
                    },
                ],
                "End": True,
            }
        },
    }
    ex = start(definition, {"items": [1, 2, 3]})
    drive(ex, functions, last=lambda r: r.payload == 2)
    assert ex.status == "FAILED"

    broken["now"] = False
    ex = kept(ex)
    second = ex.redrive(LATER).events + drive(ex, functions, LATER)
    assert [payload for _, payload in functions.calls][-1:] == [2]
    assert len(functions.calls) == 5  # other, 1, 3, 2 failing, then 2 again
    assert entered(second) == ["Both", "Each", "Double"]
    assert (ex.status, ex.output) == ("SUCCEEDED", ["other", [2, 4, 6]])


def test_it_keeps_the_iterations_that_finished_before_a_timeout() -> None:
    functions = Functions(square=lambda item: item * item)
    definition = {
        "TimeoutSeconds": 60,
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "Square", "States": {"Square": task("square")}},
                "End": True,
            }
        },
    }
    ex = start(definition, [1, 2, 3])
    first = ex.step(START).requests
    invokes = [r for r in first if isinstance(r, Invoke)]
    functions.answer(ex, invokes[0])
    ex.step(START)
    assert ex.step(START + timedelta(minutes=2)).status == "TIMED_OUT"

    ex = kept(ex)
    ex.redrive(LATER)
    drive(ex, functions, LATER)
    assert [payload for _, payload in functions.calls] == [1, 2, 3]
    assert (ex.status, ex.output) == ("SUCCEEDED", [1, 4, 9])


def test_it_reruns_the_failed_iterations_of_a_distributed_map() -> None:
    broken = {"now": True}

    def check(item: int) -> int:
        if item % 2 and broken["now"]:
            raise Failure("Odd")
        return item

    functions = Functions(check=check)
    definition = {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "Check",
                    "States": {"Check": task("check")},
                },
                "ToleratedFailureCount": 1,
                "End": True,
            }
        },
    }
    ex = start(definition, [1, 2, 3, 4])
    drive(ex, functions, last=lambda r: r.payload == 3)
    assert ex.status == "FAILED"

    broken["now"] = False
    ex = kept(ex)
    ex.redrive(LATER)
    drive(ex, functions, LATER)
    assert sorted(payload for _, payload in functions.calls[4:]) == [1, 3]
    assert (ex.status, ex.output) == ("SUCCEEDED", [1, 2, 3, 4])
