"""The template gallery: every template is described, valid, and runs on a real worker down
the path it promises, from its own sample input and from inputs that make it fail."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings

from tests import servers

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TEMPLATES = "/api/v1/templates/"
RUN_TIMEOUT = 60
EXPECTED_IDS = {
    "approval-with-timeout",
    "fan-out-map",
    "parallel-enrichment",
    "retry-with-backoff",
    "saga",
    "polling-loop",
    "scheduled-batch",
    "error-notification",
}


@pytest.fixture(scope="module")
def worker(test_database_url: str) -> Iterator[servers.Process]:
    env = servers.environment(DATABASE_URL=test_database_url, REDIS_URL=settings.REDIS_URL)
    with servers.start_celery_worker(env, concurrency=2, pool="prefork") as process:
        yield process


def gallery(api: Any) -> dict[str, dict[str, Any]]:
    response = api.get(TEMPLATES)
    assert response.status_code == 200
    return {t["id"]: t for t in response.json()["templates"]}


def run(api: Any, template: dict[str, Any], input: Any, answer: Any = None) -> dict[str, Any]:
    """Creates a machine from ``template``, starts it on ``input``, answers its waiting task
    with ``answer`` (a callable taking the pending task) if given, and returns the finished run."""
    name = f"{template['id']}-{time.monotonic_ns()}"
    created = api.post(
        "/api/v1/state-machines/",
        {"name": name, "definition": template["definition"]},
        format="json",
    )
    assert created.status_code == 201, created.json()
    started = api.post(
        f"/api/v1/state-machines/{name}/executions/", {"input": input}, format="json"
    )
    assert started.status_code == 201, started.json()
    execution = started.json()["id"]
    deadline = time.monotonic() + RUN_TIMEOUT
    while time.monotonic() < deadline:
        shown = api.get(f"/api/v1/executions/{execution}/").json()
        if shown["status"] != "RUNNING":
            return shown
        if answer is not None:
            tasks = api.get(f"/api/v1/executions/{execution}/pending-tasks/").json()[
                "pending_tasks"
            ]
            if tasks:
                answer(tasks[0])
                answer = None
        time.sleep(0.2)
    raise AssertionError(f"{name} did not finish in {RUN_TIMEOUT} s")


def test_it_offers_eight_described_templates(api: Any) -> None:
    templates = gallery(api)
    assert set(templates) == EXPECTED_IDS
    for template in templates.values():
        assert len(template["title"]) > 5
        assert len(template["description"]) > 40, "a sentence a person can choose by"
        valid = api.post(
            "/api/v1/state-machines/",
            {"name": f"check-{template['id']}", "definition": template["definition"]},
            format="json",
        )
        assert valid.status_code == 201, valid.json()


def test_each_template_runs_its_main_path_from_its_sample_input(api: Any, worker: Any) -> None:
    templates = gallery(api)
    outputs = {}
    for template_id in sorted(EXPECTED_IDS - {"approval-with-timeout"}):
        template = templates[template_id]
        finished = run(api, template, template["input"])
        assert finished["status"] == "SUCCEEDED", (template_id, finished)
        outputs[template_id] = finished["output"]
    assert outputs["fan-out-map"]["processed"] == 3
    assert outputs["parallel-enrichment"]["customer"] == {
        "customerId": "C-42",
        "tier": "gold",
        "orders": 12,
    }
    assert outputs["polling-loop"]["checks"] == 3
    assert outputs["scheduled-batch"] == {"batches": 3}
    assert "payment" in outputs["saga"]
    assert "answer" in outputs["retry-with-backoff"]
    assert "result" in outputs["error-notification"]


def test_the_error_templates_take_their_error_paths(api: Any, worker: Any) -> None:
    templates = gallery(api)

    def failing(template_id: str) -> dict[str, Any]:
        template = templates[template_id]
        return run(api, template, {**template["input"], "simulateError": "ServiceUnavailable"})

    retried = failing("retry-with-backoff")
    assert retried["status"] == "SUCCEEDED", "the fallback keeps the run alive"
    assert retried["output"]["answer"] == "cached quote"
    assert retried["output"]["failure"]["Error"] == "ServiceUnavailable"

    saga = failing("saga")
    assert (saga["status"], saga["error"]) == ("FAILED", "BookingFailed")
    history = api.get(f"/api/v1/executions/{saga['id']}/history/").json()["events"]
    entered = [
        e["stateEnteredEventDetails"]["name"] for e in history if e["type"] == "TaskStateEntered"
    ]
    assert entered[-2:] == ["Cancel flight", "Cancel hotel"], "undone in reverse order"

    notified = failing("error-notification")
    assert (notified["status"], notified["error"]) == ("FAILED", "ServiceUnavailable")
    assert "Send notification" in [
        e["stateEnteredEventDetails"]["name"]
        for e in api.get(f"/api/v1/executions/{notified['id']}/history/").json()["events"]
        if e["type"] == "TaskStateEntered"
    ]


def test_the_approval_template_keeps_the_order_beside_the_answer(api: Any, worker: Any) -> None:
    template = gallery(api)["approval-with-timeout"]

    def approve(task: dict[str, Any]) -> None:
        answered = api.post(
            "/api/v1/task-tokens/success/",
            {"taskToken": task["task_token"], "output": {"approved": True}},
            format="json",
        )
        assert answered.status_code == 200, answered.json()

    def reject(task: dict[str, Any]) -> None:
        answered = api.post(
            "/api/v1/task-tokens/failure/",
            {"taskToken": task["task_token"], "error": "Rejected", "cause": "too dear"},
            format="json",
        )
        assert answered.status_code == 200, answered.json()

    approved = run(api, template, template["input"], answer=approve)
    assert approved["status"] == "SUCCEEDED", approved
    assert approved["output"]["orderId"] == "A-1001"
    assert approved["output"]["approval"] == {"approved": True}
    rejected = run(api, template, template["input"], answer=reject)
    assert (rejected["status"], rejected["error"]) == ("FAILED", "Rejected")
