"""The designer's version history and data-flow simulator, against a real server: two versions
compared on the canvas and one restored into the draft; a Task with a mocked result and a
Choice simulated one state at a time through REST TestState.

https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html
https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.helpers import add_field, api_call, node, open_designer, shoot, type_plain

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/versions-sim")
CreateMachine = Callable[[dict[str, Any]], str]
CHARGE = "arn:aws:lambda:us-east-1:123456789012:function:charge-card"

FIRST: dict[str, Any] = {
    "StartAt": "Charge card",
    "States": {
        "Charge card": {
            "Type": "Task",
            "Resource": CHARGE,
            "TimeoutSeconds": 30,
            "Retry": [{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 2}],
            "Next": "Paid?",
        },
        "Paid?": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.paid", "BooleanEquals": True, "Next": "Send receipt"}],
            "Default": "Give up",
        },
        "Send receipt": {"Type": "Pass", "Next": "Log it"},
        "Log it": {"Type": "Pass", "End": True},
        "Give up": {"Type": "Fail", "Error": "NotPaid", "Cause": "The card was refused."},
    },
}


def second_version() -> dict[str, Any]:
    """The first with a longer timeout, more retries, "Log it" gone and "Notify shop" new."""
    second = copy.deepcopy(FIRST)
    charge = second["States"]["Charge card"]
    charge["TimeoutSeconds"] = 60
    charge["Retry"][0]["MaxAttempts"] = 5
    del second["States"]["Log it"]
    second["States"]["Send receipt"]["Next"] = "Notify shop"
    second["States"]["Notify shop"] = {"Type": "Pass", "End": True}
    return second


SIMULATED: dict[str, Any] = {
    "StartAt": "Charge card",
    "States": {
        "Charge card": {
            "Type": "Task",
            "Resource": CHARGE,
            "InputPath": "$.order",
            "Parameters": {"amount.$": "$.total"},
            "ResultSelector": {"approved.$": "$.approved"},
            "ResultPath": "$.payment",
            "Next": "Approved?",
        },
        "Approved?": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.payment.approved", "BooleanEquals": True, "Next": "Ship"}],
            "Default": "Refuse",
        },
        "Ship": {"Type": "Pass", "Result": "shipped", "ResultPath": "$.status", "End": True},
        "Refuse": {"Type": "Fail", "Error": "Refused"},
    },
}


def shown_json(locator: Locator) -> Any:
    """The value a JsonView shows (it carries it whole in data-json)."""
    expect(locator).to_be_visible()
    return json.loads(locator.get_attribute("data-json") or "null")


def draft_definition(page: Page, machine: str) -> Any:
    draft = api_call(page, "GET", f"/api/v1/state-machines/{machine}/draft/")["draft"]
    return draft and draft["definition"]


def test_it_diffs_two_versions_on_the_canvas_and_restores_one_into_the_draft(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(FIRST)
    api_call(
        page,
        "PUT",
        f"/api/v1/state-machines/{machine}/",
        {"definition": second_version(), "comment": "Longer timeout, notify the shop"},
    )
    open_designer(page, machine)
    page.get_by_test_id("tab-versions").click()
    row = page.get_by_test_id("version-2")
    expect(row).to_contain_text("Version 2")
    expect(row).to_contain_text("designer")
    expect(row.get_by_test_id("version-comment")).to_have_text("Longer timeout, notify the shop")
    expect(page.get_by_test_id("version-1").get_by_test_id("version-comment")).to_have_text(
        "No comment"
    )

    row.get_by_test_id("version-changes").click()
    canvas = page.get_by_test_id("diff-canvas")
    expect(canvas).to_be_visible()
    expect(page.get_by_test_id("diff-banner")).to_contain_text(
        "Changes from version 1 to version 2: 1 added, 2 changed, 1 removed"
    )
    expect(canvas.get_by_test_id("diff-node-Notify shop")).to_have_attribute("data-diff", "added")
    expect(canvas.get_by_test_id("diff-node-Log it")).to_have_attribute("data-diff", "removed")
    expect(canvas.get_by_test_id("diff-node-Charge card")).to_have_attribute("data-diff", "changed")
    expect(canvas.get_by_test_id("diff-node-Send receipt")).to_have_attribute(
        "data-diff", "changed"
    )
    expect(canvas.get_by_test_id("diff-node-Paid?")).to_have_attribute("data-diff", "same")
    expect(canvas.get_by_test_id("diff-badge-Log it")).to_have_text("Removed")
    expect(canvas.get_by_test_id("diff-legend")).to_contain_text("Removed (ghosted)")

    # What changed, in words: field names with old → new values.
    charge = page.get_by_test_id("diff-entry-Charge card")
    fields = charge.get_by_test_id("diff-field")
    expect(fields).to_have_count(2)
    expect(fields.nth(0)).to_contain_text("timeout (seconds)")
    expect(fields.nth(0)).to_contain_text("30 → 60")
    expect(fields.nth(1)).to_contain_text("Retry 1 › max attempts")
    expect(fields.nth(1)).to_contain_text("2 → 5")
    receipt = page.get_by_test_id("diff-entry-Send receipt").get_by_test_id("diff-field")
    expect(receipt).to_have_text("next stateLog it → Notify shop")
    arrows = page.get_by_test_id("diff-arrow")
    expect(arrows.filter(has_text="Send receipt → Notify shop")).to_contain_text("Added")
    expect(arrows.filter(has_text="Send receipt → Log it")).to_contain_text("Removed")
    # A card picked on the canvas brings its changes forward.
    canvas.get_by_test_id("diff-node-Charge card").click()
    expect(charge).to_have_class("diff-entry diff-entry-changed is-focused")
    shoot(page, SHOTS, "diff")

    # Restoring asks first, then the draft and the canvas hold version 1; nothing is published.
    page.get_by_test_id("version-1").get_by_test_id("version-restore").click()
    expect(page.get_by_test_id("diff-canvas")).to_have_count(0)
    dialog = page.get_by_test_id("confirm-dialog")
    expect(dialog).to_contain_text("Restore version 1 into the draft?")
    expect(dialog).to_contain_text("Nothing is published until you save.")
    page.get_by_test_id("confirm-ok").click()
    expect(node(page, "Log it")).to_be_visible()
    expect(node(page, "Notify shop")).to_have_count(0)
    expect(page.get_by_test_id("draft-status")).to_have_attribute("data-status", "saved")
    assert draft_definition(page, machine) == FIRST
    assert api_call(page, "GET", f"/api/v1/state-machines/{machine}/")["version"] == 2
    node(page, "Charge card").click()
    expect(page.get_by_test_id("field-timeoutseconds")).to_have_value("30")

    # The draft compared with version 2 says what the restore undoes.
    page.get_by_test_id("tab-versions").click()
    page.get_by_test_id("version-2").get_by_test_id("version-vs-draft").click()
    expect(page.get_by_test_id("diff-banner")).to_contain_text(
        "Changes from version 2 to your draft: 1 added, 2 changed, 1 removed"
    )
    expect(page.get_by_test_id("diff-node-Log it")).to_have_attribute("data-diff", "added")
    page.get_by_test_id("diff-close").click()

    # Saving it with a comment makes version 3, listed with that comment.
    page.get_by_test_id("save-comment").fill("Back to the first design")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("version-3").get_by_test_id("version-comment")).to_have_text(
        "Back to the first design"
    )
    saved = api_call(page, "GET", f"/api/v1/state-machines/{machine}/versions/3/")
    assert saved["definition"] == FIRST
    assert saved["comment"] == "Back to the first design"
    expect(page.get_by_test_id("save-comment")).to_have_value("")


def test_it_pages_through_a_long_history(page: Page, create_machine: CreateMachine) -> None:
    machine = create_machine(FIRST)
    for seconds in range(31, 43):  # versions 2..13
        changed = copy.deepcopy(FIRST)
        changed["States"]["Charge card"]["TimeoutSeconds"] = seconds
        api_call(page, "PUT", f"/api/v1/state-machines/{machine}/", {"definition": changed})
    open_designer(page, machine)
    page.get_by_test_id("tab-versions").click()
    rows = page.get_by_test_id("versions-list").locator("> li")
    expect(rows).to_have_count(10)
    expect(rows.first).to_contain_text("Version 13")
    page.get_by_test_id("versions-older").click()
    expect(rows).to_have_count(13)
    expect(rows.last).to_contain_text("Version 1")
    expect(page.get_by_test_id("versions-older")).to_have_count(0)


def test_it_simulates_a_task_with_a_mocked_result_then_steps_through_a_choice(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(SIMULATED)
    open_designer(page, machine)
    page.get_by_test_id("tab-simulate").click()
    simulator = page.get_by_test_id("simulator")
    expect(page.get_by_test_id("sim-state")).to_have_value("Charge card")

    # The input as JSON, the mocked result through the form.
    simulator.get_by_test_id("sim-input").get_by_test_id("raw-toggle").click()
    raw = simulator.get_by_test_id("sim-input").get_by_test_id("raw-json")
    raw.fill('{"order": {"id": "o-7", "total": 42}}')
    raw.press("Tab")
    mock = page.get_by_test_id("sim-mock-result")
    add_field(mock, "approved", "boolean").get_by_test_id("kv-boolean").select_option("true")
    type_plain(add_field(mock, "reference", "text").get_by_label("Text"), "ch-1", enter=False)
    page.get_by_test_id("sim-run").click()

    answer = page.get_by_test_id("sim-answer")
    expect(answer.get_by_test_id("sim-status")).to_have_text("Succeeded")
    order = {"id": "o-7", "total": 42}
    assert shown_json(answer.get_by_test_id("flow-value-input")) == {"order": order}
    assert shown_json(answer.get_by_test_id("flow-value-inputPath")) == order
    assert shown_json(answer.get_by_test_id("flow-value-parameters")) == {"amount": 42}
    assert shown_json(answer.get_by_test_id("flow-value-result")) == {
        "approved": True,
        "reference": "ch-1",
    }
    assert shown_json(answer.get_by_test_id("flow-value-resultSelector")) == {"approved": True}
    # ResultPath adds the result to the state's raw input, not to what InputPath picked.
    paid = {"order": order, "payment": {"approved": True}}
    assert shown_json(answer.get_by_test_id("flow-value-resultPath")) == paid
    assert shown_json(answer.get_by_test_id("flow-value-outputPath")) == paid
    expect(answer.get_by_test_id("flow-inputPath")).to_contain_text("$.order")
    expect(answer.get_by_test_id("flow-outputPath")).to_contain_text("Not set")
    steps = answer.locator(".flow-step strong")
    expect(steps).to_have_text(
        ["Input", "InputPath", "Parameters", "Result", "ResultSelector", "ResultPath", "OutputPath"]
    )
    expect(answer.get_by_test_id("sim-next-state")).to_have_text("Approved?")
    shoot(page, SHOTS, "simulator-task")

    # A step on: the Choice gets the output, says which rule matched and where it goes.
    answer.get_by_test_id("sim-step").click()
    expect(page.get_by_test_id("sim-state")).to_have_value("Approved?")
    choice = page.get_by_test_id("sim-answer")
    expect(choice).to_contain_text("Approved?")
    assert shown_json(choice.get_by_test_id("flow-value-input")) == paid
    expect(choice.get_by_test_id("sim-choice")).to_contain_text("Rule 1 matched")
    rule = choice.get_by_test_id("trace-rule")
    expect(rule).to_have_class("trace-rule trace-true")
    expect(rule).to_contain_text("$.payment.approved")
    expect(rule).to_contain_text("→ Ship")
    expect(choice.get_by_test_id("sim-next-state")).to_have_text("Ship")
    expect(page.get_by_test_id("sim-path")).to_have_text("Path walked: Charge card → Approved?")
    shoot(page, SHOTS, "simulator-choice")

    choice.get_by_test_id("sim-step").click()
    expect(page.get_by_test_id("sim-state")).to_have_value("Ship")
    ship = page.get_by_test_id("sim-answer")
    assert shown_json(ship.get_by_test_id("flow-value-outputPath")) == {**paid, "status": "shipped"}
    expect(ship.get_by_test_id("sim-end")).to_be_visible()


def test_it_simulates_a_refused_payment_down_the_default_and_a_mocked_error(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(SIMULATED)
    open_designer(page, machine)
    page.get_by_test_id("tab-simulate").click()
    # Picking a state on the canvas picks it here; the tab stays.
    node(page, "Approved?").click()
    expect(page.get_by_test_id("sim-state")).to_have_value("Approved?")
    input_box = page.get_by_test_id("sim-input")
    input_box.get_by_test_id("raw-toggle").click()
    input_box.get_by_test_id("raw-json").fill('{"payment": {"approved": false}}')
    input_box.get_by_test_id("raw-json").press("Tab")
    page.get_by_test_id("sim-run").click()
    answer = page.get_by_test_id("sim-answer")
    expect(answer.get_by_test_id("sim-choice")).to_contain_text(
        "No rule matched, so the default was taken"
    )
    expect(answer.get_by_test_id("trace-rule")).to_have_class("trace-rule trace-false")
    expect(answer.get_by_test_id("sim-next-state")).to_have_text("Refuse")

    page.get_by_test_id("sim-state").select_option("Charge card")
    input_box.get_by_test_id("raw-json").fill('{"order": {"id": "o-8", "total": 900}}')
    input_box.get_by_test_id("raw-json").press("Tab")
    page.get_by_test_id("sim-mock-error").check()
    page.get_by_test_id("sim-mock-error-name").fill("CardDeclined")
    page.get_by_test_id("sim-mock-error-cause").fill("insufficient funds")
    page.get_by_test_id("sim-run").click()
    failed = page.get_by_test_id("sim-answer")
    expect(failed).to_have_attribute("data-status", "FAILED")
    expect(failed.get_by_test_id("sim-error")).to_have_text("CardDeclined: insufficient funds")
    expect(failed.get_by_test_id("flow-outputPath")).to_contain_text("Not reached")
