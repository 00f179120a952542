"""Moving states between boxes, as a person would: drag a card into a Map, or choose "Where it
is" to take an inner state out to the main flow. A state keeps its name (names are unique in
the whole machine: states-language.net, "State names MUST be unique within the scope of the
whole state machine"); what led to it in the box it leaves is cut only after asking."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import node, open_designer, shoot

pytestmark = pytest.mark.browser

CreateMachine = Callable[[dict[str, Any]], str]
SHOTS = Path("/tmp/shots/moving")

MOVING: dict[str, Any] = {
    "StartAt": "Prepare",
    "States": {
        "Prepare": {"Type": "Pass", "Next": "Each order"},
        "Each order": {
            "Type": "Map",
            "ItemsPath": "$.orders",
            "ItemProcessor": {
                "StartAt": "Check",
                "States": {
                    "Check": {"Type": "Pass", "Next": "Record"},
                    "Record": {"Type": "Pass", "End": True},
                },
            },
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Note"}],
            "Next": "Done",
        },
        "Note": {"Type": "Pass", "End": True},
        "Done": {"Type": "Succeed"},
    },
}


def code(page: Page) -> dict[str, Any]:
    page.get_by_test_id("tab-code").click()
    shown = json.loads(page.get_by_test_id("code-view").input_value())
    page.get_by_test_id("tab-state").click()
    return shown  # type: ignore[no-any-return]


def drag_card(page: Page, state: str, to: dict[str, float]) -> None:
    """Drags a card by its title to a point on the page, as a mouse does."""
    box = node(page, state).bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 20)
    page.mouse.down()
    page.mouse.move(to["x"], to["y"], steps=12)
    page.mouse.up()


def inside_the_map(page: Page) -> dict[str, float]:
    """A point on the Map's body, below its inner cards."""
    box = node(page, "Each order").bounding_box()
    assert box is not None
    return {"x": box["x"] + box["width"] / 2, "y": box["y"] + box["height"] - 30}


def test_a_card_dragged_into_a_map_moves_in_with_its_name(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(MOVING)
    open_designer(page, machine)
    drag_card(page, "Note", inside_the_map(page))
    expect(page.get_by_test_id("confirm-details")).to_contain_text(
        'Note: Error handler 1 of "Each order" leads to it.'
    )
    page.get_by_test_id("confirm-ok").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Moved “Note” to “Each order”")
    moved = code(page)
    inner = moved["States"]["Each order"]["ItemProcessor"]["States"]
    assert inner["Note"] == {"Type": "Pass", "End": True}
    assert "Note" not in moved["States"]
    # The handler keeps its errors and waits for a new target.
    assert moved["States"]["Each order"]["Catch"] == [{"ErrorEquals": ["States.ALL"]}]
    # Drawn inside the Map's box, and the form says where it is.
    card, box = node(page, "Note").bounding_box(), node(page, "Each order").bounding_box()
    assert card is not None and box is not None
    assert box["x"] <= card["x"] and card["x"] + card["width"] <= box["x"] + box["width"] + 0.5
    assert box["y"] <= card["y"] and card["y"] + card["height"] <= box["y"] + box["height"] + 0.5
    node(page, "Note").click()
    place = page.get_by_test_id("field-place")
    expect(place.locator("option:checked")).to_have_text("Inside “Each order”")


def test_where_it_is_takes_an_inner_state_out_after_saying_what_is_cut(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(MOVING)
    open_designer(page, machine)
    node(page, "Check").click()
    page.get_by_test_id("field-place").select_option("")
    expect(page.get_by_test_id("confirm-details")).to_contain_text("Check: The run starts here.")
    shoot(page, SHOTS, "move-confirm")
    page.get_by_test_id("confirm-ok").click()
    moved = code(page)
    assert moved["States"]["Check"] == {"Type": "Pass", "End": True}
    processor = moved["States"]["Each order"]["ItemProcessor"]
    assert processor == {"StartAt": "Record", "States": {"Record": {"Type": "Pass", "End": True}}}
    expect(page.get_by_test_id("field-place").locator("option:checked")).to_have_text(
        "The main flow (top level)"
    )
    # One undo puts it back where it was.
    page.get_by_test_id("undo").click()
    assert code(page) == MOVING


def test_a_move_answered_no_leaves_the_card_and_the_machine_as_they_were(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(MOVING)
    open_designer(page, machine)
    before = node(page, "Prepare").bounding_box()
    drag_card(page, "Prepare", inside_the_map(page))
    expect(page.get_by_test_id("confirm-details")).to_contain_text("Prepare: The run starts here.")
    page.get_by_test_id("confirm-cancel").click()
    expect(page.get_by_test_id("confirm-dialog")).to_have_count(0)
    after = node(page, "Prepare").bounding_box()
    assert before is not None and after is not None
    assert (round(after["x"]), round(after["y"])) == (round(before["x"]), round(before["y"]))
    assert code(page) == MOVING


def test_an_inner_card_dragged_out_past_the_boxs_right_edge_moves_to_the_main_flow(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(MOVING)
    open_designer(page, machine)
    box = node(page, "Each order").bounding_box()
    card = node(page, "Record").bounding_box()
    assert box is not None and card is not None
    page.mouse.move(card["x"] + card["width"] / 2, card["y"] + 20)
    page.mouse.down()
    beyond = {"x": box["x"] + box["width"] + 120, "y": card["y"] + 20}
    page.mouse.move(beyond["x"], beyond["y"], steps=12)
    # While the card is dragged the box keeps its size: growing with the card would keep the
    # pointer inside it, and a card could never leave by the right.
    during = node(page, "Each order").bounding_box()
    assert during is not None
    assert round(during["width"]) == round(box["width"])
    # And the card stays under the pointer, even when picking it up redraws the canvas (its
    # form opens): a redraw must not put it back where the layout last had it.
    # (React Flow picks the card up at the first step of the pointer, so it trails by one.)
    page.wait_for_timeout(300)
    held = node(page, "Record").bounding_box()
    assert held is not None
    grabbed_at = card["x"] + card["width"] / 2
    trail = (beyond["x"] - grabbed_at) / 12
    assert abs(held["x"] + held["width"] / 2 - (beyond["x"] - trail)) < 5
    page.mouse.up()
    expect(page.get_by_test_id("confirm-details")).to_contain_text('Record: "Check" goes on to it.')
    page.get_by_test_id("confirm-ok").click()
    moved = code(page)
    assert moved["States"]["Record"] == {"Type": "Pass", "End": True}
    assert "Record" not in moved["States"]["Each order"]["ItemProcessor"]["States"]
    left = node(page, "Record").bounding_box()
    after = node(page, "Each order").bounding_box()
    assert left is not None and after is not None
    assert left["x"] > after["x"] + after["width"], "dropped right of the box, it stays there"


def test_the_box_a_dragged_card_would_move_into_is_lit_and_a_card_let_go_inside_stays(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(MOVING)
    open_designer(page, machine)
    lit = page.locator(".react-flow__node.drop-target")
    card = node(page, "Note").bounding_box()
    assert card is not None
    page.mouse.move(card["x"] + card["width"] / 2, card["y"] + 20)
    page.mouse.down()
    target = inside_the_map(page)
    page.mouse.move(target["x"], target["y"], steps=12)
    expect(lit.get_by_test_id("node-Each order")).to_have_count(1)
    shoot(page, SHOTS, "drop-target")
    # Back out onto the main flow, where it started: nothing is lit and nothing moves.
    page.mouse.move(card["x"] + card["width"] / 2, card["y"] + 20, steps=12)
    expect(lit).to_have_count(0)
    page.mouse.up()
    expect(page.get_by_test_id("confirm-dialog")).to_have_count(0)
    assert code(page) == MOVING

    # Dragged within its box, toward the right, an inner card stays and the box grows to it.
    before = node(page, "Each order").bounding_box()
    inner = node(page, "Record").bounding_box()
    assert before is not None and inner is not None
    page.mouse.move(inner["x"] + inner["width"] / 2, inner["y"] + 20)
    page.mouse.down()
    edge = before["x"] + before["width"] - 10
    page.mouse.move(edge, inner["y"] + 20, steps=12)
    expect(lit).to_have_count(0)
    page.mouse.up()
    expect(page.get_by_test_id("confirm-dialog")).to_have_count(0)
    assert code(page) == MOVING
    grown = node(page, "Each order").bounding_box()
    card_after = node(page, "Record").bounding_box()
    assert grown is not None and card_after is not None
    assert card_after["x"] + card_after["width"] <= grown["x"] + grown["width"] + 0.5
    assert grown["width"] > before["width"]
