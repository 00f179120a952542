"""Data from a past run, with no JSON typed: the run form takes the input a run started with,
the machine's sample becomes it, and the simulator takes what one state got in that run, or
says the run never reached it (issue 9's path picker "from a sample input ... or taken from a
past run"; issue 10's simulator "take one from a past run's state")."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import finished_run, open_designer, shoot
from tests.browser.test_browser_sample_input import sample_on_server

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/pastrun")
CreateMachine = Callable[[dict[str, Any]], str]

QUOTE: dict[str, Any] = {
    "StartAt": "Price it",
    "States": {
        "Price it": {
            "Type": "Pass",
            "Result": {"price": 40},
            "ResultPath": "$.quote",
            "Next": "Is it dear?",
        },
        "Is it dear?": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.quote.price", "NumericGreaterThan": 100, "Next": "Dear"}],
            "Default": "Cheap",
        },
        "Dear": {"Type": "Pass", "End": True},
        "Cheap": {"Type": "Pass", "End": True},
    },
}
RUN_INPUT = {"customer": "Ann", "items": 3}


def ann_order(page: Page, machine: str) -> str:
    run = finished_run(page, machine, json.dumps(RUN_INPUT), name="ann-order")
    assert run["status"] == "SUCCEEDED"
    return str(run["id"])


def take_from_run(page: Page, picker: str, run_id: str, shot: str | None = None) -> None:
    page.get_by_test_id(f"{picker}-open").click()
    entry = page.get_by_test_id(f"{picker}-list").locator(
        f'[data-testid="{picker}-run"][data-id="{run_id}"]'
    )
    expect(entry).to_contain_text("ann-order")
    expect(entry.get_by_test_id(f"{picker}-status")).to_have_text("Succeeded")
    if shot:
        shoot(page, SHOTS, shot, f"{picker}-list")
    entry.click()


def test_the_run_form_and_the_sample_take_a_past_runs_input(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(QUOTE)
    run_id = ann_order(page, machine)
    open_designer(page, machine)

    # The Run tab: the form fills in from the run's input.
    form = page.get_by_test_id("run-input-form")
    take_from_run(page, "run-input-from-run", run_id, shot="run-tab")
    expect(form.locator('[data-key="customer"]').get_by_test_id("kv-text")).to_have_value("Ann")
    expect(form.locator('[data-key="items"]').get_by_test_id("kv-number")).to_have_value("3")
    expect(page.get_by_test_id("run-input-from-run-list")).to_have_count(0)

    # The machine's sample becomes the run's input, on the server.
    page.get_by_test_id("tab-state").click()
    take_from_run(page, "sample-from-run", run_id)
    sample_on_server(page, machine, RUN_INPUT)


def test_the_simulator_takes_what_a_state_got_in_a_past_run(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(QUOTE)
    run_id = ann_order(page, machine)
    open_designer(page, machine)
    page.get_by_test_id("tab-simulate").click()

    # The Choice got the run's input with the quote that "Price it" added.
    page.get_by_test_id("sim-state").select_option("Is it dear?")
    take_from_run(page, "sim-input-from-run", run_id, shot="simulator")
    page.get_by_test_id("sim-input").get_by_test_id("raw-toggle").click()
    raw = page.get_by_test_id("sim-input").get_by_test_id("raw-json")
    expect(raw).to_have_value(re.compile("quote"))
    assert json.loads(raw.input_value()) == {**RUN_INPUT, "quote": {"price": 40}}

    # The run went to Cheap: it has nothing to give Dear, and says so.
    page.get_by_test_id("sim-state").select_option("Dear")
    take_from_run(page, "sim-input-from-run", run_id)
    expect(page.get_by_test_id("sim-input-from-run-error")).to_have_text(
        "The run “ann-order” never reached “Dear”."
    )
    shoot(page, SHOTS, "not-reached", "sim-input-from-run-list")
