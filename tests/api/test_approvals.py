"""Approvals: every `.waitForTaskToken` task waits for a person, who answers Approve or Reject
with a comment; the inbox lists what waits for a user across runs; who answered is kept beside
the history. AWS: SendTaskSuccess / SendTaskFailure
(https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html) and
the callback pattern (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from designer import roles
from executor import runner
from executor.models import Execution, HistoryEvent, TaskAnswer

pytestmark = pytest.mark.django_db

APPROVAL_STEP = {
    "Type": "Task",
    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "Parameters": {
        "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/statecraft-approvals",
        "MessageBody": {
            "Approval": {"Prompt": "Ship this order?", "ApproverGroup": "finance"},
            "Input.$": "$",
            "TaskToken.$": "$$.Task.Token",
        },
    },
    "ResultPath": "$.approval",
    "TimeoutSeconds": 3600,
    "End": True,
}
APPROVAL = {"StartAt": "Ship?", "States": {"Ship?": APPROVAL_STEP}}
# The natural way to wait for a person on AWS: a Lambda that sends the token somewhere.
LAMBDA_WAIT = {
    "StartAt": "Ask",
    "States": {
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {
                "FunctionName": "echo",
                "Payload": {"order.$": "$.order", "token.$": "$$.Task.Token"},
            },
            "ResultPath": "$.approval",
            "HeartbeatSeconds": 600,
            "End": True,
        }
    },
}


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def start(api: Any, machine: str, data: Any) -> str:
    started = api.post(
        f"/api/v1/state-machines/{machine}/executions/", {"input": data}, format="json"
    )
    assert started.status_code == 201, started.json()
    runner.advance(started.json()["id"])
    return str(started.json()["id"])


@pytest.fixture
def finance(user: Any) -> Group:
    group = Group.objects.create(name="finance")
    user.groups.add(group)
    return group


def only_task(api: Any, execution_id: str) -> dict[str, Any]:
    listed = api.get(f"/api/v1/executions/{execution_id}/pending-tasks/").json()["pending_tasks"]
    assert len(listed) == 1
    return listed[0]


def test_it_describes_an_approval_step_with_its_prompt_group_and_data(
    api: Any, make_machine: Any, finance: Group
) -> None:
    make_machine("Shipping", APPROVAL)
    execution_id = start(api, "Shipping", {"order": 7, "total": 120})
    task = only_task(api, execution_id)
    assert task["waits_for_a_person"] is True
    assert task["may_answer"] is True
    assert (task["prompt"], task["approver_group"]) == ("Ship this order?", "finance")
    assert task["data"] == {"order": 7, "total": 120}
    assert task["result_path"] == "$.approval"
    assert task["deadline"] is not None


def test_a_lambda_wait_for_task_token_waits_for_a_person_too(api: Any, make_machine: Any) -> None:
    make_machine("Lambda", LAMBDA_WAIT)
    execution_id = start(api, "Lambda", {"order": 7})
    task = only_task(api, execution_id)
    assert (task["kind"], task["waits_for_a_person"], task["may_answer"]) == (
        "function",
        True,
        True,
    )
    assert task["prompt"] == ""
    assert task["data"] == {"FunctionName": "echo", "Payload": {"order": 7}}
    assert task["input"]["Payload"]["token"] == task["task_token"]
    assert task["heartbeat_deadline"] is not None


def test_a_lambda_this_installation_lacks_still_waits_for_its_token(
    api: Any, make_machine: Any
) -> None:
    """An imported approval flow whose Lambda sends the token by e-mail: the person answers
    here instead of the run failing (or waiting unseen) (issue 9)."""
    definition = {
        "StartAt": "Email approver",
        "States": {
            "Email approver": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Parameters": {
                    "FunctionName": "arn:aws:lambda:eu-west-1:111122223333:function:send-email",
                    "Payload": {"order.$": "$.order", "token.$": "$$.Task.Token"},
                },
                "ResultPath": "$.approval",
                "End": True,
            }
        },
    }
    make_machine("Imported", definition)
    execution_id = start(api, "Imported", {"order": 3})
    task = only_task(api, execution_id)
    assert (task["kind"], task["waits_for_a_person"]) == ("callback", True)
    api.post("/api/v1/task-tokens/approve/", {"taskToken": task["task_token"]}, format="json")
    runner.advance(execution_id)
    execution = Execution.objects.get(pk=execution_id)
    assert execution.status == "SUCCEEDED"
    assert execution.output["order"] == 3 and execution.output["approval"]["approved"] is True


def test_approving_keeps_the_data_and_records_who_answered(
    api: Any, make_machine: Any, user: Any, finance: Group
) -> None:
    make_machine("Shipping", APPROVAL)
    execution_id = start(api, "Shipping", {"order": 7})
    token = only_task(api, execution_id)["task_token"]
    answered = api.post(
        "/api/v1/task-tokens/approve/", {"taskToken": token, "comment": "ok to ship"}, format="json"
    )
    assert answered.status_code == 200, answered.json()
    output = answered.json()["output"]
    assert (output["approved"], output["comment"], output["by"]) == (True, "ok to ship", "alice")
    runner.advance(execution_id)
    execution = Execution.objects.get(pk=execution_id)
    assert execution.status == "SUCCEEDED"
    assert execution.output == {"order": 7, "approval": output}
    answers = api.get(f"/api/v1/executions/{execution_id}/task-answers/").json()["answers"]
    assert [(a["state_name"], a["approved"], a["comment"], a["by"]) for a in answers] == [
        ("Ship?", True, "ok to ship", "alice")
    ]
    assert TaskAnswer.objects.get().answered_by == user
    # The AWS history keeps AWS's event types only.
    types = set(
        HistoryEvent.objects.filter(execution_id=execution_id).values_list("type", flat=True)
    )
    assert "TaskSucceeded" in types and not any("Approv" in t for t in types)


def test_rejecting_fails_the_task_with_rejected_and_the_comment_as_cause(
    api: Any, make_machine: Any, finance: Group
) -> None:
    make_machine("Shipping", APPROVAL)
    execution_id = start(api, "Shipping", {"order": 7})
    token = only_task(api, execution_id)["task_token"]
    rejected = api.post(
        "/api/v1/task-tokens/reject/", {"taskToken": token, "comment": "too dear"}, format="json"
    )
    assert rejected.status_code == 200, rejected.json()
    runner.advance(execution_id)
    execution = Execution.objects.get(pk=execution_id)
    assert (execution.status, execution.error, execution.cause) == (
        "FAILED",
        "Rejected",
        "too dear",
    )
    answer = TaskAnswer.objects.get()
    assert (answer.approved, answer.comment, answer.answered_by_name) == (
        False,
        "too dear",
        "alice",
    )


def test_a_raw_send_task_success_is_recorded_with_who_sent_it(api: Any, make_machine: Any) -> None:
    make_machine("Lambda", LAMBDA_WAIT)
    execution_id = start(api, "Lambda", {"order": 7})
    token = only_task(api, execution_id)["task_token"]
    api.post(
        "/api/v1/task-tokens/success/", {"taskToken": token, "output": {"x": 1}}, format="json"
    )
    answer = TaskAnswer.objects.get()
    assert (answer.approved, answer.answered_by_name, answer.outcome) == (
        True,
        "alice",
        {"result": {"x": 1}},
    )


def test_the_inbox_lists_what_waits_across_runs_and_machines_with_a_count(
    api: Any, make_machine: Any, finance: Group
) -> None:
    make_machine("Shipping", APPROVAL)
    make_machine("Lambda", LAMBDA_WAIT)
    first = start(api, "Shipping", {"order": 1})
    second = start(api, "Lambda", {"order": 2})
    inbox = api.get("/api/v1/pending-tasks/").json()
    assert inbox["count"] == 2
    assert [(t["execution"], t["state_machine"]) for t in inbox["pending_tasks"]] == [
        (first, "Shipping"),
        (second, "Lambda"),
    ]
    assert api.get("/api/v1/pending-tasks/count/").json() == {"count": 2}
    api.post(
        "/api/v1/task-tokens/approve/",
        {"taskToken": inbox["pending_tasks"][0]["task_token"]},
        format="json",
    )
    assert api.get("/api/v1/pending-tasks/count/").json() == {"count": 1}


def test_the_inbox_pages_on_past_fifty_with_a_cursor_and_refuses_a_forged_one(
    api: Any, make_machine: Any
) -> None:
    make_machine("Lambda", LAMBDA_WAIT)
    runs = [start(api, "Lambda", {"order": n}) for n in range(53)]
    first = api.get("/api/v1/pending-tasks/").json()
    assert (first["count"], len(first["pending_tasks"])) == (53, 50)
    second = api.get("/api/v1/pending-tasks/", {"cursor": first["next_cursor"]}).json()
    assert second["next_cursor"] is None
    seen = [t["execution"] for t in first["pending_tasks"] + second["pending_tasks"]]
    assert seen == runs, "every waiting task once, oldest first"
    for forged in ("x", "2026-01-01T00:00:00|x", "2026-01-01T00:00:00|3"):
        refused = api.get("/api/v1/pending-tasks/", {"cursor": forged})
        assert (refused.status_code, refused.json()["field"]) == (400, "cursor")


def test_a_viewer_sees_the_approval_but_may_not_answer_it(
    api: Any, make_machine: Any, outsider: Any
) -> None:
    machine = make_machine("Lambda", LAMBDA_WAIT)
    execution_id = start(api, "Lambda", {"order": 7})
    token = only_task(api, execution_id)["task_token"]
    roles.grant("viewer", user=outsider, machine=machine)
    viewer = client_for(outsider)
    shown = only_task(viewer, execution_id)
    assert "task_token" not in shown and shown["may_answer"] is False
    assert viewer.get("/api/v1/pending-tasks/").json() == {
        "count": 0,
        "pending_tasks": [],
        "next_cursor": None,
    }
    refused = viewer.post(
        "/api/v1/task-tokens/approve/", {"taskToken": token, "comment": "me"}, format="json"
    )
    assert refused.status_code == 403
    assert "operator" in refused.json()["message"]
    assert not TaskAnswer.objects.exists()


def test_an_operator_outside_the_approver_group_may_not_answer(
    api: Any, make_machine: Any, outsider: Any, finance: Group
) -> None:
    machine = make_machine("Shipping", APPROVAL)
    execution_id = start(api, "Shipping", {"order": 7})
    token = only_task(api, execution_id)["task_token"]
    roles.grant("operator", user=outsider, machine=machine)
    operator = client_for(outsider)
    assert only_task(operator, execution_id)["may_answer"] is False
    assert operator.get("/api/v1/pending-tasks/count/").json() == {"count": 0}
    for path, body in [
        ("/api/v1/task-tokens/approve/", {"taskToken": token}),
        ("/api/v1/task-tokens/reject/", {"taskToken": token, "comment": "no"}),
        ("/api/v1/task-tokens/success/", {"taskToken": token, "output": {}}),
        ("/api/v1/task-tokens/failure/", {"taskToken": token}),
    ]:
        refused = operator.post(path, body, format="json")
        assert refused.status_code == 403, path
        assert refused.json()["field"] == "taskToken"
        assert "finance" in refused.json()["message"]
    outsider.groups.add(finance)
    # A new request loads the user afresh (a user object keeps its groups once read).
    member = type(outsider).objects.get(pk=outsider.pk)
    assert client_for(member).get("/api/v1/pending-tasks/count/").json() == {"count": 1}


def test_a_stranger_cannot_probe_tokens_or_read_answers(
    api: Any, make_machine: Any, outsider: Any, finance: Group
) -> None:
    make_machine("Shipping", APPROVAL)
    execution_id = start(api, "Shipping", {"order": 7})
    token = only_task(api, execution_id)["task_token"]
    stranger = client_for(outsider)
    refused = stranger.post("/api/v1/task-tokens/approve/", {"taskToken": token}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (400, "InvalidToken")
    assert stranger.get(f"/api/v1/executions/{execution_id}/task-answers/").status_code == 404


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "taskToken"),
        ({"taskToken": 5}, "taskToken"),
        ({"taskToken": "nope", "comment": 3}, "comment"),
        ({"taskToken": "nope", "comment": "x" * 4001}, "comment"),
    ],
)
def test_it_refuses_a_malformed_answer_naming_the_field(
    api: Any, make_machine: Any, body: dict[str, Any], field: str
) -> None:
    refused = api.post("/api/v1/task-tokens/approve/", body, format="json")
    assert refused.status_code == 400
    assert refused.json()["field"] == field


def test_a_second_answer_is_refused(api: Any, make_machine: Any, finance: Group) -> None:
    make_machine("Shipping", APPROVAL)
    execution_id = start(api, "Shipping", {"order": 7})
    token = only_task(api, execution_id)["task_token"]
    first = api.post("/api/v1/task-tokens/approve/", {"taskToken": token}, format="json")
    assert first.status_code == 200
    again = api.post("/api/v1/task-tokens/reject/", {"taskToken": token}, format="json")
    assert again.status_code == 409
    assert TaskAnswer.objects.count() == 1
