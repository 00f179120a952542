"""No JSON needed: a person builds data, rules and a run input from forms, never typing `{`
or `$.` (issue 9, part B). Fields follow the ASL spec's payload templates, intrinsic functions
and Choice rules (https://states-language.net/#payload-template, #intrinsic-functions,
#choice-state)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import add_field, api_call, node, open_designer, pick, shoot, type_plain

pytestmark = pytest.mark.browser

CreateMachine = Callable[[dict[str, Any]], str]
SHOTS = Path("/tmp/shots/designer-forms")

START = {"StartAt": "Prepare", "States": {"Prepare": {"Type": "Pass", "End": True}}}


def add_state(page: Page, type_: str, name: str) -> None:
    page.get_by_test_id(f"palette-{type_}").click()
    type_plain(page.get_by_test_id("field-name"), name)
    expect(node(page, name)).to_be_visible()


def test_a_person_builds_data_rules_and_a_run_input_without_json(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(START)
    open_designer(page, machine)

    # 1. The sample input, once per machine: amount 1500, customer.tier "gold".
    page.get_by_test_id("tab-state").click()
    settings = page.get_by_test_id("machine-settings")
    settings.get_by_test_id("add-sample-input").click()
    sample = settings.get_by_test_id("sample-editor")
    type_plain(add_field(sample, "amount", "number").get_by_test_id("kv-number"), "1500")
    customer = add_field(sample, "customer", "object")
    type_plain(add_field(customer, "tier", "text").get_by_test_id("kv-text"), "gold")
    shoot(page, SHOTS, "sample-input")

    # 2. A Pass whose Parameters take values of several kinds.
    node(page, "Prepare").click()
    page.locator("details.data-flow > summary").click()
    page.get_by_test_id("add-field-parameters").click()
    parameters = page.get_by_test_id("field-parameters")
    pick(page, add_field(parameters, "amount", "path"), "$.amount")
    pick(page, add_field(parameters, "tier", "path"), "$.customer.tier")
    total = add_field(parameters, "total", "intrinsic")
    total.get_by_test_id("kv-function").select_option("States.MathAdd")
    args = total.get_by_test_id("kv-arg")
    args.nth(0).get_by_test_id("kv-arg-kind").select_option("path")
    pick(page, args.nth(0), "$.amount")
    type_plain(args.nth(1).get_by_test_id("kv-arg-number"), "10")
    add_field(parameters, "vip", "boolean").get_by_test_id("kv-boolean").select_option("true")
    type_plain(add_field(parameters, "label", "text").get_by_test_id("kv-text"), "rush")
    tags = add_field(parameters, "tags", "list")
    tags.get_by_test_id("kv-add-item").click()
    type_plain(tags.get_by_test_id("kv-item").first.get_by_test_id("kv-text"), "new")
    shoot(page, SHOTS, "parameters")

    # 3. A Choice: a numeric rule, a string rule and a default.
    add_state(page, "Succeed", "Big order")
    add_state(page, "Succeed", "Silver order")
    add_state(page, "Succeed", "Standard order")
    add_state(page, "Choice", "Which order?")
    no_default = page.get_by_test_id("no-default-warning")
    expect(no_default).to_contain_text("States.NoChoiceMatched")

    page.get_by_test_id("add-rule").click()
    first = page.get_by_test_id("rule-0")
    # No target until one is chosen: a new rule never loops back silently.
    expect(first.get_by_test_id("rule-next")).to_have_value("")
    expect(first.get_by_test_id("rule-sentence")).to_contain_text("choose where to go")
    node(page, "Prepare").click()
    page.get_by_test_id("field-next").select_option("Which order?")
    node(page, "Which order?").click()
    first = page.get_by_test_id("rule-0")
    # The Choice's data is what Prepare passes on: its Parameters, from the engine.
    first.get_by_test_id("pick-path").first.click()
    popover = page.get_by_test_id("path-popover")
    expect(popover.locator('[data-path="$.total"]')).to_contain_text("1510")
    shoot(page, SHOTS, "path-picker")
    popover.locator('[data-path="$.amount"]').click()
    first.get_by_test_id("rule-operator").select_option("NumericGreaterThan")
    type_plain(first.get_by_test_id("rule-value"), "1000")
    first.get_by_test_id("rule-next").select_option("Big order")
    expect(first.get_by_test_id("rule-sentence")).to_have_text(
        "If amount is greater than 1000, go to “Big order”."
    )

    page.get_by_test_id("add-rule").click()
    second = page.get_by_test_id("rule-1")
    pick(page, second, "$.tier")
    type_plain(second.get_by_test_id("rule-value"), "silver")
    second.get_by_test_id("rule-next").select_option("Silver order")
    expect(second.get_by_test_id("rule-sentence")).to_have_text(
        "If tier is “silver”, go to “Silver order”."
    )
    page.get_by_test_id("field-default").select_option("Standard order")
    expect(no_default).to_have_count(0)
    # The server's validation follows the edits: every rule has its target now.
    expect(page.get_by_test_id("problem-count")).to_have_text("No problems")
    page.get_by_test_id("rule-0").scroll_into_view_if_needed()
    shoot(page, SHOTS, "choice")

    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Saved")
    saved = api_call(page, "GET", f"/api/v1/state-machines/{machine}/")["definition"]
    assert saved["States"]["Prepare"] == {
        "Type": "Pass",
        "Next": "Which order?",
        "Parameters": {
            "amount.$": "$.amount",
            "tier.$": "$.customer.tier",
            "total.$": "States.MathAdd($.amount, 10)",
            "vip": True,
            "label": "rush",
            "tags": ["new"],
        },
    }
    assert saved["States"]["Which order?"]["Choices"] == [
        {"Variable": "$.amount", "NumericGreaterThan": 1000, "Next": "Big order"},
        {"Variable": "$.tier", "StringEquals": "silver", "Next": "Silver order"},
    ]
    assert saved["States"]["Which order?"]["Default"] == "Standard order"

    # 4. The run input is a form that starts from the sample input.
    page.get_by_test_id("tab-run").click()
    form = page.get_by_test_id("run-input-form")
    type_plain(form.locator('[data-key="amount"]').get_by_test_id("kv-number"), "50")
    type_plain(form.locator('[data-key="tier"]').get_by_test_id("kv-text"), "silver")
    shoot(page, SHOTS, "run-input")
    page.get_by_test_id("run-button").click()
    expect(page.get_by_test_id("execution-status")).to_have_text("Succeeded")
    expect(node(page, "Silver order")).to_have_attribute("data-status", "succeeded")
    expect(node(page, "Big order")).to_have_attribute("data-status", "idle")
    execution = page.get_by_test_id("execution-link").get_attribute("href")
    assert execution is not None
    run = api_call(page, "GET", f"/api/v1{execution}")
    output = (
        run["output"]
        if isinstance(run["output"], dict)
        else __import__("json").loads(run["output"])
    )
    assert output == {
        "amount": 50,
        "tier": "silver",
        "total": 60,
        "vip": True,
        "label": "rush",
        "tags": ["new"],
    }


def test_an_existing_definition_opens_in_the_forms_and_saves_back_unchanged(
    page: Page, create_machine: CreateMachine
) -> None:
    definition = {
        "StartAt": "Build",
        "States": {
            "Build": {
                "Type": "Pass",
                "Parameters": {
                    "greeting.$": "States.Format('Hello {}', $.name)",
                    "id.$": "$$.Execution.Id",
                    "nested": {"n": 1, "list": [1, "two", None, {"deep.$": "$.x"}]},
                    "odd.$": "States.Format('a {}',$.b)",
                },
                "Next": "Check",
            },
            "Check": {
                "Type": "Choice",
                "Choices": [
                    {
                        "And": [
                            {"Variable": "$.a", "IsPresent": True},
                            {"Not": {"Variable": "$.b", "StringMatches": "x*"}},
                            {
                                "Or": [
                                    {"Variable": "$.t", "TimestampLessThanPath": "$.u"},
                                    {"Variable": "$.c", "IsNull": False},
                                ]
                            },
                        ],
                        "Next": "Done",
                    }
                ],
                "Default": "Done",
            },
            "Done": {"Type": "Succeed"},
        },
    }
    machine = create_machine(definition)
    open_designer(page, machine)

    node(page, "Build").click()
    parameters = page.get_by_test_id("field-parameters")
    expect(parameters.locator('[data-key="greeting"]').get_by_test_id("kv-function")).to_have_value(
        "States.Format"
    )
    expect(parameters.locator('[data-key="id"]').get_by_test_id("kv-path")).to_have_value(
        "$$.Execution.Id"
    )
    expect(parameters.locator('[data-key="odd"]').get_by_test_id("kv-expression")).to_have_value(
        "States.Format('a {}',$.b)"
    )
    node(page, "Check").click()
    rule = page.get_by_test_id("rule-0")
    expect(rule.get_by_test_id("rule-sentence")).to_have_text(
        "If (a is present) and (not (b matches the pattern “x*”)) and ((t is before the value "
        "at u) or (c is not null)), go to “Done”."
    )
    expect(rule.get_by_test_id("rule-group")).to_have_count(2)
    rule.get_by_test_id("rule-group").first.scroll_into_view_if_needed()
    shoot(page, SHOTS, "nested-rule")

    # An edit elsewhere, then save: every field the forms showed is as it was.
    type_plain(page.get_by_test_id("field-comment"), "checked")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Saved")
    saved = api_call(page, "GET", f"/api/v1/state-machines/{machine}/")["definition"]
    expected = {**definition, "States": {**definition["States"]}}
    expected["States"]["Check"] = {**definition["States"]["Check"], "Comment": "checked"}
    assert saved == expected


FIELDS = {
    "StartAt": "Charge",
    "States": {
        "Charge": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge",
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Payment failed"}],
            "Next": "Pause",
        },
        "Pause": {"Type": "Wait", "Seconds": 5, "Next": "Each line"},
        "Each line": {
            "Type": "Map",
            "ItemProcessor": {"StartAt": "Line", "States": {"Line": {"Type": "Pass", "End": True}}},
            "Next": "Done",
        },
        "Done": {"Type": "Succeed"},
        "Payment failed": {"Type": "Fail", "Error": "X"},
    },
}


def test_every_state_type_has_form_controls_for_its_fields(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(FIELDS)
    open_designer(page, machine)

    node(page, "Charge").click()
    page.get_by_test_id("field-timeoutseconds-source").select_option("fixed")
    type_plain(page.get_by_test_id("field-timeoutseconds"), "30")
    page.get_by_test_id("field-heartbeatseconds-source").select_option("path")
    page.get_by_test_id("field-heartbeatsecondspath").fill("$.heartbeat")
    page.get_by_test_id("field-heartbeatsecondspath").press("Enter")
    page.get_by_test_id("add-retry").click()
    page.get_by_test_id("retry-0").get_by_test_id("retry-error-menu").select_option(
        "States.Timeout"
    )
    page.get_by_test_id("catch-0").get_by_test_id("catch-error-menu").select_option(
        "States.TaskFailed"
    )
    shoot(page, SHOTS, "task")

    node(page, "Pause").click()
    page.get_by_test_id("wait-kind").select_option("Timestamp")
    type_plain(page.get_by_test_id("field-timestamp"), "2030-01-31T09:00:00Z")
    shoot(page, SHOTS, "wait")

    node(page, "Each line").click(position={"x": 12, "y": 12})
    page.get_by_test_id("field-itemspath").fill("$.lines")
    page.get_by_test_id("field-itemspath").press("Enter")
    page.get_by_test_id("field-maxconcurrency-source").select_option("fixed")
    type_plain(page.get_by_test_id("field-maxconcurrency"), "2")
    # Tolerated failures belong to a distributed Map: the form offers them once it is one.
    expect(page.get_by_test_id("field-toleratedfailurepercentage-source")).to_have_count(0)
    page.get_by_test_id("field-map-mode").select_option("DISTRIBUTED")
    page.get_by_test_id("field-toleratedfailurepercentage-source").select_option("fixed")
    type_plain(page.get_by_test_id("field-toleratedfailurepercentage"), "12.5")
    shoot(page, SHOTS, "map")

    node(page, "Payment failed").click()
    type_plain(page.get_by_test_id("field-error"), "PaymentFailed")
    page.get_by_test_id("field-cause-source").select_option("path")
    page.get_by_test_id("field-causepath").fill("$.reason")
    page.get_by_test_id("field-causepath").press("Enter")
    shoot(page, SHOTS, "fail")

    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Saved")
    states = api_call(page, "GET", f"/api/v1/state-machines/{machine}/")["definition"]["States"]
    charge = states["Charge"]
    assert charge["TimeoutSeconds"] == 30
    assert charge["HeartbeatSecondsPath"] == "$.heartbeat"
    assert "HeartbeatSeconds" not in charge
    # Choosing a specific error replaces the catch-all (States.ALL must stand alone).
    assert charge["Retry"][0]["ErrorEquals"] == ["States.Timeout"]
    assert charge["Catch"][0]["ErrorEquals"] == ["States.TaskFailed"]
    assert states["Pause"] == {
        "Type": "Wait",
        "Timestamp": "2030-01-31T09:00:00Z",
        "Next": "Each line",
    }
    each = states["Each line"]
    assert (each["ItemsPath"], each["MaxConcurrency"], each["ToleratedFailurePercentage"]) == (
        "$.lines",
        2,
        12.5,
    )
    assert each["ItemProcessor"]["ProcessorConfig"] == {
        "Mode": "DISTRIBUTED",
        "ExecutionType": "STANDARD",
    }
    assert states["Payment failed"] == {
        "Type": "Fail",
        "Error": "PaymentFailed",
        "CausePath": "$.reason",
    }
