"""GET /api/v1/executions/{id}/history/: AWS's event shape, and pages both ways.

The shape is AWS's HistoryEvent, as GetExecutionHistory returns it: `id`, `previousEventId`,
`timestamp`, `type` and, for most types, one `<type>EventDetails` member named after the type.
https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html
https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
The AWS API serves the same events (awsapi's GetExecutionHistory), its timestamps written as
AWS JSON 1.0 writes them; both come from executor.models.aws_event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from awsapi import operations, params
from designer.actions import create_state_machine
from executor import runner
from executor.models import Execution
from tests.executor.definitions import pass_chain

pytestmark = pytest.mark.django_db

ECHO = "arn:aws:lambda:us-east-1:123456789012:function:echo"
# A Task that succeeds (LambdaFunction* events), then a Fail: the run fails with its error.
SHAPES = {
    "StartAt": "Prepare",
    "States": {
        "Prepare": {"Type": "Pass", "Result": {"amount": 5}, "Next": "Charge"},
        "Charge": {"Type": "Task", "Resource": ECHO, "Next": "Refuse"},
        "Refuse": {"Type": "Fail", "Error": "Refused", "Cause": "Too much."},
    },
}
BASE = {"id", "previousEventId", "timestamp", "type"}


def history(api: Any, execution_id: str, **query: Any) -> Any:
    response = api.get(f"/api/v1/executions/{execution_id}/history/", query)
    assert response.status_code == 200, response.content
    return response.json()


def run(api: Any, user: Any, definition: dict[str, Any], name: str = "Shapes") -> str:
    create_state_machine(name, definition, owner=user)
    started = api.post(f"/api/v1/state-machines/{name}/executions/", {}, format="json")
    runner.advance(started.json()["id"])
    return str(started.json()["id"])


def test_each_event_has_exactly_aws_fields_with_its_details_named_after_its_type(
    api: Any, user: Any
) -> None:
    events = history(api, run(api, user, SHAPES))["events"]
    by_type = {e["type"]: e for e in events}
    expected_members = {
        "ExecutionStarted": "executionStartedEventDetails",
        "PassStateEntered": "stateEnteredEventDetails",
        "PassStateExited": "stateExitedEventDetails",
        "TaskStateEntered": "stateEnteredEventDetails",
        "LambdaFunctionScheduled": "lambdaFunctionScheduledEventDetails",
        "LambdaFunctionSucceeded": "lambdaFunctionSucceededEventDetails",
        "TaskStateExited": "stateExitedEventDetails",
        "FailStateEntered": "stateEnteredEventDetails",
        "ExecutionFailed": "executionFailedEventDetails",
    }
    for type, member in expected_members.items():
        assert set(by_type[type]) == BASE | {member}, by_type[type]
    # Events with nothing to tell have no details member at all, as in AWS.
    assert set(by_type["LambdaFunctionStarted"]) == BASE
    assert "details" not in str([set(e) for e in events]).replace("EventDetails", "")

    entered = by_type["PassStateEntered"]["stateEnteredEventDetails"]
    assert entered["name"] == "Prepare"
    assert entered["input"] == "{}", "input and output are JSON text, as in AWS"
    assert by_type["PassStateExited"]["stateExitedEventDetails"]["output"] == '{"amount":5}'
    scheduled = by_type["LambdaFunctionScheduled"]["lambdaFunctionScheduledEventDetails"]
    assert scheduled["resource"] == ECHO
    failed = by_type["ExecutionFailed"]["executionFailedEventDetails"]
    assert (failed["error"], failed["cause"]) == ("Refused", "Too much.")
    assert events[0]["previousEventId"] == 0
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    # ISO 8601 in UTC, readable by any JSON client.
    assert dt.datetime.fromisoformat(events[0]["timestamp"]).utcoffset() == dt.timedelta(0)
    assert events[0]["timestamp"].endswith("Z")


def test_the_rest_api_and_the_aws_api_send_the_same_events(api: Any, user: Any) -> None:
    execution_id = run(api, user, SHAPES)
    rest = history(api, execution_id)["events"]
    execution = Execution.objects.get(pk=execution_id)
    arn = params.execution_arn(execution)
    aws = operations.get_execution_history(user, {"executionArn": arn})["events"]
    assert len(aws) == len(rest)
    for ours, theirs in zip(rest, aws, strict=True):
        assert dt.datetime.fromisoformat(ours.pop("timestamp")) == theirs.pop("timestamp")
        assert ours == theirs


def test_it_pages_backwards_from_the_latest_event_with_before(api: Any, user: Any) -> None:
    execution_id = run(api, user, pass_chain(20), name="Chain")
    last = api.get(f"/api/v1/executions/{execution_id}/").json()["last_event_id"]
    assert last == 42

    latest = history(api, execution_id, before=last + 1, limit=10)
    assert [e["id"] for e in latest["events"]] == list(range(33, 43))
    assert latest["events"][-1]["type"] == "ExecutionSucceeded"
    assert latest["next_before"] == 33
    assert "next_after" not in latest

    pages: list[list[int]] = []
    before: int | None = last + 1
    while before is not None:
        page = history(api, execution_id, before=before, limit=10)
        pages.append([e["id"] for e in page["events"]])
        before = page["next_before"]
    assert [i for page in reversed(pages) for i in page] == list(range(1, 43))
    assert pages[-1] == [1, 2], "the oldest page holds what is left"
    assert history(api, execution_id, before=1)["events"] == []


def test_it_refuses_after_and_before_together_naming_the_field(api: Any, user: Any) -> None:
    execution_id = run(api, user, pass_chain(1), name="Chain")
    response = api.get(f"/api/v1/executions/{execution_id}/history/", {"after": 1, "before": 3})
    assert response.status_code == 400
    assert response.json()["field"] == "before"
    bad = api.get(f"/api/v1/executions/{execution_id}/history/", {"before": "soon"})
    assert bad.status_code == 400 and bad.json()["field"] == "before"


def test_an_outsider_cannot_page_backwards_through_a_history(
    api: Any, outsider_api: Any, user: Any
) -> None:
    execution_id = run(api, user, pass_chain(1), name="Chain")
    response = outsider_api.get(f"/api/v1/executions/{execution_id}/history/", {"before": 5})
    assert response.status_code == 404


# A Parallel around a Map (their own events follow their inner ones), then a Map of Maps
# whose inner failure is caught by the outer Map's Catch.
NESTED = {
    "StartAt": "Par",
    "States": {
        "Par": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}},
                {
                    "StartAt": "M2",
                    "States": {
                        "M2": {
                            "Type": "Map",
                            "ItemsPath": "$.items",
                            "ItemProcessor": {
                                "StartAt": "X",
                                "States": {"X": {"Type": "Pass", "End": True}},
                            },
                            "End": True,
                        }
                    },
                },
            ],
            "ResultPath": None,
            "Next": "Orders",
        },
        "Orders": {
            "Type": "Map",
            "ItemsPath": "$.orders",
            "ItemProcessor": {
                "StartAt": "Lines",
                "States": {
                    "Lines": {
                        "Type": "Map",
                        "ItemProcessor": {
                            "StartAt": "Bad",
                            "States": {"Bad": {"Type": "Fail", "Error": "Boom"}},
                        },
                        "End": True,
                    }
                },
            },
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Recover"}],
            "End": True,
        },
        "Recover": {"Type": "Pass", "End": True},
    },
}


def test_each_page_names_the_state_of_each_event_even_when_it_was_entered_before_the_page(
    api: Any, user: Any
) -> None:
    """The run view's State column for an older page: `owners`, beside the events (which
    keep AWS's shape), names the state each event belongs to. A page of any size, cut
    anywhere, names them as the whole history does."""
    create_state_machine("Nested", NESTED, owner=user)
    started = api.post(
        "/api/v1/state-machines/Nested/executions/",
        {"input": {"items": [1, 2], "orders": [[1]]}},
        format="json",
    )
    runner.advance(started.json()["id"])
    execution_id = str(started.json()["id"])
    whole = history(api, execution_id)
    events, owners = whole["events"], whole["owners"]
    assert len(owners) == len(events)
    named = [(e["type"], o) for e, o in zip(events, owners, strict=True)]
    assert named[0] == ("ExecutionStarted", None)
    # The containers' own events belong to them, not to the inner state they follow.
    mine = {(t, o) for t, o in named if t.startswith(("ParallelState", "MapState"))}
    assert mine == {
        ("ParallelStateEntered", "Par"),
        ("ParallelStateStarted", "Par"),
        ("ParallelStateSucceeded", "Par"),
        ("ParallelStateExited", "Par"),
        ("MapStateEntered", "M2"),
        ("MapStateStarted", "M2"),
        ("MapStateSucceeded", "M2"),
        ("MapStateExited", "M2"),
        ("MapStateEntered", "Orders"),
        ("MapStateStarted", "Orders"),
        ("MapStateFailed", "Orders"),
        ("MapStateExited", "Orders"),
        ("MapStateEntered", "Lines"),
        ("MapStateStarted", "Lines"),
        ("MapStateFailed", "Lines"),
    }
    assert ("MapIterationFailed", "Lines") in named and ("MapIterationFailed", "Orders") in named
    assert named[-1] == ("ExecutionSucceeded", "Recover")
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    # Every cut of the history: the events before the page are never in the answer.
    for limit in (1, 2, 3, 7):
        for before in range(2, len(events) + 2):
            page = history(api, execution_id, before=before, limit=limit)
            ids = [e["id"] for e in page["events"]]
            assert page["owners"] == [owners[i - 1] for i in ids], (limit, before)
            assert all(
                set(e) <= BASE | {k for k in e if k.endswith("EventDetails")}
                for e in page["events"]
            )
