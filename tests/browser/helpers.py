"""What the browser tests do besides clicking: REST calls with the page's logged-in session."""

from __future__ import annotations

import json
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
