"""Each child workflow execution of a Distributed Map has its own execution history, read
with GetExecutionHistory on the child's ARN
(https://docs.aws.amazon.com/step-functions/latest/dg/concepts-examine-map-run.html: "view a
list of all child workflow executions and access their details";
https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html),
while the parent's history shows none of its events
(https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html). The stepper
hands a driver that asks each child's events, numbered from 1, in the same shapes as any
execution's."""

from __future__ import annotations

import json
from typing import Any

import asl
import asl.arns as arns
from asl import map_runs
from asl.interpreter import Execution, ExecutionContext
from tests.asl.clock import START

PARENT = "arn:aws:states:eu-west-1:111122223333:execution:Orders:monday"
ROLE = "arn:aws:iam::111122223333:role/orders"
# Inside each item: a Choice, a nested Parallel and inline Map (their events chain in the
# child's own history), a failure by Fail and one by a path that is not there.
ITEM = {
    "StartAt": "Check",
    "States": {
        "Check": {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.n", "NumericEquals": 2, "Next": "Refuse"},
                {"Variable": "$.n", "NumericEquals": 3, "Next": "Broken"},
            ],
            "Default": "Both",
        },
        "Refuse": {"Type": "Fail", "Error": "Two", "Cause": "not two"},
        "Broken": {"Type": "Pass", "Parameters": {"x.$": "$.missing"}, "End": True},
        "Both": {
            "Type": "Parallel",
            "Branches": [
                {
                    "StartAt": "Each",
                    "States": {
                        "Each": {
                            "Type": "Map",
                            "ItemsPath": "$.list",
                            "ItemProcessor": {
                                "StartAt": "Twice",
                                "States": {"Twice": {"Type": "Pass", "End": True}},
                            },
                            "End": True,
                        }
                    },
                },
                {"StartAt": "Same", "States": {"Same": {"Type": "Pass", "End": True}}},
            ],
            "End": True,
        },
    },
}
ITEMS = [{"n": 1, "list": [1, 2]}, {"n": 2}, {"n": 3}]


def machine(processor: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "StartAt": "Fan",
        "States": {
            "Fan": {
                "Type": "Map",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    **processor,
                },
                "End": True,
                **fields,
            }
        },
    }


def start(definition: dict[str, Any], data: Any) -> Execution:
    context = ExecutionContext(id=PARENT, name="monday", role_arn=ROLE)
    return Execution.start(asl.parse(definition), data, context=context, now=START)


def by_child(pairs: list[tuple[str, dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    children: dict[str, list[dict[str, Any]]] = {}
    for arn, event in pairs:
        children.setdefault(arn, []).append(event)
    return children


def alone(processor: dict[str, Any], arn: str, data: Any) -> list[dict[str, Any]]:
    """The history of the item processor run as an execution of its own."""
    context = ExecutionContext(id=arn, name=arn.rsplit(":", 1)[-1], role_arn=ROLE)
    ex = Execution.start(asl.parse(processor), data, context=context, now=START)
    return ex.step(START).events


def test_the_parents_history_is_the_same_when_child_events_are_asked_for() -> None:
    definition = machine(ITEM, ToleratedFailureCount=5)
    quiet = start(definition, ITEMS)
    told = start(definition, ITEMS)
    told.child_events = []
    quiet_step, told_step = quiet.step(START), told.step(START)
    # The same but for the Map Run's ARN, new in each run.
    (quiet_run,), (told_run,) = quiet.map_runs, told.map_runs
    same = json.dumps(quiet_step.events, default=str).replace(quiet_run, told_run)
    assert json.dumps(told_step.events, default=str) == same
    assert told_step.output == quiet_step.output
    assert [e["type"] for e in told_step.events] == [
        "ExecutionStarted",
        "MapStateEntered",
        "MapStateStarted",
        "MapRunStarted",
        "MapRunSucceeded",
        "MapStateSucceeded",
        "MapStateExited",
        "ExecutionSucceeded",
    ]
    assert map_runs.take_child_events(quiet) == []  # asked for by none: none built
    assert map_runs.take_child_events(told)


def test_each_child_has_the_history_of_an_execution_of_its_own() -> None:
    ex = start(machine(ITEM, ToleratedFailureCount=5), ITEMS)
    ex.child_events = []
    ex.step(START)
    (run_arn,) = ex.map_runs
    children = by_child(map_runs.take_child_events(ex))
    arn = [arns.child_execution(run_arn, index)[0] for index in range(3)]
    assert list(children) == arn
    for index, data in enumerate(ITEMS):
        # The same events, ids and causes as the item processor run by itself.
        assert children[arn[index]] == alone(ITEM, arn[index], data)
    succeeded, refused, broken = (children[a] for a in arn)
    assert succeeded[0] == {
        "id": 1,
        "previousEventId": 0,
        "type": "ExecutionStarted",
        "timestamp": START,
        "executionStartedEventDetails": {
            "input": json.dumps(ITEMS[0], separators=(",", ":")),
            "inputDetails": {"truncated": False},
            "roleArn": ROLE,
        },
    }
    assert succeeded[-1]["type"] == "ExecutionSucceeded"
    assert json.loads(succeeded[-1]["executionSucceededEventDetails"]["output"]) == [
        [ITEMS[0], ITEMS[0]][0]["list"],
        ITEMS[0],
    ]
    assert [e["id"] for e in refused] == list(range(1, len(refused) + 1))
    assert refused[-1]["type"] == "ExecutionFailed"
    assert refused[-1]["executionFailedEventDetails"] == {"error": "Two", "cause": "not two"}
    failed = broken[-1]["executionFailedEventDetails"]
    assert failed["error"] == "States.Runtime"
    assert "(entered at the event id #4)" in failed["cause"]  # the child's own event id
    assert map_runs.take_child_events(ex) == []  # taken once
    assert ex.child_event_ids == {}  # ended children leave no numbering behind


def test_an_aborted_child_ends_its_history_with_execution_aborted() -> None:
    slow = {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 60, "End": True}}}
    ex = start(machine(slow), [1, 2])
    ex.child_events = []
    ex.step(START)
    first = by_child(map_runs.take_child_events(ex))
    assert [[e["type"] for e in events] for events in first.values()] == [
        ["ExecutionStarted", "WaitStateEntered"]
    ] * 2
    # The checkpoint keeps each running child's numbering, never its events.
    checkpoint = json.loads(json.dumps(ex.checkpoint()))
    assert "WaitStateEntered" not in json.dumps(checkpoint)
    assert sorted(checkpoint["child_event_ids"].values()) == [3, 3]
    ex = Execution.restore(ex.machine, checkpoint)
    ex.child_events = []
    ex.stop(START)
    later = by_child(map_runs.take_child_events(ex))
    assert list(later) == list(first)
    for events in later.values():
        assert [(e["id"], e["previousEventId"], e["type"]) for e in events] == [
            (3, 2, "WaitStateAborted"),
            (4, 3, "ExecutionAborted"),
        ]


def test_a_child_that_fails_the_map_run_ends_with_its_failure() -> None:
    """Past the tolerated failures the Map Run fails and aborts the other children."""
    items = [{"n": 1}, {"n": 2}]
    slow = {
        "StartAt": "Check",
        "States": {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.n", "NumericEquals": 2, "Next": "Refuse"}],
                "Default": "Nap",
            },
            "Refuse": {"Type": "Fail", "Error": "Two", "Cause": "not two"},
            "Nap": {"Type": "Wait", "Seconds": 60, "End": True},
        },
    }
    ex = start(machine(slow), items)
    ex.child_events = []
    step = ex.step(START)
    assert step.status == "FAILED" and step.error == "States.ExceedToleratedFailureThreshold"
    napping, refused = by_child(map_runs.take_child_events(ex)).values()
    assert [e["type"] for e in refused][-1] == "ExecutionFailed"
    assert [e["type"] for e in napping][-2:] == ["WaitStateAborted", "ExecutionAborted"]


def test_an_evaluation_failure_inside_an_item_stays_in_the_childs_history() -> None:
    """EvaluationFailed belongs to the execution whose state failed
    (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html)."""
    broken = {
        "StartAt": "Add",
        "States": {"Add": {"Type": "Pass", "Output": "{% 1 + 'a' %}", "End": True}},
    }
    ex = start({"QueryLanguage": "JSONata", **machine(broken, ToleratedFailureCount=1)}, [1])
    ex.child_events = []
    step = ex.step(START)
    assert "EvaluationFailed" not in [e["type"] for e in step.events]
    (events,) = by_child(map_runs.take_child_events(ex)).values()
    assert [e["type"] for e in events] == [
        "ExecutionStarted",
        "PassStateEntered",
        "EvaluationFailed",
        "ExecutionFailed",
    ]
