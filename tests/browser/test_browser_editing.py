"""Editing a machine in the designer: the form, the code view, the palette, handles, Save."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.definitions import ORDER
from tests.browser.helpers import api_call, node, open_designer

pytestmark = pytest.mark.browser

CreateMachine = Callable[[dict[str, Any]], str]


def stored(page: Page, machine: str) -> dict[str, Any]:
    return api_call(page, "GET", f"/api/v1/state-machines/{machine}/")


def test_it_saves_a_form_edit_that_a_reload_shows(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDER)
    open_designer(page, machine)

    node(page, "Pack").click()
    seconds = page.get_by_test_id("field-seconds")
    expect(seconds).to_have_value("1")
    seconds.fill("7")
    seconds.press("Enter")
    page.get_by_test_id("field-comment").fill("Give the warehouse time")
    page.get_by_test_id("field-comment").press("Enter")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Saved as version 2")

    saved = stored(page, machine)
    assert saved["definition"]["States"]["Pack"] == {
        "Type": "Wait",
        "Seconds": 7,
        "Next": "Ship",
        "Comment": "Give the warehouse time",
    }
    # Positions live beside the definition, never inside it.
    assert set(saved["layout"]) == set(ORDER["States"])
    assert "layout" not in json.dumps(saved["definition"]).lower()

    page.reload()
    node(page, "Pack").click()
    expect(page.get_by_test_id("field-seconds")).to_have_value("7")
    expect(page.get_by_test_id("field-comment")).to_have_value("Give the warehouse time")


def test_it_renames_a_state_and_every_transition_into_it(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDER)
    open_designer(page, machine)

    node(page, "Out of stock").click()
    name = page.get_by_test_id("field-name")
    name.fill("Reject order")
    name.press("Enter")
    expect(node(page, "Reject order")).to_be_visible()
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Saved")

    choice = stored(page, machine)["definition"]["States"]["Is it in stock?"]
    assert choice["Default"] == "Reject order"


def test_it_shows_a_diagnostic_on_the_state_at_fault(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDER)
    open_designer(page, machine)
    expect(page.get_by_test_id("problem-count")).to_have_text("No problems")

    broken = json.loads(json.dumps(ORDER))
    broken["States"]["Ship"]["Next"] = "Nowhere"
    del broken["States"]["Ship"]["End"]
    page.get_by_test_id("tab-code").click()
    page.get_by_test_id("code-view").fill(json.dumps(broken, indent=2))

    expect(node(page, "Ship")).to_have_attribute("data-problems", "1")
    expect(page.get_by_test_id("node-problem-Ship")).to_contain_text("Nowhere")
    expect(node(page, "Pack")).to_have_attribute("data-problems", "0")
    page.get_by_test_id("tab-problems").click()
    expect(page.get_by_test_id("problems")).to_contain_text("Ship")


def test_it_adds_a_state_from_the_palette_and_connects_it_by_dragging(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDER)
    open_designer(page, machine)

    page.get_by_test_id("palette-Succeed").click()
    expect(node(page, "Succeed")).to_be_visible()
    page.get_by_test_id("tab-code").click()
    expect(page.get_by_test_id("code-view")).to_have_value(re.compile('"Succeed": {'))
    code = json.loads(page.get_by_test_id("code-view").input_value())
    assert code["States"]["Succeed"] == {"Type": "Succeed"}

    source = page.locator('.react-flow__node[data-id="Ship"] .react-flow__handle.source')
    target = page.locator('.react-flow__node[data-id="Succeed"] .react-flow__handle.target')
    source.drag_to(target)
    expect(page.locator('.react-flow__edge[data-id^="Ship→Succeed"]')).to_have_count(1)

    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Saved")
    ship = stored(page, machine)["definition"]["States"]["Ship"]
    assert ship.get("Next") == "Succeed"
    assert "End" not in ship


def test_it_deletes_the_selected_state(page: Page, create_machine: CreateMachine) -> None:
    machine = create_machine(ORDER)
    open_designer(page, machine)

    node(page, "Ship").click()
    page.get_by_test_id("delete-state").click()
    # "Pack" goes on to it: the designer asks first.
    expect(page.get_by_test_id("confirm-details")).to_contain_text('"Pack" goes on to it.')
    page.get_by_test_id("confirm-ok").click()
    expect(node(page, "Ship")).to_have_count(0)
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Saved")

    states = stored(page, machine)["definition"]["States"]
    assert "Ship" not in states
    assert states["Pack"].get("End") is True


def test_it_saves_where_a_dragged_state_was_put(page: Page, create_machine: CreateMachine) -> None:
    machine = create_machine(ORDER)
    open_designer(page, machine)
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Nothing to save")

    box = node(page, "Ship").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 20)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 160, box["y"] + 80, steps=8)
    page.mouse.up()
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Saved")

    layout = stored(page, machine)["layout"]
    assert layout["Ship"]["x"] - layout["Pack"]["x"] > 100
    page.reload()
    moved = node(page, "Ship").bounding_box()
    pack = node(page, "Pack").bounding_box()
    assert moved is not None and pack is not None
    assert moved["x"] > pack["x"] + 50


def test_it_removes_a_transition_when_its_edge_is_deleted_and_flags_what_that_breaks(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDER)
    open_designer(page, machine)

    edge = page.locator('.react-flow__edge[data-id^="Is it in stock?→Out of stock#default"]')
    edge.locator(".react-flow__edge-interaction").click(force=True)
    page.keyboard.press("Delete")
    expect(edge).to_have_count(0)
    page.get_by_test_id("tab-code").click()
    code = json.loads(page.get_by_test_id("code-view").input_value())
    assert "Default" not in code["States"]["Is it in stock?"]

    # Nothing leads to "Out of stock" any more: the server says so, on that node.
    expect(node(page, "Out of stock")).to_have_attribute("data-problems", "1")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Not saved")
    expect(page.get_by_test_id("notice")).to_contain_text("Out of stock")
    assert stored(page, machine)["definition"] == ORDER


def test_it_edits_a_choice_rule_through_its_form(page: Page, create_machine: CreateMachine) -> None:
    machine = create_machine(ORDER)
    open_designer(page, machine)

    node(page, "Is it in stock?").click()
    rule = page.get_by_test_id("rule-0")
    rule.get_by_test_id("rule-operator").select_option("NumericLessThan")
    value = rule.get_by_test_id("rule-value")
    value.fill("twenty")
    value.press("Enter")
    expect(rule).to_contain_text("Enter a number")
    value.fill("20")
    value.press("Enter")
    expect(page.get_by_test_id("edge-label").filter(has_text="quantity < 20")).to_have_count(1)
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Saved")

    choices = stored(page, machine)["definition"]["States"]["Is it in stock?"]["Choices"]
    assert choices == [{"Variable": "$.quantity", "NumericLessThan": 20, "Next": "Pack"}]


def test_it_deletes_a_state_and_its_edges_with_the_delete_key(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDER)
    open_designer(page, machine)

    node(page, "Pack").click()
    page.keyboard.press("Delete")
    # A Choice rule leads to it: the designer asks first, and keeps the rule.
    expect(page.get_by_test_id("confirm-details")).to_contain_text('Rule 1 of "Is it in stock?"')
    page.get_by_test_id("confirm-ok").click()
    expect(node(page, "Pack")).to_have_count(0)
    expect(page.locator('.react-flow__edge[data-id*="Pack"]')).to_have_count(0)
    expect(page.get_by_test_id("notice")).to_have_count(0)
    page.get_by_test_id("tab-code").click()
    code = json.loads(page.get_by_test_id("code-view").input_value())
    assert "Pack" not in code["States"]
    assert code["States"]["Is it in stock?"]["Choices"] == [
        {"Variable": "$.quantity", "NumericLessThanEquals": 10}
    ]
    assert code["States"]["Is it in stock?"]["Default"] == "Out of stock"


def test_it_turns_a_state_into_a_task_with_a_catcher(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDER)
    open_designer(page, machine)

    node(page, "Pack").click()
    page.get_by_test_id("field-type").select_option("Task")
    expect(node(page, "Pack")).to_have_attribute("data-type", "Task")
    page.get_by_test_id("add-catch").click()
    catcher = page.get_by_test_id("catch-0")
    catcher.get_by_test_id("catch-next").select_option("Out of stock")
    errors = catcher.get_by_test_id("catch-errors")
    errors.fill("States.Timeout, OutOfBoxes")
    errors.press("Enter")
    expect(page.locator('.react-flow__edge[data-id^="Pack→Out of stock#catch"]')).to_have_count(1)
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Saved")

    pack = stored(page, machine)["definition"]["States"]["Pack"]
    assert pack["Type"] == "Task"
    assert pack["Next"] == "Ship"
    assert "Seconds" not in pack
    # A new catcher keeps the data and puts the error beside it, at $.error.
    assert pack["Catch"] == [
        {
            "ErrorEquals": ["States.Timeout", "OutOfBoxes"],
            "Next": "Out of stock",
            "ResultPath": "$.error",
        }
    ]


def test_it_shows_a_diagnostic_beside_the_form_field_at_fault(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDER)
    open_designer(page, machine)

    node(page, "Pack").click()
    page.get_by_test_id("field-type").select_option("Task")
    resource = page.get_by_test_id("field-resource")
    resource.fill("")
    resource.press("Enter")

    field = page.locator(".field", has=resource)
    expect(field.locator(".field-problems")).to_contain_text("Resource")
    expect(node(page, "Pack")).to_have_attribute("data-problems", "1")
    expect(page.get_by_test_id("problem-count")).to_have_text("1 problem")


def test_it_adds_a_state_dragged_from_the_palette_where_it_is_dropped(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDER)
    open_designer(page, machine)

    canvas = page.get_by_test_id("canvas").bounding_box()
    assert canvas is not None
    drop = {"x": canvas["width"] - 150, "y": canvas["height"] - 120}
    page.get_by_test_id("palette-Wait").drag_to(page.get_by_test_id("canvas"), target_position=drop)

    added = node(page, "Wait")
    expect(added).to_be_visible()
    box = added.bounding_box()
    assert box is not None
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert abs(centre[0] - (canvas["x"] + drop["x"])) < 40
    assert abs(centre[1] - (canvas["y"] + drop["y"])) < 40
    expect(page.get_by_test_id("field-name")).to_have_value("Wait")


def test_it_undoes_and_redoes_a_deletion(page: Page, create_machine: CreateMachine) -> None:
    machine = create_machine(ORDER)
    open_designer(page, machine)
    expect(page.get_by_test_id("undo")).to_be_disabled()

    node(page, "Ship").click()
    page.get_by_test_id("delete-state").click()
    # "Pack" goes on to it: the designer asks first.
    expect(page.get_by_test_id("confirm-details")).to_contain_text('"Pack" goes on to it.')
    page.get_by_test_id("confirm-ok").click()
    expect(node(page, "Ship")).to_have_count(0)
    page.get_by_test_id("undo").click()
    expect(node(page, "Ship")).to_be_visible()
    expect(page.locator('.react-flow__edge[data-id^="Pack→Ship"]')).to_have_count(1)

    page.keyboard.press("Control+Shift+Z")
    expect(node(page, "Ship")).to_have_count(0)
    page.keyboard.press("Control+Z")
    expect(node(page, "Ship")).to_be_visible()
    expect(page.get_by_test_id("save-button")).to_have_text("Saved")


def test_it_edits_retries_and_data_flow_in_the_form(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDER)
    open_designer(page, machine)

    node(page, "Pack").click()
    page.get_by_test_id("field-type").select_option("Task")
    page.get_by_test_id("add-retry").click()
    attempts = page.get_by_test_id("retry-0").get_by_test_id("retry-maxattempts")
    attempts.fill("5")
    attempts.press("Enter")
    page.locator(".data-flow summary").click()
    page.get_by_test_id("field-resultpath-where").select_option("path")
    result_path = page.get_by_test_id("field-resultpath")
    result_path.fill("$.packing")
    result_path.press("Enter")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Saved")

    pack = stored(page, machine)["definition"]["States"]["Pack"]
    assert pack["Retry"] == [
        {"ErrorEquals": ["States.ALL"], "MaxAttempts": 5, "IntervalSeconds": 1, "BackoffRate": 2}
    ]
    assert pack["ResultPath"] == "$.packing"


def test_it_copes_with_half_written_asl_in_the_code_view(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDER)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_designer(page, machine)

    page.get_by_test_id("tab-code").click()
    code = page.get_by_test_id("code-view")
    code.fill('{"StartAt": "A", "States": {"A": "oops", "B": [], "C": {"Type": 7, "Next": 1}}')
    expect(page.get_by_test_id("code-error")).to_contain_text("Not valid JSON")
    code.fill('{"StartAt": "A", "States": {"A": "oops", "B": [], "C": {"Type": 7, "Next": 1}}}')

    expect(node(page, "A")).to_have_attribute("data-type", "Unknown")
    expect(node(page, "C")).to_be_visible()
    expect(page.get_by_test_id("problem-count")).not_to_have_text("No problems")
    node(page, "A").click()
    page.get_by_test_id("field-type").select_option("Pass")
    expect(page.get_by_test_id("notice")).to_contain_text('State "A" is not a JSON object')
    assert errors == []


def test_it_saves_with_ctrl_s_including_the_field_being_typed_in(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDER)
    open_designer(page, machine)

    node(page, "Ship").click()
    page.get_by_test_id("field-comment").fill("Hand it to the courier")
    page.keyboard.press("Control+s")
    expect(page.get_by_test_id("notice")).to_contain_text("Saved")

    ship = stored(page, machine)["definition"]["States"]["Ship"]
    assert ship["Comment"] == "Hand it to the courier"
