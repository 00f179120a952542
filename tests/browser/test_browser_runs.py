"""Running a machine from the designer and watching it on the run view."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Request, expect

from tests.browser.definitions import IN_STOCK_PATH, ORDER, RECOVERING
from tests.browser.helpers import (
    add_field,
    api_call,
    node,
    open_designer,
    shoot,
    type_plain,
    type_run_input,
)

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/runform")

CreateMachine = Callable[[dict[str, Any]], str]


def run(page: Page, machine: str, input_text: str) -> None:
    open_designer(page, machine)
    type_run_input(page, input_text)
    page.get_by_test_id("run-button").click()


def test_it_colours_every_state_of_a_successful_run_green(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDER)
    run(page, machine, '{"quantity": 3}')

    expect(page.get_by_test_id("execution-status")).to_have_text("Succeeded")
    for state in IN_STOCK_PATH:
        expect(node(page, state)).to_have_attribute("data-status", "succeeded")
    expect(node(page, "Out of stock")).to_have_attribute("data-status", "idle")
    expect(page.get_by_test_id("execution-link")).to_have_attribute(
        "href", re.compile(r"^/executions/[0-9a-f-]+/$")
    )


def test_the_run_tab_opens_on_a_form_even_with_no_sample_input(
    page: Page, create_machine: CreateMachine
) -> None:
    """Issue 9: run input comes from a form, with raw JSON only for those who ask for it."""
    machine = create_machine(ORDER)
    open_designer(page, machine)
    form = page.get_by_test_id("run-input-form")
    expect(form).to_be_visible()
    expect(page.get_by_test_id("run-input")).to_have_count(0)
    type_plain(add_field(form, "quantity", "number").get_by_test_id("kv-number"), "3")
    shoot(page, SHOTS, "run-form")
    # The JSON is there for those who want it, and says what the form says.
    page.get_by_test_id("run-input-as-json").click()
    assert json.loads(page.get_by_test_id("run-input").input_value()) == {"quantity": 3}
    page.get_by_test_id("run-input-as-form").click()
    page.get_by_test_id("run-button").click()

    expect(page.get_by_test_id("execution-status")).to_have_text("Succeeded")
    execution = page.get_by_test_id("execution-link").get_attribute("href")
    assert execution is not None
    started = api_call(page, "GET", f"/api/v1{execution}")
    given = started["input"]
    assert (json.loads(given) if isinstance(given, str) else given) == {"quantity": 3}


def test_it_shows_the_state_that_failed(page: Page, create_machine: CreateMachine) -> None:
    machine = create_machine(ORDER)
    run(page, machine, '{"quantity": 50}')

    expect(page.get_by_test_id("execution-status")).to_have_text("Failed")
    expect(node(page, "Out of stock")).to_have_attribute("data-status", "failed")
    expect(node(page, "Is it in stock?")).to_have_attribute("data-status", "succeeded")
    expect(node(page, "Pack")).to_have_attribute("data-status", "idle")
    expect(page.get_by_test_id("run-summary")).to_contain_text("OutOfStock")


def test_it_refuses_input_that_is_not_json_without_starting_a_run(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDER)
    started: list[Request] = []
    page.on(
        "request",
        lambda request: started.append(request) if request.url.endswith("/executions/") else None,
    )
    run(page, machine, '{"quantity": ')

    expect(page.get_by_test_id("input-error")).to_contain_text("not valid JSON")
    page.wait_for_timeout(300)
    assert started == []
    expect(page.get_by_test_id("run-summary")).to_have_count(0)


def test_it_shows_the_run_with_its_events_and_each_states_data(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDER)
    run(page, machine, '{"quantity": 2}')
    expect(page.get_by_test_id("execution-status")).to_have_text("Succeeded")

    page.goto(page.get_by_test_id("execution-link").get_attribute("href") or "")

    expect(page.get_by_test_id("execution-status")).to_have_text("Succeeded")
    for state in IN_STOCK_PATH:
        expect(node(page, state)).to_have_attribute("data-status", "succeeded")
    rows = page.get_by_test_id("event-row")
    expect(rows.first).to_contain_text("ExecutionStarted")
    expect(rows.last).to_contain_text("ExecutionSucceeded")
    node(page, "Ship").click()
    expect(page.get_by_test_id("state-input")).to_contain_text('"quantity": 2')
    expect(page.get_by_test_id("state-output")).to_contain_text('"status": "shipped"')


def test_it_draws_the_version_that_ran_after_the_machine_changed(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDER)
    run(page, machine, '{"quantity": 1}')
    expect(page.get_by_test_id("execution-status")).to_have_text("Succeeded")
    run_view = page.get_by_test_id("execution-link").get_attribute("href") or ""

    states = {**ORDER["States"], "Pack": {**ORDER["States"]["Pack"], "Next": "Send"}}
    states["Send"] = states.pop("Ship")
    edited = {**ORDER, "States": states}
    api_call(page, "PUT", f"/api/v1/state-machines/{machine}/", {"definition": edited})
    page.goto(run_view)

    expect(node(page, "Ship")).to_have_attribute("data-status", "succeeded")
    expect(node(page, "Send")).to_have_count(0)
    expect(page.get_by_test_id("run-version")).to_have_text("version 1")


def test_it_shows_a_caught_failure_apart_from_a_fatal_one(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(RECOVERING)
    open_designer(page, machine)
    page.get_by_test_id("run-button").click()

    expect(page.get_by_test_id("execution-status")).to_have_text("Succeeded")
    expect(node(page, "Both")).to_have_attribute("data-status", "caught")
    expect(node(page, "Recover")).to_have_attribute("data-status", "succeeded")
    expect(node(page, "Done")).to_have_attribute("data-status", "idle")
