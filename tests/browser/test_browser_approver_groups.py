"""Who may answer an Approval is picked from a list of groups, not typed (issue 9 C.1), and a
viewer's designer offers nothing that would change the machine (palette, Save, Paste,
Duplicate, Import)."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.definitions import SIGN_OFF
from tests.browser.helpers import api_call, node, open_designer, shoot
from tests.servers import manage

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/approver")


def test_the_approver_group_is_picked_from_a_list_and_an_unlisted_one_is_kept(
    page: Page, create_machine: Callable[[dict[str, Any]], str], server_env: dict[str, str]
) -> None:
    # A group no one made (other tests of this server make "finance", which the superuser
    # signed in here would then be offered).
    unlisted = f"gone-{uuid.uuid4().hex[:8]}"
    definition = copy.deepcopy(SIGN_OFF)
    definition["States"]["Sign off"]["Parameters"]["MessageBody"]["Approval"]["ApproverGroup"] = (
        unlisted
    )
    machine = create_machine(definition)
    manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import Group; Group.objects.get_or_create(name='ops')",
        env=server_env,
    )
    manage("grantrole", "operator", "--group", "ops", "--machine", machine, env=server_env)
    open_designer(page, machine)
    node(page, "Sign off").click()
    picker = page.get_by_test_id("approval-group")
    # The step's own group is not among the groups listed: it stays, chosen, and says why.
    expect(picker).to_have_value(unlisted)
    expect(picker.locator("option:checked")).to_have_text(f"{unlisted} (not in your list)")
    expect(page.get_by_test_id("approval-group-hint")).to_contain_text("kept as it is")
    expect(picker.locator("option", has_text="ops (operator role)")).to_have_count(1)
    shoot(page, SHOTS, "picker")

    picker.select_option("ops")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Saved")
    saved = api_call(page, "GET", f"/api/v1/state-machines/{machine}/")["definition"]
    approval = saved["States"]["Sign off"]["Parameters"]["MessageBody"]["Approval"]
    assert approval == {"Prompt": "Sign off?", "ApproverGroup": "ops"}

    picker.select_option(label="Anyone who may operate this workflow")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Saved")
    saved = api_call(page, "GET", f"/api/v1/state-machines/{machine}/")["definition"]
    assert (
        "ApproverGroup" not in saved["States"]["Sign off"]["Parameters"]["MessageBody"]["Approval"]
    )


def test_a_viewer_is_offered_no_paste_duplicate_or_import(
    page: Page,
    create_machine: Callable[[dict[str, Any]], str],
    other_user: Callable[[str], Page],
    server_env: dict[str, str],
) -> None:
    machine = create_machine(SIGN_OFF)
    other_user("vicky")
    manage("grantrole", "viewer", "--user", "vicky", "--machine", machine, env=server_env)
    viewer = other_user("vicky")
    open_designer(viewer, machine)
    expect(viewer.get_by_test_id("view-only")).to_be_visible()
    # Nothing that changes the machine is offered: no palette, no Undo, no Save.
    expect(viewer.get_by_test_id("palette-Approval")).to_have_count(0)
    expect(viewer.get_by_test_id("undo")).to_have_count(0)
    expect(viewer.get_by_test_id("save-button")).to_have_count(0)
    viewer.get_by_test_id("edit-menu").click()
    expect(viewer.get_by_test_id("menu-copy")).to_be_visible()
    expect(viewer.get_by_test_id("menu-paste")).to_have_count(0)
    expect(viewer.get_by_test_id("menu-duplicate")).to_have_count(0)
    shoot(viewer, SHOTS, "viewer-edit-menu")
    viewer.keyboard.press("Escape")
    viewer.get_by_test_id("file-menu").click()
    expect(viewer.get_by_test_id("menu-export-svg")).to_be_visible()
    expect(viewer.get_by_test_id("menu-import")).to_have_count(0)
