"""POST /api/v1/executions/{id}/redrive/: an unsuccessful execution continues where it
stopped. Executions are advanced with the durable runner itself, in this process (as in
test_executions.py): only the Celery message that would call it is left out."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from designer.actions import create_state_machine
from executor import runner
from executor.functions import task_function
from executor.models import Execution

pytestmark = pytest.mark.django_db

# What the flaky function does: tests switch it to working between attempts.
BROKEN = {"now": True}


@task_function("test-redrive-flaky-charge")
def flaky_charge(event: Any, context: Any) -> Any:
    if BROKEN["now"]:
        raise RuntimeError("the card was declined")
    return {"paid": event["amount"], "attempt": event["attempt"]}


@pytest.fixture(autouse=True)
def broken_first() -> None:
    BROKEN["now"] = True


FLAKY = "arn:aws:lambda:us-east-1:123456789012:function:test-redrive-flaky-charge"
CHARGE = {
    "StartAt": "Prepare",
    "States": {
        "Prepare": {"Type": "Pass", "Next": "Charge"},
        "Charge": {
            "Type": "Task",
            "Resource": FLAKY,
            "Parameters": {"amount.$": "$.amount", "attempt.$": "$$.Execution.RedriveCount"},
            "End": True,
        },
    },
}


def machine(user: Any, definition: dict[str, Any] = CHARGE, type: str = "STANDARD") -> Any:
    return create_state_machine("Charge", definition, type=type, owner=user)


def start(api: Any, data: Any = None) -> str:
    body = {} if data is None else {"input": data}
    started = api.post("/api/v1/state-machines/Charge/executions/", body, format="json")
    return str(started.json()["id"])


def failed_execution(api: Any, user: Any, **kind: Any) -> str:
    machine(user, **kind)
    execution_id = start(api, {"amount": 5})
    runner.advance(execution_id)
    assert Execution.objects.get(pk=execution_id).status == "FAILED"
    return execution_id


def redrive(api: Any, execution_id: str) -> Any:
    return api.post(f"/api/v1/executions/{execution_id}/redrive/")


def history(api: Any, execution_id: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = api.get(f"/api/v1/executions/{execution_id}/history/").json()[
        "events"
    ]
    return events


def test_it_redrives_a_failed_execution_from_the_failed_task(api: Any, user: Any) -> None:
    execution_id = failed_execution(api, user)
    before = api.get(f"/api/v1/executions/{execution_id}/").json()
    assert (before["redriveStatus"], before["redriveCount"], before["redriveDate"]) == (
        "REDRIVABLE",
        0,
        None,
    )
    failed_history = history(api, execution_id)

    BROKEN["now"] = False
    response = redrive(api, execution_id)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "RUNNING"
    assert body["redriveCount"] == 1
    assert body["redriveDate"] is not None
    assert body["redriveStatus"] == "NOT_REDRIVABLE"
    assert (body["stop_date"], body["error"], body["cause"]) == (None, None, None)

    runner.advance(execution_id)
    done = api.get(f"/api/v1/executions/{execution_id}/").json()
    assert done["status"] == "SUCCEEDED"
    assert done["output"] == {"paid": 5, "attempt": 1}
    assert done["redriveCount"] == 1

    events = history(api, execution_id)
    assert events[: len(failed_history)] == failed_history
    after = events[len(failed_history) :]
    assert after[0]["type"] == "ExecutionRedriven"
    assert after[0]["executionRedrivenEventDetails"] == {"redriveCount": 1}
    assert [e["type"] for e in after[1:3]] == ["TaskStateEntered", "LambdaFunctionScheduled"]
    assert after[1]["stateEnteredEventDetails"]["name"] == "Charge"
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))


def test_it_redrives_again_after_a_redrive_that_failed(api: Any, user: Any) -> None:
    execution_id = failed_execution(api, user)
    assert redrive(api, execution_id).status_code == 200
    runner.advance(execution_id)
    again = api.get(f"/api/v1/executions/{execution_id}/").json()
    assert (again["status"], again["redriveStatus"]) == ("FAILED", "REDRIVABLE")
    assert again["error"] is not None

    BROKEN["now"] = False
    assert redrive(api, execution_id).json()["redriveCount"] == 2
    runner.advance(execution_id)
    assert api.get(f"/api/v1/executions/{execution_id}/").json()["output"]["attempt"] == 2
    redriven = [e for e in history(api, execution_id) if e["type"] == "ExecutionRedriven"]
    assert [e["executionRedrivenEventDetails"]["redriveCount"] for e in redriven] == [1, 2]


def test_it_refuses_to_redrive_a_succeeded_execution_with_409(api: Any, user: Any) -> None:
    BROKEN["now"] = False
    machine(user)
    execution_id = start(api, {"amount": 1})
    runner.advance(execution_id)
    response = redrive(api, execution_id)
    assert response.status_code == 409
    assert response.json()["message"] == (
        "ExecutionNotRedrivable: Execution is SUCCEEDED and cannot be redriven."
    )
    shown = api.get(f"/api/v1/executions/{execution_id}/").json()
    assert shown["redriveStatus"] == "NOT_REDRIVABLE"


def test_it_refuses_to_redrive_a_running_execution(api: Any, user: Any) -> None:
    machine(user)
    response = redrive(api, start(api, {"amount": 1}))
    assert response.status_code == 409
    assert "RUNNING" in response.json()["message"]


def test_it_refuses_to_redrive_an_express_execution(api: Any, user: Any) -> None:
    execution_id = failed_execution(api, user, type="EXPRESS")
    response = redrive(api, execution_id)
    assert response.status_code == 409
    assert "Express" in response.json()["message"]


def test_it_refuses_a_redrive_fourteen_days_after_the_stop(api: Any, user: Any) -> None:
    execution_id = failed_execution(api, user)
    Execution.objects.filter(pk=execution_id).update(
        stop_date=timezone.now() - dt.timedelta(days=14, minutes=1)
    )
    response = redrive(api, execution_id)
    assert response.status_code == 409
    assert "redrivable period exceeded" in response.json()["message"]
    assert Execution.objects.get(pk=execution_id).status == "FAILED"


def test_it_redrives_an_aborted_execution(api: Any, user: Any) -> None:
    waiting = {
        "StartAt": "Hold",
        "States": {
            "Hold": {"Type": "Wait", "Seconds": 3600, "Next": "Done"},
            "Done": {"Type": "Pass", "Result": "released", "End": True},
        },
    }
    machine(user, waiting)
    execution_id = start(api)
    runner.advance(execution_id)
    stopped = api.post(f"/api/v1/executions/{execution_id}/stop/", {}, format="json").json()
    assert stopped["status"] == "ABORTED"

    body = redrive(api, execution_id).json()
    assert body["status"] == "RUNNING"
    runner.advance(execution_id)
    execution = Execution.objects.get(pk=execution_id)
    # The Wait is entered again and waits its whole hour from the redrive.
    assert execution.status == "RUNNING"
    assert execution.wake_at is not None
    assert execution.wake_at > timezone.now() + dt.timedelta(minutes=59)
    types = [e["type"] for e in history(api, execution_id)]
    assert types[-3:] == ["ExecutionAborted", "ExecutionRedriven", "WaitStateEntered"]


def test_it_answers_404_when_redriving_an_unknown_execution(api: Any) -> None:
    assert redrive(api, "00000000-0000-0000-0000-000000000000").status_code == 404
