"""The heat map: per state, over a machine's newest finished runs, how often it ran, how often
it failed (the run ended there, or it left through a Catch) and how long it took."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings

from tests import servers

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SIMULATE = "arn:aws:lambda:us-east-1:123456789012:function:simulate"
CHECKOUT = {
    "StartAt": "Charge",
    "States": {
        "Charge": {
            "Type": "Task",
            "Resource": SIMULATE,
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Refund"}],
            "Next": "Pack items",
        },
        "Pack items": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ItemProcessor": {
                "StartAt": "Pack",
                "States": {"Pack": {"Type": "Wait", "Seconds": 1, "End": True}},
            },
            "Next": "Done",
        },
        "Done": {"Type": "Succeed"},
        "Refund": {"Type": "Pass", "Next": "Declined"},
        "Declined": {"Type": "Fail", "Error": "Declined"},
    },
}


@pytest.fixture(scope="module")
def worker(test_database_url: str) -> Iterator[servers.Process]:
    env = servers.environment(DATABASE_URL=test_database_url, REDIS_URL=settings.REDIS_URL)
    with servers.start_celery_worker(env, concurrency=2, pool="prefork") as process:
        yield process


def finish(api: Any, inputs: list[Any]) -> None:
    ids = [
        api.post("/api/v1/state-machines/Checkout/executions/", {"input": i}, format="json").json()[
            "id"
        ]
        for i in inputs
    ]
    deadline = time.monotonic() + 60
    for execution in ids:
        while api.get(f"/api/v1/executions/{execution}/").json()["status"] == "RUNNING":
            assert time.monotonic() < deadline, "the runs did not finish"
            time.sleep(0.2)


def test_it_counts_failures_and_times_per_state_at_every_depth(
    api: Any, make_machine: Any, worker: Any
) -> None:
    make_machine("Checkout", CHECKOUT)
    finish(api, [{"items": [1, 2]}] * 3 + [{"simulateError": "CardDeclined", "items": []}])
    heat = api.get("/api/v1/state-machines/Checkout/heat-map/").json()
    assert (heat["runs"], heat["partial"]) == (4, False)
    states = heat["states"]
    counts = {name: (s["count"], s["failed"]) for name, s in states.items()}
    assert counts == {
        "Charge": (4, 1),  # one left through its Catch
        "Pack items": (3, 0),
        "Pack": (6, 0),  # inside the Map: two items a run
        "Done": (3, 0),
        "Refund": (1, 0),
        "Declined": (1, 1),  # the run ended there
    }
    assert states["Charge"]["failureRate"] == 0.25
    # Each Pack waits a second, and the Map runs its two at once.
    assert 1000 <= states["Pack"]["p50Ms"] <= states["Pack"]["p95Ms"] < 5000
    assert 1000 <= states["Pack items"]["p50Ms"] < 5000
    assert states["Declined"]["p50Ms"] is None, "it never exited"

    newest = api.get("/api/v1/state-machines/Checkout/heat-map/?last=1").json()
    assert newest["runs"] == 1
    assert api.get(
        "/api/v1/state-machines/Checkout/heat-map/?since=2999-01-01T00:00:00Z"
    ).json() == {"runs": 0, "partial": False, "states": {}}


def test_it_refuses_bad_parameters_and_hides_other_users_machines(
    api: Any, outsider_api: Any, make_machine: Any
) -> None:
    make_machine("Checkout", CHECKOUT)
    for query, field in (
        ("last=-1", "last"),
        ("last=x", "last"),
        ("since=yesterday", "since"),
        ("since=2026-01-01T00:00:00", "since"),
    ):
        response = api.get(f"/api/v1/state-machines/Checkout/heat-map/?{query}")
        assert (response.status_code, response.json()["field"]) == (400, field)
    hidden = outsider_api.get("/api/v1/state-machines/Checkout/heat-map/")
    assert hidden.status_code == 404
    assert hidden.json()["code"] == "StateMachineDoesNotExist"


# A failure caught around a container: the Map or Parallel failed (its iteration or branch
# failed), so it counts as failed, beside the inner state where the failure began.
# https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
CONTAINERS = {
    "StartAt": "Each item",
    "States": {
        "Each item": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ItemProcessor": {
                "StartAt": "Handle",
                "States": {"Handle": {"Type": "Task", "Resource": SIMULATE, "End": True}},
            },
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Both"}],
            "ResultPath": "$.handled",
            "Next": "Both",
        },
        "Both": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": True}}},
                {
                    "StartAt": "Right",
                    "States": {"Right": {"Type": "Task", "Resource": SIMULATE, "End": True}},
                },
            ],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}],
            "Next": "Done",
        },
        "Done": {"Type": "Succeed"},
    },
}


def test_a_caught_failure_counts_against_the_container_it_failed(
    api: Any, make_machine: Any, worker: Any
) -> None:
    make_machine("Checkout", CONTAINERS)
    failing = {"items": [{"simulateError": "Broken"}], "simulateError": "Broken"}
    finish(api, [{"items": [{}]}, failing])
    states = api.get("/api/v1/state-machines/Checkout/heat-map/").json()["states"]
    counts = {name: (s["count"], s["failed"]) for name, s in states.items()}
    assert counts == {
        "Each item": (2, 1),
        "Handle": (2, 1),
        "Both": (2, 1),
        "Left": (2, 0),
        "Right": (2, 1),
        "Done": (2, 0),
    }
