"""Answers from the outside world to waiting Task states.

Whoever answers (an API call with a task token, an activity worker, a Celery task's callback,
the sweep noticing a missed deadline) writes the outcome on the PendingTask row and asks for
the execution to be advanced; the runner applies it. Only the first answer counts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from designer.actions import ActionError, check_storable, storable
from designer.roles import machines_for, may, require
from executor import approvals, live
from executor.models import PendingTask

# AWS's limits on SendTaskFailure's fields.
MAX_ERROR = 256
MAX_CAUSE = 32768


def _find(token: Any, user: Any) -> PendingTask:
    """The task of ``token`` if ``user`` may answer it ("operate" on its machine). A token of
    a run the user may not even view is refused exactly as an unknown one, so tokens cannot
    be probed; a viewer gets the 403 of the operator role they lack."""
    if not isinstance(token, str) or not token:
        raise ActionError("taskToken is required and must be a string.", field="taskToken")
    # No token holds U+0000 or a lone surrogate, and the databases refuse them even in a query.
    pending = (
        PendingTask.objects.filter(token=token).select_related("execution__state_machine").first()
        if storable(token)
        else None
    )
    if pending is None or not may(user, "view", pending.execution.state_machine):
        raise ActionError(
            "The task token is unknown: it was never issued, or its task has already ended "
            "(answered, timed out, or its execution stopped).",
            field="taskToken",
            status=400,
            code="InvalidToken",
        )
    # Someone who sees the run (and so the token) learns nothing new from a plain refusal.
    require(user, "operate", pending.execution.state_machine)
    approvals.require_group(user, pending)
    return pending


def answer(
    pending: PendingTask, outcome: dict[str, Any], by: Any = None, comment: str = ""
) -> bool:
    """Records the outcome unless the task was answered already; True when it counted. With
    ``by`` (a person or program answering the token), who answered is recorded with it."""
    from executor import tasks

    now = timezone.now()
    with transaction.atomic():
        counted = PendingTask.objects.filter(pk=pending.pk, answered_at__isnull=True).update(
            outcome=outcome, answered_at=now
        )
        if counted and by is not None:
            approvals.record(pending, outcome, by, comment, now).save()
    # After the commit: the advance must find the answer.
    if counted:
        tasks.advance.delay(str(pending.execution_id))
        if approvals.waits_for_a_person(pending):
            live.publish_approvals_changed(pending.execution.state_machine_id)
    return bool(counted)


def send_success(token: Any, output: Any, *, user: Any, comment: str = "") -> None:
    pending = _find(token, user)
    check_storable(output, "output")
    if not answer(pending, {"result": output}, by=user, comment=comment):
        raise ActionError("This task has already been answered.", field="taskToken", status=409)


def send_failure(
    token: Any, error: Any = None, cause: Any = None, *, user: Any, comment: str = ""
) -> None:
    pending = _find(token, user)
    if error is not None and (not isinstance(error, str) or len(error) > MAX_ERROR):
        raise ActionError(f"error must be a string of at most {MAX_ERROR} characters.", "error")
    if cause is not None and (not isinstance(cause, str) or len(cause) > MAX_CAUSE):
        raise ActionError(f"cause must be a string of at most {MAX_CAUSE} characters.", "cause")
    check_storable(error, "error")
    check_storable(cause, "cause")
    if not answer(pending, {"error": error or "", "cause": cause or ""}, by=user, comment=comment):
        raise ActionError("This task has already been answered.", field="taskToken", status=409)


def send_heartbeat(token: Any, *, user: Any) -> None:
    pending = _find(token, user)
    if pending.answered_at is not None:
        raise ActionError("This task has already been answered.", field="taskToken", status=409)
    if pending.heartbeat_seconds:
        PendingTask.objects.filter(pk=pending.pk).update(
            heartbeat_deadline=timezone.now() + dt.timedelta(seconds=pending.heartbeat_seconds)
        )


def claim_activity_task(activity: str, user: Any, worker_name: str = "") -> PendingTask | None:
    """Hands the oldest unclaimed task of an activity, among the runs of machines ``user`` may
    operate, to one worker; the conditional UPDATE makes sure two pollers never get the same
    task."""
    from executor import tasks

    now = timezone.now()
    for pending in PendingTask.objects.filter(
        kind="activity",
        activity=activity,
        claimed_at__isnull=True,
        answered_at__isnull=True,
        execution__state_machine__in=machines_for(user, "operate"),
    )[:10]:
        heartbeat = (
            now + dt.timedelta(seconds=pending.heartbeat_seconds)
            if pending.heartbeat_seconds
            else None
        )
        if PendingTask.objects.filter(pk=pending.pk, claimed_at__isnull=True).update(
            claimed_at=now, heartbeat_deadline=heartbeat
        ):
            pending.claimed_at = now
            # The runner writes ActivityStarted, as AWS does when a worker takes the task.
            tasks.advance.delay(str(pending.execution_id))
            return pending
    return None


def expire_overdue(now: dt.datetime | None = None) -> int:
    """Fails the tasks whose deadline or heartbeat passed, as AWS does."""
    now = now or timezone.now()
    count = 0
    overdue = PendingTask.objects.filter(answered_at__isnull=True).filter(
        Q(deadline__lt=now) | Q(heartbeat_deadline__lt=now)
    )
    for pending in overdue[:1000]:
        timed_out = pending.deadline is not None and pending.deadline < now
        if timed_out:
            outcome = {"error": "States.Timeout", "cause": ""}
        else:
            outcome = {"error": "States.HeartbeatTimeout", "cause": ""}
        count += answer(pending, outcome)
    return count
