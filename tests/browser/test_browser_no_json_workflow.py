"""Issue 9's first "Done when": a person who doesn't program builds a 14-state order workflow
with clicks, drags and plain values only (never typing `{` or `$.`), saves it, runs it from the
input form, approves it from the run panel and sees it succeed with the order's data kept.

It runs on the production parts: Daphne on PostgreSQL and Redis, and a separate
`celery -A config worker` process. The states follow the ASL spec
(https://states-language.net/#state-types); the approval is AWS's callback pattern
(https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Locator, Page, expect

from tests import servers
from tests.browser.conftest import PASSWORD, USERNAME
from tests.browser.helpers import add_field, api_call, node, pick, shoot, type_plain

pytestmark = [pytest.mark.browser, pytest.mark.integration]

SHOTS = Path("/tmp/shots/designer-build")


@pytest.fixture(scope="module")
def database_url(production_services: None) -> Iterator[str]:
    """A PostgreSQL database of this module's own, migrated by manage.py and dropped after.
    (pytest-django's test database cannot be used here: Playwright's sync API keeps an event
    loop running in this thread, and Django refuses its synchronous queries there.)"""
    import psycopg

    server = settings.DATABASES["default"]
    name = f"test_no_json_{os.getpid()}"
    connect = {
        "host": server.get("HOST") or "127.0.0.1",
        "port": server.get("PORT") or 5432,
        "user": server.get("USER") or "postgres",
        "password": server.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **connect) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    credentials = connect["user"] + (f":{connect['password']}" if connect["password"] else "")
    try:
        yield f"postgres://{credentials}@{connect['host']}:{connect['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **connect) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def server_url(database_url: str) -> Iterator[str]:
    """This module's own server: Daphne and a separate Celery worker process on PostgreSQL and
    Redis (the session's server is the embedded default, with its worker in a thread)."""
    env = servers.environment(
        DATABASE_URL=database_url,
        REDIS_URL=settings.REDIS_URL,
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
        API_THROTTLE_USER="100000/second",
    )
    servers.manage("migrate", "--verbosity", "0", env=env)
    servers.manage("createsuperuser", "--noinput", "--username", USERNAME, "--email", "", env=env)
    port = servers.free_port()
    with servers.start_celery_worker(env, concurrency=2), servers.start_daphne(port, env):
        yield f"http://127.0.0.1:{port}"


FREE_SPACE = """([width, height]) => {
  // Where a person would drop a card: a spot of empty canvas as big as a card.
  const pane = document.querySelector('[data-testid=canvas] .react-flow').getBoundingClientRect();
  const empty = (x, y) => {
    const hit = document.elementFromPoint(x, y);
    return hit !== null && hit.closest('.react-flow') !== null &&
      hit.closest('.react-flow__node, .react-flow__panel, .react-flow__edgelabel-renderer') === null;
  };
  for (let y = pane.top + 30; y + height < pane.bottom - 30; y += 20)
    for (let x = pane.left + 30; x + width < pane.right - 30; x += 20) {
      const corners = [[x, y], [x + width, y], [x, y + height], [x + width, y + height],
                       [x + width / 2, y + height / 2]];
      if (corners.every(([cx, cy]) => empty(cx, cy)))
        return {x: x + width / 2 - pane.left, y: y + height / 2 - pane.top};
    }
  return null;
}"""


def free_space(page: Page) -> dict[str, float]:
    """A spot of empty canvas where a card fits; the view is tidied first if there is none."""
    spot = page.evaluate(FREE_SPACE, [260, 120])
    if spot is None:
        page.get_by_role("button", name="Show the machine at a size you can read").click()
        page.wait_for_timeout(300)
        spot = page.evaluate(FREE_SPACE, [260, 120])
    assert spot is not None, "no empty canvas left to drop on"
    return dict(spot)


def bring_into_view(page: Page, card: Locator) -> None:
    """Pans the canvas, as a person drags it, until the card is on screen."""
    pane = page.locator("[data-testid=canvas] .react-flow").bounding_box()
    assert pane is not None
    for _ in range(4):
        box = card.bounding_box()
        assert box is not None
        width, height = min(box["width"], 200), min(box["height"], 60)
        if (
            box["x"] >= pane["x"]
            and box["y"] >= pane["y"]
            and box["x"] + width <= pane["x"] + pane["width"]
            and box["y"] + height <= pane["y"] + pane["height"] - 40
        ):
            return
        # Finding empty canvas may refit the view: the card is measured again after it.
        start = free_space(page)
        page.wait_for_timeout(300)
        box = card.bounding_box()
        assert box is not None
        page.mouse.move(pane["x"] + start["x"], pane["y"] + start["y"])
        page.mouse.down()
        dx = pane["x"] + pane["width"] / 2 - (box["x"] + width / 2)
        dy = pane["y"] + pane["height"] / 2 - (box["y"] + height / 2)
        page.mouse.move(pane["x"] + start["x"] + dx, pane["y"] + start["y"] + dy, steps=8)
        page.mouse.up()
        page.wait_for_timeout(100)
    raise AssertionError("the card could not be brought into view")


FREE_INSIDE = """(element) => {
  // Empty room inside a container or lane: its own background, not a card or a button in it.
  const owner = element.closest('.react-flow__node');
  const box = element.getBoundingClientRect();
  const own = (x, y) => {
    const hit = document.elementFromPoint(x, y);
    return hit !== null && hit.closest('.react-flow__node') === owner &&
      hit.closest('button, .container-head') === null;
  };
  for (let y = box.top + 4; y + 20 < box.bottom; y += 4)
    for (let x = box.left + 4; x + 60 < box.right; x += 4)
      if ([[x, y], [x + 60, y], [x, y + 20], [x + 60, y + 20]].every(([a, b]) => own(a, b)))
        return {x: x + 30 - box.left, y: y + 10 - box.top};
  return null;
}"""


def drop(page: Page, item: str, target: Locator, position: dict[str, float] | None = None) -> None:
    """Drags a palette item onto the canvas, or onto empty room inside a container."""
    if position is None:
        bring_into_view(page, target)
        position = target.evaluate(FREE_INSIDE)
        assert position is not None, "no room left inside the container"
    page.get_by_test_id(f"palette-{item}").drag_to(target, target_position=position)


def rename(page: Page, old: str, new: str) -> None:
    select(page, old)
    type_plain(page.get_by_test_id("field-name"), new)
    expect(node(page, new)).to_be_visible()


def select(page: Page, state: str) -> None:
    """Opens a state's form by clicking its card (a container's card by its title bar)."""
    card = node(page, state)
    bring_into_view(page, card)
    head = card.locator(".container-head")
    (head.first if head.count() else card).click(position={"x": 12, "y": 12})
    expect(page.get_by_test_id("field-name")).to_have_value(state)


def go_next(page: Page, state: str, to: str) -> None:
    select(page, state)
    page.get_by_test_id("field-next").select_option(to)


def keep_result_as(page: Page, key: str) -> None:
    """The data flow's "Where the result goes": kept beside the data, under a plain name."""
    details = page.locator("details.data-flow")
    if details.get_attribute("open") is None:
        details.locator("> summary").click()
    page.get_by_test_id("field-resultpath-where").select_option("beside")
    type_plain(page.get_by_test_id("field-resultpath-key"), key)


def test_a_person_builds_runs_and_approves_a_14_state_order_workflow_without_json(
    page: Page,
) -> None:
    machine = f"Orders-{uuid.uuid4().hex[:6]}"

    # A new machine from the list page: it starts with one Pass.
    page.goto("/")
    type_plain(page.get_by_placeholder("Name of a new state machine"), machine)
    page.wait_for_url(f"**/designer/{machine}/")
    expect(node(page, "Start here")).to_be_visible()
    rename(page, "Start here", "Receive order")

    # The sample input, once for the machine, from the form.
    page.locator("[data-testid=canvas] .react-flow__pane").click(position=free_space(page))
    page.get_by_test_id("tab-state").click()
    machine_settings = page.get_by_test_id("machine-settings")
    machine_settings.get_by_test_id("add-sample-input").click()
    sample = machine_settings.get_by_test_id("sample-editor")
    type_plain(add_field(sample, "order", "text").get_by_test_id("kv-text"), "A-17")
    type_plain(add_field(sample, "total", "number").get_by_test_id("kv-number"), "1500")
    type_plain(add_field(sample, "tier", "text").get_by_test_id("kv-text"), "gold")
    lines = add_field(sample, "lines", "list")
    for sku in ("pen", "ink"):
        lines.get_by_test_id("kv-add-item").click()
        item = lines.get_by_test_id("kv-item").last
        item.get_by_test_id("kv-kind").first.select_option("object")
        type_plain(add_field(item, "sku", "text").get_by_test_id("kv-text"), sku)

    # The top-level states, each dragged from the palette into free space on the canvas.
    canvas = page.get_by_test_id("canvas")
    for item, name in (
        ("Wait", "Wait a moment"),
        ("Choice", "Which order?"),
        ("Approval", "Manager approval"),
        ("Fail", "Refused"),
        ("Map", "Each line"),
        ("Parallel", "Checks"),
        ("Succeed", "Done"),
    ):
        drop(page, item, canvas, free_space(page))
        expect(node(page, item)).to_be_visible()
        # Dropped on empty canvas, it stays at the top level, outside every container.
        assert node(page, item).get_attribute("data-key") == item
        rename(page, item, name)

    # The Map's two steps: its own, renamed, and a Pass dragged into the container.
    rename(page, "Item step", "Price line")
    drop(page, "Pass", node(page, "Each line"))
    expect(node(page, "Pass")).to_be_visible()
    rename(page, "Pass", "Pack line")
    go_next(page, "Price line", "Pack line")
    select(page, "Each line")
    pick(page, page.locator(".path-input", has=page.get_by_test_id("field-itemspath")), "$.lines")
    keep_result_as(page, "packed")

    # The Parallel: a second branch from its title bar, a Pass dragged into each lane.
    rename(page, "Branch step", "Check stock")
    node(page, "Checks").get_by_test_id("add-branch-Checks").click()
    expect(page.get_by_test_id("lane-2")).to_be_visible()
    rename(page, "Branch step", "Check credit")
    for lane, first, second in (
        (1, "Check stock", "Reserve stock"),
        (2, "Check credit", "Note credit"),
    ):
        drop(page, "Pass", page.get_by_test_id(f"lane-{lane}"))
        expect(node(page, "Pass")).to_be_visible()
        rename(page, "Pass", second)
        go_next(page, first, second)
    select(page, "Checks")
    keep_result_as(page, "checks")

    # The Wait: two seconds, a plain number.
    select(page, "Wait a moment")
    type_plain(page.get_by_test_id("field-seconds"), "2")

    # The Choice: a numeric rule, a string rule, each on a value picked from the sample data.
    select(page, "Which order?")
    page.get_by_test_id("add-rule").click()
    big = page.get_by_test_id("rule-0")
    pick(page, big, "$.total")
    big.get_by_test_id("rule-operator").select_option("NumericGreaterThan")
    type_plain(big.get_by_test_id("rule-value"), "1000")
    big.get_by_test_id("rule-next").select_option("Manager approval")
    expect(big.get_by_test_id("rule-sentence")).to_have_text(
        "If total is greater than 1000, go to “Manager approval”."
    )
    page.get_by_test_id("add-rule").click()
    blocked = page.get_by_test_id("rule-1")
    pick(page, blocked, "$.tier")
    type_plain(blocked.get_by_test_id("rule-value"), "blocked")
    blocked.get_by_test_id("rule-next").select_option("Refused")
    expect(blocked.get_by_test_id("rule-sentence")).to_have_text(
        "If tier is “blocked”, go to “Refused”."
    )
    page.get_by_test_id("field-default").select_option("Each line")
    expect(page.get_by_test_id("no-default-warning")).to_have_count(0)

    # The Approval: a question, a group, a time to answer; the answer is kept beside the data.
    select(page, "Manager approval")
    form = page.get_by_test_id("approval-form")
    type_plain(form.get_by_test_id("approval-prompt"), "Ship this order?", enter=False)
    form.get_by_test_id("approval-timeout").fill("1")
    form.get_by_test_id("approval-timeout-unit").select_option(label="days")
    expect(form.get_by_test_id("approval-where")).to_have_value("beside")
    expect(form.get_by_test_id("approval-result-key")).to_have_value("approval")

    # The arrows, chosen from menus.
    go_next(page, "Receive order", "Wait a moment")
    go_next(page, "Wait a moment", "Which order?")
    go_next(page, "Manager approval", "Each line")
    go_next(page, "Each line", "Checks")
    go_next(page, "Checks", "Done")

    expect(page.get_by_test_id("problem-count")).to_have_text("No problems")
    # Built piece by piece, the cards are where they were dropped: tidy them, then save.
    page.get_by_role("button", name="Tidy layout").click()
    page.wait_for_timeout(500)
    page.get_by_role("button", name="Show the machine at a size you can read").click()
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Saved as version")
    saved = api_call(page, "GET", f"/api/v1/state-machines/{machine}/")["definition"]
    states = saved["States"]
    assert len(states) == 8
    inner = (
        list(states["Each line"]["ItemProcessor"]["States"])
        + list(states["Checks"]["Branches"][0]["States"])
        + list(states["Checks"]["Branches"][1]["States"])
    )
    assert len(states) + len(inner) == 14
    assert saved["StartAt"] == "Receive order"
    assert states["Which order?"]["Choices"] == [
        {"Variable": "$.total", "NumericGreaterThan": 1000, "Next": "Manager approval"},
        {"Variable": "$.tier", "StringEquals": "blocked", "Next": "Refused"},
    ]
    assert states["Which order?"]["Default"] == "Each line"
    assert states["Each line"]["ItemsPath"] == "$.lines"
    assert states["Each line"]["ResultPath"] == "$.packed"
    assert states["Checks"]["ResultPath"] == "$.checks"
    assert states["Manager approval"]["Resource"].endswith(".waitForTaskToken")
    assert states["Manager approval"]["ResultPath"] == "$.approval"
    assert states["Wait a moment"]["Seconds"] == 2
    branches = states["Checks"]["Branches"]
    assert [(b["StartAt"], b["States"][b["StartAt"]]["Next"]) for b in branches] == [
        ("Check stock", "Reserve stock"),
        ("Check credit", "Note credit"),
    ]
    assert sum(len(b["States"]) for b in branches) == 4
    select(page, "Which order?")
    shoot(page, SHOTS, "designer-14-states")

    # The run: its input is the form made from the sample input; one value changed.
    page.get_by_test_id("tab-run").click()
    run_form = page.get_by_test_id("run-input-form")
    type_plain(run_form.locator('[data-key="total"]').get_by_test_id("kv-number"), "2400")
    page.get_by_test_id("run-button").click()
    card = page.get_by_test_id("approval-card")
    expect(card).to_have_attribute("data-state", "Manager approval", timeout=30_000)
    expect(card.get_by_test_id("approval-prompt-text")).to_have_text("Ship this order?")
    expect(node(page, "Manager approval")).to_have_attribute("data-status", "waiting")
    type_plain(card.get_by_test_id("approval-comment"), "fine by me", enter=False)
    card.get_by_test_id("approve-button").click()
    expect(page.get_by_test_id("execution-status")).to_have_text("Succeeded", timeout=30_000)
    for state in ("Done", "Price line", "Note credit", "Reserve stock"):
        expect(node(page, state)).to_have_attribute("data-status", "succeeded")
    expect(node(page, "Refused")).to_have_attribute("data-status", "idle")

    link = page.get_by_test_id("execution-link").get_attribute("href")
    assert link is not None
    run: dict[str, Any] = api_call(page, "GET", f"/api/v1{link}")
    output = run["output"]
    # The order's data is kept: every field of the input, plus what the steps added.
    assert (output["order"], output["total"], output["tier"]) == ("A-17", 2400, "gold")
    assert output["lines"] == [{"sku": "pen"}, {"sku": "ink"}]
    assert output["packed"] == [{"sku": "pen"}, {"sku": "ink"}]
    assert len(output["checks"]) == 2
    assert output["checks"][0]["order"] == "A-17"
    approval = output["approval"]
    assert (approval["approved"], approval["comment"], approval["by"]) == (
        True,
        "fine by me",
        USERNAME,
    )

    page.goto(link)
    expect(page.get_by_test_id("execution-status")).to_have_text("Succeeded")
    expect(node(page, "Pack line")).to_have_attribute("data-status", "succeeded")
    shoot(page, SHOTS, "run-view-14-states")
