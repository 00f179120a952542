"""Starts and cancels the outside work of pending tasks, after their rows are committed."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from config.celery import app
from executor.models import PendingTask

log = logging.getLogger(__name__)


def start(pending: PendingTask) -> None:
    from executor import tasks

    if pending.kind == "function":
        tasks.run_function.delay(pending.pk)
    elif pending.kind == "http":
        tasks.http_invoke.delay(pending.pk)
    elif pending.kind == "celery":
        send_celery_task(pending)
    # activity and callback tasks wait for a worker or a person to answer.


# Work our own tasks start, and mark as claimed when a worker picks it up (executor.tasks).
RESTARTABLE_KINDS = ("function", "http")


def restart_lost(pending_tasks: Iterable[PendingTask]) -> None:
    """Starts again work whose message no worker ever received. A task may then run twice
    (as on AWS); only its first answer counts."""
    for pending in pending_tasks:
        if pending.kind in RESTARTABLE_KINDS:
            start(pending)


def send_celery_task(pending: PendingTask) -> None:
    """Sends a team's Celery task by name; its result comes back through a linked callback,
    so no worker waits on it."""
    from executor import pending as answers
    from executor import tasks

    params = pending.payload if isinstance(pending.payload, dict) else {}
    name, queue = params.get("Task"), params.get("Queue")
    args, kwargs = params.get("Args", []), params.get("Kwargs", {})
    problem = None
    if not isinstance(name, str) or not name:
        problem = "celery:send_task needs Parameters.Task, the name of the Celery task."
    elif not isinstance(args, list) or not isinstance(kwargs, dict):
        problem = "Parameters.Args must be an array and Parameters.Kwargs an object."
    elif queue is not None and not isinstance(queue, str):
        problem = "Parameters.Queue must be the name of a queue."
    if problem:
        answers.answer(pending, {"error": "States.Runtime", "cause": problem})
        return
    app.send_task(
        name,
        args=args,
        kwargs=kwargs,
        queue=queue,
        task_id=pending.token,
        link=tasks.celery_task_succeeded.s(pending_id=pending.pk),
        link_error=tasks.celery_task_failed.s(pending_id=pending.pk),
    )


def cancel(pending: PendingTask) -> None:
    if pending.kind == "celery" and pending.answered_at is None:
        try:
            app.control.revoke(pending.token)
        except Exception:  # best effort: the task's answer will find no pending row
            log.warning("could not revoke Celery task %s", pending.token, exc_info=True)
