"""The simulator with workflow variables, against a real server: the Variables form prefilled
with what the states before would assign on a run from the sample (data-shapes/), a state that
reads them, its Assign step and the variables after it; then a walk that carries them on.

https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
https://docs.aws.amazon.com/step-functions/latest/apireference/API_InspectionData.html
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.helpers import api_call, open_designer, shoot

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/simvars")
CreateMachine = Callable[[dict[str, Any]], str]

MACHINE: dict[str, Any] = {
    "QueryLanguage": "JSONata",
    "StartAt": "Keep customer",
    "States": {
        "Keep customer": {
            "Type": "Pass",
            "Assign": {"who": "{% $states.input.customer %}", "count": 1},
            "Next": "Count visit",
        },
        "Count visit": {
            "Type": "Pass",
            "Assign": {"count": "{% $count + 1 %}"},
            "Next": "Greet",
        },
        "Greet": {
            "Type": "Pass",
            "Output": {"hello": "{% $who %}", "visits": "{% $count %}"},
            "Assign": {"greeted": "{% $who & ' (' & $count & ')' %}", "count": 0},
            "End": True,
        },
    },
}


def shown_json(locator: Locator) -> Any:
    expect(locator).to_be_visible()
    return json.loads(locator.get_attribute("data-json") or "null")


def given(page: Page) -> dict[str, str]:
    form = page.get_by_test_id("sim-variables")
    names = form.get_by_test_id("sim-variable-name").all()
    values = form.get_by_test_id("sim-variable-value").all()
    return {n.input_value(): v.input_value() for n, v in zip(names, values, strict=True)}


def after(page: Page) -> dict[str, tuple[str, str | None]]:
    """Each variable after the state: its value and its tag (new, changed or none)."""
    rows = page.get_by_test_id("sim-variables-after").get_by_test_id("sim-variable-after").all()
    found = {}
    for row in rows:
        tag = row.get_by_test_id("sim-variable-after-tag")
        found[row.get_by_test_id("sim-variable-after-name").inner_text()] = (
            row.locator("dd").inner_text(),
            tag.inner_text() if tag.count() else None,
        )
    return found


def open_simulator(page: Page, machine: str, sample: Any) -> None:
    api_call(page, "PUT", f"/api/v1/state-machines/{machine}/sample-input/", {"input": sample})
    open_designer(page, machine)
    page.get_by_test_id("tab-simulate").click()


def test_a_state_reads_variables_assigned_before_it_and_shows_its_assign(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(MACHINE)
    open_simulator(page, machine, {"customer": "Ann"})
    page.get_by_test_id("sim-state").select_option("Greet")
    # Prefilled from the walk of the sample: Keep customer then Count visit assigned these.
    expect(page.get_by_test_id("sim-variable-name")).to_have_count(2)
    assert given(page) == {"who": '"Ann"', "count": "2"}
    shoot(page, SHOTS, "form", "sim-variables")
    page.get_by_test_id("sim-input").get_by_test_id("raw-toggle").click()
    raw = page.get_by_test_id("sim-input").get_by_test_id("raw-json")
    raw.fill('{"customer": "Ann"}')
    raw.press("Tab")
    page.get_by_test_id("sim-run").click()

    answer = page.get_by_test_id("sim-answer")
    expect(answer.get_by_test_id("sim-status")).to_have_text("Succeeded")
    assert shown_json(answer.get_by_test_id("flow-value-output")) == {"hello": "Ann", "visits": 2}
    # Assign reads the values on entry: count is 2 in "greeted", though Assign sets it to 0.
    assert shown_json(answer.get_by_test_id("flow-value-assign")) == {
        "greeted": "Ann (2)",
        "count": 0,
    }
    assert after(page) == {
        "$who": ('"Ann"', None),
        "$count": ("0", "changed"),
        "$greeted": ('"Ann (2)"', "new"),
    }
    shoot(page, SHOTS, "assign", "sim-answer")
    shoot(page, SHOTS, "after", "sim-variables-after")

    # A variable changed by hand (a value that is not JSON is text) is what the state reads.
    page.get_by_test_id("sim-variable-value").nth(0).fill("Bob the builder")
    page.get_by_test_id("sim-variable-add").click()
    page.get_by_test_id("sim-variable-name").nth(2).fill("extra")
    page.get_by_test_id("sim-variable-value").nth(2).fill('{"a": [1]}')
    page.get_by_test_id("sim-run").click()
    expect(answer.get_by_test_id("flow-value-output")).to_have_attribute(
        "data-json", json.dumps({"hello": "Bob the builder", "visits": 2}, separators=(",", ":"))
    )
    assert after(page)["$extra"] == ('{"a":[1]}', None)

    # The same variables as one JSON object.
    page.get_by_test_id("sim-variables-raw").click()
    text = page.get_by_test_id("sim-variables-json")
    assert json.loads(text.input_value()) == {
        "who": "Bob the builder",
        "count": 2,
        "extra": {"a": [1]},
    }
    text.fill('{"who": "Cy", "count": 7}')
    page.get_by_test_id("sim-run").click()
    expect(answer.get_by_test_id("flow-value-assign")).to_have_attribute(
        "data-json", json.dumps({"greeted": "Cy (7)", "count": 0}, separators=(",", ":"))
    )


def test_a_walk_carries_the_variables_from_state_to_state(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(MACHINE)
    open_simulator(page, machine, {"customer": "Dee"})
    expect(page.get_by_test_id("sim-state")).to_have_value("Keep customer")
    expect(page.get_by_test_id("sim-variables-none")).to_be_visible()
    page.get_by_test_id("sim-input-from-sample").click()
    page.get_by_test_id("sim-run").click()
    answer = page.get_by_test_id("sim-answer")
    assert shown_json(answer.get_by_test_id("flow-value-assign")) == {"who": "Dee", "count": 1}
    # Count visit is a Pass: stepping on runs it at once with what Keep customer left.
    answer.get_by_test_id("sim-step").click()
    expect(page.get_by_test_id("sim-path")).to_contain_text("Keep customer → Count visit")
    expect(answer.get_by_test_id("flow-value-assign")).to_have_attribute("data-json", '{"count":2}')
    assert given(page) == {"who": '"Dee"', "count": "1"}
    answer.get_by_test_id("sim-step").click()
    expect(answer.get_by_test_id("flow-value-output")).to_have_attribute(
        "data-json", json.dumps({"hello": "Dee", "visits": 2}, separators=(",", ":"))
    )
    shoot(page, SHOTS, "walk", "sim-answer")
