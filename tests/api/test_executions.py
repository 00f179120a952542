"""The execution endpoints: start, status, history and its pages.

The history tests advance executions with the durable runner itself, in this process: the
runner is the code under test, only the Celery message that would call it is left out.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from executor import runner
from executor.models import Execution
from tests.executor.definitions import pass_chain

pytestmark = pytest.mark.django_db


def start(api: Any, machine: str = "Orders", **body: Any) -> Any:
    return api.post(f"/api/v1/state-machines/{machine}/executions/", body, format="json")


def test_it_starts_an_execution(api: Any, make_machine: Any) -> None:
    make_machine()
    response = start(api, input={"quantity": 3}, name="first-order")
    assert response.status_code == 201
    body = response.json()
    assert Execution.objects.filter(pk=body["id"]).exists()
    assert body["name"] == "first-order"
    assert body["status"] == "RUNNING"
    assert body["input"] == {"quantity": 3}
    assert body["state_machine"] == "Orders"
    assert body["version"] == 1


def test_it_starts_each_execution_on_the_version_latest_at_its_start(
    api: Any, make_machine: Any
) -> None:
    make_machine("Steps", pass_chain(2))
    first = start(api, "Steps").json()
    assert first["version"] == 1
    changed = api.put("/api/v1/state-machines/Steps/", {"definition": pass_chain(3)}, format="json")
    assert changed.status_code == 200
    second = start(api, "Steps").json()
    assert second["version"] == 2
    assert start(api, "Steps").json()["version"] == 2
    for started, states in ((first, 2), (second, 3)):
        runner.advance(started["id"])
        history = api.get(f"/api/v1/executions/{started['id']}/history/").json()["events"]
        assert sum(e["type"] == "PassStateEntered" for e in history) == states


def test_it_applies_a_stop_that_arrives_while_a_worker_advances_the_execution(
    api: Any, make_machine: Any
) -> None:
    pause = {
        "StartAt": "Pause",
        "States": {"Pause": {"Type": "Wait", "Seconds": 3600, "End": True}},
    }
    make_machine("Paused", pause)
    started = start(api, "Paused").json()
    leased = runner.acquire_lease(started["id"], timezone.now())
    assert leased is not None
    during = runner.Advance(leased)  # a worker is advancing it when the stop comes

    stopped = api.post(f"/api/v1/executions/{started['id']}/stop/", {}, format="json")
    assert stopped.status_code == 200
    during.run()
    runner.advance(started["id"])  # the advance the first one sends when it sees the stop

    assert Execution.objects.get(pk=started["id"]).status == "ABORTED"


def test_it_starts_with_an_empty_object_when_no_input_is_given(api: Any, make_machine: Any) -> None:
    make_machine()
    assert start(api).json()["input"] == {}


def test_it_accepts_any_json_value_as_input(api: Any, make_machine: Any) -> None:
    """A string is JSON text (tests/api/test_json_text.py): the string value "text" is sent
    as the text '"text"'."""
    make_machine()
    for sent, meant in (
        ([1, "two"], [1, "two"]),
        ('"text"', "text"),
        (42, 42),
        (None, {}),
        ({"nested": {"deep": [True]}}, {"nested": {"deep": [True]}}),
    ):
        response = start(api, input=sent)
        assert response.status_code == 201
        assert response.json()["input"] == meant


def test_it_starts_idempotently_as_aws_does(api: Any, make_machine: Any) -> None:
    """StartExecution: the name and input of a running execution return it; other input is
    ExecutionAlreadyExists (https://docs.aws.amazon.com/step-functions/latest/apireference/
    API_StartExecution.html)."""
    make_machine()
    first = start(api, name="once", input={"n": 1})
    assert first.status_code == 201
    again = start(api, name="once", input={"n": 1})
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Execution.objects.filter(name="once").count() == 1
    response = start(api, name="once", input={"n": 2})
    assert response.status_code == 409
    assert response.json()["code"] == "ExecutionAlreadyExists"
    assert response.json()["field"] == "name"
    # Once it has ended, even the same input is refused.
    Execution.objects.filter(name="once").update(status="SUCCEEDED", stop_date=timezone.now())
    assert start(api, name="once", input={"n": 1}).status_code == 409


def test_it_refuses_an_input_over_the_payload_limit(
    api: Any, make_machine: Any, settings: Any
) -> None:
    settings.PAYLOAD_LIMIT_BYTES = 100
    make_machine()
    response = start(api, input={"text": "x" * 200})
    assert response.status_code == 400
    assert response.json()["field"] == "input"
    assert "limit" in response.json()["message"]


def test_it_answers_404_when_starting_an_unknown_machine(api: Any) -> None:
    assert start(api, "Nothing").status_code == 404


def test_it_shows_the_status_of_an_execution(api: Any, make_machine: Any) -> None:
    make_machine("Chain", pass_chain(3))
    started = start(api, "Chain", input={"a": 1}).json()
    running = api.get(f"/api/v1/executions/{started['id']}/").json()
    assert running["status"] == "RUNNING"
    assert running["output"] is None

    runner.advance(started["id"])

    done = api.get(f"/api/v1/executions/{started['id']}/").json()
    assert done["status"] == "SUCCEEDED"
    assert done["output"] == {"a": 1}
    assert done["error"] is None
    assert done["stop_date"] is not None


def test_it_shows_the_error_and_cause_of_a_failed_execution(api: Any, make_machine: Any) -> None:
    make_machine()
    started = start(api, input={"quantity": 99}).json()
    runner.advance(started["id"])
    done = api.get(f"/api/v1/executions/{started['id']}/").json()
    assert done["status"] == "FAILED"
    assert done["error"] == "OutOfStock"
    assert done["cause"] == "Too many items."
    assert done["output"] is None


def test_it_lists_the_executions_of_a_machine_filtered_by_status(
    api: Any, make_machine: Any
) -> None:
    make_machine("Chain", pass_chain(2))
    finished = start(api, "Chain", name="finished").json()
    start(api, "Chain", name="waiting")
    runner.advance(finished["id"])
    listed = api.get("/api/v1/state-machines/Chain/executions/").json()["executions"]
    assert {e["name"] for e in listed} == {"finished", "waiting"}
    succeeded = api.get("/api/v1/state-machines/Chain/executions/?status=SUCCEEDED").json()
    assert [e["name"] for e in succeeded["executions"]] == ["finished"]


def test_it_returns_the_history_in_order(api: Any, make_machine: Any) -> None:
    make_machine("Chain", pass_chain(2))
    started = start(api, "Chain", input={"a": 1}).json()
    runner.advance(started["id"])
    response = api.get(f"/api/v1/executions/{started['id']}/history/")
    assert response.status_code == 200
    events = response.json()["events"]
    assert [e["type"] for e in events] == [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    assert all(0 <= e["previousEventId"] < e["id"] for e in events)
    # A state's exit follows its entry.
    exits = [e for e in events if e["type"] == "PassStateExited"]
    assert [e["previousEventId"] for e in exits] == [e["id"] - 1 for e in exits]
    assert events[1]["stateEnteredEventDetails"]["name"] == "Step1"
    assert response.json()["next_after"] is None


def test_it_pages_through_the_history_with_after_and_limit(api: Any, make_machine: Any) -> None:
    make_machine("Chain", pass_chain(20))
    started = start(api, "Chain").json()
    runner.advance(started["id"])
    url = f"/api/v1/executions/{started['id']}/history/"
    everything = api.get(url).json()["events"]

    pages: list[list[int]] = []
    after: int | None = 0
    while after is not None:
        page = api.get(url, {"after": after, "limit": 7}).json()
        pages.append([e["id"] for e in page["events"]])
        after = page["next_after"]

    assert [len(page) for page in pages[:-1]] == [7] * (len(pages) - 1)
    assert [i for page in pages for i in page] == [e["id"] for e in everything]
    assert len(everything) == 42


def test_it_returns_no_events_after_the_last_one(api: Any, make_machine: Any) -> None:
    make_machine("Chain", pass_chain(1))
    started = start(api, "Chain").json()
    runner.advance(started["id"])
    page = api.get(f"/api/v1/executions/{started['id']}/history/", {"after": 4}).json()
    assert page == {"events": [], "owners": [], "next_after": None}


@pytest.mark.parametrize("query", [{"after": "x"}, {"limit": "-1"}, {"after": "1.5"}])
def test_it_refuses_history_parameters_that_are_not_whole_numbers(
    api: Any, make_machine: Any, query: dict[str, str]
) -> None:
    make_machine()
    started = start(api).json()
    response = api.get(f"/api/v1/executions/{started['id']}/history/", query)
    assert response.status_code == 400
    assert response.json()["field"] in query


def test_it_answers_404_for_an_unknown_execution(api: Any) -> None:
    for execution_id in ("00000000-0000-0000-0000-000000000000", "not-a-uuid", "1" * 500):
        assert api.get(f"/api/v1/executions/{execution_id}/").status_code == 404
        assert api.get(f"/api/v1/executions/{execution_id}/history/").status_code == 404
