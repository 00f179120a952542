"""What the browser tests do besides clicking: REST calls with the page's logged-in session."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Locator, Page, expect


def csrf_token(page: Page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")


def api_call(page: Page, method: str, path: str, body: Any = None) -> Any:
    """Calls the REST API with the page's session, as the front end does."""
    response = page.request.fetch(
        path,
        method=method,
        headers={"X-CSRFToken": csrf_token(page), "Content-Type": "application/json"},
        data=None if body is None else json.dumps(body),
    )
    assert response.ok, f"{method} {path} answered {response.status}: {response.text()[:500]}"
    return response.json()


def node(page: Page, state: str) -> Locator:
    """A state's card on the canvas; it carries data-status, data-type and data-problems."""
    return page.get_by_test_id(f"node-{state}")


def open_designer(page: Page, machine: str) -> None:
    page.goto(f"/designer/{machine}/")
    expect(page.get_by_test_id("canvas")).to_be_visible()
    expect(page.locator(".react-flow__node").first).to_be_visible()


def type_run_input(page: Page, text: str) -> None:
    """Gives a run's input as JSON text, as a programmer would: the Run tab opens on the
    form, so this switches it to JSON first."""
    page.get_by_test_id("run-input-as-json").click()
    page.get_by_test_id("run-input").fill(text)


def sign_in(context: BrowserContext, username: str, password: str) -> Page:
    """A new page of ``context``, signed in through the login form as a person would."""
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def finished_run(
    page: Page, machine: str, run_input: Any, name: str | None = None
) -> dict[str, Any]:
    """Starts a run of ``machine`` over REST and waits for it to end; returns it as then."""
    body = {"input": run_input, **({"name": name} if name else {})}
    started = api_call(page, "POST", f"/api/v1/state-machines/{machine}/executions/", body)
    deadline = time.monotonic() + 30
    while (run := api_call(page, "GET", f"/api/v1/executions/{started['id']}/"))[
        "status"
    ] == "RUNNING":
        assert time.monotonic() < deadline, "the run did not finish"
        time.sleep(0.2)
    return run


def type_plain(box: Locator, text: str, enter: bool = True) -> None:
    """What a person who never saw JSON types: plain values, never JSON or a path. A one-line
    box takes it with Enter; a text area (a comment) when the person moves on."""
    assert "{" not in text and "$." not in text, f"a person who never saw JSON types {text!r}"
    box.fill(text)
    if enter:
        box.press("Enter")
    else:
        box.blur()


def add_field(editor: Locator, key: str, kind: str) -> Locator:
    """Adds a field to a key–value editor (its last row), names it and picks its kind."""
    editor.get_by_test_id("kv-add").last.click()
    row = editor.get_by_test_id("kv-row").last
    type_plain(row.get_by_test_id("kv-key").first, key)
    row = editor.locator(f'[data-testid="kv-row"][data-key="{key}"]').last
    row.get_by_test_id("kv-kind").first.select_option(kind)
    return row


def pick(page: Page, owner: Locator, path: str, index: int = 0) -> None:
    """Chooses a value from the tree of the sample data the state would get."""
    owner.get_by_test_id("pick-path").nth(index).click()
    popover = page.get_by_test_id("path-popover")
    popover.locator(f'[data-testid="path-option"][data-path="{path}"]').click()
    expect(popover).to_have_count(0)


# The two screen sizes every screen must work at (the issues' "Look at it").
SIZES = ((1440, 900), (1280, 720))


def shoot(
    page: Page, folder: Path, name: str, target: str | None = None, full_page: bool = False
) -> None:
    """Screenshots at both sizes, for a person to look at: ``folder/name-WxH.png``, with the
    ``target`` test id scrolled to the middle; the page is back at 1440x900 after."""
    folder.mkdir(parents=True, exist_ok=True)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(200)  # the layout settles at the new size
        if target is not None:
            page.get_by_test_id(target).evaluate("e => e.scrollIntoView({block: 'center'})")
        page.screenshot(path=str(folder / f"{name}-{width}x{height}.png"), full_page=full_page)
    page.set_viewport_size({"width": 1440, "height": 900})
