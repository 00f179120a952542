"""Human approval, first class (issues 9 C and 11.2): an Approval step built from the palette
and a Lambda `.waitForTaskToken` step both wait for a person, who answers from the run view or
the approvals inbox with a comment; the data is kept, who answered is shown, and the header's
badge counts what waits. AWS's callback pattern:
https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.definitions import SIGN_OFF
from tests.browser.helpers import api_call, node, open_designer, shoot
from tests.servers import manage

pytestmark = pytest.mark.browser

CreateMachine = Callable[[dict[str, Any]], str]
SHOTS = Path("/tmp/shots/approvals")

# The natural way to wait for a person on AWS, which never showed Approve before (issue 9).
LAMBDA_FIRST: dict[str, Any] = {
    "StartAt": "Ask Lambda",
    "States": {
        "Ask Lambda": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {
                "FunctionName": "echo",
                "Payload": {"order.$": "$.order", "token.$": "$$.Task.Token"},
            },
            "ResultPath": "$.first_check",
            "End": True,
        }
    },
}


def start(page: Page, machine: str, run_input: Any) -> str:
    body = {"input": run_input}
    return str(api_call(page, "POST", f"/api/v1/state-machines/{machine}/executions/", body)["id"])


def waiting_tasks(page: Page, execution: str) -> list[dict[str, Any]]:
    tasks = api_call(page, "GET", f"/api/v1/executions/{execution}/pending-tasks/")
    return list(tasks["pending_tasks"])


def build_with_palette(page: Page, machine: str) -> None:
    """Adds an Approval after the Lambda step with clicks and plain words, and saves."""
    open_designer(page, machine)
    page.get_by_test_id("palette-Approval").click()
    expect(node(page, "Approval")).to_be_visible()
    node(page, "Approval").click()
    form = page.get_by_test_id("approval-form")
    expect(form).to_be_visible()
    prompt = form.get_by_test_id("approval-prompt")
    prompt.fill("Ship this order to the customer?")
    prompt.blur()
    form.get_by_test_id("approval-timeout").fill("2")
    form.get_by_test_id("approval-timeout-unit").select_option(label="days")
    expect(form.get_by_test_id("approval-result-key")).to_have_value("approval")
    shoot(page, SHOTS, "designer-approval-form")
    node(page, "Ask Lambda").click()
    page.get_by_test_id("field-next").select_option("Approval")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Saved")


def test_a_person_approves_and_rejects_from_the_run_view_and_the_inbox(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(LAMBDA_FIRST)
    build_with_palette(page, machine)
    saved = api_call(page, "GET", f"/api/v1/state-machines/{machine}/")["definition"]
    approval = saved["States"]["Approval"]
    # Portable ASL: an SQS .waitForTaskToken task that describes itself.
    assert approval["Resource"] == "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
    assert approval["Parameters"]["MessageBody"]["Approval"] == {
        "Prompt": "Ship this order to the customer?"
    }
    assert approval["Parameters"]["MessageBody"]["TaskToken.$"] == "$$.Task.Token"
    assert (approval["ResultPath"], approval["TimeoutSeconds"]) == ("$.approval", 2 * 86400)
    assert saved["States"]["Ask Lambda"]["Next"] == "Approval"

    # Run 1: approved twice from the run view, with comments.
    first = start(page, machine, {"order": 7, "total": 120})
    page.goto(f"/executions/{first}/")
    badge = page.locator("[data-approvals-badge]")
    card = page.get_by_test_id("approval-card")
    expect(card).to_have_attribute("data-state", "Ask Lambda")
    expect(card.get_by_test_id("approval-data")).to_contain_text("order")
    expect(card.get_by_test_id("approval-data")).to_contain_text("7")
    expect(card.get_by_test_id("approval-data")).not_to_contain_text('\\"')
    expect(badge).to_have_text("1")
    card.get_by_test_id("approval-comment").fill("stock checked")
    card.get_by_test_id("approve-button").click()

    expect(card).to_have_attribute("data-state", "Approval")
    expect(card.get_by_test_id("approval-prompt-text")).to_have_text(
        "Ship this order to the customer?"
    )
    expect(card.get_by_test_id("approval-left")).to_contain_text("left to answer")
    expect(node(page, "Approval")).to_have_attribute("data-status", "waiting")
    card.get_by_test_id("approval-comment").fill("ship it")
    shoot(page, SHOTS, "run-view-approval-panel")
    card.get_by_test_id("approve-button").click()

    expect(page.get_by_test_id("execution-status")).to_have_text("Succeeded")
    answers = page.get_by_test_id("approval-answer")
    expect(answers).to_have_count(2)
    expect(answers.nth(0)).to_contain_text("Approved Ask Lambda by designer")
    expect(answers.nth(0).get_by_test_id("approval-answer-comment")).to_have_text("stock checked")
    expect(answers.nth(1).get_by_test_id("approval-answer-comment")).to_have_text("ship it")
    expect(badge).to_have_text("0")
    shoot(page, SHOTS, "run-view-answers")
    output = api_call(page, "GET", f"/api/v1/executions/{first}/")["output"]
    assert (output["order"], output["total"]) == (7, 120)
    assert output["approval"]["approved"] is True
    assert (output["approval"]["comment"], output["approval"]["by"]) == ("ship it", "designer")

    # Runs 2 and 3: answered from the inbox, live, one rejected alone, then two at once.
    page.goto("/approvals/")
    expect(page.get_by_test_id("approvals-empty")).to_be_visible()
    second = start(page, machine, {"order": 8, "total": 99})
    inbox_cards = page.get_by_test_id("approval-card")
    expect(inbox_cards).to_have_count(1)
    expect(badge).to_have_text("1")
    api_call(
        page,
        "POST",
        "/api/v1/task-tokens/approve/",
        {"taskToken": waiting_tasks(page, second)[0]["task_token"]},
    )
    expect(inbox_cards.first).to_have_attribute("data-state", "Approval")
    third = start(page, machine, {"order": 9, "total": 5})
    fourth = start(page, machine, {"order": 10, "total": 6})
    expect(inbox_cards).to_have_count(3)
    expect(badge).to_have_text("3")
    expect(page.get_by_test_id("approvals-count")).to_have_text("3 waiting for you")
    rejected = page.locator(f'[data-testid=approval-card][data-execution="{second}"]')
    expect(rejected.get_by_test_id("approval-prompt-text")).to_have_text(
        "Ship this order to the customer?"
    )
    expect(rejected.get_by_test_id("approval-run-link")).to_have_attribute(
        "href", f"/executions/{second}/"
    )
    shoot(page, SHOTS, "inbox")
    rejected.get_by_test_id("approval-comment").fill("too dear")
    rejected.get_by_test_id("reject-button").click()
    expect(inbox_cards).to_have_count(2)
    expect(badge).to_have_text("2")

    page.get_by_test_id("approvals-select-all").check()
    page.get_by_test_id("bulk-comment").fill("fine")
    shoot(page, SHOTS, "inbox-bulk")
    page.get_by_test_id("bulk-approve").click()
    # Both go on to the Approval step, and show up again at once.
    expect(page.locator("[data-testid=approval-card][data-state=Approval]")).to_have_count(2)
    page.get_by_test_id("approvals-select-all").check()
    page.get_by_test_id("bulk-comment").fill("fine too")
    page.get_by_test_id("bulk-approve").click()
    expect(page.get_by_test_id("approvals-empty")).to_be_visible()
    expect(badge).to_have_text("0")

    stored = api_call(page, "GET", f"/api/v1/executions/{second}/")
    assert (stored["status"], stored["error"], stored["cause"]) == (
        "FAILED",
        "Rejected",
        "too dear",
    )
    for run in (third, fourth):
        done = api_call(page, "GET", f"/api/v1/executions/{run}/")
        assert done["status"] == "SUCCEEDED", done
        assert done["output"]["first_check"]["comment"] == "fine"
        assert done["output"]["approval"]["comment"] == "fine too"
        assert done["output"]["order"] in (9, 10)
    page.goto(f"/executions/{second}/")
    answers = page.get_by_test_id("approval-answer")
    expect(answers).to_have_count(2)
    expect(answers.nth(1)).to_contain_text("Rejected Approval by designer")
    expect(answers.nth(1).get_by_test_id("approval-answer-comment")).to_have_text("too dear")


def test_only_operators_in_the_approver_group_may_answer(
    page: Page,
    create_machine: CreateMachine,
    other_user: Callable[[str], Page],
    server_env: dict[str, str],
) -> None:
    machine = create_machine(SIGN_OFF)
    execution = start(page, machine, {"invoice": 3})
    for role, user in [("viewer", "vera"), ("operator", "otto")]:
        other_user(user)  # makes the user
        manage("grantrole", role, "--user", user, "--machine", machine, env=server_env)
    token = waiting_tasks(page, execution)[0]["task_token"]

    viewer = other_user("vera")
    viewer.goto(f"/executions/{execution}/")
    card = viewer.get_by_test_id("approval-card")
    expect(card.get_by_test_id("approval-not-yours")).to_contain_text("operator role")
    expect(viewer.get_by_test_id("approve-button")).to_have_count(0)
    expect(viewer.locator("[data-approvals-badge]")).to_have_text("0")
    refused = viewer.request.post(
        "/api/v1/task-tokens/approve/",
        data={"taskToken": token},
        headers={"X-CSRFToken": csrf(viewer)},
    )
    assert refused.status == 403

    operator = other_user("otto")
    operator.goto(f"/executions/{execution}/")
    card = operator.get_by_test_id("approval-card")
    expect(card.get_by_test_id("approval-not-yours")).to_contain_text("group finance")
    expect(operator.get_by_test_id("approve-button")).to_have_count(0)
    operator.goto("/approvals/")
    expect(operator.get_by_test_id("approvals-empty")).to_be_visible()
    refused = operator.request.post(
        "/api/v1/task-tokens/approve/",
        data={"taskToken": token},
        headers={"X-CSRFToken": csrf(operator)},
    )
    assert refused.status == 403 and "finance" in refused.json()["message"]

    manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import Group, User; "
        "User.objects.get(username='otto').groups.add(Group.objects.get_or_create(name='finance')[0])",
        env=server_env,
    )
    operator.reload()
    expect(operator.get_by_test_id("approval-card")).to_have_count(1)
    expect(operator.locator("[data-approvals-badge]")).to_have_text("1")
    operator.get_by_test_id("approve-button").click()
    expect(operator.get_by_test_id("approvals-empty")).to_be_visible()
    expect(operator.locator("[data-approvals-badge]")).to_have_text("0")
    answers = api_call(page, "GET", f"/api/v1/executions/{execution}/task-answers/")["answers"]
    assert [(a["by"], a["approved"]) for a in answers] == [("otto", True)]


def csrf(page: Page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
