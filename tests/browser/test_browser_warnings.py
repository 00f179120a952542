"""A warning is not an error: what AWS accepts and that fails when it runs saves and runs, and
the designer shows it in amber, as "fails when it runs", where it is (issue 13: "Where AWS
accepts something that fails at run time, run it and fail as AWS does. Also show a warning in
the designer.")."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import finished_run, node, open_designer, shoot, type_plain

pytestmark = pytest.mark.browser

CreateMachine = Callable[[dict[str, Any]], str]
SHOTS = Path("/tmp/shots/warnings")

# AWS accepts Jayway's '$.jobs.sum()' at creation and fails when the state runs
# (https://repost.aws/questions/QUYiQKP0XfThWEc_ahsMnLOA; tests/asl/test_aws_accepts.py).
SUMS: dict[str, Any] = {
    "StartAt": "Total",
    "States": {
        "Total": {"Type": "Pass", "Parameters": {"sum.$": "$.jobs.sum()"}, "Next": "Done"},
        "Done": {"Type": "Succeed"},
    },
}


def test_a_warning_shows_in_amber_and_the_machine_still_saves_and_runs(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(SUMS)
    open_designer(page, machine)
    count = page.get_by_test_id("problem-count")
    expect(count).to_have_text("1 warning")
    warned = re.compile(r"\bhas-warnings\b")
    expect(count).to_have_class(warned)
    expect(count).not_to_have_class(re.compile(r"\bhas-problems\b"))
    expect(node(page, "Total")).to_have_class(warned)
    expect(node(page, "Total")).not_to_have_class(re.compile(r"\bhas-problems\b"))
    expect(page.get_by_test_id("node-problem-Total")).to_have_class(re.compile(r"\bwarning\b"))
    expect(node(page, "Done")).not_to_have_class(warned)

    page.get_by_test_id("tab-problems").click()
    problem = page.locator('.problem[data-severity="warning"]')
    expect(problem).to_have_count(1)
    expect(problem).to_contain_text("Total · Parameters · saves, but fails when it runs")
    shoot(page, SHOTS, "warning")

    # A warning does not hold the machine back: a change saves a new version.
    problem.click()
    type_plain(page.get_by_test_id("field-comment"), "adds up the jobs", enter=False)
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Saved")
    # And it runs, failing where AWS fails.
    run = finished_run(page, machine, json.dumps({"jobs": [1, 2]}))
    assert (run["status"], run["error"]) == ("FAILED", "States.Runtime")
