"""An operator at work on the run view: stopping, redriving, answering approvals; and the
designer's live list of recent runs."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.definitions import APPROVAL, LONG_PAUSE, PAUSE, SORTING_MAP
from tests.browser.helpers import api_call, node, open_designer, type_run_input

pytestmark = pytest.mark.browser

CreateMachine = Callable[[dict[str, Any]], str]


def start(page: Page, machine: str, run_input: Any = None) -> str:
    """Starts a run over REST and returns its id."""
    body = {} if run_input is None else {"input": run_input}
    return str(api_call(page, "POST", f"/api/v1/state-machines/{machine}/executions/", body)["id"])


def events(page: Page) -> Any:
    return page.get_by_test_id("event-row")


def test_it_stops_a_waiting_run_with_the_error_and_cause_given(
    page: Page, create_machine: CreateMachine
) -> None:
    execution = start(page, create_machine(LONG_PAUSE))
    page.goto(f"/executions/{execution}/")
    expect(node(page, "Pause")).to_have_attribute("data-status", "running")
    expect(page.get_by_test_id("redrive-button")).to_have_count(0)

    page.get_by_test_id("stop-button").click()
    page.get_by_test_id("stop-error").fill("Cancelled")
    page.get_by_test_id("stop-cause").fill("nobody needs it")
    page.get_by_test_id("stop-confirm-button").click()

    expect(page.get_by_test_id("execution-status")).to_have_text("Aborted")
    expect(node(page, "Pause")).to_have_attribute("data-status", "failed")
    expect(page.get_by_test_id("stop-button")).to_have_count(0)
    expect(events(page).last).to_contain_text("ExecutionAborted")
    stored = api_call(page, "GET", f"/api/v1/executions/{execution}/")
    assert (stored["status"], stored["error"], stored["cause"]) == (
        "ABORTED",
        "Cancelled",
        "nobody needs it",
    )


def test_it_keeps_a_run_going_when_the_stop_is_cancelled(
    page: Page, create_machine: CreateMachine
) -> None:
    execution = start(page, create_machine(LONG_PAUSE))
    page.goto(f"/executions/{execution}/")
    page.get_by_test_id("stop-button").click()
    page.get_by_role("button", name="Cancel").click()

    expect(page.get_by_test_id("stop-confirm")).to_have_count(0)
    page.wait_for_timeout(300)
    expect(page.get_by_test_id("execution-status")).to_have_text("Running")
    api_call(page, "POST", f"/api/v1/executions/{execution}/stop/", {})


def test_it_redrives_an_aborted_run_and_colours_it_live_to_success(
    page: Page, create_machine: CreateMachine
) -> None:
    execution = start(page, create_machine(PAUSE))
    api_call(page, "POST", f"/api/v1/executions/{execution}/stop/", {})
    page.goto(f"/executions/{execution}/")
    expect(page.get_by_test_id("execution-status")).to_have_text("Aborted")

    page.get_by_test_id("redrive-button").click()

    expect(page.get_by_test_id("execution-status")).to_have_text("Running")
    expect(page.get_by_test_id("redrive-count")).to_have_text("redriven 1×")
    expect(page.get_by_test_id("execution-status")).to_have_text("Succeeded", timeout=20_000)
    for state in ["Prepare", "Pause", "Done"]:
        expect(node(page, state)).to_have_attribute("data-status", "succeeded")
    expect(events(page).filter(has_text="ExecutionRedriven")).to_have_count(1)
    expect(page.get_by_test_id("redrive-button")).to_have_count(0)


def test_it_approves_a_waiting_task_with_the_output_given(
    page: Page, create_machine: CreateMachine
) -> None:
    execution = start(page, create_machine(APPROVAL), {"amount": 42})
    page.goto(f"/executions/{execution}/")

    panel = page.get_by_test_id("approval-panel")
    expect(panel).to_contain_text("Waiting for approval at Ask manager")
    expect(page.get_by_test_id("approval-data")).to_contain_text("amount: 42")
    expect(node(page, "Ask manager")).to_have_attribute("data-status", "waiting")
    expect(page.locator(".legend")).to_contain_text("Waiting for approval")
    node(page, "Ask manager").click()
    expect(page.get_by_test_id("state-status")).to_have_text("Waiting for approval")

    # Experts may still answer with any JSON output.
    page.get_by_text("Answer with JSON (advanced)").click()
    expect(page.get_by_test_id("approval-output")).to_have_value("{}")
    page.get_by_test_id("approval-output").fill('{"approved": true}')
    page.get_by_test_id("approval-send-json").click()

    expect(page.get_by_test_id("execution-status")).to_have_text("Succeeded")
    expect(page.get_by_test_id("approval-card")).to_have_count(0)
    expect(node(page, "Ask manager")).to_have_attribute("data-status", "succeeded")
    expect(node(page, "Pay")).to_have_attribute("data-status", "succeeded")
    stored = api_call(page, "GET", f"/api/v1/executions/{execution}/")
    assert stored["output"]["decision"] == {"approved": True}


def test_it_refuses_an_approval_output_that_is_not_json(
    page: Page, create_machine: CreateMachine
) -> None:
    execution = start(page, create_machine(APPROVAL), {"amount": 1})
    page.goto(f"/executions/{execution}/")
    page.get_by_text("Answer with JSON (advanced)").click()
    page.get_by_test_id("approval-output").fill("{approved")
    page.get_by_test_id("approval-send-json").click()

    expect(page.get_by_test_id("approval-error")).to_contain_text("not valid JSON")
    page.wait_for_timeout(300)
    expect(page.get_by_test_id("execution-status")).to_have_text("Running")
    api_call(page, "POST", f"/api/v1/executions/{execution}/stop/", {})


def test_it_rejects_a_waiting_task_with_the_comment_as_cause(
    page: Page, create_machine: CreateMachine
) -> None:
    execution = start(page, create_machine(APPROVAL), {"amount": 9000})
    page.goto(f"/executions/{execution}/")

    page.get_by_test_id("approval-comment").fill("Too expensive")
    page.get_by_test_id("reject-button").click()

    expect(page.get_by_test_id("execution-status")).to_have_text("Failed")
    expect(page.get_by_test_id("approval-card")).to_have_count(0)
    expect(page.get_by_test_id("approval-answer")).to_contain_text("Rejected Ask manager")
    expect(node(page, "Ask manager")).to_have_attribute("data-status", "failed")
    expect(node(page, "Pay")).to_have_attribute("data-status", "idle")
    stored = api_call(page, "GET", f"/api/v1/executions/{execution}/")
    assert (stored["error"], stored["cause"]) == ("Rejected", "Too expensive")


def test_it_lists_the_machines_runs_and_updates_them_live(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(PAUSE)
    earlier = start(page, machine)
    open_designer(page, machine)
    page.get_by_test_id("tab-runs").click()
    expect(page.get_by_test_id("recent-run")).to_have_count(1)

    later = start(page, machine)

    rows = page.get_by_test_id("recent-run")
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_attribute("data-id", later)
    expect(rows.last).to_have_attribute("data-id", earlier)
    expect(rows.first.get_by_role("link")).to_have_attribute("href", f"/executions/{later}/")
    expect(rows.first).to_have_attribute("data-status", "SUCCEEDED", timeout=20_000)
    expect(rows.first.get_by_test_id("recent-run-status")).to_have_text("Succeeded")


def test_it_shows_a_maps_inner_states_with_their_counts_over_the_iterations(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(SORTING_MAP)
    execution = start(page, machine, {"items": [1, 2, 5]})
    page.goto(f"/executions/{execution}/")
    expect(page.get_by_test_id("execution-status")).to_have_text("Succeeded")

    expect(page.get_by_test_id("node-iterations-Each item")).to_have_text(
        "3 iterations: 2 succeeded · 1 failed"
    )
    # A Map is drawn open, its steps inside: its title bar selects it.
    node(page, "Each item").locator(".container-head").click()

    expect(page.get_by_test_id("inner-Look")).to_have_attribute("data-status", "succeeded")
    expect(page.get_by_test_id("inner-counts-Look")).to_have_text("3 succeeded")
    expect(page.get_by_test_id("inner-counts-Keep")).to_have_text("2 succeeded")
    expect(page.get_by_test_id("inner-Too big")).to_have_attribute("data-status", "failed")
    expect(page.get_by_test_id("inner-counts-Too big")).to_have_text("1 failed")

    open_designer(page, machine)
    node(page, "Each item").locator(".container-head").click()
    expect(page.get_by_test_id("inner-Keep")).to_have_attribute("data-status", "idle")


def test_it_says_why_a_redrive_was_refused(page: Page, create_machine: CreateMachine) -> None:
    execution = start(page, create_machine(LONG_PAUSE))
    api_call(page, "POST", f"/api/v1/executions/{execution}/stop/", {})
    # Deaf to live events, the page still offers a redrive that someone else has just made.
    page.route_web_socket(re.compile(r"/ws/"), lambda socket: None)
    page.goto(f"/executions/{execution}/")
    expect(page.get_by_test_id("execution-status")).to_have_text("Aborted")
    api_call(page, "POST", f"/api/v1/executions/{execution}/redrive/")

    page.get_by_test_id("redrive-button").click()

    expect(page.get_by_test_id("operation-error")).to_contain_text("ExecutionNotRedrivable")
    api_call(page, "POST", f"/api/v1/executions/{execution}/stop/", {})


def test_it_answers_an_approval_from_the_designer_after_a_run_started_there(
    page: Page, create_machine: CreateMachine
) -> None:
    open_designer(page, create_machine(APPROVAL))
    type_run_input(page, '{"amount": 7}')
    page.get_by_test_id("run-button").click()

    expect(page.get_by_test_id("approval-state")).to_have_text("Ask manager")
    expect(node(page, "Ask manager")).to_have_attribute("data-status", "waiting")
    page.get_by_test_id("approve-button").click()

    expect(page.get_by_test_id("execution-status")).to_have_text("Succeeded")
    expect(node(page, "Pay")).to_have_attribute("data-status", "succeeded")
