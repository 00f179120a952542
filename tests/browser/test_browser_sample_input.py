"""A machine's sample input is kept on the server, for everyone who opens the machine: given
once from the form, it is there in another browser, and one an earlier Statecraft kept in this
browser moves to the server the first time the designer opens (issue 9)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PASSWORD, USERNAME
from tests.browser.definitions import ORDER
from tests.browser.helpers import add_field, api_call, open_designer, sign_in, type_plain

pytestmark = pytest.mark.browser

CreateMachine = Callable[[dict[str, Any]], str]


def sample_on_server(page: Page, machine: str, expected: Any) -> None:
    """Waits for the designer's (debounced) save to reach the server."""
    deadline = time.monotonic() + 10
    while (
        found := api_call(page, "GET", f"/api/v1/state-machines/{machine}/sample-input/")["input"]
    ) != expected:
        assert time.monotonic() < deadline, f"the server holds {found!r}"
        time.sleep(0.2)


def test_a_sample_given_in_one_browser_is_there_in_another(
    page: Page, browser: Browser, server_url: str, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDER)
    open_designer(page, machine)
    page.get_by_test_id("tab-state").click()
    settings = page.get_by_test_id("machine-settings")
    settings.get_by_test_id("add-sample-input").click()
    editor = settings.get_by_test_id("sample-editor")
    type_plain(add_field(editor, "quantity", "number").get_by_test_id("kv-number"), "4")
    sample_on_server(page, machine, {"quantity": 4})

    # Another browser (its own storage) signed in as the same person: the run form starts
    # from the sample.
    context = browser.new_context(base_url=server_url, viewport={"width": 1280, "height": 720})
    try:
        other = sign_in(context, USERNAME, PASSWORD)
        open_designer(other, machine)
        form = other.get_by_test_id("run-input-form")
        expect(form.locator('[data-key="quantity"]').get_by_test_id("kv-number")).to_have_value("4")
    finally:
        context.close()

    # Removing it removes it for everyone.
    page.get_by_test_id("remove-sample-input").click()
    sample_on_server(page, machine, None)


def test_a_sample_kept_in_this_browser_moves_to_the_server_once(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDER)
    key = f"statecraft.sampleInput.{machine}"
    page.evaluate(
        "([key, value]) => window.localStorage.setItem(key, value)",
        [key, json.dumps({"quantity": 12})],
    )
    open_designer(page, machine)
    sample_on_server(page, machine, {"quantity": 12})
    assert page.evaluate("(key) => window.localStorage.getItem(key)", key) is None
    form = page.get_by_test_id("run-input-form")
    expect(form.locator('[data-key="quantity"]').get_by_test_id("kv-number")).to_have_value("12")
