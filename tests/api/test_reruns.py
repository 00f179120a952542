"""Rerun from here: a new run of a finished run's machine that begins at a state of it, with
that state's input edited, linked both ways to the run it came from."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings

from designer import roles
from tests import servers

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# Fetch makes the marks Price reads, so a run's output tells where it began and what it read.
PIPELINE = {
    "StartAt": "Fetch",
    "States": {
        "Fetch": {
            "Type": "Pass",
            "Parameters": {"marks.$": "States.Array('fetch')"},
            "Next": "Price",
        },
        "Price": {
            "Type": "Pass",
            "Parameters": {
                "seen.$": "$.marks",
                "by": "price",
                "total.$": "$.total",
            },
            "Next": "Ship",
        },
        "Ship": {"Type": "Pass", "End": True},
    },
}


@pytest.fixture(scope="module")
def worker(test_database_url: str) -> Iterator[servers.Process]:
    env = servers.environment(DATABASE_URL=test_database_url, REDIS_URL=settings.REDIS_URL)
    with servers.start_celery_worker(env, concurrency=1, pool="solo") as process:
        yield process


def finished(api: Any, execution: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while (shown := api.get(f"/api/v1/executions/{execution}/").json())["status"] == "RUNNING":
        assert time.monotonic() < deadline, "the run did not finish"
        time.sleep(0.2)
    return shown


def test_it_starts_a_new_run_at_the_chosen_state_with_the_edited_input(
    api: Any, make_machine: Any, worker: Any
) -> None:
    make_machine("Pipeline", {**PIPELINE})
    first = api.post(
        "/api/v1/state-machines/Pipeline/executions/", {"input": {"total": 1}}, format="json"
    ).json()
    finished(api, first["id"])
    status = api.get(f"/api/v1/executions/{first['id']}/graph-status/").json()
    received = json.loads(status["states"]["Price"]["input"])
    assert received == {"marks": ["fetch"]}

    edited = {"marks": ["edited"], "total": 42}
    rerun = api.post(
        f"/api/v1/executions/{first['id']}/rerun/",
        {"state": "Price", "input": edited},
        format="json",
    )
    assert rerun.status_code == 201, rerun.content
    started = rerun.json()
    assert (started["startAt"], started["rerunOf"]["id"]) == ("Price", first["id"])
    assert started["version"] == first["version"]
    done = finished(api, started["id"])
    assert done["status"] == "SUCCEEDED"
    assert done["output"] == {"seen": ["edited"], "by": "price", "total": 42}
    events = api.get(f"/api/v1/executions/{started['id']}/history/").json()["events"]
    entered = [
        e["stateEnteredEventDetails"]["name"] for e in events if e["type"].endswith("StateEntered")
    ]
    assert entered == ["Price", "Ship"], "Fetch never ran"

    source = api.get(f"/api/v1/executions/{first['id']}/").json()
    assert [(r["id"], r["startAt"]) for r in source["reruns"]] == [(started["id"], "Price")]
    assert source["rerunOf"] is None and done["rerunOf"]["name"] == first["name"]


def test_it_refuses_a_state_that_is_not_top_level_and_users_who_may_not_run_it(
    api: Any, outsider: Any, outsider_api: Any, make_machine: Any, worker: Any
) -> None:
    machine = make_machine("Pipeline", {**PIPELINE})
    run = api.post("/api/v1/state-machines/Pipeline/executions/", {}, format="json").json()
    finished(api, run["id"])
    url = f"/api/v1/executions/{run['id']}/rerun/"
    for bad in ({"state": "Nowhere"}, {"state": 7}, {}):
        refused = api.post(url, bad, format="json")
        assert (refused.status_code, refused.json()["field"]) == (400, "state")
    refused = api.post(url, {"state": "Price", "version": "oldest"}, format="json")
    assert (refused.status_code, refused.json()["field"]) == (400, "version")
    assert outsider_api.post(url, {"state": "Price"}, format="json").status_code == 404
    roles.grant("viewer", user=outsider, machine=machine)
    assert outsider_api.post(url, {"state": "Price"}, format="json").status_code == 403


# Count is entered three times, with n = 0, 1 and 2 (States.MathAdd: the developer guide's
# intrinsic functions page), before the Choice lets the run end.
LOOP = {
    "StartAt": "Count",
    "States": {
        "Count": {
            "Type": "Pass",
            "Parameters": {"n.$": "States.MathAdd($.n, 1)"},
            "Next": "Again?",
        },
        "Again?": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.n", "NumericLessThan": 3, "Next": "Count"}],
            "Default": "Done",
        },
        "Done": {"Type": "Succeed"},
    },
}


def test_it_lists_each_visit_of_a_looped_state_whose_event_holds_that_visits_input(
    api: Any, outsider_api: Any, make_machine: Any, worker: Any
) -> None:
    make_machine("Loop", {**LOOP})
    run = api.post(
        "/api/v1/state-machines/Loop/executions/", {"input": {"n": 0}}, format="json"
    ).json()
    assert finished(api, run["id"])["output"] == {"n": 3}
    url = f"/api/v1/executions/{run['id']}/state-visits/"

    listed = api.get(url, {"state": "Count"}).json()
    assert listed["next_cursor"] is None
    inputs = []
    for visit in listed["visits"]:
        event = api.get(
            f"/api/v1/executions/{run['id']}/history/",
            {"after": visit["eventId"] - 1, "limit": 1},
        ).json()["events"][0]
        assert event["timestamp"] == visit["timestamp"]
        assert event["stateEnteredEventDetails"]["name"] == "Count"
        inputs.append(json.loads(event["stateEnteredEventDetails"]["input"]))
    assert inputs == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert len(api.get(url, {"state": "Done"}).json()["visits"]) == 1

    # Paged by event id.
    first = api.get(url, {"state": "Count", "limit": 2}).json()
    assert [v["eventId"] for v in first["visits"]] == [v["eventId"] for v in listed["visits"][:2]]
    rest = api.get(url, {"state": "Count", "cursor": first["next_cursor"]}).json()
    assert [v["eventId"] for v in rest["visits"]] == [listed["visits"][2]["eventId"]]

    for bad in ({"state": "Nowhere"}, {}, {"state": "Count", "limit": "-1"}):
        refused = api.get(url, bad)
        field = "limit" if "limit" in bad else "state"
        assert (refused.status_code, refused.json()["field"]) == (400, field)
    assert outsider_api.get(url, {"state": "Count"}).status_code == 404
