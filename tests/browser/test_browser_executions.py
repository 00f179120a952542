"""The executions page and the run view's Choice trace, against a real server and worker."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.definitions import LONG_PAUSE, ORDER
from tests.browser.helpers import api_call, node, shoot

pytestmark = pytest.mark.browser

CreateMachine = Callable[[dict[str, Any]], str]
SHOTS = Path("/tmp/shots/executions")


def start(page: Page, machine: str, name: str, run_input: Any) -> str:
    body = {"name": name, "input": run_input}
    return str(api_call(page, "POST", f"/api/v1/state-machines/{machine}/executions/", body)["id"])


def test_it_finds_one_run_among_many_by_filters_and_data_then_reads_its_choice_trace(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDER)
    batch = uuid.uuid4().hex[:6]
    for n in range(12):
        start(page, machine, f"order-{batch}-{n:02}", {"quantity": 3 + n, "customer": {"id": n}})

    page.goto("/executions/")
    expect(page.get_by_test_id("run-row").first).to_be_visible()
    page.get_by_test_id("filter-machine").select_option(machine)
    page.get_by_test_id("filter-search").fill(f"order-{batch}")
    page.get_by_test_id("apply-filters").click()
    expect(page.get_by_test_id("run-row")).to_have_count(12)
    # Runs finish while the page is open: the list follows them live.
    expect(page.locator("[data-testid=run-row] [data-status=FAILED]")).to_have_count(
        4
    )  # quantities 11 to 14

    page.get_by_test_id("filter-data-path").fill("$.customer.id")
    page.get_by_test_id("filter-data-value").fill("9")
    page.get_by_test_id("apply-filters").click()
    rows = page.get_by_test_id("run-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-name", f"order-{batch}-09")
    expect(rows.first.get_by_test_id("run-status")).to_have_text("Failed")
    shoot(page, SHOTS, "executions-page-search")

    # The filters are in the address: a reload shows the same run.
    page.reload()
    expect(page.get_by_test_id("run-row")).to_have_count(1)
    expect(page.get_by_test_id("filter-data-path")).to_have_value("$.customer.id")

    page.get_by_test_id("run-row").first.get_by_role("link", name=f"order-{batch}-09").click()
    expect(page.get_by_test_id("execution-status")).to_have_text("Failed")
    node(page, "Is it in stock?").click()
    trace = page.get_by_test_id("choice-trace")
    expect(trace).to_be_visible()
    rule = trace.get_by_test_id("trace-rule").first
    # Its quantity is 3 + 9 = 12: the rule `$.quantity ≤ 10` did not match, the default did.
    expect(rule).to_contain_text("$.quantity = 12")
    expect(rule).to_contain_text("≤ 10")
    expect(rule).to_have_class("trace-rule trace-false")
    expect(trace).to_contain_text("no rule matched")
    expect(trace.get_by_test_id("trace-next")).to_have_text("Out of stock")
    shoot(page, SHOTS, "run-view-choice-trace")


def test_it_stops_the_selected_runs_at_once(page: Page, create_machine: CreateMachine) -> None:
    machine = create_machine(LONG_PAUSE)
    for n in range(3):
        start(page, machine, f"waiting-{n}", {"n": n})

    page.goto(f"/executions/?machine={machine}")
    rows = page.get_by_test_id("run-row")
    expect(rows).to_have_count(3)
    expect(page.get_by_test_id("count-RUNNING")).to_have_text("3")
    page.get_by_test_id("select-all").check()
    expect(page.get_by_test_id("bulk-bar")).to_contain_text("3 selected")
    shoot(page, SHOTS, "executions-page-selected")
    page.get_by_test_id("bulk-stop").click()

    expect(page.get_by_test_id("bulk-results")).to_contain_text("3 of 3 done")
    expect(page.locator("[data-testid=run-row] [data-status=ABORTED]")).to_have_count(3)
    expect(page.get_by_test_id("count-ABORTED")).to_have_text("3")
    expect(page.get_by_test_id("count-RUNNING")).to_have_text("0")
    listed = api_call(page, "GET", f"/api/v1/executions/?machine={machine}")["executions"]
    assert {run["status"] for run in listed} == {"ABORTED"}


def test_a_run_named_in_the_designer_survives_a_reload_and_is_listed_by_name(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(LONG_PAUSE)
    page.goto(f"/designer/{machine}/")
    run_name = f"named-{uuid.uuid4().hex[:6]}"
    page.get_by_test_id("run-name").fill(run_name)
    page.get_by_test_id("run-button").click()
    expect(node(page, "Pause")).to_have_attribute("data-status", "running")
    expect(page.get_by_test_id("run-summary")).to_contain_text(run_name)

    page.reload()
    # The run under way is shown again, still live.
    expect(node(page, "Pause")).to_have_attribute("data-status", "running")
    expect(page.get_by_test_id("run-summary")).to_contain_text(run_name)

    page.goto(f"/executions/?machine={machine}")
    expect(page.get_by_test_id("run-row")).to_have_count(1)
    expect(page.get_by_test_id("run-row").first).to_have_attribute("data-name", run_name)


def test_a_long_history_draws_only_the_rows_in_view_and_scrolls_to_its_end(
    page: Page, create_machine: CreateMachine
) -> None:
    states = {f"Step{n}": {"Type": "Pass", "Next": f"Step{n + 1}"} for n in range(299)}
    states["Step299"] = {"Type": "Pass", "Result": {"done": True}, "End": True}
    machine = create_machine({"StartAt": "Step0", "States": states})
    execution = start(page, machine, "long", {"n": 1})
    page.goto(f"/executions/{execution}/")
    expect(page.get_by_test_id("execution-status")).to_have_text("Succeeded")
    table = page.get_by_test_id("event-table")
    expect(table).to_have_attribute("data-count", "602")
    drawn = page.get_by_test_id("event-row").count()
    assert drawn < 602, f"{drawn} rows drawn for 602 events"

    page.locator(".events-window").evaluate("w => { w.scrollTop = w.scrollHeight; }")
    last = page.get_by_test_id("event-row").last
    expect(last).to_contain_text("ExecutionSucceeded")
    expect(last).to_be_in_viewport(ratio=1)
    page.set_viewport_size({"width": 1280, "height": 720})
    page.locator(".events-window").evaluate("w => { w.scrollTop = w.scrollHeight; }")
    expect(last).to_be_in_viewport(ratio=1)
    page.set_viewport_size({"width": 1440, "height": 900})
    last.get_by_test_id("event-details-button").click()
    details = page.get_by_test_id("event-details")
    # The output is JSON text in AWS's history: shown as the JSON it holds.
    expect(details).to_contain_text('"done": true')
    expect(details).not_to_contain_text('\\"done\\"')
    shoot(page, SHOTS, "run-view-long-history")


def test_the_list_and_its_counts_follow_runs_live(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(LONG_PAUSE)
    page.goto(f"/executions/?machine={machine}")
    expect(page.get_by_test_id("no-runs")).to_be_visible()

    # Started and stopped elsewhere (a program, another operator): no reload here.
    execution = start(page, machine, "arrives-live", {})
    row = page.locator("[data-testid=run-row][data-name=arrives-live]")
    expect(row.get_by_test_id("run-status")).to_have_text("Running")
    expect(page.get_by_test_id("count-RUNNING")).to_have_text("1")
    api_call(page, "POST", f"/api/v1/executions/{execution}/stop/", {})
    expect(row.get_by_test_id("run-status")).to_have_text("Aborted")
    expect(page.get_by_test_id("count-ABORTED")).to_have_text("1")
    expect(page.get_by_test_id("count-RUNNING")).to_have_text("0")


def test_a_bulk_stop_says_in_words_why_a_run_was_not_stopped(
    page: Page, create_machine: CreateMachine
) -> None:
    """The API's refusal ({code, message}) reaches the person as its message."""
    machine = create_machine(LONG_PAUSE)
    ended = start(page, machine, "ended-already", {})
    start(page, machine, "still-waiting", {})
    page.goto(f"/executions/?machine={machine}")
    expect(page.get_by_test_id("run-row")).to_have_count(2)
    page.get_by_test_id("select-all").check()
    api_call(page, "POST", f"/api/v1/executions/{ended}/stop/", {})
    page.get_by_test_id("bulk-stop").click()

    results = page.get_by_test_id("bulk-results")
    expect(results).to_contain_text("1 of 2 done")
    expect(results).to_contain_text("ended-already: The execution has already ended (ABORTED).")
    shoot(page, SHOTS, "executions-page-bulk-refusal")
