"""Adding steps to a Map or Parallel: "+ add a step" puts the new step after the last one, and
a state dropped on a Parallel's title bar goes into its nearest branch."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import node, open_designer
from tests.browser.nesting import DEEP

pytestmark = pytest.mark.browser

CreateMachine = Callable[[dict[str, Any]], str]


def code(page: Page) -> dict[str, Any]:
    page.get_by_test_id("tab-code").click()
    return json.loads(page.get_by_test_id("code-view").input_value())


def test_add_a_step_puts_the_new_step_after_the_last_one(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(DEEP)
    open_designer(page, machine)
    page.get_by_test_id("add-step-Lines").click()
    expect(node(page, "Pass")).to_be_visible()
    split = code(page)["States"]["Each order"]["ItemProcessor"]["States"]["Split"]
    lines = split["Branches"][0]["States"]["Lines"]["ItemProcessor"]["States"]
    assert lines["Tax line"] == {"Type": "Pass", "Next": "Pass"}
    assert lines["Pass"] == {"Type": "Pass", "End": True}
    expect(page.get_by_test_id("problem-count")).to_have_text("No problems")


def test_a_state_dropped_on_a_parallels_title_goes_into_its_nearest_branch(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(DEEP)
    open_designer(page, machine)
    title = node(page, "Split").locator(".container-head").first
    box = title.bounding_box()
    assert box is not None
    # Towards the title's right end, above the second branch.
    page.get_by_test_id("palette-Wait").drag_to(
        title, target_position={"x": box["width"] * 0.75, "y": box["height"] / 2}
    )
    expect(node(page, "Wait")).to_be_visible()
    lane = page.get_by_test_id("lane-2").bounding_box()
    card = node(page, "Wait").bounding_box()
    assert lane is not None and card is not None
    assert lane["x"] <= card["x"] and card["x"] + card["width"] <= lane["x"] + lane["width"] + 0.5
    branches = code(page)["States"]["Each order"]["ItemProcessor"]["States"]["Split"]["Branches"]
    assert "Wait" in branches[1]["States"]
    assert "Wait" not in code(page)["States"]


def test_a_folded_container_stays_folded_after_saving_and_reloading(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(DEEP)
    open_designer(page, machine)
    page.get_by_test_id("collapse-Split").click()
    expect(node(page, "Notify")).to_have_count(0)
    node(page, "Load: orders").click()
    page.get_by_test_id("field-comment").fill("Folded for later")
    page.get_by_test_id("field-comment").press("Enter")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Saved as version 2")
    page.reload()
    expect(node(page, "Split")).to_contain_text("3 steps inside")
    expect(node(page, "Notify")).to_have_count(0)
