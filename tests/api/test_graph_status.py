"""Each state's status as of an event (the run view's colours and its time-travel scrubber),
counted by the database from the stored history.

The histories are the interpreter's own, as asl.run writes them and the runner stores them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import asl
from executor.actions import start_execution
from executor.models import Execution, HistoryEvent

pytestmark = pytest.mark.django_db

FLAKY = "arn:aws:lambda:us-east-1:123456789012:function:flaky"
DECLINE = "arn:aws:lambda:us-east-1:123456789012:function:decline"
# A task that fails once and is retried, a Map and a Parallel with inner states, and a task
# whose failure is caught.
CHECKOUT = {
    "StartAt": "Reserve",
    "States": {
        "Reserve": {
            "Type": "Task",
            "Resource": FLAKY,
            "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1}],
            "Next": "Pack",
        },
        "Pack": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ResultPath": "$.packed",
            "ItemProcessor": {
                "StartAt": "Wrap",
                "States": {"Wrap": {"Type": "Pass", "End": True}},
            },
            "Next": "Notify",
        },
        "Notify": {
            "Type": "Parallel",
            "ResultPath": None,
            "Branches": [{"StartAt": "Email", "States": {"Email": {"Type": "Pass", "End": True}}}],
            "Next": "Charge",
        },
        "Charge": {
            "Type": "Task",
            "Resource": DECLINE,
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Declined"}],
            "Next": "Done",
        },
        "Done": {"Type": "Succeed"},
        "Declined": {"Type": "Fail", "Error": "Declined"},
    },
}


class Clock:
    """Time that moves without waiting: retries back off for seconds."""

    def __init__(self) -> None:
        self.time = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        self.time += dt.timedelta(milliseconds=1)
        return self.time

    def sleep(self, seconds: float) -> None:
        self.time += dt.timedelta(seconds=seconds)


def functions() -> dict[str, Any]:
    calls = {"flaky": 0}

    def flaky(payload: Any, context: Any) -> Any:
        calls["flaky"] += 1
        if calls["flaky"] == 1:
            raise RuntimeError("busy")
        return payload

    def decline(payload: Any, context: Any) -> Any:
        raise RuntimeError("card declined")

    return {FLAKY: flaky, DECLINE: decline}


def stored_run(make_machine: Any, user: Any, definition: dict[str, Any], input: Any) -> str:
    machine = make_machine("Checkout", definition)
    execution = start_execution(machine, input, user=user, enqueue=False)
    result = asl.run(definition, input, functions=functions(), clock=Clock())
    HistoryEvent.objects.append(execution.id, result.events)
    Execution.objects.filter(pk=execution.pk).update(
        status=result.status, last_event_id=len(result.events)
    )
    return str(execution.id)


def event_ids(run: str, type: str, name: str | None = None) -> list[int]:
    return list(
        HistoryEvent.objects.filter(
            execution_id=run, type=type, **({"details__name": name} if name else {})
        ).values_list("event_id", flat=True)
    )


def statuses(answer: dict[str, Any]) -> dict[str, str]:
    return {path: state["status"] for path, state in answer["states"].items()}


WRAP = "/States/Pack/ItemProcessor/States/Wrap"
EMAIL = "/States/Notify/Branches/0/States/Email"


def test_it_gives_every_state_at_every_depth_its_final_status(
    api: Any, make_machine: Any, user: Any
) -> None:
    run = stored_run(make_machine, user, CHECKOUT, {"items": [1, 2, 3]})
    answer = api.get(f"/api/v1/executions/{run}/graph-status/").json()
    assert answer["executionStatus"] == "FAILED"
    assert (
        answer["at"]
        == answer["lastEventId"]
        == HistoryEvent.objects.filter(execution_id=run).count()
    )
    assert statuses(answer) == {
        "Reserve": "succeeded",
        "Pack": "succeeded",
        WRAP: "succeeded",
        "Notify": "succeeded",
        EMAIL: "succeeded",
        "Charge": "caught",
        "Done": "idle",
        "Declined": "failed",
    }
    states = answer["states"]
    assert (states["Reserve"]["failed"], states["Reserve"]["retries"]) == (1, 1)
    assert (states[WRAP]["entered"], states[WRAP]["exited"]) == (3, 3)
    assert states["Charge"]["error"] == "RuntimeError"
    assert states["Declined"]["entered"] == 1 and states["Done"]["entered"] == 0


def test_it_shows_the_run_as_it_was_at_an_earlier_event(
    api: Any, make_machine: Any, user: Any
) -> None:
    run = stored_run(make_machine, user, CHECKOUT, {"items": [1, 2]})
    base = f"/api/v1/executions/{run}/graph-status/"

    # Just after Reserve's first attempt failed: it is about to be retried.
    first_failure = event_ids(run, "LambdaFunctionFailed")[0]
    at_failure = api.get(f"{base}?at={first_failure}").json()
    assert at_failure["at"] == first_failure
    assert at_failure["event"]["type"] == "LambdaFunctionFailed"
    assert at_failure["executionStatus"] == "RUNNING"
    assert statuses(at_failure)["Reserve"] == "failed"
    assert at_failure["states"]["Reserve"]["error"] == "RuntimeError"
    assert statuses(at_failure)["Pack"] == "idle"

    retried = api.get(f"{base}?at={first_failure + 1}").json()
    assert statuses(retried)["Reserve"] == "retrying"

    # Inside the Map, with its first item through and the second not yet.
    first_wrap_exit = event_ids(run, "PassStateExited", "Wrap")[0]
    inside = api.get(f"{base}?at={first_wrap_exit}").json()
    shown = statuses(inside)
    assert (shown["Reserve"], shown["Pack"], shown["Notify"]) == ("succeeded", "running", "idle")
    assert inside["states"][WRAP]["exited"] == 1
    assert inside["states"]["Pack"]["input"] is not None
    assert inside["states"]["Pack"]["output"] is None, "the Map has not finished then"
    assert inside["states"]["Reserve"]["output"] is not None

    before_start = api.get(f"{base}?at=0").json()
    assert set(statuses(before_start).values()) == {"idle"}
    past_end = api.get(f"{base}?at=99999999999999999999").json()
    assert past_end["at"] == past_end["lastEventId"]


def test_it_refuses_a_bad_event_id_and_hides_another_users_run(
    api: Any, outsider_api: Any, make_machine: Any, user: Any
) -> None:
    run = stored_run(make_machine, user, CHECKOUT, {"items": []})
    base = f"/api/v1/executions/{run}/graph-status/"
    for bad in ("x", "-1", "1.5"):
        refused = api.get(f"{base}?at={bad}")
        assert (refused.status_code, refused.json()["field"]) == (400, "at")
    hidden = outsider_api.get(base)
    missing = api.get("/api/v1/executions/00000000-0000-0000-0000-000000000000/graph-status/")
    assert hidden.status_code == missing.status_code == 404
    assert set(hidden.json()) == set(missing.json())
