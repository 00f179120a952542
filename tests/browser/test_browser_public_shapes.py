"""Machines shaped like public AWS definitions (tests/public_shapes.py) are drawn whole: one
card for every state at every depth, and saving from the designer leaves their ASL as it was."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.helpers import api_call, open_designer
from tests.public_shapes import PUBLIC_SHAPES, every_state

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("shape", sorted(PUBLIC_SHAPES))
def test_it_draws_every_state_and_saves_the_asl_unchanged(
    page: Page, create_machine: Callable[[dict[str, Any]], str], shape: str
) -> None:
    definition = PUBLIC_SHAPES[shape]
    machine = create_machine(definition)
    open_designer(page, machine)
    cards = page.locator(".react-flow__node:not(.react-flow__node-lane)")
    assert cards.count() == len(every_state(definition))
    assert page.get_by_test_id("problem-count").inner_text() == "No problems"
    # Tidy layout, then save: the drawing changes, the ASL does not.
    page.get_by_role("button", name="Tidy layout").click()
    page.get_by_test_id("save-button").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=save-button]').textContent === 'Saved'"
    )
    stored = api_call(page, "GET", f"/api/v1/state-machines/{machine}/")
    assert stored["definition"] == definition
