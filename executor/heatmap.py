"""Figures per state over a machine's recent finished runs: how often each state ran, how
often it failed, and how long it took (p50, p95), for the heat map on the canvas.

They are read from the stored history. Each event names the event it follows
(previousEventId), so an event is traced back to the state entry it belongs to even where Map
iterations and Parallel branches interleave their events.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models.fields.json import KT

from designer.models import StateMachine
from executor.event_owners import container_kind
from executor.models import Execution, HistoryEvent

MAX_RUNS = 1000
# Reading more rows than this would make one request costly: the figures then cover the
# newest runs whose events fit, and say so.
MAX_EVENTS = 200_000
# An outcome of the work inside a state entry (a task's, a child run's, a Map's, ...).
FAILED_SUFFIXES = ("Failed", "TimedOut", "Aborted")
SUCCEEDED_SUFFIXES = ("Succeeded",)


Event = tuple[int, int, str, dt.datetime, str | None]  # id, previous id, type, time, state name


@dataclass
class StateFigures:
    count: int = 0
    failed: int = 0
    durations_ms: list[float] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        ordered = sorted(self.durations_ms)
        return {
            "count": self.count,
            "failed": self.failed,
            "failureRate": self.failed / self.count if self.count else 0.0,
            "p50Ms": percentile(ordered, 50),
            "p95Ms": percentile(ordered, 95),
        }


def percentile(ordered: list[float], p: int) -> float | None:
    """The nearest-rank percentile of sorted values."""
    if not ordered:
        return None
    return round(ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)], 3)


def finished_runs(machine: StateMachine, last: int, since: dt.datetime | None) -> list[Execution]:
    runs = Execution.objects.filter(state_machine=machine).exclude(status="RUNNING")
    if since is not None:
        runs = runs.filter(start_date__gte=since)
    return list(runs.order_by("-start_date", "-id").only("id", "status")[: min(last, MAX_RUNS)])


def heat(
    machine: StateMachine, last: int = 100, since: dt.datetime | None = None
) -> dict[str, Any]:
    runs = finished_runs(machine, last, since)
    states: dict[str, StateFigures] = {}
    counted, events_read = 0, 0
    # One query per run, newest first: a run's events are read whole or not at all, so a
    # Map of 10,000 items never lands in memory with others beyond MAX_EVENTS.
    for run in runs:
        events = list(
            HistoryEvent.objects.filter(execution_id=run.id)
            .order_by("event_id")
            .values_list("event_id", "previous_event_id", "type", "timestamp", KT("details__name"))
        )
        if events_read + len(events) > MAX_EVENTS and counted:
            break
        events_read += len(events)
        counted += 1
        add_run(events, states)
    return {
        "runs": counted,
        "partial": counted < len(runs),
        "states": {name: figures.as_json() for name, figures in states.items()},
    }


def add_run(events: list[Event], states: dict[str, StateFigures]) -> None:
    """Adds one finished run's state entries to ``states``."""
    entry_of: dict[int, int | None] = {}  # event id -> the open state entry it belongs to
    entries: dict[int, str] = {}  # entry event id -> state name
    kinds: dict[int, str] = {}  # entry event id -> its state type ("Task", "Map", ...)
    entered_at: dict[int, dt.datetime] = {}
    parent: dict[int, int | None] = {}  # entry -> the Map or Parallel entry around it
    exited: set[int] = set()
    outcome_failed: dict[int, bool] = {}

    def open_entry(
        entry: int | None, name: str | None = None, kind: str | None = None
    ) -> int | None:
        """``entry``, or the nearest container around it that is still open (and, given a
        ``name`` or ``kind``, is that state's entry or a state of that type): events after an
        inner state belong to its Map."""
        while entry is not None and (
            entry in exited or (name and entries[entry] != name) or (kind and kinds[entry] != kind)
        ):
            entry = parent.get(entry)
        return entry

    for event_id, previous, type, timestamp, name in events:
        around = open_entry(entry_of.get(previous))
        if type.endswith("StateEntered") and name is not None:
            entry_of[event_id], entries[event_id], entered_at[event_id] = event_id, name, timestamp
            kinds[event_id] = type.removesuffix("StateEntered")
            parent[event_id] = around
            states.setdefault(name, StateFigures()).count += 1
            continue
        if type.endswith("StateExited") and name is not None:
            entry = open_entry(entry_of.get(previous), name)
            if entry is None:
                continue
            exited.add(entry)
            entry_of[event_id] = parent.get(entry)
            figures = states[name]
            figures.durations_ms.append((timestamp - entered_at[entry]).total_seconds() * 1000)
            if outcome_failed.get(entry):
                figures.failed += 1  # it left through a Catch
            continue
        # A container's own outcome (MapStateFailed, MapIterationFailed, ParallelStateFailed)
        # follows the inner event that ended its work, which may be an inner state's failure:
        # it belongs to the Map or Parallel around that state, not to the state.
        if type.startswith("MapIteration"):
            around = open_entry(around, name)
        elif kind := container_kind(type):
            around = open_entry(around, kind=kind)
        entry_of[event_id] = around
        if around is not None and type.endswith(FAILED_SUFFIXES):
            outcome_failed[around] = True
        elif around is not None and type.endswith(SUCCEEDED_SUFFIXES):
            outcome_failed[around] = False
    # The run ended inside these: it failed, timed out or was stopped there.
    for entry, name in entries.items():
        if entry not in exited:
            states[name].failed += 1
