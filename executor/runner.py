"""The durable runner: advances an execution from its last checkpoint.

``advance`` takes a lease on the execution, steps the interpreter until it must wait, then
writes the new events and the checkpoint in one transaction; only after commit does it publish
the events and schedule what the interpreter asked for. A worker that dies mid-step leaves a
lease that expires; the sweep then hands the execution to another worker, which redoes the work
from the last checkpoint (a Task may run twice, as on AWS, but nothing is recorded twice).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import socket
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

import asl
from designer.models import StateMachineVersion
from executor import resources
from executor.models import Execution, HistoryEvent

log = logging.getLogger(__name__)

WORKER_ID = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
# Cheap work (Pass, Choice, registered functions) runs inside one advance; this bounds how
# long one advance may keep an execution from being checkpointed.
MAX_INLINE_ROUNDS = 10_000


@functools.lru_cache(maxsize=256)
def _machine(version_id: int) -> Any:
    # Versions are immutable, so the parsed machine can be kept for the life of the process.
    version = StateMachineVersion.objects.get(pk=version_id)
    return asl.parse(version.definition)


def _iso(value: dt.datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def execution_arn(execution: Execution) -> str:
    return (
        f"arn:aws:states:{settings.AWS_REGION}:{settings.AWS_ACCOUNT_ID}:execution:"
        f"{execution.state_machine.name}:{execution.name}"
    )


def state_machine_arn(execution: Execution) -> str:
    return (
        f"arn:aws:states:{settings.AWS_REGION}:{settings.AWS_ACCOUNT_ID}:stateMachine:"
        f"{execution.state_machine.name}"
    )


def _context(execution: Execution) -> asl.ExecutionContext:
    return asl.ExecutionContext(
        id=execution_arn(execution),
        name=execution.name,
        start_time=execution.start_date,
        state_machine_id=state_machine_arn(execution),
        state_machine_name=execution.state_machine.name,
    )


def acquire_lease(execution_id: Any, now: dt.datetime) -> bool:
    """True when this worker now holds the execution; an UPDATE with a condition is atomic on
    every database, so two workers can never both win."""
    expires = now + dt.timedelta(seconds=settings.EXECUTION_LEASE_SECONDS)
    taken = (
        Execution.objects.filter(pk=execution_id, status="RUNNING")
        .filter(Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now))
        .update(lease_owner=WORKER_ID, lease_expires_at=expires)
    )
    return taken == 1


def release_lease(execution_id: Any) -> None:
    Execution.objects.filter(pk=execution_id, lease_owner=WORKER_ID).update(
        lease_owner="", lease_expires_at=None
    )


def _event_row(execution: Execution, event: dict[str, Any]) -> HistoryEvent:
    details_key = next((k for k in event if k.endswith("EventDetails")), "")
    timestamp = event["timestamp"]
    if isinstance(timestamp, str):
        timestamp = dt.datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    return HistoryEvent(
        execution=execution,
        event_id=event["id"],
        previous_event_id=event.get("previousEventId") or 0,
        type=event["type"],
        details_key=details_key,
        details=event.get(details_key, {}) if details_key else {},
        timestamp=timestamp,
    )


def advance(execution_id: Any) -> None:
    now = timezone.now()
    if not acquire_lease(execution_id, now):
        return  # finished, or another worker is on it and will see our work when it checks
    try:
        _advance_leased(execution_id)
    finally:
        release_lease(execution_id)


def _advance_leased(execution_id: Any) -> None:
    execution = Execution.objects.select_related("state_machine").get(pk=execution_id)
    machine = _machine(execution.version_id)
    saved = execution.checkpoint or {}
    sleeps: dict[str, str] = dict(saved.get("sleeps", {}))
    if saved.get("stepper") is None:
        stepper = asl.Execution.start(
            machine, execution.input, context=_context(execution), now=execution.start_date
        )
    else:
        stepper = asl.Execution.restore(machine, saved["stepper"])

    events: list[dict[str, Any]] = []
    step = None
    for _ in range(MAX_INLINE_ROUNDS):
        now = timezone.now()
        for request_id, until in list(sleeps.items()):
            if dt.datetime.fromisoformat(until) <= now:
                del sleeps[request_id]
                stepper.resume(request_id)
        step = stepper.step(now)
        events.extend(step.events)
        answered = False
        for request in step.requests:
            if isinstance(request, asl.Sleep):
                sleeps[request.id] = request.until.isoformat()
            else:
                answer = resources.invoke_inline(request, execution)
                stepper.resume(request.id, **answer)
                answered = True
        due = any(dt.datetime.fromisoformat(u) <= timezone.now() for u in sleeps.values())
        if step.status != "RUNNING" or not (answered or due):
            break
    assert step is not None

    wake_at = min((dt.datetime.fromisoformat(u) for u in sleeps.values()), default=None)
    finished = step.status != "RUNNING"
    with transaction.atomic():
        rows = [_event_row(execution, e) for e in events]
        HistoryEvent.objects.bulk_create(rows, batch_size=500)
        fields: dict[str, Any] = {
            "checkpoint": None if finished else {"stepper": stepper.checkpoint(), "sleeps": sleeps},
            "wake_at": None if finished else wake_at,
            "last_event_id": rows[-1].event_id if rows else execution.last_event_id,
            "status": step.status,
        }
        if finished:
            fields.update(
                output=step.output if step.status == "SUCCEEDED" else None,
                error=step.error or "",
                cause=step.cause or "",
                stop_date=rows[-1].timestamp if rows else timezone.now(),
            )
        Execution.objects.filter(pk=execution.pk).update(**fields)
        for name, value in fields.items():
            setattr(execution, name, value)
        transaction.on_commit(lambda: _after_commit(execution, rows))


def summary(execution: Execution) -> dict[str, Any]:
    return {
        "id": str(execution.id),
        "name": execution.name,
        "status": execution.status,
        "start_date": _iso(execution.start_date),
        "stop_date": _iso(execution.stop_date) if execution.stop_date else None,
    }


def _after_commit(execution: Execution, rows: list[HistoryEvent]) -> None:
    from executor import live, tasks

    live.publish(
        execution.pk, execution.state_machine_id, [r.as_message() for r in rows], summary(execution)
    )
    if execution.status == "RUNNING" and execution.wake_at is not None:
        delay = (execution.wake_at - timezone.now()).total_seconds()
        # Short waits are scheduled with the broker; long ones are left to the sweep so that
        # no message sits in a queue for hours.
        if delay <= settings.SCHEDULE_AHEAD_SECONDS:
            tasks.advance.apply_async((str(execution.pk),), countdown=max(delay, 0))
