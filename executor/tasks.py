"""Celery tasks: like views, they take ids, call the runner or actions, and return."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.utils import timezone

import asl
from executor import actions, http_task, pending, resources, runner
from executor.models import PendingTask


@shared_task(name="executor.tasks.advance")
def advance(execution_id: str) -> None:
    runner.advance(execution_id)


@shared_task(name="executor.tasks.sweep")
def sweep() -> int:
    return actions.sweep()


def _answer_unless_callback(task: PendingTask, outcome: dict[str, Any]) -> None:
    """With .waitForTaskToken the resource's own success is not the answer (the callback is);
    its failure is."""
    if task.resource.endswith(".waitForTaskToken") and outcome.get("error") is None:
        return
    pending.answer(task, outcome)


def _open_task(pending_id: int) -> PendingTask | None:
    return PendingTask.objects.filter(pk=pending_id, answered_at__isnull=True).first()


def _claim_task(pending_id: int) -> PendingTask | None:
    """The open task, marked as reached by a worker: the sweep starts again only tasks that
    no worker claimed (their message was lost with a restarted broker)."""
    if PendingTask.objects.filter(pk=pending_id, answered_at__isnull=True).update(
        claimed_at=timezone.now()
    ):
        return _open_task(pending_id)
    return None


@shared_task(name="executor.tasks.run_function")
def run_function(pending_id: int) -> None:
    task = _claim_task(pending_id)
    if task is None:
        return  # answered already (a timeout), or its execution ended
    timeout = (task.deadline - task.created_at).total_seconds() if task.deadline else None
    request = asl.Invoke(
        id=task.request_id,
        state_name=task.state_name,
        resource=resources.base_resource(task.resource),
        payload=task.payload,
        timeout_seconds=timeout,
    )
    _answer_unless_callback(task, resources.run_function(request))


@shared_task(name="executor.tasks.http_invoke")
def http_invoke(pending_id: int) -> None:
    task = _claim_task(pending_id)
    if task is not None:
        _answer_unless_callback(task, http_task.invoke(task.payload))


@shared_task(name="executor.tasks.celery_task_succeeded")
def celery_task_succeeded(result: Any, pending_id: int) -> None:
    task = _open_task(pending_id)
    if task is not None:
        _answer_unless_callback(task, {"result": result})


@shared_task(name="executor.tasks.celery_task_failed")
def celery_task_failed(
    request_or_id: Any, exc: BaseException | None = None, traceback: Any = None, *, pending_id: int
) -> None:
    """The errback of a team's Celery task. A worker that has this task registered calls it
    with the exception; any other worker sends only the failed task's id."""
    task = _open_task(pending_id)
    if task is None:
        return
    if exc is not None:
        outcome = {"error": type(exc).__name__, "cause": str(exc)}
    else:
        outcome = {
            "error": "States.TaskFailed",
            "cause": f"The Celery task {request_or_id} failed.",
        }
    pending.answer(task, outcome)
