"""Activities and task tokens belong to the users who may operate their machines."""

from __future__ import annotations

from typing import Any

import pytest

from executor import runner
from executor.models import PendingTask

pytestmark = pytest.mark.django_db

ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:approvals"
WAITING = {
    "StartAt": "Work",
    "States": {"Work": {"Type": "Task", "Resource": ACTIVITY, "End": True}},
}


def waiting_run(api: Any, make_machine: Any) -> str:
    make_machine("Approvals", WAITING)
    started = api.post(
        "/api/v1/state-machines/Approvals/executions/", {"input": {"secret": 7}}, format="json"
    )
    runner.advance(started.json()["id"])
    return str(started.json()["id"])


def poll(client: Any) -> Any:
    return client.post("/api/v1/activities/approvals/tasks/", {"wait": 0}, format="json")


def test_it_gives_a_strangers_poll_nothing_and_the_owners_poll_the_task(
    api: Any, outsider_api: Any, make_machine: Any
) -> None:
    waiting_run(api, make_machine)

    strangers = poll(outsider_api)
    owners = poll(api)

    assert strangers.status_code == 200
    assert strangers.json() == {"taskToken": None, "input": None}
    assert owners.json()["input"] == {"secret": 7}
    assert owners.json()["taskToken"] == PendingTask.objects.get().token


@pytest.mark.parametrize(
    ("path", "extra"),
    [
        ("success", {"output": {"forged": True}}),
        ("failure", {"error": "Forged"}),
        ("heartbeat", {}),
    ],
)
def test_it_refuses_a_strangers_answer_with_a_real_token_like_an_unknown_token(
    api: Any, outsider_api: Any, make_machine: Any, path: str, extra: dict[str, Any]
) -> None:
    waiting_run(api, make_machine)
    token = PendingTask.objects.get().token
    url = f"/api/v1/task-tokens/{path}/"

    real = outsider_api.post(url, {"taskToken": token, **extra}, format="json")
    unknown = outsider_api.post(url, {"taskToken": "f" * 32, **extra}, format="json")

    assert real.status_code == unknown.status_code == 400
    assert real.json() == unknown.json()
    assert PendingTask.objects.get().answered_at is None
    assert api.post(url, {"taskToken": token, **extra}, format="json").status_code == 200
