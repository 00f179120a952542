"""A Map state's iterations: listed with their statuses, filtered, and one opened.

The history is the interpreter's own, as asl.run writes it and the runner stores it; Map
iterations interleave there as in AWS's, tied together only by previousEventId.
"""

from __future__ import annotations

from typing import Any

import pytest

import asl
from executor.actions import start_execution
from executor.models import HistoryEvent

pytestmark = pytest.mark.django_db


def inline_map(states: dict[str, Any], start: str, **rest: Any) -> dict[str, Any]:
    return {"Type": "Map", "ItemProcessor": {"StartAt": start, "States": states}, **rest}


# Orders, each with lines; a line of price 0 fails its order, and the Map's tolerance is nil.
ORDERS = {
    "StartAt": "Each order",
    "States": {
        "Each order": inline_map(
            {
                "Each line": inline_map(
                    {
                        "Free?": {
                            "Type": "Choice",
                            "Choices": [{"Variable": "$", "NumericEquals": 0, "Next": "Refuse"}],
                            "Default": "Price",
                        },
                        "Refuse": {"Type": "Fail", "Error": "FreeLine"},
                        "Price": {"Type": "Wait", "Seconds": 1, "End": True},
                    },
                    "Free?",
                    End=True,
                )
            },
            "Each line",
            MaxConcurrency=1,
            Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Done"}],
            End=True,
        ),
        "Done": {"Type": "Succeed"},
    },
}


def stored_run(make_machine: Any, user: Any, definition: dict[str, Any], input: Any) -> str:
    machine = make_machine("Orders", definition)
    execution = start_execution(machine, input, user=user, enqueue=False)
    result = asl.run(definition, input)
    HistoryEvent.objects.append(execution.id, result.events)
    return str(execution.id)


def test_it_lists_every_iteration_of_nested_maps_with_its_status(
    api: Any, make_machine: Any, user: Any
) -> None:
    run = stored_run(make_machine, user, ORDERS, [[5, 7], [3, 0, 4], [9]])
    listing = api.get(f"/api/v1/executions/{run}/map-iterations/").json()
    outer = [
        (i["state"], i["index"], i["status"])
        for i in listing["iterations"]
        if i["state"] == "Each order"
    ]
    # One at a time: the second order fails, so the third never starts.
    assert outer == [("Each order", 0, "SUCCEEDED"), ("Each order", 1, "FAILED")]
    lines = [(i["index"], i["status"]) for i in listing["iterations"] if i["state"] == "Each line"]
    assert sorted(lines) == [
        (0, "ABORTED"),
        (0, "SUCCEEDED"),
        (1, "FAILED"),
        (1, "SUCCEEDED"),
        (2, "ABORTED"),
    ]
    assert listing["partial"] is False
    # Each has its times, for its duration: an ended one's stop is not before its start.
    assert all(i["stopDate"] >= i["startDate"] for i in listing["iterations"])

    failed = api.get(
        f"/api/v1/executions/{run}/map-iterations/?status=FAILED&state=Each+line"
    ).json()
    assert [(i["state"], i["index"]) for i in failed["iterations"]] == [("Each line", 1)]
    assert failed["counts"] == {"RUNNING": 0, "SUCCEEDED": 2, "FAILED": 1, "ABORTED": 2}


def test_it_opens_one_iterations_events_and_no_others(
    api: Any, make_machine: Any, user: Any
) -> None:
    run = stored_run(make_machine, user, ORDERS, [[5, 7], [3, 0, 4]])
    listing = api.get(f"/api/v1/executions/{run}/map-iterations/?state=Each+line&status=FAILED")
    failing = listing.json()["iterations"][0]
    url = f"/api/v1/executions/{run}/map-iterations/{failing['mapEventId']}/{failing['index']}/events/"
    events = api.get(url).json()["events"]
    types = [e["type"] for e in events]
    assert types == [
        "MapIterationStarted",
        "ChoiceStateEntered",
        "ChoiceStateExited",
        "FailStateEntered",
        "MapIterationFailed",
    ]
    assert all(details_of(e).get("name") in (None, "Each line", "Free?", "Refuse") for e in events)
    assert json_inputs(events) == ["0"], "the failing line's data only"

    order = next(
        i
        for i in api.get(f"/api/v1/executions/{run}/map-iterations/").json()["iterations"]
        if i["state"] == "Each order" and i["index"] == 0
    )
    whole = api.get(
        f"/api/v1/executions/{run}/map-iterations/{order['mapEventId']}/0/events/?limit=3"
    ).json()
    assert len(whole["events"]) == 3 and whole["next_after"] == whole["events"][-1]["id"]


def details_of(event: dict[str, Any]) -> dict[str, Any]:
    """The one <type>EventDetails member of an AWS-shaped event ({} when it has none)."""
    return next((v for k, v in event.items() if k.endswith("EventDetails")), {})


def json_inputs(events: list[dict[str, Any]]) -> list[str]:
    return [
        e["stateEnteredEventDetails"]["input"]
        for e in events
        if e["type"].endswith("StateEntered") and e["type"] != "ChoiceStateEntered"
    ]


def test_it_refuses_bad_filters_and_unknown_iterations(
    api: Any, outsider_api: Any, make_machine: Any, user: Any
) -> None:
    run = stored_run(make_machine, user, ORDERS, [[1]])
    base = f"/api/v1/executions/{run}/map-iterations/"
    refused = api.get(base + "?status=DONE")
    assert (refused.status_code, refused.json()["field"]) == (400, "status")
    assert api.get(base + "?limit=x").status_code == 400
    assert api.get(base + "9999/0/events/").status_code == 404
    assert outsider_api.get(base).status_code == 404
