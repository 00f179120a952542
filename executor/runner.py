"""The durable runner: advances an execution from its last checkpoint.

``advance`` takes a lease on the execution, applies the answers that arrived (task results,
callbacks, timeouts, a stop), steps the interpreter until it must wait, then writes the new
events, the checkpoint and the new pending tasks in one transaction; only after commit does it
publish the events and dispatch what the interpreter asked for. A worker that dies mid-step
leaves a lease that expires; the sweep then hands the execution to another worker, which redoes
the work from the last checkpoint (a Task may run twice, as on AWS, but nothing is recorded
twice and history ids stay gapless).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DataError, connections, transaction
from django.db.models import Q
from django.utils import timezone

import asl
import asl.arns as arns
import asl.redrive as asl_redrive
from designer.models import StateMachine, StateMachineVersion
from executor import approvals, map_runs, resources
from executor.models import Execution, HistoryEvent, PendingTask

log = logging.getLogger(__name__)


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


# Who holds a lease. Each process has its own: prefork pool children are forked after this
# module is imported, and children sharing one id would each take the others' leases for
# their own (release them, write over them).
WORKER_ID = _worker_id()


def _new_worker_id() -> None:
    global WORKER_ID
    WORKER_ID = _worker_id()


os.register_at_fork(after_in_child=_new_worker_id)

# Cheap work (Pass, Choice, a registered function) runs inside one advance; these bound how
# long one advance may go on before its work is saved and the execution goes to the back of
# the queue (the stepper yields on its own budget too, see asl.interpreter.MAX_TRANSITIONS).
MAX_INLINE_ROUNDS = 1000
ADVANCE_SECONDS = 1.0
# An execution whose advance took its worker down (or outlasted it) this many times in a row
# is failed: handing it to the next worker would only take that one down too.
MAX_LEASE_TAKEOVERS = 3
RUNAWAY_CAUSE = (
    f"The execution was stopped: its advance outlasted or killed its worker "
    f"{MAX_LEASE_TAKEOVERS} times."
)


class _Clock:
    """The wall clock, as asl.invoke_function expects one."""

    def now(self) -> dt.datetime:
        return timezone.now()

    def sleep(self, seconds: float) -> None:  # functions run for real: nothing to simulate
        pass


CLOCK = _Clock()


@functools.lru_cache(maxsize=256)
def machine_for(version_id: int) -> asl.Machine:
    # Versions are immutable, so the parsed machine can be kept for the life of the process.
    return asl.parse(StateMachineVersion.objects.get(pk=version_id).definition)


def execution_arn(execution: Execution) -> str:
    return arns.execution(
        execution.state_machine.name, execution.name, settings.AWS_REGION, settings.AWS_ACCOUNT_ID
    )


def state_machine_arn(execution: Execution) -> str:
    return arns.state_machine(
        execution.state_machine.name, settings.AWS_REGION, settings.AWS_ACCOUNT_ID
    )


def _context(execution: Execution) -> asl.ExecutionContext:
    return asl.ExecutionContext(
        id=execution_arn(execution),
        name=execution.name,
        start_time=execution.start_date,
        state_machine_id=state_machine_arn(execution),
        state_machine_name=execution.state_machine.name,
        # Express executions cannot be redriven, and AWS reports no RedriveCount for them.
        redrive_count=None
        if execution.state_machine.type == "EXPRESS"
        else execution.redrive_count,
        payload_limit=settings.PAYLOAD_LIMIT_BYTES,
    )


def acquire_lease(
    execution_id: Any, now: dt.datetime, statuses: tuple[str, ...] = ("RUNNING",)
) -> Execution | None:
    """The execution, now held by this worker, with its state machine; None when it is not in
    ``statuses`` or another worker holds it. A conditional UPDATE is atomic on every
    database, so two workers can never both win, and RETURNING hands the row back in the same
    round trip (it was a third of an advance's queries). A redrive leases a finished
    execution (``statuses``), so two redrives of it cannot both continue it."""
    executions, machines = Execution._meta.db_table, StateMachine._meta.db_table
    connection = connections[Execution.objects.db]
    adapt = connection.ops.adapt_datetimefield_value
    # Each column by name, and the machine's by subqueries: SQLite's RETURNING takes neither
    # "table.*" nor the columns of a joined table.
    columns = ", ".join(f"{executions}.{f.column}" for f in Execution._meta.concrete_fields)
    machine = f"FROM {machines} WHERE {machines}.id = {executions}.state_machine_id"
    # A lease taken while another's is still set (and, by the WHERE, expired) is a takeover:
    # its owner died or overran. Counted in the same statement; a save resets the count.
    sql = f"""
        UPDATE {executions} SET lease_owner = %s, lease_expires_at = %s,
            lease_takeovers = CASE WHEN {executions}.lease_expires_at IS NULL
                THEN {executions}.lease_takeovers ELSE {executions}.lease_takeovers + 1 END
        WHERE {executions}.id = %s
          AND {executions}.status IN ({", ".join(["%s"] * len(statuses))})
          AND ({executions}.lease_expires_at IS NULL OR {executions}.lease_expires_at < %s)
        RETURNING {columns}, (SELECT name {machine}) AS machine_name,
                  (SELECT type {machine}) AS machine_type
    """
    expires = now + dt.timedelta(seconds=settings.EXECUTION_LEASE_SECONDS)
    pk = Execution._meta.pk.get_db_prep_value(execution_id, connection)
    # list(): SQLite finishes the statement, and so commits it, only once all rows are read.
    rows = list(Execution.objects.raw(sql, [WORKER_ID, adapt(expires), pk, *statuses, adapt(now)]))
    if not rows:
        return None
    execution, extra = rows[0], vars(rows[0])
    execution.state_machine = StateMachine.from_db(
        connection.alias,
        ["id", "name", "type"],
        [execution.state_machine_id, extra.pop("machine_name"), extra.pop("machine_type")],
    )
    return execution


class LeaseLost(Exception):
    """This worker's lease ran out and another worker took the execution: what this one
    computed is rolled back, and the other carries on from the last checkpoint."""


def release_lease(execution_id: Any) -> None:
    Execution.objects.filter(pk=execution_id, lease_owner=WORKER_ID).update(
        lease_owner="", lease_expires_at=None
    )


def advance(execution_id: Any) -> None:
    execution = acquire_lease(execution_id, timezone.now())
    if execution is None:
        return  # finished, or another worker holds it and will pick up what is waiting
    if execution.lease_takeovers >= MAX_LEASE_TAKEOVERS:
        log.warning("execution %s took its worker down %s times", execution_id, MAX_LEASE_TAKEOVERS)
        fail_run(execution_id, RUNAWAY_CAUSE)
        return
    work = Advance(execution)
    try:
        work.run()
    except LeaseLost:
        log.warning("lease on execution %s ran out before its advance was saved", execution_id)
        return
    except (DataError, Unstorable):
        # Retrying would only fail the same way, and the run would stay RUNNING forever.
        log.warning("execution %s produced data the database refused", execution_id, exc_info=True)
        fail_run(execution_id, UNSTORABLE_CAUSE)
        return
    except MemoryError:
        # Outside any state (the stepper fails those itself): saving the checkpoint, say.
        log.warning("execution %s ran out of memory", execution_id, exc_info=True)
        fail_run(execution_id, OUT_OF_MEMORY_CAUSE)
        return
    except Exception:
        # Not on SystemExit: the pool ends a child that outlasted its time limit with it, and
        # the lease that child keeps makes the next worker's taking it a counted takeover.
        if not work.saved:  # saving releases the lease in the same UPDATE
            release_lease(execution_id)
        raise
    # A finished run has nothing more to apply.
    if work.saved and work.execution.status == "RUNNING" and _has_unapplied_answers(execution_id):
        # An answer arrived while we held the lease: its own advance found the lease taken.
        from executor import tasks

        tasks.advance.delay(str(execution_id))


UNSTORABLE_CAUSE = (
    "A state produced data the database cannot store: stored JSON text may contain neither "
    "the character U+0000 nor a lone surrogate (such as \\ud800)."
)
OUT_OF_MEMORY_CAUSE = "The execution needed more memory than its worker may use."


class Unstorable(Exception):
    """What an advance produced cannot be stored and read back (PostgreSQL refuses it with a
    DataError by itself)."""


def check_storable(events: list[dict[str, Any]]) -> None:
    """On SQLite: a lone surrogate is stored escaped, and every read of it fails later
    (rendering a page of runs for everyone). Events hold every state's data as text, so
    encoding them is the whole check."""
    try:
        json.dumps(events, ensure_ascii=False, default=str).encode("utf-8")
    except UnicodeEncodeError:
        raise Unstorable from None


def fail_run(execution_id: Any, cause: str) -> None:
    """Fails the run with States.Runtime when its advance can never succeed: the database
    refused what it produced, or it keeps taking its workers down."""
    now = timezone.now()
    cancelled: list[PendingTask] = []
    with transaction.atomic():
        execution = Execution.objects.select_for_update().get(pk=execution_id)
        if execution.status != "RUNNING":
            return
        event = {
            "id": execution.last_event_id + 1,
            "previousEventId": execution.last_event_id,
            "type": "ExecutionFailed",
            "timestamp": now,
            "executionFailedEventDetails": {"error": "States.Runtime", "cause": cause},
        }
        messages = HistoryEvent.objects.append(execution_id, [event])
        fields: dict[str, Any] = {
            "status": "FAILED",
            "error": "States.Runtime",
            "cause": cause,
            "stop_date": now,
            "last_event_id": event["id"],
            "wake_at": None,
            "lease_owner": "",
            "lease_expires_at": None,
            "lease_takeovers": 0,
        }
        Execution.objects.filter(pk=execution_id).update(**fields)
        for name, value in fields.items():
            setattr(execution, name, value)
        # Whatever still waits can never be answered now.
        cancelled = list(PendingTask.objects.filter(execution_id=execution_id))
        PendingTask.objects.filter(execution_id=execution_id).delete()
        transaction.on_commit(lambda: after_commit(execution, messages, [], cancelled))


def _has_unapplied_answers(execution_id: Any) -> bool:
    return (
        Execution.objects.filter(pk=execution_id, status="RUNNING")
        .filter(Q(stop_requested__isnull=False) | Q(pending_tasks__answered_at__isnull=False))
        .exists()
    )


@dataclass
class Advance:
    """One advance of one execution, under its lease."""

    execution: Execution
    events: list[dict[str, Any]] = field(default_factory=list)
    new_pending: list[PendingTask] = field(default_factory=list)
    applied: list[int] = field(default_factory=list)
    # How many PendingTask rows the execution had when this advance began (None: not known,
    # a checkpoint written before they were counted); with none, their queries are skipped.
    open_tasks: int | None = 0
    saved: bool = False
    # The stepper yielded with states ready to run: the execution goes back to the queue.
    more_ready: bool = False
    # Activity tasks whose ActivityStarted is written (kept in the checkpoint until answered).
    activities_started: set[str] = field(default_factory=set)
    # UpdateMapRun requests this advance handed the stepper, by MapRun row (executor.map_runs).
    map_run_updates: dict[int, Any] = field(default_factory=dict)
    # The Map Runs as the checkpoint had them: only those that change are written back.
    map_runs_loaded: dict[str, Any] = field(default_factory=dict)

    def run(self) -> None:
        execution = self.execution
        machine = machine_for(execution.version_id)
        saved = execution.checkpoint or {}
        self.sleeps: dict[str, str] = dict(saved.get("sleeps", {}))
        self.open_tasks = saved.get("open_tasks") if saved else 0
        now = timezone.now()
        if saved.get("stepper") is None:
            begin = machine.starting_at(execution.start_at) if execution.start_at else machine
            stepper = asl.Execution.start(
                begin, execution.input, context=_context(execution), now=execution.start_date
            )
        else:
            stepper = asl.Execution.restore(machine, saved["stepper"])
        # Kept as MapRunChild rows and their histories (executor.map_runs.record).
        stepper.child_changes, stepper.child_events = [], []
        self.stepper = stepper

        if execution.stop_requested is not None:
            step = stepper.stop(now, **execution.stop_requested)
            self.events.extend(step.events)
            # Only the advance that applies a stop clears it: one recorded during another
            # advance outlives that advance's save, which then sends the one that applies it.
            self.save(step, stop_requested=None)
            return
        self.activities_started = set(saved.get("activities_started", ()))
        if stepper.map_runs:  # only a run with a Distributed Map has any to apply
            self.map_runs_loaded = copy.deepcopy(stepper.map_runs)
            self.map_run_updates = map_runs.apply_requested(execution, stepper)
        if self.open_tasks != 0:
            self.apply_answers(now)
        self.save(self.step_until_waiting())

    def apply_answers(self, now: dt.datetime) -> None:
        """Feeds the stepper what the outside world did since the last advance: activity
        tasks that a worker took (ActivityStarted, once each) and answered tasks."""
        rows = PendingTask.objects.filter(execution=self.execution).filter(
            Q(answered_at__isnull=False) | Q(kind="activity", claimed_at__isnull=False)
        )
        for pending in rows:
            taken = pending.kind == "activity" and pending.claimed_at is not None
            if taken and pending.request_id not in self.activities_started:
                self.stepper.activity_started(pending.request_id, now)
                self.activities_started.add(pending.request_id)
            if pending.answered_at is None:
                continue
            outcome = pending.outcome or {}
            self.stepper.resume(
                pending.request_id,
                outcome.get("result"),
                error=outcome.get("error"),
                cause=outcome.get("cause"),
            )
            self.applied.append(pending.pk)
            self.activities_started.discard(pending.request_id)

    def redrive(self) -> None:
        """RedriveExecution, under the lease: the stepper continues the unsuccessful run from
        its kept checkpoint (asl ``Execution.redrive``, which raises ``NotRedrivable``); the
        ExecutionRedriven event and the checkpoint are saved with the row back to RUNNING and
        due at once, so the next advance runs the re-entered states (the sweep sends one
        should the caller's message be lost)."""
        execution = self.execution
        saved = execution.checkpoint or {}
        self.open_tasks = saved.get("open_tasks")
        if saved.get("stepper") is None:
            raise asl_redrive.NotRedrivable("Execution has no checkpoint to continue from.")
        self.stepper = asl.Execution.restore(machine_for(execution.version_id), saved["stepper"])
        self.stepper.child_changes, self.stepper.child_events = [], []
        now = timezone.now()
        step = self.stepper.redrive(now)
        self.events.extend(step.events)
        # The failed attempt's waits are over; only the new attempt's timeout remains.
        self.sleeps = {r.id: r.until.isoformat() for r in step.requests if isinstance(r, asl.Sleep)}
        self.save(
            step,
            redrive_count=execution.redrive_count + 1,
            output=None,
            error="",
            cause="",
            stop_date=None,
            wake_at=now,
            stop_requested=None,
        )

    def step_until_waiting(self) -> asl.Step:
        stepper = self.stepper
        give_up = time.monotonic() + ADVANCE_SECONDS
        for _ in range(MAX_INLINE_ROUNDS):
            now = timezone.now()
            for request_id, until in list(self.sleeps.items()):
                if dt.datetime.fromisoformat(until) <= now:
                    del self.sleeps[request_id]
                    stepper.resume(request_id)
            step = stepper.step(now, max_seconds=max(give_up - time.monotonic(), 0.0))
            self.events.extend(step.events)
            if step.status != "RUNNING":
                return step
            invokes = [r for r in step.requests if isinstance(r, asl.Invoke)]
            for request in step.requests:
                if isinstance(request, asl.Sleep):
                    self.sleeps[request.id] = request.until.isoformat()
            # One registered function on its own runs here and now; many at once (a Map or
            # a Parallel fanning out) become Celery tasks so they spread over every worker.
            answered_inline = False
            for request in invokes:
                route = resources.route(request.resource, request.payload, request.pattern)
                if route.kind == "unknown":
                    stepper.resume(request.id, **resources.not_served(request))
                    answered_inline = True
                elif (
                    len(invokes) == 1
                    and route.kind == "function"
                    and (request.pattern == "request_response")
                ):
                    stepper.resume(request.id, **resources.run_function(request))
                    answered_inline = True
                else:
                    self.new_pending.append(self.pending_task(request, route, now))
            if step.more_ready:
                break
            due = any(dt.datetime.fromisoformat(u) <= timezone.now() for u in self.sleeps.values())
            if not (answered_inline or due):
                return step
            if time.monotonic() > give_up:
                break
        # Answers applied, and no step has run them yet.
        self.more_ready = True
        return step

    def pending_task(
        self, request: asl.Invoke, route: resources.Route, now: dt.datetime
    ) -> PendingTask:
        heartbeat = request.heartbeat_seconds
        return PendingTask(
            execution=self.execution,
            request_id=request.id,
            token=request.task_token or uuid.uuid4().hex,
            kind=route.kind,
            state_name=request.state_name,
            resource=request.resource,
            activity=route.name if route.kind == "activity" else "",
            payload=request.payload,
            approver_group=(
                approvals.approver_group(request.payload)
                if request.pattern == "wait_for_task_token"
                else ""
            ),
            heartbeat_seconds=heartbeat,
            # An activity's heartbeat clock starts when a worker takes the task.
            heartbeat_deadline=(
                now + dt.timedelta(seconds=heartbeat)
                if heartbeat and route.kind != "activity"
                else None
            ),
            deadline=(
                now + dt.timedelta(seconds=request.timeout_seconds)
                if request.timeout_seconds
                else None
            ),
        )

    def save(self, step: asl.Step, **columns: Any) -> None:
        """Writes the events, pending tasks and checkpoint in one transaction; ``columns``
        are further fields of the execution row to set with them."""
        execution = self.execution
        finished = step.status != "RUNNING"
        wake_at = min((dt.datetime.fromisoformat(u) for u in self.sleeps.values()), default=None)
        if self.more_ready:
            # Due now: after_commit sends it to the back of the queue, and should that message
            # be lost the sweep sends another.
            wake_at = timezone.now()
        events = self.events
        if connections[Execution.objects.db].vendor != "postgresql":
            check_storable(events)
        with transaction.atomic():
            messages = HistoryEvent.objects.append(execution.pk, events)
            map_runs.record(execution, self.stepper, self.map_runs_loaded)
            map_runs.clear_applied(self.map_run_updates)
            cancelled: list[PendingTask] = []
            if finished:
                # Whatever still waits can never be answered now.
                if self.open_tasks != 0:
                    cancelled = list(PendingTask.objects.filter(execution=execution))
                    PendingTask.objects.filter(execution=execution).delete()
                self.new_pending = []
                open_tasks: int | None = 0
            else:
                PendingTask.objects.filter(pk__in=self.applied).delete()
                PendingTask.objects.bulk_create(self.new_pending)
                open_tasks = (
                    None
                    if self.open_tasks is None
                    else self.open_tasks - len(self.applied) + len(self.new_pending)
                )
            fields: dict[str, Any] = {
                "status": step.status,
                # A finished run keeps its checkpoint: a redrive continues from it.
                "checkpoint": {
                    "stepper": self.stepper.checkpoint(),
                    "sleeps": self.sleeps,
                    "open_tasks": open_tasks,
                    "activities_started": sorted(self.activities_started) if not finished else [],
                },
                "wake_at": None if finished else wake_at,
                "last_event_id": events[-1]["id"] if events else execution.last_event_id,
                # Released with the save, one query fewer per advance.
                "lease_owner": "",
                "lease_expires_at": None,
                "lease_takeovers": 0,
                **columns,
            }
            if finished:
                fields.update(
                    output=step.output if step.status == "SUCCEEDED" else None,
                    error=step.error or "",
                    cause=step.cause or "",
                    stop_date=events[-1]["timestamp"] if events else timezone.now(),
                )
            # Only while the lease is still ours: a worker that overran its lease must not
            # write over the one that took the execution over.
            if not Execution.objects.filter(pk=execution.pk, lease_owner=WORKER_ID).update(
                **fields
            ):
                raise LeaseLost(execution.pk)
            for name, value in fields.items():
                setattr(execution, name, value)
            new_pending = self.new_pending
            self.saved = True
            transaction.on_commit(lambda: after_commit(execution, messages, new_pending, cancelled))


@functools.lru_cache(maxsize=1024)
def _version_number(version_id: int) -> int:
    # Versions never change: one query per version per process.
    return int(StateMachineVersion.objects.values_list("number", flat=True).get(pk=version_id))


def summary(execution: Execution) -> dict[str, Any]:
    def iso(value: dt.datetime | None) -> str | None:
        return value.isoformat().replace("+00:00", "Z") if value else None

    open_tasks = (execution.checkpoint or {}).get("open_tasks")
    return {
        "id": str(execution.id),
        "name": execution.name,
        "state_machine": execution.state_machine.name,
        "version": _version_number(execution.version_id),
        "status": execution.status,
        # Asked only while tasks are open: most advances have none.
        "waiting_for_approval": execution.status == "RUNNING"
        and open_tasks != 0
        and PendingTask.objects.filter(
            execution_id=execution.pk, kind="callback", answered_at__isnull=True
        ).exists(),
        "start_date": iso(execution.start_date),
        "stop_date": iso(execution.stop_date),
    }


def after_commit(
    execution: Execution,
    messages: list[dict[str, Any]],
    new_pending: list[PendingTask],
    cancelled: list[PendingTask],
) -> None:
    from executor import dispatch, live, tasks

    live.publish(execution.pk, execution.state_machine_id, messages, summary(execution))
    for pending in new_pending:
        dispatch.start(pending)
    for pending in cancelled:
        dispatch.cancel(pending)
    if execution.status == "RUNNING" and execution.wake_at is not None:
        delay = (execution.wake_at - timezone.now()).total_seconds()
        # Short waits are scheduled with the broker; long ones are left to the sweep so that
        # no message sits in a queue for hours.
        if delay <= settings.SCHEDULE_AHEAD_SECONDS:
            tasks.advance.apply_async((str(execution.pk),), countdown=max(delay, 0))
