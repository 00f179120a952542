"""The history of a Map Run's child workflow execution over the AWS protocol, with boto3 and a
real worker: GetExecutionHistory on the child's ARN answers the child's own events, numbered
from 1, by the same paging, reverseOrder and includeExecutionData rules as any execution's
(https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html;
a Map Run's child workflow executions, each with its details:
https://docs.aws.amazon.com/step-functions/latest/dg/concepts-examine-map-run.html and
https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from tests.awsapi.helpers import create, wait_for, wait_until
from tests.awsapi.test_aws_map_runs import SLOW, SOME_FAIL, distributed, only_map_run
from tests.conftest import token_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def history(sfn: Any, arn: str, **options: Any) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = sfn.get_execution_history(executionArn=arn, **options)["events"]
    return events


def children_of(sfn: Any, execution: str) -> list[dict[str, Any]]:
    executions: list[dict[str, Any]] = sfn.list_executions(mapRunArn=only_map_run(sfn, execution))[
        "executions"
    ]
    return executions


def test_a_child_execution_has_its_own_history(sfn: Any, worker: Any) -> None:
    """A succeeded item's history: ExecutionStarted with the item's input, its states' events,
    ExecutionSucceeded with its output; a failed item's ends in ExecutionFailed with the error
    and cause (API_GetExecutionHistory.html, API_HistoryEvent.html); the parent's history
    holds none of them (state-map-distributed.html)."""
    machine = create(sfn, "Kids", distributed(SOME_FAIL, ToleratedFailureCount=1))
    execution = sfn.start_execution(
        stateMachineArn=machine, input=json.dumps({"items": [{"bad": False}, {"bad": True}]})
    )["executionArn"]
    wait_until(sfn, execution, "SUCCEEDED")
    fine, bad = children_of(sfn, execution)

    events = history(sfn, fine["executionArn"])
    assert [(e["id"], e["previousEventId"], e["type"]) for e in events] == [
        (1, 0, "ExecutionStarted"),
        (2, 0, "ChoiceStateEntered"),
        (3, 2, "ChoiceStateExited"),
        (4, 3, "PassStateEntered"),
        (5, 4, "PassStateExited"),
        (6, 5, "ExecutionSucceeded"),
    ]
    started = events[0]["executionStartedEventDetails"]
    assert json.loads(started["input"]) == {"item": {"bad": False}, "index": 0}
    assert started["inputDetails"] == {"truncated": False}
    succeeded = events[-1]["executionSucceededEventDetails"]
    assert json.loads(succeeded["output"]) == {"item": {"bad": False}, "index": 0}
    # The same moments as DescribeExecution's (which it gives to the millisecond).
    described = sfn.describe_execution(executionArn=fine["executionArn"])
    for event, date in ((events[0], described["startDate"]), (events[-1], described["stopDate"])):
        stamp = event["timestamp"]
        assert stamp.replace(microsecond=stamp.microsecond // 1000 * 1000) == date

    failed = history(sfn, bad["executionArn"])
    assert [e["type"] for e in failed] == [
        "ExecutionStarted",
        "ChoiceStateEntered",
        "ChoiceStateExited",
        "FailStateEntered",
        "ExecutionFailed",
    ]
    assert failed[-1]["executionFailedEventDetails"] == {"error": "Bad", "cause": "a bad item"}

    parent = [e["type"] for e in history(sfn, execution)]
    assert not {"ChoiceStateEntered", "PassStateEntered", "FailStateEntered"} & set(parent)
    assert parent.count("ExecutionStarted") == 1


def test_a_childs_history_pages_like_any_other(sfn: Any, worker: Any) -> None:
    """maxResults and nextToken page it, reverseOrder gives the latest first, and
    includeExecutionData=false leaves out inputs and outputs (API_GetExecutionHistory.html,
    Request Parameters)."""
    machine = create(sfn, "Paged", distributed(SOME_FAIL))
    execution = sfn.start_execution(
        stateMachineArn=machine, input=json.dumps({"items": [{"bad": False}]})
    )["executionArn"]
    wait_until(sfn, execution, "SUCCEEDED")
    (child,) = children_of(sfn, execution)
    arn = child["executionArn"]
    whole = history(sfn, arn)
    assert len(whole) == 6

    pages, token = [], None
    while True:
        answer = sfn.get_execution_history(
            executionArn=arn, maxResults=4, **({"nextToken": token} if token else {})
        )
        pages.append([e["id"] for e in answer["events"]])
        token = answer.get("nextToken")
        if token is None:
            break
    assert pages == [[1, 2, 3, 4], [5, 6]]

    latest = sfn.get_execution_history(executionArn=arn, reverseOrder=True, maxResults=4)
    assert [e["id"] for e in latest["events"]] == [6, 5, 4, 3]
    rest = sfn.get_execution_history(
        executionArn=arn, reverseOrder=True, maxResults=4, nextToken=latest["nextToken"]
    )
    assert [e["id"] for e in rest["events"]] == [2, 1] and "nextToken" not in rest

    bare = history(sfn, arn, includeExecutionData=False)
    assert "input" not in bare[0]["executionStartedEventDetails"]
    assert "output" not in bare[-1]["executionSucceededEventDetails"]
    assert [e["id"] for e in bare] == [e["id"] for e in whole]
    # A token is good only for the history it came from.
    with pytest.raises(sfn.exceptions.InvalidToken):
        sfn.get_execution_history(executionArn=execution, nextToken=latest["nextToken"])


def test_an_aborted_child_ends_its_history_with_execution_aborted(sfn: Any, worker: Any) -> None:
    """Stopping the parent aborts its running children: each child's history ends with the
    abort of its state and ExecutionAborted (API_HistoryEvent.html)."""
    machine = create(sfn, "Stopped", distributed(SLOW))
    execution = sfn.start_execution(stateMachineArn=machine, input=json.dumps({"items": [1]}))[
        "executionArn"
    ]
    (child,) = wait_for(lambda: children_of(sfn, execution))
    arn = child["executionArn"]
    running = wait_for(lambda: history(sfn, arn))
    assert [e["type"] for e in running] == ["ExecutionStarted", "WaitStateEntered"]
    sfn.stop_execution(executionArn=execution)
    wait_until(sfn, execution, "ABORTED")
    assert [(e["id"], e["previousEventId"], e["type"]) for e in history(sfn, arn)] == [
        (1, 0, "ExecutionStarted"),
        (2, 0, "WaitStateEntered"),
        (3, 2, "WaitStateAborted"),
        (4, 3, "ExecutionAborted"),
    ]


def test_a_stranger_cannot_read_a_childs_history(sfn: Any, outsider_sfn: Any, worker: Any) -> None:
    """A child's history is seen as its parent execution is: to a caller who may not view the
    parent it is the ExecutionDoesNotExist of an ARN that names none
    (API_GetExecutionHistory.html, Errors)."""
    machine = create(sfn, "Secret", distributed(SOME_FAIL))
    execution = sfn.start_execution(
        stateMachineArn=machine, input=json.dumps({"items": [{"bad": False}]})
    )["executionArn"]
    wait_until(sfn, execution, "SUCCEEDED")
    (child,) = children_of(sfn, execution)
    arn = child["executionArn"]
    missing = arn.rsplit("-", 1)[0] + "-7"
    for caller, asked in ((outsider_sfn, arn), (sfn, missing), (outsider_sfn, missing)):
        with pytest.raises(caller.exceptions.ExecutionDoesNotExist) as refused:
            caller.get_execution_history(executionArn=asked)
        assert refused.value.response["Error"]["Message"] == f"Execution Does Not Exist: '{asked}'"
    assert len(history(sfn, arn)) == 6


def test_the_rest_api_serves_a_childs_history_through_the_same_operation(
    sfn: Any, worker: Any, web: str, user: Any, outsider: Any
) -> None:
    """The REST API's route to a child's history answers what GetExecutionHistory does
    (API_GetExecutionHistory.html), a page at a time by ?limit and ?cursor, with its
    timestamps as ISO 8601 text; to a stranger it is a 404 like a missing execution."""
    machine = create(sfn, "Restful", distributed(SOME_FAIL))
    execution = sfn.start_execution(
        stateMachineArn=machine, input=json.dumps({"items": [{"bad": False}]})
    )["executionArn"]
    wait_until(sfn, execution, "SUCCEEDED")
    (child,) = children_of(sfn, execution)
    arn = child["executionArn"]
    url = f"{web}/api/v1/child-executions/{arn}/history/"
    rest = requests.Session()
    rest.headers["Authorization"] = f"Token {token_for(user)}"
    first = rest.get(url, params={"limit": 4}).json()
    rest_page = rest.get(url, params={"limit": 4, "cursor": first["next_cursor"]}).json()
    assert rest_page["next_cursor"] is None
    events = first["events"] + rest_page["events"]
    aws = history(sfn, arn)
    assert [(e["id"], e["type"]) for e in events] == [(e["id"], e["type"]) for e in aws]
    assert events[0]["executionStartedEventDetails"] == aws[0]["executionStartedEventDetails"]
    assert events[0]["timestamp"].endswith("Z")
    latest = rest.get(url, params={"reverse": "true", "limit": 1}).json()
    assert [e["type"] for e in latest["events"]] == ["ExecutionSucceeded"]
    assert rest.get(url, params={"reverse": "maybe"}).status_code == 400
    # Only a child's: the parent's history has its own route.
    assert rest.get(f"{web}/api/v1/child-executions/{execution}/history/").status_code == 404
    stranger = requests.get(url, headers={"Authorization": f"Token {token_for(outsider)}"})
    assert stranger.status_code == 404 and stranger.json()["code"] == "ExecutionDoesNotExist"


def test_a_child_is_stopped_and_redriven_only_through_its_parent(sfn: Any, worker: Any) -> None:
    """ "To redrive a workflow that includes a Distributed Map state whose Map Run failed, you
    must redrive the parent workflow" (API_RedriveExecution.html; redrive-map-run.html): a
    child's own RedriveExecution is ExecutionNotRedrivable, and its StopExecution a
    ValidationException, each naming the parent to act on instead."""
    machine = create(sfn, "KidsOps", distributed(SOME_FAIL))
    execution = sfn.start_execution(
        stateMachineArn=machine, input=json.dumps({"items": [{"bad": True}]})
    )["executionArn"]
    wait_until(sfn, execution, "FAILED")
    (child,) = children_of(sfn, execution)
    for call, code in (
        (sfn.redrive_execution, "ExecutionNotRedrivable"),
        (sfn.stop_execution, "ValidationException"),
    ):
        with pytest.raises(sfn.exceptions.ClientError) as refused:
            call(executionArn=child["executionArn"])
        assert refused.value.response["Error"]["Code"] == code
        assert execution in refused.value.response["Error"]["Message"]
    # The parent's redrive is what reruns it.
    assert sfn.describe_execution(executionArn=execution)["redriveStatus"] == "REDRIVABLE"


def test_the_map_iterations_of_a_distributed_map_are_its_child_executions(
    sfn: Any, worker: Any, web: str, user: Any
) -> None:
    """The run view's Iterations list (REST map-iterations) of a Distributed Map: the Map
    Run's child executions, a page at a time, counted and filtered by status, each named by
    its ARN (concepts-examine-map-run.html: the Map Run's "child workflow executions and
    access their details")."""
    machine = create(sfn, "KidsListed", distributed(SOME_FAIL, ToleratedFailureCount=2))
    items = [{"bad": False}, {"bad": True}, {"bad": False}, {"bad": True}, {"bad": False}]
    execution = sfn.start_execution(stateMachineArn=machine, input=json.dumps({"items": items}))
    wait_until(sfn, execution["executionArn"], "SUCCEEDED")
    rest = requests.Session()
    rest.headers["Authorization"] = f"Token {token_for(user)}"
    run_id = rest.get(f"{web}/api/v1/executions/", params={"search": execution["executionArn"]})
    url = f"{web}/api/v1/executions/{run_id.json()['executions'][0]['id']}/map-iterations/"
    first = rest.get(url, params={"state": "Each", "limit": 2}).json()
    assert first["counts"] == {"RUNNING": 0, "SUCCEEDED": 3, "FAILED": 2, "ABORTED": 0}
    assert [it["index"] for it in first["iterations"]] == [0, 1]
    rest_of = rest.get(url, params={"state": "Each", "limit": 2, "after": first["next_after"]})
    assert [it["index"] for it in rest_of.json()["iterations"]] == [2, 3]
    failed = rest.get(url, params={"state": "Each", "status": "FAILED"}).json()
    assert [(it["index"], it["status"]) for it in failed["iterations"]] == [
        (1, "FAILED"),
        (3, "FAILED"),
    ]
    assert failed["next_after"] is None
    children = {c["executionArn"] for c in children_of(sfn, execution["executionArn"])}
    assert {it["childExecutionArn"] for it in failed["iterations"]} <= children
