"""Each state's status in a run as of one event, for colouring the run view's graph without
sending the browser the whole history (a run can have a million events).

Everything is counted by the database: the state events grouped by state name, and the work
events (a task scheduled, failed or timed out) traced to the state entry they belong to by a
recursive walk along previousEventId. A walk starts only at those work events and stops at
the first StateEntered, so its cost follows the number of tasks, not of events.

A state is named by its path, as the canvas keys it: a top-level state by its name, one
inside a Map or Parallel by its JSON pointer (/States/Process/ItemProcessor/States/Charge).
History events name a state only by its name, so a name used in two scopes (ASL allows
it) is shown on every path of that name and type.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.db.models.fields.json import KT

from designer.layout import layout_key, walk
from executor.models import Execution, HistoryEvent

EXECUTION_STATUS = {
    "ExecutionStarted": "RUNNING",
    "ExecutionRedriven": "RUNNING",
    "ExecutionSucceeded": "SUCCEEDED",
    "ExecutionFailed": "FAILED",
    "ExecutionTimedOut": "TIMED_OUT",
    "ExecutionAborted": "ABORTED",
}
ENDED_BADLY = ("FAILED", "TIMED_OUT", "ABORTED")
STATUSES = ("idle", "running", "retrying", "succeeded", "failed", "caught", "aborted")
# Figures are cached as of every CHECKPOINT-th event of a run, for a day.
CHECKPOINT = 20_000
CHECKPOINT_SECONDS = 24 * 3600
# A walk longer than this is a broken chain, not a task: it is dropped.
MAX_HOPS = 10_000


def state_paths(definition: Any) -> Iterator[tuple[str, str, str]]:
    """(path, name, type) of every state, at any depth, keyed as the canvas keys them (the
    layout's keys: designer.layout)."""
    for scope, name, state in walk(definition):
        yield layout_key(scope, name), name, str(state.get("Type", ""))


@dataclass
class Figures:
    """What the history says of one state name (of one type) up to the event shown."""

    kind: str
    entered: int = 0
    exited: int = 0
    aborted: int = 0
    failed: int = 0
    attempts: int = 0
    last_entered: int = 0
    last_exited: int = 0
    last_aborted: int = 0
    last_failed: int = 0
    last_attempt: int = 0
    # Entries left open when the run failed or was stopped, before a redrive went on.
    dangling: int = 0

    def status(self, execution_status: str) -> str:
        if not self.entered:
            return "idle"
        in_flight = self.entered > self.exited + self.aborted + self.dangling
        if self.kind == "Fail":
            return "failed"  # it ends its run, or its iteration or branch, in failure
        if in_flight and execution_status in ENDED_BADLY:
            return "failed"  # the run ended while it was there
        if self.last_failed > self.last_entered:
            if self.last_attempt > self.last_failed:
                # Retried: the state goes on as its new attempt does.
                if in_flight:
                    return "retrying"
            elif self.last_exited > self.last_failed:
                return "caught"
            else:
                return "failed"
        if in_flight:
            return "running"
        if self.last_aborted > self.last_exited:
            return "aborted"
        return "succeeded"

    def retries(self) -> int:
        # Each entry makes one attempt (if it has work at all); any more are retries.
        return max(0, self.attempts - self.entered) if self.attempts else 0


def _json_name(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"{column}->>'name'"
    return f"json_extract({column}, '$.name')"


def _work_walk_sql() -> str:
    table = HistoryEvent._meta.db_table
    not_walked_through = (
        "p.type NOT LIKE '%%StateEntered' AND p.type NOT LIKE '%%StateExited' "
        "AND p.type NOT LIKE 'MapIteration%%' AND p.type NOT LIKE 'Execution%%'"
    )
    return f"""
        WITH RECURSIVE walk(origin, failure, cur, hops) AS (
            SELECT e.event_id,
                   CASE WHEN e.type LIKE '%%Scheduled' THEN 0 ELSE 1 END,
                   e.previous_event_id, 0
            FROM {table} e
            WHERE e.execution_id = %(execution)s AND e.event_id > %(after)s AND e.event_id <= %(at)s
              AND (e.type LIKE '%%Scheduled' OR e.type LIKE '%%Failed' OR e.type LIKE '%%TimedOut')
              AND e.type NOT LIKE 'Execution%%' AND e.type NOT LIKE 'Map%%'
              AND e.type NOT LIKE '%%StateFailed' AND e.type <> 'EvaluationFailed'
          UNION ALL
            SELECT w.origin, w.failure, p.previous_event_id, w.hops + 1
            FROM walk w JOIN {table} p
              ON p.execution_id = %(execution)s AND p.event_id = w.cur
            WHERE {not_walked_through} AND w.hops < {MAX_HOPS}
        )
        SELECT {_json_name("s.details")}, s.type, w.failure, COUNT(*), MAX(w.origin)
        FROM walk w JOIN {table} s ON s.execution_id = %(execution)s AND s.event_id = w.cur
        WHERE s.type LIKE '%%StateEntered'
        GROUP BY 1, 2, 3
    """


def _add_range(
    execution: Execution, found: dict[tuple[str, str], Figures], after: int, at: int
) -> None:
    """Adds what events after..at say to ``found`` (the figures as of ``after``)."""
    events = HistoryEvent.objects.filter(execution=execution, event_id__gt=after, event_id__lte=at)
    state_events = (
        events.filter(
            Q(type__endswith="StateEntered")
            | Q(type__endswith="StateExited")
            | Q(type__endswith="StateAborted")
        )
        .annotate(name=KT("details__name"))
        .values_list("name", "type")
        .annotate(n=Count("*"), last=Max("event_id"))
        .order_by()
    )
    aborted_by_kind: dict[str, list[tuple[int, int]]] = {}
    for name, type, n, last in state_events:
        what = next(w for w in ("Entered", "Exited", "Aborted") if type.endswith("State" + w))
        kind = type[: -len("State" + what)]
        if what == "Aborted":
            # AWS's TaskStateAborted names no state: it is the open one of its type.
            aborted_by_kind.setdefault(kind, []).append((n, last))
            continue
        if name is None:
            continue
        figures = found.setdefault((name, kind), Figures(kind))
        if what == "Entered":
            figures.entered, figures.last_entered = figures.entered + n, last
        else:
            figures.exited, figures.last_exited = figures.exited + n, last
    with connection.cursor() as cursor:
        # SQLite keeps a UUID as its hex digits.
        key = execution.pk if connection.vendor == "postgresql" else execution.pk.hex
        cursor.execute(_work_walk_sql(), {"execution": key, "after": after, "at": at})
        for name, entered_type, failure, n, last in cursor.fetchall():
            kind = entered_type[: -len("StateEntered")]
            figures = found.setdefault((name, kind), Figures(kind))
            if failure:
                figures.failed += n
                figures.last_failed = max(figures.last_failed, last)
            else:
                figures.attempts += n
                figures.last_attempt = max(figures.last_attempt, last)
    # A Map's or Parallel's own failure event names no state either (its previous event is the
    # inner one that failed it): it is the state of that type entered last before it.
    for event_id, type, details in events.filter(
        Q(type__endswith="StateFailed") | Q(type="EvaluationFailed")
    ).values_list("event_id", "type", "details"):
        if type == "EvaluationFailed":
            name = (details or {}).get("state")
            owners = [f for (n, _), f in found.items() if n == name]
        else:
            kind = type[: -len("StateFailed")]
            owners = [f for f in found.values() if f.kind == kind and f.last_entered < event_id]
            owners = sorted(owners, key=lambda f: f.last_entered)[-1:]
        for figures in owners:
            figures.failed += 1
            figures.last_failed = max(figures.last_failed, event_id)
    for kind, rows in aborted_by_kind.items():
        open_ones = [f for f in found.values() if f.kind == kind and f.entered > f.exited]
        for n, last in rows:
            for figures in open_ones:
                figures.aborted, figures.last_aborted = figures.aborted + n, last


def _figures(execution: Execution, at: int) -> dict[tuple[str, str], Figures]:
    """By (state name, state type), as of event ``at``.

    The figures only add up (counts, and the latest event ids), and stored events never
    change: the figures as of every CHECKPOINT-th event are cached, and an answer is the
    checkpoint below ``at`` plus the events after it. Scrubbing a million-event run then
    reads at most CHECKPOINT events per step, once each checkpoint is made."""
    found: dict[tuple[str, str], Figures] = {}
    base = 0
    # The newest checkpoint made, of those below ``at``, in one round trip.
    keys = {f"graph-status:{execution.pk}:{m}": m for m in range(CHECKPOINT, at + 1, CHECKPOINT)}
    for key, cached in cache.get_many(list(keys)).items():
        if keys[key] > base:
            found, base = cached, keys[key]
    for mark in range(base + CHECKPOINT, at + 1, CHECKPOINT):
        _add_range(execution, found, base, mark)
        cache.set(f"graph-status:{execution.pk}:{mark}", found, CHECKPOINT_SECONDS)
        base = mark
    if at > base:
        found = copy.deepcopy(found)
        _add_range(execution, found, base, at)
    return found


def _data(execution: Execution, figures: dict[tuple[str, str], Figures]) -> dict[int, Any]:
    """The details of each state's latest entry, exit and failure: its data at that moment."""
    wanted = {
        event_id
        for f in figures.values()
        for event_id in (f.last_entered, f.last_exited, f.last_failed)
        if event_id
    }
    return dict(
        HistoryEvent.objects.filter(execution=execution, event_id__in=wanted).values_list(
            "event_id", "details"
        )
    )


def graph_status(execution: Execution, at: int | None = None) -> dict[str, Any]:
    last = execution.last_event_id
    at = last if at is None else min(at, last)
    shown = (
        HistoryEvent.objects.filter(execution=execution, event_id=at)
        .values("event_id", "type", "timestamp")
        .first()
    )
    # The run's own events: few (a start, an end, a redrive and its end, ...).
    run_events = list(
        HistoryEvent.objects.filter(
            execution=execution, event_id__lte=at, type__in=list(EXECUTION_STATUS)
        )
        .order_by("event_id")
        .values_list("event_id", "type")
    )
    execution_status = EXECUTION_STATUS.get(run_events[-1][1] if run_events else "", "RUNNING")
    # An end a redrive went on from: the states it left open are not running after it.
    redriven_ends = [
        end_id
        for (end_id, end), (_, then) in zip(run_events, run_events[1:], strict=False)
        if EXECUTION_STATUS[end] in ENDED_BADLY and then == "ExecutionRedriven"
    ]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Compiling these scans costs PostgreSQL's JIT seconds that it never wins back.
                # The walk steps from an event to the one before it: by the index on (run,
                # event id), not by hashing every event of the run (which the planner, not
                # knowing how few steps there are, prefers).
                cursor.execute(
                    "SET LOCAL jit = off; SET LOCAL enable_hashjoin = off;"
                    " SET LOCAL enable_mergejoin = off"
                )
        figures = _figures(execution, at)
        for end_id in redriven_ends:
            for key, then in _figures(execution, end_id).items():
                if key in figures:
                    figures[key].dangling += max(0, then.entered - then.exited - then.aborted)
    details = _data(execution, figures)
    states: dict[str, Any] = {}
    for path, name, kind in state_paths(execution.version.definition):
        f = figures.get((name, kind))
        if f is None:
            states[path] = {"name": name, "status": "idle", "entered": 0}
            continue
        status = f.status(execution_status)
        entered = details.get(f.last_entered) or {}
        exited = details.get(f.last_exited) if f.last_exited > f.last_entered else None
        failure = details.get(f.last_failed) if f.last_failed > f.last_entered else None
        states[path] = {
            "name": name,
            "status": status,
            "entered": f.entered,
            "exited": f.exited,
            "failed": f.failed,
            "retries": f.retries(),
            "aborted": f.aborted,
            "enteredEventId": f.last_entered,
            "input": entered.get("input"),
            "output": (exited or {}).get("output"),
            "error": (failure or {}).get("error"),
            "cause": (failure or {}).get("cause"),
        }
    return {
        "at": at,
        "lastEventId": last,
        "event": (
            {"id": shown["event_id"], "type": shown["type"], "timestamp": shown["timestamp"]}
            if shown
            else None
        ),
        "executionStatus": execution_status,
        "states": states,
    }
