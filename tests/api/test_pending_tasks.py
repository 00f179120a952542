"""What an execution waits for, and answering it over REST: the approvals an operator sees."""

from __future__ import annotations

from typing import Any

import pytest

from executor import runner
from executor.models import Execution

pytestmark = pytest.mark.django_db

APPROVAL = {
    "StartAt": "Approve",
    "States": {
        "Approve": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "approvals", "MessageBody": {"token.$": "$$.Task.Token"}},
            "ResultPath": "$.decision",
            "End": True,
        }
    },
}


def waiting_run(api: Any, make_machine: Any) -> str:
    make_machine("Approvals", APPROVAL)
    started = api.post(
        "/api/v1/state-machines/Approvals/executions/", {"input": {"order": 7}}, format="json"
    )
    runner.advance(started.json()["id"])
    return str(started.json()["id"])


def test_it_lists_a_callback_waiting_for_its_task_token(api: Any, make_machine: Any) -> None:
    execution_id = waiting_run(api, make_machine)
    listed = api.get(f"/api/v1/executions/{execution_id}/pending-tasks/").json()["pending_tasks"]
    assert len(listed) == 1
    task = listed[0]
    assert (task["kind"], task["state_name"]) == ("callback", "Approve")
    assert task["input"]["MessageBody"]["token"] == task["task_token"]


def test_it_resumes_the_execution_with_the_output_sent_for_the_token(
    api: Any, make_machine: Any
) -> None:
    execution_id = waiting_run(api, make_machine)
    token = api.get(f"/api/v1/executions/{execution_id}/pending-tasks/").json()["pending_tasks"][0][
        "task_token"
    ]
    answered = api.post(
        "/api/v1/task-tokens/success/",
        {"taskToken": token, "output": {"approved": True}},
        format="json",
    )
    assert answered.status_code == 200
    runner.advance(execution_id)
    execution = Execution.objects.get(pk=execution_id)
    assert execution.status == "SUCCEEDED"
    assert execution.output == {"order": 7, "decision": {"approved": True}}
    assert api.get(f"/api/v1/executions/{execution_id}/pending-tasks/").json() == {
        "pending_tasks": []
    }


def test_it_fails_the_task_with_the_error_sent_for_the_token(api: Any, make_machine: Any) -> None:
    execution_id = waiting_run(api, make_machine)
    token = api.get(f"/api/v1/executions/{execution_id}/pending-tasks/").json()["pending_tasks"][0][
        "task_token"
    ]
    api.post(
        "/api/v1/task-tokens/failure/",
        {"taskToken": token, "error": "Rejected", "cause": "Too expensive"},
        format="json",
    )
    runner.advance(execution_id)
    execution = Execution.objects.get(pk=execution_id)
    assert (execution.status, execution.error, execution.cause) == (
        "FAILED",
        "Rejected",
        "Too expensive",
    )


def test_it_refuses_a_second_answer_to_the_same_token(api: Any, make_machine: Any) -> None:
    execution_id = waiting_run(api, make_machine)
    token = api.get(f"/api/v1/executions/{execution_id}/pending-tasks/").json()["pending_tasks"][0][
        "task_token"
    ]
    body = {"taskToken": token, "output": 1}
    assert api.post("/api/v1/task-tokens/success/", body, format="json").status_code == 200
    again = api.post("/api/v1/task-tokens/success/", body, format="json")
    assert again.status_code == 409
    assert "already" in again.json()["message"]


def test_it_hides_the_pending_tasks_of_other_peoples_executions(
    api: Any, make_machine: Any, outsider: Any
) -> None:
    from rest_framework.test import APIClient

    execution_id = waiting_run(api, make_machine)
    stranger = APIClient()
    stranger.force_authenticate(outsider)
    assert stranger.get(f"/api/v1/executions/{execution_id}/pending-tasks/").status_code == 404


def test_it_shows_the_definition_of_the_version_an_execution_ran(
    api: Any, make_machine: Any
) -> None:
    execution_id = waiting_run(api, make_machine)
    changed = {**APPROVAL, "Comment": "version two"}
    assert api.put("/api/v1/state-machines/Approvals/", {"definition": changed}, format="json")
    shown = api.get(f"/api/v1/executions/{execution_id}/").json()
    assert (shown["version"], shown["definition"]) == (1, APPROVAL)
