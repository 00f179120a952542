"""The stepper contract: requests out, answers in, checkpoints that restore identically."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

import asl
from asl.interpreter import Execution, Invoke, Sleep
from tests.asl.clock import START

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:work"


def task(next_state: str | None = None, **fields: Any) -> dict[str, Any]:
    state: dict[str, Any] = {"Type": "Task", "Resource": LAMBDA, **fields}
    if next_state:
        state["Next"] = next_state
    else:
        state["End"] = True
    return state


def start(definition: dict[str, Any], data: Any = None) -> Execution:
    return Execution.start(asl.parse(definition), data if data is not None else {}, now=START)


def test_it_asks_for_a_task_and_finishes_with_the_answer() -> None:
    ex = start({"StartAt": "T", "States": {"T": task(Parameters={"x.$": "$.x"})}}, {"x": 3})
    step = ex.step(START)
    assert step.status == "RUNNING"
    [request] = step.requests
    assert isinstance(request, Invoke)
    assert (request.resource, request.payload, request.state_name) == (LAMBDA, {"x": 3}, "T")
    ex.resume(request.id, {"y": 4})
    done = ex.step(START)
    assert (done.status, done.output) == ("SUCCEEDED", {"y": 4})
    assert [e["type"] for e in done.events] == [
        "LambdaFunctionSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]


def test_it_fails_a_task_with_the_error_and_cause_of_the_answer() -> None:
    ex = start({"StartAt": "T", "States": {"T": task()}})
    [request] = ex.step(START).requests
    ex.resume(request.id, error="Custom.Error", cause="it went wrong")
    done = ex.step(START)
    assert (done.status, done.error, done.cause) == ("FAILED", "Custom.Error", "it went wrong")


def test_it_asks_to_sleep_until_the_wait_is_over() -> None:
    ex = start({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 90, "End": True}}})
    [request] = ex.step(START).requests
    assert isinstance(request, Sleep)
    assert request.until == START + timedelta(seconds=90)
    ex.resume(request.id)
    assert ex.step(request.until).status == "SUCCEEDED"


def test_it_refuses_an_answer_to_a_request_it_did_not_make() -> None:
    ex = start({"StartAt": "T", "States": {"T": task()}})
    ex.step(START)
    with pytest.raises(KeyError):
        ex.resume("no-such-request", 1)


def test_it_ignores_an_answer_to_a_request_it_cancelled() -> None:
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "T", "States": {"T": task()}},
                    {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "End": True}}},
                ],
                "End": True,
            }
        },
    }
    ex = start(definition)
    invoke, sleep = ex.step(START).requests
    ex.resume(invoke.id, error="Broken")
    assert ex.step(START).status == "FAILED"
    ex.resume(sleep.id)  # the Wait was aborted with its branch: a late wake-up is harmless
    ex.resume(invoke.id, "again")  # so is a second answer
    assert ex.step(START).status == "FAILED"


def test_it_runs_no_more_iterations_at_once_than_max_concurrency() -> None:
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "MaxConcurrency": 2,
                "ItemProcessor": {"StartAt": "T", "States": {"T": task()}},
                "End": True,
            }
        },
    }
    ex = start(definition, [10, 20, 30])
    first = ex.step(START).requests
    assert [r.payload for r in first if isinstance(r, Invoke)] == [10, 20]
    ex.resume(first[1].id, "twenty")
    second = ex.step(START).requests
    assert [r.payload for r in second if isinstance(r, Invoke)] == [30]
    ex.resume(first[0].id, "ten")
    ex.resume(second[0].id, "thirty")
    done = ex.step(START)
    assert (done.status, done.output) == ("SUCCEEDED", ["ten", "twenty", "thirty"])


def test_it_gives_every_request_an_id_unique_in_the_execution() -> None:
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [{"StartAt": f"T{i}", "States": {f"T{i}": task()}} for i in range(3)],
                "End": True,
            }
        },
    }
    ex = start(definition)
    ids = [r.id for r in ex.step(START).requests]
    assert len(ids) == 3 == len(set(ids))


def test_it_passes_a_task_token_to_callback_tasks() -> None:
    state = {
        "Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"token.$": "$$.Task.Token"},
        "End": True,
    }
    ex = start({"StartAt": "T", "States": {"T": state}})
    [request] = ex.step(START).requests
    assert isinstance(request, Invoke)
    assert request.pattern == "wait_for_task_token"
    assert request.task_token and request.payload == {"token": request.task_token}


def test_it_times_out_once_the_machine_timeout_has_passed() -> None:
    definition = {
        "TimeoutSeconds": 5,
        "StartAt": "W",
        "States": {"W": {"Type": "Wait", "Seconds": 60, "End": True}},
    }
    ex = start(definition)
    requests = ex.step(START).requests
    deadline = min(r.until for r in requests if isinstance(r, Sleep))
    assert deadline == START + timedelta(seconds=5)
    step = ex.step(deadline)
    assert (step.status, step.error) == ("TIMED_OUT", "States.Timeout")
    assert step.events[-1]["type"] == "ExecutionTimedOut"


def test_it_aborts_when_stopped_and_forgets_its_requests() -> None:
    ex = start({"StartAt": "T", "States": {"T": task()}})
    ex.step(START)
    step = ex.stop(START, error="Operator", cause="no longer needed")
    assert (step.status, step.error, step.cause) == ("ABORTED", "Operator", "no longer needed")
    assert step.events[-1]["type"] == "ExecutionAborted"
    assert ex.pending() == []


MIXED = {
    "StartAt": "First",
    "States": {
        "First": task("Fan", Retry=[{"ErrorEquals": ["Again"], "IntervalSeconds": 1}]),
        "Fan": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "MaxConcurrency": 2,
            "ItemProcessor": {
                "StartAt": "Nap",
                "States": {
                    "Nap": {"Type": "Wait", "Seconds": 5, "Next": "Work"},
                    "Work": task(),
                },
            },
            "ResultPath": "$.mapped",
            "Next": "Both",
        },
        "Both": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "A", "States": {"A": task()}},
                {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": True}}},
            ],
            "End": True,
        },
    },
}


def drive(ex: Execution, restore_every_step: bool) -> tuple[list[str], Any]:
    """Answers every request (a task doubles numbers; the first attempt fails once) and
    optionally swaps the execution for one restored from its checkpoint after each step."""
    machine = ex.machine
    types: list[str] = []
    now = START
    failed_once = False
    while True:
        step = ex.step(now)
        types.extend(e["type"] for e in step.events)
        if step.status != "RUNNING":
            return types, step.output
        if restore_every_step:
            text = json.dumps(ex.checkpoint())
            ex = Execution.restore(machine, json.loads(text))
        for request in ex.pending():
            if isinstance(request, Sleep):
                now = max(now, request.until)
                ex.resume(request.id)
            elif request.state_name == "First" and not failed_once:
                failed_once = True
                ex.resume(request.id, error="Again")
            else:
                payload = request.payload
                ex.resume(request.id, payload * 2 if isinstance(payload, int) else payload)


def test_it_behaves_the_same_after_restoring_a_checkpoint_at_every_step() -> None:
    data = {"items": [1, 2, 3]}
    straight = drive(start(MIXED, data), restore_every_step=False)
    restored = drive(start(MIXED, data), restore_every_step=True)
    assert straight == restored
    assert straight[1][0]["mapped"] == [2, 4, 6]
    assert straight[0].count("LambdaFunctionScheduled") == 2 + 3 + 1


def test_it_keeps_only_the_results_of_finished_iterations_in_its_checkpoint() -> None:
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "MaxConcurrency": 1,
                "ItemProcessor": {"StartAt": "T", "States": {"T": task()}},
                "End": True,
            }
        },
    }
    ex = start(definition, list(range(50)))
    request = ex.step(START).requests[0]
    for i in range(49):
        ex.resume(request.id, i)
        request = ex.step(START).requests[0]
    checkpoint = ex.checkpoint()
    assert len(checkpoint["frames"]) == 2  # the Map's frame and the one running iteration


def test_it_writes_activity_events_and_when_a_worker_took_the_task() -> None:
    state = {
        "Type": "Task",
        "Resource": "arn:aws:states:us-east-1:123456789012:activity:approve",
        "End": True,
    }
    ex = start({"StartAt": "Approve", "States": {"Approve": state}}, {"order": 1})
    step = ex.step(START)
    assert [e["type"] for e in step.events][-1] == "ActivityScheduled"
    [request] = step.requests
    ex.activity_started(request.id, START, "worker-7")
    ex.resume(request.id, {"approved": True})
    done = ex.step(START)
    assert [e["type"] for e in done.events] == [
        "ActivityStarted",
        "ActivitySucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    assert done.events[0]["activityStartedEventDetails"] == {"workerName": "worker-7"}


def test_it_chains_each_sequential_iteration_to_the_last_event_of_the_one_before() -> None:
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "MaxConcurrency": 1,
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                "End": True,
            }
        },
    }
    events = start(definition, [1, 2]).step(START).events
    by_id = {e["id"]: e for e in events}
    second_start = [e for e in events if e["type"] == "MapIterationStarted"][1]
    assert by_id[second_start["previousEventId"]]["type"] == "PassStateExited"
