"""Running: every change to executions goes through these functions."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
import uuid
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

import asl.redrive as asl_redrive
from designer.actions import ActionError, check_name, check_storable
from designer.models import StateMachine, StateMachineVersion
from executor.models import Execution, PendingTask

# How long a message may take to arrive before the sweep assumes it was lost.
SWEEP_GRACE_SECONDS = 5


def check_input(value: Any) -> Any:
    check_storable(value, "input", code="InvalidExecutionInput")  # first: it makes encode() safe
    size = len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())
    if size > settings.PAYLOAD_LIMIT_BYTES:
        raise ActionError(
            f"The input is {size} bytes; the limit is {settings.PAYLOAD_LIMIT_BYTES} bytes.",
            field="input",
            code="InvalidExecutionInput",
        )
    return value


def start_execution(
    machine: StateMachine,
    input: Any = None,
    name: Any = None,
    user: Any = None,
    enqueue: bool = True,
    version: StateMachineVersion | None = None,
) -> Execution:
    """Commits the execution, then (after commit) asks a worker to advance it. It runs
    ``version`` of the machine, by default the latest."""
    from executor import tasks

    name = uuid.uuid4().hex if name is None else check_name(name, "execution name")
    payload = check_input({} if input is None else input)
    execution = Execution(
        state_machine=machine,
        version=version or machine.latest_version_reference(),
        name=name,
        input=payload,
        start_date=timezone.now(),
        started_by=user if user is not None and user.is_authenticated else None,
    )
    # One INSERT is a transaction of its own; inside a caller's transaction, a savepoint keeps
    # a refused name from breaking it.
    in_transaction = transaction.get_connection().in_atomic_block
    try:
        with transaction.atomic() if in_transaction else contextlib.nullcontext():
            execution.save(force_insert=True)
    except IntegrityError:
        raise ActionError(
            f"An execution named {name!r} already exists for {machine.name!r}.",
            field="name",
            status=409,
            code="ExecutionAlreadyExists",
        ) from None
    if enqueue:
        tasks.advance.delay_on_commit(str(execution.pk))
    return execution


def start_execution_once(
    machine: StateMachine,
    input: Any = None,
    name: Any = None,
    user: Any = None,
    version: StateMachineVersion | None = None,
) -> tuple[Execution, bool]:
    """StartExecution as AWS makes it idempotent: a start with the name and input of a
    RUNNING execution returns that execution; with other input, or once it has ended, the
    name is refused (ExecutionAlreadyExists). Returns the execution and whether it is new."""
    try:
        return start_execution(machine, input, name=name, user=user, version=version), True
    except ActionError as exc:
        if exc.code != "ExecutionAlreadyExists":
            raise
        same = Execution.objects.filter(state_machine=machine, name=name, status="RUNNING").first()
        if same is not None and same.input == ({} if input is None else input):
            return same, False
        raise


def sweep(now: dt.datetime | None = None) -> int:
    """Re-enqueues executions that should be moving but are not: a wake-up time passed, a
    lease expired (its worker died), an answer or the first message was lost. Also fails the
    tasks whose deadline passed. Returns how many executions it re-enqueued."""
    from executor import pending, tasks

    now = now or timezone.now()
    pending.expire_overdue(now)
    stale = now - dt.timedelta(seconds=SWEEP_GRACE_SECONDS)
    free = Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now)
    due = (
        Q(wake_at__lte=now)
        | Q(lease_expires_at__lt=now)
        | Q(checkpoint__isnull=True, start_date__lt=stale)
        | Q(pending_tasks__answered_at__lt=stale)
    )
    not_just_swept = Q(swept_at__isnull=True) | Q(swept_at__lt=now - dt.timedelta(seconds=10))
    running = Execution.objects.filter(status="RUNNING")
    ids = list(
        running.filter(free, due, not_just_swept).values_list("pk", flat=True).distinct()[:1000]
    )
    running.filter(pk__in=ids).update(swept_at=now)
    for pk in ids:
        tasks.advance.delay(str(pk))
    restart_unclaimed_tasks(stale, not_just_swept, now)
    return len(ids)


def restart_unclaimed_tasks(stale: dt.datetime, not_just_swept: Q, now: dt.datetime) -> None:
    """A restarted broker loses the messages of function and HTTP tasks, and their executions
    would wait for answers that never come: start again what no worker claimed in time (at
    most once per sweep interval of its execution, so a long queue is not flooded)."""
    from executor import dispatch

    executions = Execution.objects.filter(status="RUNNING").filter(not_just_swept)
    lost = list(
        PendingTask.objects.filter(
            kind__in=dispatch.RESTARTABLE_KINDS,
            answered_at__isnull=True,
            claimed_at__isnull=True,
            created_at__lt=stale,
            execution__in=executions,
        )[:1000]
    )
    executions.filter(pk__in={p.execution_id for p in lost}).update(swept_at=now)
    dispatch.restart_lost(lost)


def stop_execution(execution: Execution, error: Any = None, cause: Any = None) -> Execution:
    """Aborts a running execution (StopExecution). The stop is recorded first; whichever
    worker holds the execution applies it, and if none does it is applied right here."""
    from executor import runner

    for value, name, limit in ((error, "error", 256), (cause, "cause", 32768)):
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            raise ActionError(f"{name} must be a string of at most {limit} characters.", name)
        check_storable(value, name)
    if execution.status != "RUNNING":
        raise ActionError(
            f"The execution has already ended ({execution.status}).", field="id", status=409
        )
    Execution.objects.filter(pk=execution.pk, status="RUNNING").update(
        stop_requested={"error": error, "cause": cause}
    )
    runner.advance(execution.pk)
    execution.refresh_from_db()
    return execution


def run_sync_execution(
    machine: StateMachine,
    input: Any = None,
    name: Any = None,
    user: Any = None,
    version: StateMachineVersion | None = None,
) -> Execution:
    """StartSyncExecution: runs an EXPRESS execution and returns it finished. Cheap states and
    registered functions run right here; waits and other tasks are finished by the workers
    while this waits (up to SYNC_EXECUTION_TIMEOUT_SECONDS, then the run is timed out)."""
    from executor import runner

    if machine.type != "EXPRESS":
        raise ActionError(
            f"{machine.name!r} is a STANDARD state machine: only EXPRESS machines can be "
            "run synchronously. Start an execution instead.",
            field="name",
        )
    execution = start_execution(
        machine, input, name=name, user=user, enqueue=False, version=version
    )
    runner.advance(execution.pk)
    give_up = time.monotonic() + settings.SYNC_EXECUTION_TIMEOUT_SECONDS
    execution.refresh_from_db()
    while execution.status == "RUNNING" and time.monotonic() < give_up:
        time.sleep(0.02)
        execution.refresh_from_db()
    if execution.status == "RUNNING":
        stop_execution(
            execution, "States.Timeout", "The synchronous execution did not finish in time."
        )
    return execution


def redrive_refusal(
    execution: Execution, now: dt.datetime, point_kept: bool | None = None
) -> str | None:
    """Why the execution cannot be redriven now (AWS's ExecutionNotRedrivable reason), or
    None; read from the row alone, so that lists can show it cheaply. ``point_kept``, when a
    caller has not loaded the checkpoint (redrive_point_kept), says whether it keeps where a
    redrive continues."""
    if point_kept is None:
        stepper = (execution.checkpoint or {}).get("stepper") or {}
        point_kept = stepper.get("redrive_point") is not None
    return asl_redrive.refusal(
        execution.status,
        execution.stop_date,
        None if execution.state_machine.type == "EXPRESS" else execution.redrive_count,
        now,
        point_kept,
    )


def redrive_point_kept(execution: Execution) -> bool:
    """Whether the checkpoint keeps where a redrive continues, asked of the database: the
    checkpoint may be large (a Map's items, a Map Run's statuses), and this reads none of it."""
    point = "checkpoint__stepper__redrive_point"
    rows = Execution.objects.filter(pk=execution.pk, **{f"{point}__isnull": False})
    return rows.exclude(**{point: None}).exists()


def redrive_execution(execution: Execution) -> Execution:
    """RedriveExecution: a FAILED, TIMED_OUT or ABORTED STANDARD execution continues from the
    state that did not succeed (see asl.interpreter). A refusal is a 409 naming AWS's
    ExecutionNotRedrivable and the reason."""
    from executor import runner

    def refused(reason: str) -> ActionError:
        return ActionError(
            f"ExecutionNotRedrivable: {reason}",
            field="id",
            status=409,
            code="ExecutionNotRedrivable",
        )

    now = timezone.now()
    reason = redrive_refusal(execution, now)
    if reason is not None:
        raise refused(reason)
    leased = runner.acquire_lease(execution.pk, now, asl_redrive.REDRIVABLE_STATUSES)
    if leased is None:
        raise refused("Execution is being redriven already.")
    work = runner.Advance(leased)
    try:
        work.redrive()
    except asl_redrive.NotRedrivable as ex:
        raise refused(ex.reason) from None
    except runner.LeaseLost:
        raise refused("Execution is being redriven already.") from None
    finally:
        if not work.saved:  # saving releases the lease in the same UPDATE
            runner.release_lease(execution.pk)
    # The save made the execution due now and released the lease: its after-commit hook has
    # sent the advance that runs the re-entered states.
    execution.refresh_from_db()
    return execution
