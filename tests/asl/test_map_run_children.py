"""The items of a Distributed Map run as child executions: inside one, the context object's
Execution is the child's own (its ARN, name, input and start), as AWS documents for child
workflow executions (https://docs.aws.amazon.com/step-functions/latest/dg/
input-output-contextobject.html, https://docs.aws.amazon.com/step-functions/latest/dg/
state-map-distributed.html); the stepper tells a driver that asks what each child did."""

from __future__ import annotations

import json
from typing import Any

import asl
import asl.arns as arns
from asl import map_runs
from asl.interpreter import Execution, ExecutionContext
from tests.asl.clock import START

PARENT = "arn:aws:states:eu-west-1:111122223333:execution:Orders:monday"
WHO = {
    "StartAt": "Inner",
    "States": {
        # Under a Parallel inside the item: every frame of the child execution sees it.
        "Inner": {
            "Type": "Parallel",
            "Branches": [
                {
                    "StartAt": "Who",
                    "States": {
                        "Who": {
                            "Type": "Pass",
                            "Parameters": {
                                "id.$": "$$.Execution.Id",
                                "name.$": "$$.Execution.Name",
                                "input.$": "$$.Execution.Input",
                                "role.$": "$$.Execution.RoleArn",
                            },
                            "End": True,
                        }
                    },
                }
            ],
            "OutputPath": "$[0]",
            "End": True,
        }
    },
}


def each(mode: str, processor: dict[str, Any] = WHO) -> dict[str, Any]:
    config = {"Mode": mode, **({"ExecutionType": "STANDARD"} if mode == "DISTRIBUTED" else {})}
    tolerated = {"ToleratedFailureCount": 5} if mode == "DISTRIBUTED" else {}
    return {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemProcessor": {"ProcessorConfig": config, **processor},
                "End": True,
                **tolerated,
            }
        },
    }


def start(definition: dict[str, Any], data: Any) -> Execution:
    context = ExecutionContext(id=PARENT, name="monday")
    return Execution.start(asl.parse(definition), data, context=context, now=START)


def test_an_item_of_a_distributed_map_sees_its_own_child_execution() -> None:
    ex = start(each("DISTRIBUTED"), [{"n": 1}, {"n": 2}])
    step = ex.step(START)
    assert step.status == "SUCCEEDED"
    (run_arn,) = ex.map_runs
    assert run_arn.startswith("arn:aws:states:eu-west-1:111122223333:mapRun:Orders/Each:")
    children = [arns.child_execution(run_arn, i) for i in range(2)]
    assert step.output == [
        {"id": arn, "name": name, "input": {"n": i + 1}, "role": ex.exec_ctx["RoleArn"]}
        for i, (arn, name) in enumerate(children)
    ]
    # One home for the form: the ARN leads back to its Map Run and item.
    assert [arns.map_run_of(arn) for arn, _ in children] == [(run_arn, 0), (run_arn, 1)]


def test_an_inline_map_runs_in_the_execution_itself() -> None:
    step = start(each("INLINE"), [{"n": 1}]).step(START)
    assert step.output == [
        {"id": PARENT, "name": "monday", "input": [{"n": 1}], "role": step.output[0]["role"]}
    ]


def test_a_driver_that_asks_is_told_what_each_child_did() -> None:
    failing = {
        "StartAt": "Check",
        "States": {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.n", "NumericEquals": 2, "Next": "No"}],
                "Default": "Yes",
            },
            "No": {"Type": "Fail", "Error": "Two", "Cause": "not two"},
            "Yes": {"Type": "Pass", "Result": "ok", "End": True},
        },
    }
    ex = start(each("DISTRIBUTED", failing), [{"n": 1}, {"n": 2}])
    assert map_runs.take_children(ex) == []  # asked for by none: none kept
    ex.child_changes = []
    ex.step(START)
    changes = map_runs.take_children(ex)
    (run_arn,) = ex.map_runs
    stamp = asl.interpreter.iso(START)
    assert changes == [
        {"map_run": run_arn, "index": 0, "status": "RUNNING", "input": {"n": 1}, "start": stamp},
        {"map_run": run_arn, "index": 1, "status": "RUNNING", "input": {"n": 2}, "start": stamp},
        {"map_run": run_arn, "index": 0, "status": "SUCCEEDED", "output": "ok", "stop": stamp},
        {
            "map_run": run_arn,
            "index": 1,
            "status": "FAILED",
            "error": "Two",
            "cause": "not two",
            "stop": stamp,
        },
    ]
    assert map_runs.take_children(ex) == []  # taken once


def test_a_stopped_execution_aborts_its_running_children() -> None:
    slow = {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 60, "End": True}}}
    ex = start(each("DISTRIBUTED", slow), [1, 2])
    ex.step(START)
    # A checkpoint keeps the child's identity, not the record of its changes.
    ex = Execution.restore(ex.machine, json.loads(json.dumps(ex.checkpoint())))
    ex.child_changes = []
    ex.stop(START)
    changes = map_runs.take_children(ex)
    assert [(c["index"], c["status"]) for c in changes] == [(0, "ABORTED"), (1, "ABORTED")]


def test_the_child_workflow_is_the_item_processor_in_the_language_it_inherits() -> None:
    """DescribeStateMachineForExecution of a child execution gives its child workflow
    (API_DescribeStateMachineForExecution.html: mapRunArn, label)."""
    nested = {
        "QueryLanguage": "JSONata",
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "Branches": [each("INLINE"), each("DISTRIBUTED")],
                "End": True,
            }
        },
    }
    child = map_runs.child_definition(nested, "Each", "Each")
    assert child == {"QueryLanguage": "JSONata", **WHO}
    assert map_runs.child_definition(nested, "Each", "Other") is None
    assert map_runs.child_definition(each("INLINE"), "Each", "Each") is None
    assert map_runs.child_definition([], "Each", "Each") is None
