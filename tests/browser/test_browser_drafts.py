"""Work in progress is never lost: the designer keeps a draft on the server as a person edits,
restores it after a reload, and tells two people editing one machine about each other."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.definitions import ORDER
from tests.browser.helpers import api_call, node, open_designer, shoot

SHOTS = Path("/tmp/shots/drafts")

pytestmark = pytest.mark.browser

CreateMachine = Callable[[dict[str, Any]], str]
BOB_PASSWORD = "bob's long browser test password"
# The designer checks in every 5 s; a name can take two check-ins to show.
PRESENCE_TIMEOUT = 20_000


def draft_of(page: Page, machine: str) -> Any:
    return api_call(page, "GET", f"/api/v1/state-machines/{machine}/draft/")["draft"]


def set_seconds(page: Page, state: str, seconds: str) -> None:
    node(page, state).click()
    field = page.get_by_test_id("field-seconds")
    field.fill(seconds)
    field.press("Enter")


def wait_until_kept(page: Page) -> None:
    expect(page.get_by_test_id("draft-status")).to_have_attribute("data-status", "saved")


def test_it_restores_a_draft_after_a_reload_and_discards_it_on_request(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDER)
    open_designer(page, machine)
    set_seconds(page, "Pack", "9")
    wait_until_kept(page)
    expect(page.get_by_test_id("draft-status")).to_contain_text("Draft kept at")

    page.reload()
    restored = page.get_by_test_id("draft-restored")
    expect(restored).to_contain_text("Restored your unsaved draft from")
    shoot(page, SHOTS, "draft-restored")
    node(page, "Pack").click()
    expect(page.get_by_test_id("field-seconds")).to_have_value("9")
    # Nothing was published: the machine is still at version 1.
    assert api_call(page, "GET", f"/api/v1/state-machines/{machine}/")["version"] == 1

    restored.get_by_test_id("draft-discard").click()
    expect(page.get_by_test_id("draft-restored")).to_have_count(0)
    node(page, "Pack").click()
    expect(page.get_by_test_id("field-seconds")).to_have_value("1")
    assert draft_of(page, machine) is None


def test_it_keeps_a_draft_with_problems_and_publishes_it_once_fixed(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDER)
    open_designer(page, machine)
    # A step that leads nowhere yet: the machine has a problem, the draft keeps it anyway.
    page.get_by_test_id("palette-Task").click()
    expect(page.get_by_test_id("problem-count")).not_to_have_text("No problems")
    wait_until_kept(page)
    kept = draft_of(page, machine)
    assert "Task" in {s["Type"] for s in kept["definition"]["States"].values()}

    page.reload()
    expect(page.get_by_test_id("draft-restored")).to_be_visible()
    expect(page.locator('[data-type="Task"]')).to_have_count(1)
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Not saved")
    assert api_call(page, "GET", f"/api/v1/state-machines/{machine}/")["version"] == 1
    assert draft_of(page, machine) is not None  # a refused publish loses nothing

    # Fixed by deleting the step: now it publishes, and the draft has served its purpose.
    page.locator('[data-type="Task"]').click()
    page.keyboard.press("Delete")
    expect(page.get_by_test_id("problem-count")).to_have_text("No problems")
    set_seconds(page, "Pack", "4")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Saved as version 2")
    assert draft_of(page, machine) is None
    page.reload()
    node(page, "Pack").click()
    expect(page.get_by_test_id("field-seconds")).to_have_value("4")
    expect(page.get_by_test_id("draft-restored")).to_have_count(0)


def test_it_forgets_the_draft_when_an_undo_goes_back_to_the_version(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDER)
    open_designer(page, machine)
    set_seconds(page, "Pack", "9")
    wait_until_kept(page)
    assert draft_of(page, machine) is not None
    page.get_by_test_id("undo").click()
    expect(page.get_by_test_id("draft-status")).to_have_count(0)
    assert draft_of(page, machine) is None


def test_it_keeps_code_that_does_not_parse_yet(page: Page, create_machine: CreateMachine) -> None:
    machine = create_machine(ORDER)
    open_designer(page, machine)
    page.get_by_test_id("tab-code").click()
    code = page.get_by_test_id("code-view")
    code.fill('{"StartAt": "Receive order", "States": {')
    expect(page.get_by_test_id("code-error")).to_be_visible()
    wait_until_kept(page)
    assert draft_of(page, machine)["code"] == '{"StartAt": "Receive order", "States": {'

    page.reload()
    expect(page.get_by_test_id("draft-restored")).to_be_visible()
    page.get_by_test_id("tab-code").click()
    expect(page.get_by_test_id("code-view")).to_have_value(
        '{"StartAt": "Receive order", "States": {'
    )


@pytest.fixture
def bob(page: Page, browser: Browser, server_url: str) -> Iterator[tuple[Page, str]]:
    """A second person, bob, signed in in a browser of his own. The admin creates him in the
    admin site, as an administrator would."""
    name = f"bob{uuid.uuid4().hex[:6]}"
    page.goto("/admin/auth/user/add/")
    page.fill("#id_username", name)
    page.fill("#id_password1", BOB_PASSWORD)
    page.fill("#id_password2", BOB_PASSWORD)
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    context = browser.new_context(base_url=server_url, viewport={"width": 1440, "height": 900})
    context.set_default_timeout(15_000)
    his = context.new_page()
    his.goto("/accounts/login/")
    his.fill("#id_username", name)
    his.fill("#id_password", BOB_PASSWORD)
    his.click("button[type=submit]")
    his.wait_for_url(lambda url: "/accounts/login/" not in url)
    yield his, name
    context.close()


def test_two_people_editing_one_machine_are_told_and_overwrite_nothing_unseen(
    page: Page, bob: tuple[Page, str], create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDER)
    bob_page, bob_name = bob
    api_call(
        page,
        "POST",
        f"/api/v1/state-machines/{machine}/grants/",
        {"role": "editor", "user": bob_name},
    )
    open_designer(page, machine)
    open_designer(bob_page, machine)
    expect(page.get_by_test_id("draft-editors")).to_contain_text(
        f"{bob_name} is also editing", timeout=PRESENCE_TIMEOUT
    )
    expect(bob_page.get_by_test_id("draft-editors")).to_contain_text(
        "designer is also editing", timeout=PRESENCE_TIMEOUT
    )

    # The admin edits; bob's designer learns of it and asks before showing it.
    set_seconds(page, "Pack", "5")
    wait_until_kept(page)
    conflict = bob_page.get_by_test_id("draft-conflict")
    expect(conflict).to_contain_text("designer changed this draft", timeout=PRESENCE_TIMEOUT)
    shoot(bob_page, SHOTS, "draft-conflict")
    conflict.get_by_role("button", name="Load their changes").click()
    expect(conflict).to_have_count(0)
    node(bob_page, "Pack").click()
    expect(bob_page.get_by_test_id("field-seconds")).to_have_value("5")

    # Bob edits next; the admin's edit made meanwhile is refused, not saved over bob's.
    set_seconds(bob_page, "Pack", "7")
    wait_until_kept(bob_page)
    set_seconds(page, "Pack", "3")
    theirs = page.get_by_test_id("draft-conflict")
    expect(theirs).to_contain_text(f"{bob_name} changed this draft", timeout=PRESENCE_TIMEOUT)
    assert draft_of(page, machine)["definition"]["States"]["Pack"]["Seconds"] == 7

    # Having seen it, the admin keeps their own: now it goes over bob's, knowingly.
    theirs.get_by_role("button", name="Keep mine").click()
    wait_until_kept(page)
    assert draft_of(page, machine)["definition"]["States"]["Pack"]["Seconds"] == 3
