"""Celery tasks: like views, they take ids, call the runner or actions, and return."""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task
from celery.signals import task_unknown
from django.utils import timezone

import asl
from asl import task_resources
from designer.models import StateMachine
from executor import actions, dispatch, http_task, pending, resources, runner
from executor.models import PendingTask

log = logging.getLogger(__name__)


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


def _answer_failed_resource(task: PendingTask, exc: Exception) -> None:
    """A resource that raised (our code or the outcome it returned) fails its state like any
    task failure, which Retry and Catch see, instead of leaving the run waiting forever."""
    log.exception("the %s task of state %r failed", task.kind, task.state_name)
    cause = f"{type(exc).__name__}: {exc}"[: pending.MAX_CAUSE]
    pending.answer(task, {"error": "States.TaskFailed", "cause": cause})


@shared_task(name="executor.tasks.run_function")
def run_function(pending_id: int) -> None:
    task = _claim_task(pending_id)
    if task is None:
        return  # answered already (a timeout), or its execution ended
    try:
        timeout = (task.deadline - task.created_at).total_seconds() if task.deadline else None
        request = asl.Invoke(
            id=task.request_id,
            state_name=task.state_name,
            resource=task_resources.base(task.resource),
            payload=task.payload,
            timeout_seconds=timeout,
        )
        _answer_unless_callback(task, resources.run_function(request))
    except Exception as exc:
        _answer_failed_resource(task, exc)


@shared_task(name="executor.tasks.http_invoke")
def http_invoke(pending_id: int) -> None:
    task = _claim_task(pending_id)
    if task is None:
        return
    try:
        machine = StateMachine.objects.filter(executions__pk=task.execution_id).values_list(
            "name", flat=True
        )
        outcome = http_task.invoke(task.payload, machine.first() or "")
        _answer_unless_callback(task, outcome)
    except Exception as exc:
        _answer_failed_resource(task, exc)


@shared_task(name="executor.tasks.celery_task_succeeded", bind=True)
def celery_task_succeeded(self: Task, result: Any, reference: str) -> None:
    """The link of a team's Celery task: Celery calls it with the result, naming the task it
    followed as the parent."""
    task = dispatch.task_for_reference(reference, self.request.parent_id)
    if task is None:
        return
    try:
        _answer_unless_callback(task, {"result": result})
    except Exception as exc:  # e.g. a result PostgreSQL cannot store (a NUL character)
        _answer_failed_resource(task, exc)


@shared_task(name="executor.tasks.celery_task_failed")
def celery_task_failed(
    request_or_id: Any, exc: BaseException | None = None, traceback: Any = None, *, reference: str
) -> None:
    """The errback of a team's Celery task. A worker that has this task registered calls it
    with the failed task's request and exception; any other worker sends only its id."""
    task_id = getattr(request_or_id, "id", request_or_id)
    task = dispatch.task_for_reference(reference, task_id if isinstance(task_id, str) else "")
    if task is None:
        return
    if exc is not None:
        outcome = {"error": type(exc).__name__, "cause": str(exc)[: pending.MAX_CAUSE]}
    else:
        outcome = {"error": "States.TaskFailed", "cause": f"The Celery task {task_id} failed."}
    try:
        pending.answer(task, outcome)
    except Exception as error:  # e.g. an exception text PostgreSQL cannot store
        _answer_failed_resource(task, error)


@task_unknown.connect
def fail_unknown_celery_task(sender: Any = None, name: str = "", id: str = "", **_: Any) -> None:
    """A worker received a task it does not have: Celery drops the message without calling
    its errback, so the state that sent it fails here rather than wait forever. (Only workers
    running Statecraft's code see this; a team's own worker simply logs it.)"""
    task = PendingTask.objects.filter(token=id, kind="celery", answered_at__isnull=True).first()
    if task is not None:
        pending.answer(
            task,
            {
                "error": "States.Runtime",
                "cause": f"No Celery worker has the task '{name}' that state "
                f"'{task.state_name}' sent: check Parameters.Task and CELERY_IMPORTS.",
            },
        )
