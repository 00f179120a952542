"""The run view's tools against a real server and its worker: time travel over a finished
run, rerun from a middle state with edited input, the heat map, and a Map's iterations."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.api.test_map_iterations import details_of
from tests.api.test_reruns import LOOP
from tests.browser.helpers import api_call, finished_run, node, shoot

pytestmark = pytest.mark.browser

CreateMachine = Callable[[dict[str, Any]], str]
SHOTS = Path("/tmp/shots/runview-tools")

# Three steps, each adding to the order, so each moment of the run has its own data.
PIPELINE = {
    "StartAt": "Prepare",
    "States": {
        "Prepare": {
            "Type": "Pass",
            "Parameters": {"order.$": "$.order", "stage": "prepared"},
            "Next": "Price",
        },
        "Price": {
            "Type": "Pass",
            "Parameters": {"order.$": "$.order", "stage": "priced", "total": 30},
            "Next": "Ship",
        },
        "Ship": {
            "Type": "Pass",
            "Parameters": {"shipped.$": "$.order", "total.$": "$.total"},
            "End": True,
        },
    },
}

# An item over 2 fails its iteration and so the Map, one item at a time; the Map's Catch ends
# the run well. A run shows succeeded iterations, then the failed one.
EACH = {
    "StartAt": "Each",
    "States": {
        "Each": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "MaxConcurrency": 1,
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}],
            "ItemProcessor": {
                "StartAt": "Small?",
                "States": {
                    "Small?": {
                        "Type": "Choice",
                        "Choices": [{"Variable": "$", "NumericGreaterThan": 2, "Next": "Too big"}],
                        "Default": "Keep",
                    },
                    "Too big": {"Type": "Fail", "Error": "TooBig"},
                    "Keep": {"Type": "Pass", "End": True},
                },
            },
            "End": True,
        },
        "Done": {"Type": "Succeed"},
    },
}


def event_id(page: Page, run: str, type: str, name: str) -> int:
    events = api_call(page, "GET", f"/api/v1/executions/{run}/history/")["events"]
    return next(e["id"] for e in events if e["type"] == type and details_of(e).get("name") == name)


def test_it_scrubs_a_finished_run_back_to_its_middle(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(PIPELINE)
    run = finished_run(page, machine, {"order": "A-1"})
    page.goto(f"/executions/{run['id']}/")
    for state in ("Prepare", "Price", "Ship"):
        expect(node(page, state)).to_have_attribute("data-status", "succeeded")
    caption = page.get_by_test_id("scrub-caption")
    expect(caption).to_contain_text("Now")

    # With the keyboard alone: to the first event, then on to the one where Price is entered.
    middle = event_id(page, run["id"], "PassStateEntered", "Price")
    slider = page.get_by_test_id("scrub-range")
    slider.focus()
    page.keyboard.press("Home")
    expect(caption).to_contain_text("Event 1 of")
    for _ in range(middle - 1):
        page.keyboard.press("ArrowRight")
    expect(caption).to_contain_text(f"Event {middle} of")
    expect(caption).to_contain_text("Pass state entered")
    expect(node(page, "Prepare")).to_have_attribute("data-status", "succeeded")
    expect(node(page, "Price")).to_have_attribute("data-status", "running")
    expect(node(page, "Ship")).to_have_attribute("data-status", "idle")
    # The history follows the scrubber: that moment's event is marked, later ones greyed.
    row = page.locator('[data-testid="event-row"]')
    expect(row.and_(page.locator(f'[data-event-id="{middle}"]'))).to_have_class(
        re.compile("event-scrubbed")
    )
    expect(row.and_(page.locator(f'[data-event-id="{middle + 1}"]'))).to_have_class(
        re.compile("event-later")
    )
    expect(row.and_(page.locator('[data-event-id="1"]'))).not_to_have_class(
        re.compile("event-later")
    )

    node(page, "Price").click()
    expect(page.get_by_test_id("state-moment")).to_contain_text(f"event {middle}")
    expect(page.get_by_test_id("state-input")).to_contain_text("prepared")
    expect(page.get_by_test_id("state-details")).to_contain_text("Not yet at that moment")
    shoot(page, SHOTS, "run-view-scrubbed-to-middle")

    page.get_by_test_id("scrub-forward").click()
    expect(node(page, "Price")).to_have_attribute("data-status", "succeeded")
    expect(page.get_by_test_id("state-output")).to_contain_text("priced")

    page.get_by_test_id("scrub-latest").click()
    expect(caption).to_contain_text("Now")
    expect(node(page, "Ship")).to_have_attribute("data-status", "succeeded")


def test_it_reruns_from_a_middle_state_with_edited_input(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(PIPELINE)
    run = finished_run(page, machine, {"order": "A-1"})
    page.goto(f"/executions/{run['id']}/")
    expect(node(page, "Ship")).to_have_attribute("data-status", "succeeded")
    page.get_by_test_id("rerun-open").click()
    dialog = page.get_by_test_id("rerun-dialog")
    expect(dialog).to_be_visible()
    page.get_by_test_id("rerun-state").select_option("Price")
    # What Price received in this run, ready to edit: as a form, or as JSON.
    editor = page.get_by_test_id("rerun-input")
    expect(editor.locator("input").first).to_be_visible()
    shoot(page, SHOTS, "rerun-dialog")
    editor.get_by_test_id("raw-toggle").click()
    raw = editor.get_by_test_id("raw-json")
    assert json.loads(raw.input_value()) == {"order": "A-1", "stage": "prepared"}
    raw.fill(json.dumps({"order": "B-2", "stage": "edited"}))
    raw.blur()
    page.get_by_test_id("rerun-start").click()

    page.wait_for_url(lambda url: run["id"] not in url and "/executions/" in url)
    rerun_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    expect(page.get_by_test_id("rerun-of")).to_contain_text("Price")
    expect(page.get_by_test_id("rerun-of").get_by_role("link")).to_have_text(run["name"])
    expect(node(page, "Ship")).to_have_attribute("data-status", "succeeded")
    expect(node(page, "Price")).to_have_attribute("data-status", "succeeded")
    expect(node(page, "Prepare")).to_have_attribute("data-status", "idle")
    rerun = api_call(page, "GET", f"/api/v1/executions/{rerun_id}/")
    assert rerun["output"] == {"shipped": "B-2", "total": 30}
    events = api_call(page, "GET", f"/api/v1/executions/{rerun_id}/history/")["events"]
    entered = [
        e["stateEnteredEventDetails"]["name"] for e in events if e["type"].endswith("StateEntered")
    ]
    assert entered == ["Price", "Ship"]
    assert json.loads(events[1]["stateEnteredEventDetails"]["input"]) == {
        "order": "B-2",
        "stage": "edited",
    }

    page.get_by_test_id("rerun-of").get_by_role("link").click()
    expect(page.get_by_test_id("reruns")).to_contain_text("from Price")


def test_it_reruns_from_the_chosen_time_a_looped_state_ran(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(LOOP)
    run = finished_run(page, machine, json.dumps({"n": 0}))
    page.goto(f"/executions/{run['id']}/")
    expect(node(page, "Done")).to_have_attribute("data-status", "succeeded")
    page.get_by_test_id("rerun-open").click()
    page.get_by_test_id("rerun-state").select_option("Done")
    expect(page.get_by_test_id("rerun-input")).to_be_visible()
    expect(page.get_by_test_id("rerun-visit")).to_have_count(0)  # Done ran once

    page.get_by_test_id("rerun-state").select_option("Count")
    visit = page.get_by_test_id("rerun-visit")
    expect(visit.locator("option")).to_have_count(3)
    expect(visit.locator("option:checked")).to_contain_text("The 3rd time (the last)")
    editor = page.get_by_test_id("rerun-input")
    expect(editor.locator('[data-key="n"]').get_by_test_id("kv-number")).to_have_value("2")
    visit.select_option(visit.locator("option", has_text="The 2nd time").get_attribute("value"))
    expect(editor.locator('[data-key="n"]').get_by_test_id("kv-number")).to_have_value("1")
    shoot(page, SHOTS, "rerun-visit")
    page.get_by_test_id("rerun-start").click()

    page.wait_for_url(lambda url: run["id"] not in url and "/executions/" in url)
    expect(node(page, "Done")).to_have_attribute("data-status", "succeeded")
    rerun_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    events = api_call(page, "GET", f"/api/v1/executions/{rerun_id}/history/")["events"]
    entered = [
        (e["stateEnteredEventDetails"]["name"], json.loads(e["stateEnteredEventDetails"]["input"]))
        for e in events
        if e["type"].endswith("StateEntered")
    ]
    assert entered == [
        ("Count", {"n": 1}),
        ("Again?", {"n": 2}),
        ("Count", {"n": 2}),
        ("Again?", {"n": 3}),
        ("Done", {"n": 3}),
    ]


def test_the_history_folds_away_to_give_the_graph_the_height(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(PIPELINE)
    run = finished_run(page, machine, {"order": "A-1"})
    page.goto(f"/executions/{run['id']}/")
    expect(page.get_by_test_id("event-table")).to_be_visible()
    canvas = page.locator(".execution-main .canvas")
    before = canvas.bounding_box()
    page.get_by_test_id("events-toggle").click()
    expect(page.get_by_test_id("event-table")).to_have_count(0)
    after = canvas.bounding_box()
    assert before is not None and after is not None
    assert after["height"] > before["height"] + 100
    # Remembered: the next run view opens folded, and unfolds again.
    page.reload()
    expect(node(page, "Ship")).to_have_attribute("data-status", "succeeded")
    expect(page.get_by_test_id("event-table")).to_have_count(0)
    page.get_by_test_id("events-toggle").click()
    expect(page.get_by_test_id("event-table")).to_be_visible()


def test_it_shows_the_heat_map_of_recent_runs_with_a_legend(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(EACH)
    runs = [finished_run(page, machine, {"items": items}) for items in ([1, 2], [1, 3], [5])]
    page.goto(f"/executions/{runs[-1]['id']}/")
    expect(node(page, "Each")).to_have_attribute("data-status", "caught")
    expect(page.get_by_test_id("heat-Each")).to_have_count(0)
    page.get_by_test_id("heat-toggle").check()
    expect(page.get_by_test_id("heat-legend")).to_contain_text("3 finished runs")
    expect(page.get_by_test_id("heat-Keep")).to_contain_text("p50")
    page.get_by_test_id("heat-metric").select_option("failures")
    # Two of the five items were too big: the Fail state failed each time it ran.
    expect(page.get_by_test_id("heat-Too big")).to_contain_text("2 of 2 failed")
    expect(page.get_by_test_id("heat-Keep")).to_contain_text("0 of 3 failed")
    expect(page.get_by_test_id("heat-Too big")).to_have_attribute("data-heat-level", "4")
    shoot(page, SHOTS, "run-view-heat-map")


def test_it_lists_a_maps_iterations_and_opens_one(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(EACH)
    run = finished_run(page, machine, {"items": [1, 2, 3, 4, 1]})
    page.goto(f"/executions/{run['id']}/")
    expect(node(page, "Each")).to_have_attribute("data-status", "caught")
    # The states inside the Map are coloured too, from the server's counts.
    expect(node(page, "Too big")).to_have_attribute("data-status", "failed")
    expect(node(page, "Keep")).to_have_attribute("data-status", "succeeded")
    node(page, "Each").locator(".container-head").click()
    panel = page.get_by_test_id("map-iterations")
    # One at a time: the third item fails the Map, so the last two never start.
    expect(panel.locator("tbody tr")).to_have_count(3)
    expect(panel.get_by_test_id("iteration-2")).to_contain_text("Failed")
    expect(panel.get_by_test_id("iteration-0")).to_contain_text("Succeeded")
    panel.get_by_test_id("iterations-failed").click()
    expect(panel.locator("tbody tr")).to_have_count(1)
    panel.get_by_test_id("iteration-2").get_by_role("button").click()
    events = panel.get_by_test_id("iteration-events")
    expect(events).to_contain_text("Fail state entered · Too big")
    expect(events).to_contain_text("Map iteration failed")
    panel.scroll_into_view_if_needed()
    shoot(page, SHOTS, "run-view-map-iterations")


def test_a_distributed_maps_iterations_are_its_child_executions(
    page: Page, create_machine: CreateMachine
) -> None:
    """A Distributed Map runs each item as a child execution with its own history, which the
    parent's does not hold (https://docs.aws.amazon.com/step-functions/latest/dg/
    state-map-distributed.html; concepts-examine-map-run.html: "a list of all child workflow
    executions and access their details"): the Iterations panel lists those children, and
    opening one shows its own events."""
    distributed = json.loads(json.dumps(EACH))
    each = distributed["States"]["Each"]
    each["ItemProcessor"]["ProcessorConfig"] = {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}
    each["ToleratedFailureCount"] = 1
    machine = create_machine(distributed)
    run = finished_run(page, machine, {"items": [1, 2, 3, 1]})
    assert run["status"] == "SUCCEEDED"
    page.goto(f"/executions/{run['id']}/")
    node(page, "Each").locator(".container-head").click()
    panel = page.get_by_test_id("map-iterations")
    expect(panel.locator("tbody tr")).to_have_count(4)
    expect(panel.get_by_test_id("iteration-2")).to_contain_text("Failed")
    expect(panel.get_by_test_id("iteration-3")).to_contain_text("Succeeded")
    panel.get_by_test_id("iterations-failed").click()
    expect(panel.locator("tbody tr")).to_have_count(1)
    opener = panel.get_by_test_id("iteration-2").get_by_role("button")
    expect(opener).to_have_attribute("title", re.compile(r":execution:.+/Each:.+-2$"))
    opener.click()
    events = panel.get_by_test_id("iteration-events")
    expect(events).to_contain_text("#1 Execution started")
    expect(events).to_contain_text("Fail state entered · Too big")
    expect(events).to_contain_text("Execution failed · TooBig")
    panel.scroll_into_view_if_needed()
    shoot(page, SHOTS, "run-view-child-executions")
