"""Map and Parallel on the canvas: nested containers, editing inside them, renaming, deleting."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.definitions import ORDER
from tests.browser.helpers import api_call, node, open_designer
from tests.browser.nesting import DEEP, LINES, PRICE_LINE, thirty_states

pytestmark = pytest.mark.browser

CreateMachine = Callable[[dict[str, Any]], str]


def stored(page: Page, machine: str) -> dict[str, Any]:
    return api_call(page, "GET", f"/api/v1/state-machines/{machine}/")


def card(page: Page, key: str) -> Any:
    return page.locator(f'.react-flow__node[data-id="{key}"]')


def code(page: Page) -> dict[str, Any]:
    page.get_by_test_id("tab-code").click()
    return json.loads(page.get_by_test_id("code-view").input_value())


def within(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return (
        outer["x"] <= inner["x"]
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5
        and outer["y"] <= inner["y"]
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 0.5
    )


def test_it_draws_a_map_in_a_parallel_in_a_map_and_edits_an_inner_state(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(DEEP)
    open_designer(page, machine)

    # Every state at every depth is drawn, inside the container that runs it.
    for name in ("Each order", "Split", "Lines", "Price line", "Tax line", "Notify", "Log it"):
        expect(node(page, name)).to_be_visible()
    expect(page.get_by_test_id("lane-1")).to_be_visible()
    expect(page.get_by_test_id("lane-2")).to_be_visible()
    boxes = {
        name: node(page, name).bounding_box()
        for name in ("Each order", "Split", "Lines", "Price line")
    }
    assert within(boxes["Price line"], boxes["Lines"])
    assert within(boxes["Lines"], boxes["Split"])
    assert within(boxes["Split"], boxes["Each order"])

    # The deepest state is edited with the same form as a top-level one.
    node(page, "Price line").click()
    expect(page.get_by_test_id("inspector-scope")).to_contain_text("Lines")
    page.get_by_test_id("field-type").select_option("Wait")
    seconds = page.get_by_test_id("field-seconds")
    seconds.fill("5")
    seconds.press("Enter")
    expect(node(page, "Price line")).to_have_attribute("data-type", "Wait")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Saved as version 2")

    saved = stored(page, machine)
    expected = copy.deepcopy(DEEP)
    lines = expected["States"]["Each order"]["ItemProcessor"]["States"]["Split"]["Branches"][0]
    inner = lines["States"]["Lines"]["ItemProcessor"]["States"]
    inner["Price line"] = {"Type": "Wait", "Seconds": 5, "Next": "Tax line"}
    assert saved["definition"] == expected
    # Positions are kept for every state at every depth, keyed by JSON pointer.
    assert PRICE_LINE in saved["layout"] and "Each order" in saved["layout"]


def test_it_adds_a_step_inside_a_map_and_adds_and_removes_a_branch(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(DEEP)
    open_designer(page, machine)

    page.get_by_test_id("add-step-Lines").click()
    expect(node(page, "Pass")).to_be_visible()
    assert within(node(page, "Pass").bounding_box(), node(page, "Lines").bounding_box())
    # Connect it after "Tax line", inside the same Map, by dragging the handle.
    tax = f"{LINES}/ItemProcessor/States/Tax line"
    added = f"{LINES}/ItemProcessor/States/Pass"
    card(page, tax).locator(".react-flow__handle.source").drag_to(
        card(page, added).locator(".react-flow__handle.target")
    )
    page.get_by_test_id("add-branch-Split").click()
    expect(page.get_by_test_id("lane-3")).to_be_visible()
    expect(node(page, "Branch step")).to_be_visible()

    definition = code(page)
    split = definition["States"]["Each order"]["ItemProcessor"]["States"]["Split"]
    lines = split["Branches"][0]["States"]["Lines"]["ItemProcessor"]["States"]
    assert lines["Tax line"] == {"Type": "Pass", "Next": "Pass"}
    assert lines["Pass"] == {"Type": "Pass", "End": True}
    assert split["Branches"][2] == {
        "StartAt": "Branch step",
        "States": {"Branch step": {"Type": "Pass", "End": True}},
    }

    # Removing a branch with steps in it asks first.
    page.get_by_test_id("remove-branch-2").click()
    expect(page.get_by_test_id("confirm-details")).to_contain_text("2 steps")
    page.get_by_test_id("confirm-ok").click()
    expect(page.get_by_test_id("lane-3")).to_have_count(0)
    expect(node(page, "Notify")).to_have_count(0)
    expect(node(page, "Branch step")).to_be_visible()

    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Saved")
    split = stored(page, machine)["definition"]["States"]["Each order"]["ItemProcessor"]
    branches = split["States"]["Split"]["Branches"]
    assert [b["StartAt"] for b in branches] == ["Lines", "Branch step"]


def test_it_adds_a_state_dropped_from_the_palette_into_a_branch(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(DEEP)
    open_designer(page, machine)

    lane = page.get_by_test_id("lane-2")
    box = lane.bounding_box()
    assert box is not None
    page.get_by_test_id("palette-Wait").drag_to(
        lane, target_position={"x": box["width"] / 2, "y": box["height"] - 30}
    )
    expect(node(page, "Wait")).to_be_visible()
    assert within(node(page, "Wait").bounding_box(), lane.bounding_box())
    branch = code(page)["States"]["Each order"]["ItemProcessor"]["States"]["Split"]["Branches"][1]
    assert branch["States"]["Wait"] == {"Type": "Wait", "Seconds": 1, "End": True}


def test_it_folds_a_container_up_and_opens_it_again(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(DEEP)
    open_designer(page, machine)

    page.get_by_test_id("collapse-Split").click()
    expect(node(page, "Notify")).to_have_count(0)
    expect(node(page, "Split")).to_contain_text("3 steps inside")
    page.get_by_test_id("expand-Split").click()
    expect(node(page, "Notify")).to_be_visible()


def test_it_renames_a_state_keeping_its_place_and_rewiring_every_reference(
    page: Page, create_machine: CreateMachine
) -> None:
    definition = copy.deepcopy(ORDER)
    definition["States"]["Pack"] = {
        "Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:000000000000:function:echo",
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Out of stock"}],
        "Next": "Ship",
    }
    definition["States"]["Is it in stock?"]["Choices"].append(
        {"Variable": "$.quantity", "NumericGreaterThan": 1000, "Next": "Out of stock"}
    )
    machine = create_machine(definition)
    open_designer(page, machine)

    before = card(page, "Out of stock").bounding_box()
    node(page, "Out of stock").click()
    name = page.get_by_test_id("field-name")
    name.fill("Say: sorry")
    name.press("Enter")
    expect(node(page, "Say: sorry")).to_be_visible()
    after = card(page, "Say: sorry").bounding_box()
    assert before is not None and after is not None
    assert (round(after["x"]), round(after["y"])) == (round(before["x"]), round(before["y"]))

    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Saved")
    saved = stored(page, machine)
    states = saved["definition"]["States"]
    assert states["Is it in stock?"]["Default"] == "Say: sorry"
    assert states["Is it in stock?"]["Choices"][1]["Next"] == "Say: sorry"
    assert states["Pack"]["Catch"][0]["Next"] == "Say: sorry"
    assert "Out of stock" not in states and "Out of stock" not in saved["layout"]
    assert "Say: sorry" in saved["layout"]


def test_it_renames_an_inner_state_and_its_start(page: Page, create_machine: CreateMachine) -> None:
    machine = create_machine(DEEP)
    open_designer(page, machine)

    before = node(page, "Price line").bounding_box()
    node(page, "Price line").click()
    page.get_by_test_id("field-name").fill("Price each line")
    page.get_by_test_id("field-name").press("Enter")
    expect(node(page, "Price each line")).to_be_visible()
    after = node(page, "Price each line").bounding_box()
    assert before is not None and after is not None
    assert (round(after["x"]), round(after["y"])) == (round(before["x"]), round(before["y"]))
    split = code(page)["States"]["Each order"]["ItemProcessor"]["States"]["Split"]
    processor = split["Branches"][0]["States"]["Lines"]["ItemProcessor"]
    assert processor["StartAt"] == "Price each line"
    assert processor["States"]["Price each line"]["Next"] == "Tax line"


def test_it_asks_before_deleting_a_state_others_lead_to(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDER)
    open_designer(page, machine)

    node(page, "Out of stock").click()
    page.get_by_test_id("delete-state").click()
    dialog = page.get_by_test_id("confirm-dialog")
    expect(dialog).to_contain_text('"Is it in stock?" goes to it by default.')
    page.get_by_test_id("confirm-cancel").click()
    expect(dialog).to_have_count(0)
    expect(node(page, "Out of stock")).to_be_visible()
    assert code(page) == ORDER

    page.get_by_test_id("tab-state").click()
    page.get_by_test_id("delete-state").click()
    page.get_by_test_id("confirm-ok").click()
    expect(node(page, "Out of stock")).to_have_count(0)
    choice = code(page)["States"]["Is it in stock?"]
    assert "Default" not in choice
    # The rule that led elsewhere is untouched.
    assert choice["Choices"] == ORDER["States"]["Is it in stock?"]["Choices"]


def test_it_asks_before_deleting_an_inner_state_others_lead_to(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(DEEP)
    open_designer(page, machine)
    # The whole machine, small: the view opens on its start, readable, and this shows it all.
    page.locator(".react-flow__controls-fitview").click()

    node(page, "Done").click()
    page.get_by_test_id("delete-state").click()
    expect(page.get_by_test_id("confirm-dialog")).to_be_visible()  # "Each order" leads to it
    page.get_by_test_id("confirm-cancel").click()
    node(page, "Log it").click()
    page.get_by_test_id("delete-state").click()
    expect(page.get_by_test_id("confirm-details")).to_contain_text('"Notify" goes on to it.')
    page.get_by_test_id("confirm-ok").click()
    expect(node(page, "Log it")).to_have_count(0)
    branch = code(page)["States"]["Each order"]["ItemProcessor"]["States"]["Split"]["Branches"][1]
    assert branch["States"] == {"Notify": {"Type": "Wait", "Seconds": 1, "End": True}}


def test_it_tidies_a_draft_that_was_never_saved(page: Page, create_machine: CreateMachine) -> None:
    machine = create_machine(DEEP)
    open_designer(page, machine)

    # Three steps dropped on one spot of a lane, unsaved: tidying lays out the draft as it is.
    lane = page.get_by_test_id("lane-2")
    for _ in range(3):
        page.get_by_test_id("palette-Pass").drag_to(
            lane, target_position={"x": 60, "y": 60}, force=True
        )
    expect(page.get_by_test_id("save-button")).to_have_text("Save")
    page.get_by_role("button", name="Tidy layout").click()
    expect(page.get_by_test_id("notice")).to_have_count(0)
    page.wait_for_timeout(300)
    assert sibling_overlaps(page) == []
    for name in ("Pass", "Pass 2", "Pass 3"):
        assert within(node(page, name).bounding_box(), lane.bounding_box())
    expect(page.get_by_test_id("save-button")).to_have_text("Save")


SCREENSHOTS = Path(os.environ.get("STATECRAFT_SCREENSHOTS", "/tmp/statecraft-screenshots"))


def sibling_overlaps(page: Page) -> list[tuple[str, str]]:
    """Pairs of cards or containers in the same box that cover each other on screen."""
    found = page.evaluate(
        """() => {
          const nodes = [...document.querySelectorAll('.react-flow__node')]
            .filter((n) => !n.classList.contains('react-flow__node-lane'));
          const parentOf = (n) => n.parentElement && n.dataset.id.split('/States/').slice(0, -1).join('/States/');
          const boxes = nodes.map((n) => ({ id: n.dataset.id, parent: parentOf(n), box: n.getBoundingClientRect() }));
          const inside = (a, b) => b.id.startsWith(a.id.startsWith('/') ? a.id + '/' : '/States/' + a.id + '/');
          const pairs = [];
          for (let i = 0; i < boxes.length; i++)
            for (let j = i + 1; j < boxes.length; j++) {
              const a = boxes[i], b = boxes[j];
              if (inside(a, b) || inside(b, a)) continue;
              const o = a.box.left < b.box.right - 1 && b.box.left < a.box.right - 1 &&
                a.box.top < b.box.bottom - 1 && b.box.top < a.box.bottom - 1;
              if (o) pairs.push([a.id, b.id]);
            }
          return pairs;
        }"""
    )
    return [tuple(pair) for pair in found]


@pytest.mark.parametrize("viewport", [(1440, 900), (1280, 720)])
@pytest.mark.parametrize("shape", ["thirty", "deep"])
def test_it_draws_big_and_deep_machines_without_overlaps(
    page: Page, create_machine: CreateMachine, viewport: tuple[int, int], shape: str
) -> None:
    machine = create_machine(thirty_states() if shape == "thirty" else DEEP)
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    open_designer(page, machine)
    page.wait_for_timeout(300)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"designer-{shape}-{viewport[0]}x{viewport[1]}.png"))
    expected = 30 if shape == "thirty" else 9
    assert page.locator(".react-flow__node:not(.react-flow__node-lane)").count() == expected
    assert sibling_overlaps(page) == []


@pytest.mark.parametrize("viewport", [(1440, 900), (1280, 720)])
def test_it_draws_a_deeply_nested_run_inside_its_containers(
    page: Page, create_machine: CreateMachine, viewport: tuple[int, int]
) -> None:
    machine = create_machine(DEEP)
    run = api_call(
        page,
        "POST",
        f"/api/v1/state-machines/{machine}/executions/",
        {"input": {"items": [{"items": [1, 2]}, {"items": [3]}]}},
    )
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.goto(f"/executions/{run['id']}/")
    expect(page.get_by_test_id("execution-status")).to_have_text("Succeeded", timeout=20_000)
    expect(node(page, "Each order")).to_have_attribute("data-status", "succeeded")
    expect(node(page, "Price line")).to_be_visible()
    # The run view only shows: no buttons that change the machine.
    expect(page.get_by_test_id("add-step-Lines")).to_have_count(0)
    expect(page.get_by_test_id("add-branch-Split")).to_have_count(0)
    page.wait_for_timeout(300)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"run-deep-{viewport[0]}x{viewport[1]}.png"))
    assert sibling_overlaps(page) == []
