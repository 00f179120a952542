"""Opening a run with a large history in the run view, against the real server and worker.

A real run is started and finished through the API; its history is then replaced, in bulk in
the server's database, by a long one (a loop of its states, 25,002 events), since running that
many states through a browser test would take minutes. The run view must open it within a few
seconds on its latest events, hold only a page of it, and load the first event on demand.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, Request, expect

from tests.browser.helpers import api_call, shoot

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/history-scale")
# Even: the last state's exit (an odd id) comes before the run's end.
EVENTS = 25_002
STEPS = {
    "StartAt": "Step0",
    "States": {
        **{f"Step{n}": {"Type": "Pass", "Next": f"Step{n + 1}"} for n in range(4)},
        "Step4": {"Type": "Pass", "Result": {"done": True}, "End": True},
    },
}


def long_history(count: int) -> list[tuple[int, int, str, str, str, str]]:
    """(event_id, previous, type, details_key, timestamp, details) of a loop over the steps,
    as the interpreter shapes events: AWS's types and details members."""
    # As Django's SQLite backend writes an aware datetime: in UTC, without the offset.
    start = dt.datetime(2026, 1, 1)
    rows = []
    for n in range(1, count + 1):
        at = (start + dt.timedelta(milliseconds=n)).isoformat(sep=" ")
        step = f"Step{(n - 2) // 2 % 5}"
        if n == 1:
            kind, key, details = "ExecutionStarted", "executionStartedEventDetails", {"input": "{}"}
        elif n == count:
            kind, key, details = (
                "ExecutionSucceeded",
                "executionSucceededEventDetails",
                {"output": '{"done":true}'},
            )
        elif n % 2 == 0:
            kind, key, details = "PassStateEntered", "stateEnteredEventDetails", {"name": step}
            details["input"] = json.dumps({"lap": n // 10})
        else:
            kind, key = "PassStateExited", "stateExitedEventDetails"
            details = {"name": step, "output": json.dumps({"lap": n // 10})}
        rows.append((n, n - 1, kind, key, at, json.dumps(details)))
    return rows


def replace_history(server_env: dict[str, str], execution_id: str, count: int) -> None:
    """Writes ``count`` events for the run straight into the server's SQLite database."""
    path = urlparse(server_env["DATABASE_URL"]).path
    run = execution_id.replace("-", "")
    with sqlite3.connect(path, timeout=30) as db:
        db.execute("DELETE FROM executor_historyevent WHERE execution_id = ?", [run])
        db.executemany(
            "INSERT INTO executor_historyevent (execution_id, event_id, previous_event_id, type, "
            "details_key, timestamp, details) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(run, *row) for row in long_history(count)],
        )
        updated = db.execute(
            "UPDATE executor_execution SET last_event_id = ? WHERE id = ?", [count, run]
        )
        assert updated.rowcount == 1


def row(page: Page, event_id: int) -> Any:
    return page.locator(f"[data-testid=event-row][data-event-id='{event_id}']")


def test_it_opens_a_large_history_on_its_latest_events_and_loads_the_first_on_demand(
    page: Page, create_machine: Any, server_env: dict[str, str]
) -> None:
    machine = create_machine(STEPS)
    started = api_call(page, "POST", f"/api/v1/state-machines/{machine}/executions/", {})
    execution = started["id"]
    deadline = time.monotonic() + 30
    while api_call(page, "GET", f"/api/v1/executions/{execution}/")["status"] == "RUNNING":
        assert time.monotonic() < deadline, "the run did not finish"
        time.sleep(0.2)
    replace_history(server_env, execution, EVENTS)

    events_fetched: list[str] = []

    def note(request: Request) -> None:
        if "/history/" in request.url:
            events_fetched.append(request.url)

    page.on("request", note)
    opened_at = time.monotonic()
    page.goto(f"/executions/{execution}/")
    latest = row(page, EVENTS)
    expect(latest).to_be_visible(timeout=10_000)
    took = time.monotonic() - opened_at
    assert took < 5, f"the run view took {took:.1f} s to show its latest event"
    expect(latest).to_contain_text("ExecutionSucceeded")
    expect(latest).to_be_in_viewport()
    expect(page.get_by_test_id("event-count")).to_have_text("25,002 events")
    expect(page.get_by_test_id("event-table")).to_have_attribute("data-count", str(EVENTS))
    # It asked for the latest page only, not the history from its start.
    assert len(events_fetched) == 1, events_fetched
    assert f"before={EVENTS + 1}" in events_fetched[0]
    assert page.get_by_test_id("event-row").count() < 400
    expect(row(page, 1)).to_have_count(0)
    shoot(page, SHOTS, "run-view-large-history-latest")

    page.get_by_test_id("events-first").click()
    first = row(page, 1)
    expect(first).to_be_visible()
    expect(first).to_contain_text("ExecutionStarted")
    expect(first).to_be_in_viewport()
    assert any("before=501" in url for url in events_fetched), events_fetched
    expect(row(page, EVENTS)).to_have_count(0)
    row(page, 2).get_by_test_id("event-details-button").click()
    details = page.get_by_test_id("event-details")
    expect(details).to_contain_text("Step0")
    expect(details).to_contain_text('"lap": 0')

    # Dragged to the middle: the rows there are fetched and shown in order.
    page.locator(".events-window").evaluate("w => { w.scrollTop = w.scrollHeight / 2; }")
    middle = page.get_by_test_id("event-row").nth(120)
    expect(middle).to_be_visible()
    shown = int(middle.get_attribute("data-event-id") or 0)
    assert abs(shown - EVENTS / 2) < 200, shown
    expect(middle).to_contain_text("PassState")
    shoot(page, SHOTS, "run-view-large-history-start")

    page.get_by_test_id("events-latest").click()
    expect(row(page, EVENTS)).to_be_in_viewport()
