"""Workflows that try to misuse their resources, run by real worker, beat and Daphne
processes: forging another run's result, sending tasks nobody allowed, and resources that
fail in ways that used to leave the run RUNNING forever."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest

from tests import servers
from tests.api.test_http_allow_list import serving
from tests.durable.conftest import Deployment, create_machine, describe, history, start, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:approvals"
# Listed on purpose: even an administrator's mistake must not let a workflow send these.
ALLOWED_TASKS = (
    "team.tasks.scale,team.tasks.nul,team.tasks.missing,team.tasks.refuse,"
    "executor.tasks.celery_task_succeeded,celery.backend_cleanup"
)

# The one origin HTTP tasks may call, and a connection for it that only "Billing" may use.
HTTP_PORT = servers.free_port()
CONNECTIONS = {
    "billing": {
        "Origin": f"http://127.0.0.1:{HTTP_PORT}",
        "Machines": ["Billing"],
        "Headers": {"Authorization": "Bearer s3cret"},
    }
}


@pytest.fixture
def api(deployment: Deployment) -> httpx.Client:
    settings = {
        "CELERY_SEND_TASK_ALLOWED": ALLOWED_TASKS,
        "HTTP_TASK_ALLOWED_HOSTS": f"http://127.0.0.1:{HTTP_PORT}",
        "HTTP_TASK_CONNECTIONS": json.dumps(CONNECTIONS),
    }
    deployment.worker(concurrency=2, **settings)
    deployment.beat()
    return deployment.web(**settings)


def finished(api: httpx.Client, execution_id: str, timeout: float = 20) -> dict[str, Any]:
    return dict(
        wait_for(
            lambda: (found := describe(api, execution_id))["status"] != "RUNNING" and found,
            f"execution {execution_id} finished",
            timeout,
        )
    )


def caught(state: dict[str, Any], errors: list[str]) -> dict[str, Any]:
    """The definition of a run of ``state`` that catches ``errors`` into $.caught."""
    return {
        "StartAt": "Try",
        "States": {
            "Try": {
                **state,
                "Catch": [{"ErrorEquals": errors, "ResultPath": "$.caught", "Next": "Caught"}],
                "End": True,
            },
            "Caught": {"Type": "Pass", "End": True},
        },
    }


def send_task(name: str, **parameters: Any) -> dict[str, Any]:
    return {
        "Type": "Task",
        "Resource": "celery:send_task",
        "Parameters": {"Task": name, **parameters},
    }


def test_it_does_not_let_a_workflow_complete_another_run_by_sending_the_result_callback(
    api: httpx.Client, deployment: Deployment
) -> None:
    from executor.models import PendingTask

    create_machine(
        api,
        "Victim",
        {
            "StartAt": "Wait",
            "States": {"Wait": {"Type": "Task", "Resource": ACTIVITY, "End": True}},
        },
    )
    victim = start(api, "Victim")
    victim_task = wait_for(
        lambda: PendingTask.objects.filter(execution_id=victim).first(), "the victim's task", 20
    )
    create_machine(
        api,
        "Forger",
        caught(
            send_task(
                "executor.tasks.celery_task_succeeded",
                Args=[{"forged": True}],
                Kwargs={"pending_id": victim_task.pk},
            ),
            ["States.Runtime"],
        ),
    )

    forger = finished(api, start(api, "Forger"))
    time.sleep(1)  # what a forged message would need to reach a worker and answer

    victim_now = describe(api, victim)
    assert victim_now["status"] == "RUNNING", f"another run completed the victim: {victim_now}"
    assert PendingTask.objects.filter(pk=victim_task.pk, answered_at=None).exists()
    assert forger["status"] == "SUCCEEDED", forger
    error = forger["output"]["caught"]
    assert error["Error"] == "States.Runtime"
    assert "executor.tasks.celery_task_succeeded" in error["Cause"]


def test_it_fails_a_task_that_is_not_allowed_at_once_naming_the_setting(
    api: httpx.Client,
) -> None:
    create_machine(api, "Unlisted", caught(send_task("team.tasks.unlisted"), ["States.Runtime"]))
    create_machine(
        api,
        "Builtin",
        {
            "StartAt": "Send",
            "States": {"Send": {**send_task("celery.backend_cleanup"), "End": True}},
        },
    )

    unlisted = finished(api, start(api, "Unlisted"))
    builtin = finished(api, start(api, "Builtin"))

    error = unlisted["output"]["caught"]
    assert error["Error"] == "States.Runtime"
    assert "team.tasks.unlisted" in error["Cause"] and "CELERY_SEND_TASK_ALLOWED" in error["Cause"]
    assert (builtin["status"], builtin["error"]) == ("FAILED", "States.Runtime")
    assert "celery.backend_cleanup" in builtin["cause"]


def test_it_fails_an_allowed_task_that_no_worker_has(api: httpx.Client) -> None:
    create_machine(api, "Missing", caught(send_task("team.tasks.missing"), ["States.Runtime"]))

    found = finished(api, start(api, "Missing"))

    assert found["status"] == "SUCCEEDED", found
    assert found["output"]["caught"]["Error"] == "States.Runtime"
    assert "team.tasks.missing" in found["output"]["caught"]["Cause"]


def test_it_runs_an_allowed_task_and_catches_the_error_of_one_that_raises(
    api: httpx.Client,
) -> None:
    create_machine(
        api,
        "Team",
        {
            "StartAt": "Scale",
            "States": {
                "Scale": {
                    **send_task("team.tasks.scale", Args=[[1, 2]], Kwargs={"factor": 3}),
                    "ResultPath": "$.scaled",
                    "Next": "Refuse",
                },
                "Refuse": {
                    **send_task("team.tasks.refuse", Args=["no stock"]),
                    "Catch": [
                        {"ErrorEquals": ["ValueError"], "ResultPath": "$.caught", "Next": "Done"}
                    ],
                    "End": True,
                },
                "Done": {"Type": "Pass", "End": True},
            },
        },
    )

    found = finished(api, start(api, "Team"))

    assert found["status"] == "SUCCEEDED", found
    assert found["output"]["scaled"] == {"scaled": [3, 6]}
    assert found["output"]["caught"] == {"Error": "ValueError", "Cause": "no stock"}


def test_it_retries_and_catches_a_celery_result_that_cannot_be_stored(
    api: httpx.Client,
) -> None:
    state = {
        **send_task("team.tasks.nul"),
        "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 1, "IntervalSeconds": 1}],
    }
    create_machine(api, "Nul", caught(state, ["States.ALL"]))
    execution_id = start(api, "Nul")

    found = finished(api, execution_id)

    assert found["status"] == "SUCCEEDED", found
    assert found["output"]["caught"]["Error"] == "States.TaskFailed"
    assert [e["type"] for e in history(api, execution_id)].count("TaskFailed") == 2


def test_it_catches_a_registered_function_task_whose_answer_cannot_be_stored(
    api: httpx.Client,
) -> None:
    # Two items at once: each call becomes a worker's Celery task (not the inline path).
    create_machine(
        api,
        "NulFunctions",
        caught(
            {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemProcessor": {
                    "StartAt": "Call",
                    "States": {
                        "Call": {
                            "Type": "Task",
                            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:nul-result",
                            "End": True,
                        }
                    },
                },
            },
            ["States.ALL"],
        ),
    )

    found = finished(api, start(api, "NulFunctions", {"items": [1, 2]}))

    assert found["status"] == "SUCCEEDED", found
    assert found["output"]["caught"]["Error"] == "States.TaskFailed"


def test_it_catches_an_http_task_whose_endpoint_holds_a_tab(api: httpx.Client) -> None:
    create_machine(
        api,
        "Tab",
        caught(
            {
                "Type": "Task",
                "Resource": "arn:aws:states:::http:invoke",
                "Parameters": {"ApiEndpoint": "http://127.0.0.1:9/a\tb", "Method": "GET"},
            },
            ["States.Runtime"],
        ),
    )

    found = finished(api, start(api, "Tab"))

    assert found["status"] == "SUCCEEDED", found
    assert found["output"]["caught"]["Error"] == "States.Runtime"
    assert "ApiEndpoint" in found["output"]["caught"]["Cause"]


def test_it_lets_only_the_machines_of_a_connection_call_with_its_credentials(
    api: httpx.Client,
) -> None:
    call = {
        "Type": "Task",
        "Resource": "arn:aws:states:::http:invoke",
        "Parameters": {
            "ApiEndpoint": f"http://127.0.0.1:{HTTP_PORT}/charge",
            "Method": "GET",
            "Authentication": {
                "ConnectionArn": "arn:aws:events:us-east-1:123456789012:connection/billing/1"
            },
        },
        "End": True,
    }
    definition = {"StartAt": "Call", "States": {"Call": call}}
    create_machine(api, "Billing", definition)
    create_machine(api, "Other", definition)

    with serving(port=HTTP_PORT) as server:
        own = finished(api, start(api, "Billing"))
        other = finished(api, start(api, "Other"))

    assert own["status"] == "SUCCEEDED", own
    assert server.requests == [
        {"path": "/charge", "host": f"127.0.0.1:{HTTP_PORT}", "authorization": "Bearer s3cret"}
    ]
    assert (other["status"], other["error"]) == ("FAILED", "States.Runtime")
    assert "s3cret" not in json.dumps(history(api, own["id"]))
