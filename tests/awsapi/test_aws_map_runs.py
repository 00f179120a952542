"""Map Runs of Distributed Map states over the AWS protocol, with boto3 and a real worker:
ListMapRuns, DescribeMapRun, UpdateMapRun and ListExecutions(mapRunArn)
(https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListMapRuns.html,
API_DescribeMapRun.html, API_UpdateMapRun.html, API_ListExecutions.html; the Map state's
ProcessorConfig Mode DISTRIBUTED: https://docs.aws.amazon.com/step-functions/latest/dg/
state-map-distributed.html)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from tests.awsapi.helpers import ACCOUNT, create, wait_for, wait_until
from tests.conftest import token_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def distributed(iteration: dict[str, Any], **map_fields: Any) -> dict[str, Any]:
    return {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "Label": "Each",
                "ItemsPath": "$.items",
                "ItemSelector": {"item.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"},
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    **iteration,
                },
                "End": True,
                **map_fields,
            }
        },
    }


SLOW = {
    "StartAt": "Work",
    "States": {"Work": {"Type": "Wait", "Seconds": 3, "End": True}},
}
SOME_FAIL = {
    "StartAt": "Check",
    "States": {
        "Check": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.item.bad", "BooleanEquals": True, "Next": "Refuse"}],
            "Default": "Fine",
        },
        "Refuse": {"Type": "Fail", "Error": "Bad", "Cause": "a bad item"},
        "Fine": {"Type": "Pass", "End": True},
    },
}


def only_map_run(sfn: Any, execution: str) -> str:
    runs = wait_for(lambda: sfn.list_map_runs(executionArn=execution)["mapRuns"])
    assert len(runs) == 1
    return str(runs[0]["mapRunArn"])


def test_a_map_run_is_listed_described_and_sped_up(sfn: Any, worker: Any) -> None:
    machine = create(sfn, "Fanout", distributed(SLOW, MaxConcurrency=1))
    execution = sfn.start_execution(
        stateMachineArn=machine, input=json.dumps({"items": list(range(6))})
    )["executionArn"]
    arn = only_map_run(sfn, execution)
    assert arn.startswith(f"arn:aws:states:us-east-1:{ACCOUNT}:mapRun:Fanout/Each:")
    listed = sfn.list_map_runs(executionArn=execution)["mapRuns"][0]
    assert listed["executionArn"] == execution
    assert listed["stateMachineArn"] == f"{machine}/Each"

    described = sfn.describe_map_run(mapRunArn=arn)
    assert described["status"] == "RUNNING" and described["maxConcurrency"] == 1
    assert described["itemCounts"]["total"] == 6 and described["itemCounts"]["running"] == 1

    # Six 3-second iterations one at a time would take 18 s: raised, they run side by side.
    sfn.update_map_run(mapRunArn=arn, maxConcurrency=6)
    wait_for(lambda: sfn.describe_map_run(mapRunArn=arn)["itemCounts"]["running"] >= 2)
    assert sfn.describe_map_run(mapRunArn=arn)["maxConcurrency"] == 6
    done = wait_until(sfn, execution, "SUCCEEDED", timeout=16)
    assert json.loads(done["output"]) == [{"item": i, "index": i} for i in range(6)]

    ended = sfn.describe_map_run(mapRunArn=arn)
    assert ended["status"] == "SUCCEEDED" and ended["stopDate"] >= ended["startDate"]
    assert ended["itemCounts"]["succeeded"] == ended["executionCounts"]["succeeded"] == 6
    # The history names the same Map Run.
    events = sfn.get_execution_history(executionArn=execution)["events"]
    started = [e for e in events if e["type"] == "MapRunStarted"]
    assert [e["mapRunStartedEventDetails"]["mapRunArn"] for e in started] == [arn]
    with pytest.raises(sfn.exceptions.ValidationException):  # AWS: only a running Map Run
        sfn.update_map_run(mapRunArn=arn, maxConcurrency=2)


def test_tolerated_failures_and_the_child_executions_of_a_map_run(
    sfn: Any, outsider_sfn: Any, worker: Any, web: str, user: Any, outsider: Any
) -> None:
    machine = create(sfn, "Tolerant", distributed(SOME_FAIL, ToleratedFailureCount=2))
    items = [{"bad": False}, {"bad": True}, {"bad": False}, {"bad": True}]
    execution = sfn.start_execution(stateMachineArn=machine, input=json.dumps({"items": items}))[
        "executionArn"
    ]
    wait_until(sfn, execution, "SUCCEEDED")
    arn = only_map_run(sfn, execution)
    described = sfn.describe_map_run(mapRunArn=arn)
    assert described["toleratedFailureCount"] == 2
    counts = described["itemCounts"]
    assert (counts["succeeded"], counts["failed"], counts["total"]) == (2, 2, 4)

    children = sfn.list_executions(mapRunArn=arn)["executions"]
    assert [c["status"] for c in children] == ["SUCCEEDED", "FAILED", "SUCCEEDED", "FAILED"]
    assert all(c["mapRunArn"] == arn for c in children)
    failed = sfn.list_executions(mapRunArn=arn, statusFilter="FAILED")["executions"]
    assert len(failed) == 2
    first = sfn.list_executions(mapRunArn=arn, maxResults=3)
    rest = sfn.list_executions(mapRunArn=arn, maxResults=3, nextToken=first["nextToken"])
    assert len(first["executions"]) == 3 and len(rest["executions"]) == 1
    assert "nextToken" not in rest

    # The REST API serves the same Map Run, through the same operations, under its own
    # snake_case names (as its executions: start_date, next_cursor).
    rest = requests.Session()
    rest.headers["Authorization"] = f"Token {token_for(user)}"
    runs = rest.get(f"{web}/api/v1/executions/{execution}/map-runs/").json()
    assert runs["next_cursor"] is None
    assert [(r["arn"], r["execution_arn"]) for r in runs["map_runs"]] == [(arn, execution)]
    assert runs["map_runs"][0]["state_machine_arn"] == f"{machine}/Each"
    shown = rest.get(f"{web}/api/v1/map-runs/{arn}/").json()
    assert (shown["arn"], shown["status"], shown["tolerated_failure_count"]) == (
        arn,
        "SUCCEEDED",
        2,
    )
    assert (
        shown["item_counts"]
        == shown["execution_counts"]
        == {
            "pending": 0,
            "running": 0,
            "succeeded": 2,
            "failed": 2,
            "timed_out": 0,
            "aborted": 0,
            "total": 4,
            "results_written": 2,
            "failures_not_redrivable": 0,
            "pending_redrive": 0,
        }
    )
    assert shown["stop_date"] is not None and "mapRunArn" not in shown
    page = rest.get(f"{web}/api/v1/map-runs/{arn}/executions/?status=FAILED&limit=1").json()
    assert [c["status"] for c in page["executions"]] == ["FAILED"] and page["next_cursor"]
    child = page["executions"][0]
    assert (child["arn"], child["map_run_arn"]) == (failed[0]["executionArn"], arn)
    ended = rest.put(f"{web}/api/v1/map-runs/{arn}/", json={"max_concurrency": 3})
    assert ended.status_code == 400 and ended.json()["code"] == "ValidationException"
    aws_named = rest.put(f"{web}/api/v1/map-runs/{arn}/", json={"maxConcurrency": 3})
    assert (aws_named.status_code, aws_named.json()["field"]) == (400, "maxConcurrency")
    negative = rest.put(f"{web}/api/v1/map-runs/{arn}/", json={"max_concurrency": -1})
    assert negative.json()["field"] == "max_concurrency"
    assert "max_concurrency" in negative.json()["message"]
    hidden = requests.get(
        f"{web}/api/v1/map-runs/{arn}/", headers={"Authorization": f"Token {token_for(outsider)}"}
    )
    assert hidden.status_code == 404 and hidden.json()["code"] == "ResourceNotFound"

    with pytest.raises(sfn.exceptions.InvalidToken):
        sfn.list_executions(mapRunArn=arn, nextToken="forged")
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        outsider_sfn.describe_map_run(mapRunArn=arn)
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.describe_map_run(mapRunArn=arn.rsplit(":", 1)[0] + ":00000000-0000-0000-0000-0")
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.describe_map_run(mapRunArn=execution)
    with pytest.raises(sfn.exceptions.ExecutionDoesNotExist):
        outsider_sfn.list_map_runs(executionArn=execution)


def test_a_map_run_exceeding_its_tolerance_fails(sfn: Any, worker: Any) -> None:
    machine = create(sfn, "Strict", distributed(SOME_FAIL, ToleratedFailurePercentage=25))
    items = [{"bad": True}, {"bad": True}, {"bad": False}, {"bad": False}]
    execution = sfn.start_execution(stateMachineArn=machine, input=json.dumps({"items": items}))[
        "executionArn"
    ]
    failed = wait_until(sfn, execution, "FAILED")
    assert failed["error"] == "States.ExceedToleratedFailureThreshold"
    described = sfn.describe_map_run(mapRunArn=only_map_run(sfn, execution))
    assert described["status"] == "FAILED"
    assert described["toleratedFailurePercentage"] == 25.0
    assert described["itemCounts"]["failed"] >= 2
    # A failed child is redriven with its Map Run, by a redrive of the failed parent
    # (API_DescribeExecution.html, redriveStatus).
    children = sfn.list_executions(mapRunArn=described["mapRunArn"], statusFilter="FAILED")
    child = sfn.describe_execution(executionArn=children["executions"][0]["executionArn"])
    assert (child["error"], child["redriveStatus"]) == ("Bad", "REDRIVABLE_BY_MAP_RUN")
    with pytest.raises(sfn.exceptions.ValidationException):
        sfn.list_executions(mapRunArn=described["mapRunArn"], statusFilter="BROKEN")


WHO = {
    "StartAt": "Who",
    "States": {
        "Who": {
            "Type": "Pass",
            "Parameters": {
                "item.$": "$.item",
                "id.$": "$$.Execution.Id",
                "name.$": "$$.Execution.Name",
            },
            "Next": "Check",
        },
        "Check": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.item", "NumericEquals": 2, "Next": "Refuse"}],
            "Default": "Fine",
        },
        "Refuse": {"Type": "Fail", "Error": "Two", "Cause": "no twos"},
        "Fine": {"Type": "Pass", "End": True},
    },
}


def test_each_child_execution_of_a_map_run_is_described(sfn: Any, worker: Any) -> None:
    """DescribeExecution answers for a child workflow execution that ListExecutions(mapRunArn)
    lists, with its Map Run's ARN, and DescribeStateMachineForExecution with its child
    workflow and label (API_DescribeExecution.html, API_DescribeStateMachineForExecution.html);
    inside it, the context object's Execution is the child's own (the developer guide's
    input-output-contextobject.html and state-map-distributed.html: child workflow executions
    are executions of their own)."""
    machine = create(sfn, "Named", distributed(WHO, ToleratedFailureCount=1))
    execution = sfn.start_execution(
        stateMachineArn=machine, input=json.dumps({"items": [1, 2, 3]})
    )["executionArn"]
    done = wait_until(sfn, execution, "SUCCEEDED")
    run = only_map_run(sfn, execution)
    children = sfn.list_executions(mapRunArn=run)["executions"]
    assert [c["status"] for c in children] == ["SUCCEEDED", "FAILED", "SUCCEEDED"]

    first, second = (sfn.describe_execution(executionArn=c["executionArn"]) for c in children[:2])
    assert first["executionArn"] == children[0]["executionArn"]
    assert first["executionArn"].startswith(
        f"arn:aws:states:us-east-1:{ACCOUNT}:execution:Named/Each:"
    )
    assert (first["name"], first["stateMachineArn"]) == (children[0]["name"], f"{machine}/Each")
    assert (first["status"], first["mapRunArn"]) == ("SUCCEEDED", run)
    assert json.loads(first["input"]) == {"item": 1, "index": 0}
    # What the child saw as $$.Execution is the ARN and name it is described by.
    output = json.loads(first["output"])
    assert output == {"item": 1, "id": first["executionArn"], "name": first["name"]}
    assert json.loads(done["output"])[0] == output
    assert first["startDate"] <= first["stopDate"] <= done["stopDate"]
    assert first["redriveStatus"] == "NOT_REDRIVABLE"
    assert (second["status"], second["error"], second["cause"]) == ("FAILED", "Two", "no twos")
    assert "output" not in second and second["mapRunArn"] == run
    # Only a redrive of the parent could run it again, and the parent succeeded.
    assert second["redriveStatus"] == "NOT_REDRIVABLE"
    assert second["redriveStatusReason"] == "Execution is SUCCEEDED and cannot be redriven."

    workflow = sfn.describe_state_machine_for_execution(executionArn=children[0]["executionArn"])
    assert (workflow["stateMachineArn"], workflow["mapRunArn"], workflow["label"]) == (
        f"{machine}/Each",
        run,
        "Each",
    )
    processor = distributed(WHO)["States"]["Each"]["ItemProcessor"]
    assert json.loads(workflow["definition"]) == {
        k: v for k, v in processor.items() if k != "ProcessorConfig"
    }


def test_a_running_child_execution_is_described_as_running(sfn: Any, worker: Any) -> None:
    """A child still running has no stopDate or output yet (API_DescribeExecution.html)."""
    machine = create(sfn, "Sleepy", distributed(SLOW, MaxConcurrency=1))
    execution = sfn.start_execution(stateMachineArn=machine, input=json.dumps({"items": [1, 2]}))[
        "executionArn"
    ]
    run = only_map_run(sfn, execution)
    (child,) = wait_for(lambda: sfn.list_executions(mapRunArn=run)["executions"])
    described = sfn.describe_execution(executionArn=child["executionArn"])
    assert (described["status"], described["mapRunArn"]) == ("RUNNING", run)
    assert "stopDate" not in described and "output" not in described
    assert described["redriveStatus"] == "NOT_REDRIVABLE"
    sfn.stop_execution(executionArn=execution)
    wait_until(sfn, execution, "ABORTED")
    aborted = sfn.describe_execution(executionArn=child["executionArn"])
    assert aborted["status"] == "ABORTED" and aborted["stopDate"] >= aborted["startDate"]


def test_a_stranger_cannot_tell_a_child_execution_from_a_missing_one(
    sfn: Any, outsider_sfn: Any, worker: Any
) -> None:
    """A child execution is seen as its parent execution is: one the caller may not view is
    answered with the ExecutionDoesNotExist of an ARN that names none
    (API_DescribeExecution.html, Errors); a malformed ARN is InvalidArn."""
    machine = create(sfn, "Private", distributed(SLOW))
    execution = sfn.start_execution(stateMachineArn=machine, input=json.dumps({"items": [1]}))[
        "executionArn"
    ]
    wait_until(sfn, execution, "SUCCEEDED")
    (child,) = sfn.list_executions(mapRunArn=only_map_run(sfn, execution))["executions"]
    arn = child["executionArn"]
    missing = arn.rsplit("-", 1)[0] + "-7"
    beyond = arn.rsplit("-", 1)[0] + "-" + "9" * 30  # no item, nor any whole a column holds
    asked_for = ((outsider_sfn, arn), (sfn, missing), (outsider_sfn, missing), (sfn, beyond))
    for caller, asked in asked_for:
        for describe in (caller.describe_execution, caller.describe_state_machine_for_execution):
            with pytest.raises(caller.exceptions.ExecutionDoesNotExist) as refused:
                describe(executionArn=asked)
            assert refused.value.response["Error"]["Message"] == (
                f"Execution Does Not Exist: '{asked}'"
            )
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.describe_execution(executionArn=arn.rsplit(":", 1)[0])
    assert sfn.describe_execution(executionArn=arn)["status"] == "SUCCEEDED"
