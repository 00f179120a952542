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
