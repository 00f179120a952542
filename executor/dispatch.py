"""Starts and cancels the outside work of pending tasks, after their rows are committed."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core import signing

from config.celery import app
from executor import live
from executor.models import PendingTask

log = logging.getLogger(__name__)


def start(pending: PendingTask) -> None:
    from executor import approvals, tasks

    if approvals.waits_for_a_person(pending):
        live.publish_approvals_changed(pending.execution.state_machine_id)
    if pending.kind == "function":
        tasks.run_function.delay(pending.pk)
    elif pending.kind == "http":
        tasks.http_invoke.delay(pending.pk)
    elif pending.kind == "celery":
        send_celery_task(pending)
    elif pending.kind == "activity":
        # Its workers long-poll for it (executor.callbacks_api): wake them.
        live.publish_activity_task(pending.activity)
    # callback tasks wait for a person or program to answer.


# Work our own tasks start, and mark as claimed when a worker picks it up (executor.tasks).
RESTARTABLE_KINDS = ("function", "http")


def restart_lost(pending_tasks: Iterable[PendingTask]) -> None:
    """Starts again work whose message no worker ever received. A task may then run twice
    (as on AWS); only its first answer counts."""
    for pending in pending_tasks:
        if pending.kind in RESTARTABLE_KINDS:
            start(pending)


# Task names no workflow may send, whatever the settings say: Statecraft's own tasks would let
# a run answer or advance other runs, and Celery's built-ins (chords, maps) run other tasks.
NEVER_SENT_PREFIXES = ("executor.", "celery.")
RESULT_SALT = "executor.dispatch.celery-result"


def celery_task_refusal(name: str) -> str | None:
    """Why a workflow may not send the Celery task ``name``, or None when it may."""
    if name.startswith(NEVER_SENT_PREFIXES):
        return (
            f"celery:send_task may not send '{name}': Statecraft's own tasks (executor.*) and "
            "Celery's built-in tasks (celery.*) are never sent by a workflow."
        )
    if name not in settings.CELERY_SEND_TASK_ALLOWED:
        return (
            f"celery:send_task may not send '{name}': it is not listed in "
            "CELERY_SEND_TASK_ALLOWED. An administrator can allow it in the settings."
        )
    return None


def result_reference(pending: PendingTask) -> str:
    """What the result callbacks carry instead of a bare row id: signed, so a message that
    did not come from this engine cannot answer a task, and bound to the row's token (the
    Celery task id), so it answers only the task it was made for."""
    return signing.dumps({"pending": pending.pk, "token": pending.token}, salt=RESULT_SALT)


def task_for_reference(reference: Any, task_id: str | None) -> PendingTask | None:
    """The open Celery task a signed reference names, or None when the reference is forged,
    names another task than ``task_id`` (the Celery task whose result this is), or its task
    has ended."""
    try:
        found = signing.loads(reference, salt=RESULT_SALT) if isinstance(reference, str) else None
    except signing.BadSignature:
        found = None
    if not isinstance(found, dict) or {"pending", "token"} - found.keys():
        found = None
    if found is None or (task_id is not None and task_id != found["token"]):
        log.warning("refused a Celery result with an invalid reference for task %s", task_id)
        return None
    return PendingTask.objects.filter(
        pk=found["pending"],
        token=found["token"],
        kind="celery",
        answered_at__isnull=True,
    ).first()


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
    else:
        problem = celery_task_refusal(name)
    if problem:
        answers.answer(pending, {"error": "States.Runtime", "cause": problem})
        return
    reference = result_reference(pending)
    app.send_task(
        name,
        args=args,
        kwargs=kwargs,
        queue=queue,
        task_id=pending.token,
        link=tasks.celery_task_succeeded.s(reference=reference),
        link_error=tasks.celery_task_failed.s(reference=reference),
    )


def cancel(pending: PendingTask) -> None:
    from executor import approvals

    if approvals.waits_for_a_person(pending) and pending.answered_at is None:
        live.publish_approvals_changed(pending.execution.state_machine_id)
    if pending.kind == "celery" and pending.answered_at is None:
        try:
            app.control.revoke(pending.token)
        except Exception:  # best effort: the task's answer will find no pending row
            log.warning("could not revoke Celery task %s", pending.token, exc_info=True)
