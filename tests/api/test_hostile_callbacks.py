"""Hostile inputs to the endpoints that steer runs: task tokens, activities, stop, redrive and
synchronous executions. Whatever arrives, the answer is a clear 4xx, never a 500."""

from __future__ import annotations

from typing import Any

import pytest

from executor import runner
from executor.actions import start_execution
from executor.models import Execution, PendingTask
from tests.api.hostile import GARBAGE, assert_refused_clearly, short
from tests.executor.definitions import APPROVAL, HELLO_DEFINITION

pytestmark = pytest.mark.django_db

DEEP_TEXT = "[" * 50_000 + "]" * 50_000


@pytest.fixture
def waiting_token(make_machine: Any, user: Any) -> str:
    """The token of a run waiting for a person's answer."""
    execution = start_execution(make_machine("Approval", APPROVAL), {}, user=user)
    runner.advance(execution.pk)
    return str(PendingTask.objects.get(execution=execution).token)


@pytest.mark.parametrize("value", GARBAGE, ids=short)
def test_it_refuses_bad_task_token_answers_clearly(
    api: Any, waiting_token: str, value: Any
) -> None:
    for url, body in [
        ("/api/v1/task-tokens/success/", {"taskToken": value, "output": {}}),
        ("/api/v1/task-tokens/failure/", {"taskToken": value}),
        ("/api/v1/task-tokens/heartbeat/", {"taskToken": value}),
        ("/api/v1/task-tokens/failure/", {"taskToken": waiting_token, "error": value}),
        ("/api/v1/task-tokens/failure/", {"taskToken": waiting_token, "cause": value}),
    ]:
        response = api.post(url, body, format="json")
        assert_refused_clearly(response)


@pytest.mark.parametrize("value", GARBAGE, ids=short)
def test_it_stores_any_task_output_or_refuses_it_clearly(
    api: Any, waiting_token: str, value: Any
) -> None:
    response = api.post(
        "/api/v1/task-tokens/success/", {"taskToken": waiting_token, "output": value}, format="json"
    )
    assert_refused_clearly(response)


@pytest.mark.parametrize("value", GARBAGE, ids=short)
def test_it_refuses_a_bad_stop_clearly(api: Any, make_machine: Any, user: Any, value: Any) -> None:
    execution = start_execution(make_machine(), {"quantity": 1}, user=user)
    for body in ({"error": value}, {"cause": value}):
        response = api.post(f"/api/v1/executions/{execution.pk}/stop/", body, format="json")
        assert_refused_clearly(response)
        Execution.objects.filter(pk=execution.pk).update(status="RUNNING", stop_requested=None)


@pytest.mark.parametrize("value", GARBAGE, ids=short)
def test_it_refuses_a_bad_synchronous_execution_clearly(api: Any, value: Any) -> None:
    api.post(
        "/api/v1/state-machines/",
        {"name": "Quick", "definition": HELLO_DEFINITION, "type": "EXPRESS"},
        format="json",
    )
    for body in ({"input": value}, {"name": value}):
        response = api.post("/api/v1/state-machines/Quick/sync-executions/", body, format="json")
        assert_refused_clearly(response)


@pytest.mark.parametrize("value", GARBAGE, ids=short)
def test_it_refuses_bad_activity_polls_clearly(api: Any, value: Any) -> None:
    for body in ({"wait": value}, {"wait": 0, "workerName": value}):
        response = api.post("/api/v1/activities/Review/tasks/", body, format="json")
        assert_refused_clearly(response)


@pytest.mark.parametrize(
    "raw", [b"null", b"[]", b'"x"', b"{", b"\xff\xfe", DEEP_TEXT.encode()], ids=short
)
def test_it_refuses_bodies_that_are_not_json_objects(
    api: Any, waiting_token: str, raw: bytes
) -> None:
    for url in [
        "/api/v1/task-tokens/success/",
        "/api/v1/task-tokens/failure/",
        "/api/v1/task-tokens/heartbeat/",
        "/api/v1/activities/Review/tasks/",
    ]:
        response = api.post(url, raw, content_type="application/json")
        assert response.status_code == 400, url
        assert_refused_clearly(response)


def test_it_answers_a_task_token_once(api: Any, waiting_token: str) -> None:
    first = api.post(
        "/api/v1/task-tokens/success/",
        {"taskToken": waiting_token, "output": {"approved": True}},
        format="json",
    )
    assert first.status_code == 200
    again = api.post(
        "/api/v1/task-tokens/success/",
        {"taskToken": waiting_token, "output": {}},
        format="json",
    )
    assert again.status_code in (400, 409)
    assert_refused_clearly(again)
