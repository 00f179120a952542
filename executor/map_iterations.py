"""A Map state's iterations, read from the stored history: each one's status, and the events
that belong to it. A Distributed Map's iterations are child executions instead, with rows and
histories of their own (executor.map_runs): ``child_page`` lists those.

AWS's history interleaves the events of a Map's iterations. Each event names the one it
follows (previousEventId), so every event is traced to the iteration it belongs to: the one
whose MapIterationStarted its chain leads back to, and after that iteration's end event, the
iteration around the Map (or none, at the top).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.db.models.fields.json import KT

from asl import arns
from executor.models import Execution, HistoryEvent, MapRun, MapRunChild

# Reading more rows than this for one answer would cost too much memory: the answer then
# covers the first events only, and says so.
MAX_EVENTS = 300_000
END_STATUS = {
    "MapIterationSucceeded": "SUCCEEDED",
    "MapIterationFailed": "FAILED",
    "MapIterationAborted": "ABORTED",
}
STATUSES = ("RUNNING", *END_STATUS.values())

Key = tuple[int, int]  # (the MapStateEntered event's id, the item's index)


@dataclass
class Iteration:
    state: str
    map_event_id: int
    index: int
    first_event_id: int
    last_event_id: int
    status: str = "RUNNING"
    start_date: dt.datetime | None = None
    stop_date: dt.datetime | None = None
    # A Distributed Map's iteration is a child execution, its events a history of its own
    # (its event ids here are then 0).
    child_execution_arn: str | None = None

    def as_json(self) -> dict[str, Any]:
        shown = {
            "state": self.state,
            "mapEventId": self.map_event_id,
            "index": self.index,
            "status": self.status,
            "firstEventId": self.first_event_id,
            "lastEventId": self.last_event_id,
            "startDate": self.start_date,
            "stopDate": self.stop_date,
        }
        if self.child_execution_arn is not None:
            shown["childExecutionArn"] = self.child_execution_arn
        return shown


@dataclass
class Traced:
    iterations: dict[Key, Iteration]
    iteration_of: dict[int, Key | None]  # event id -> the innermost iteration it belongs to
    parent: dict[Key, Key | None]
    partial: bool

    def within(self, event_id: int, key: Key) -> bool:
        """Whether the event belongs to iteration ``key`` or to one nested in it."""
        inner = self.iteration_of.get(event_id)
        while inner is not None:
            if inner == key:
                return True
            inner = self.parent.get(inner)
        return False


Row = tuple[int, int, str, str | None, int | None, dt.datetime]


def rows(execution: Execution) -> Iterator[Row]:
    return (
        HistoryEvent.objects.filter(execution=execution)
        .order_by("event_id")
        .values_list(
            "event_id",
            "previous_event_id",
            "type",
            KT("details__name"),
            "details__index",
            "timestamp",
        )
        .iterator(chunk_size=5000)
    )


def trace(execution: Execution) -> Traced:
    iterations: dict[Key, Iteration] = {}
    iteration_of: dict[int, Key | None] = {}
    map_of: dict[int, int] = {}  # Map-level event id -> its MapStateEntered event id
    parent: dict[Key, Key | None] = {}
    ended: set[Key] = set()
    partial = False

    def start_of_iteration(previous: int, name: str) -> tuple[int, Key | None] | None:
        """The Map run an iteration that follows ``previous`` belongs to, and the iteration
        around that Map: an iteration follows the Map's start, or, when MaxConcurrency holds
        it back, the end of a sibling."""
        if previous in map_of:
            return map_of[previous], open_around(iteration_of.get(previous))
        sibling = iteration_of.get(previous)
        while sibling is not None and iterations[sibling].state != name:
            sibling = parent.get(sibling)
        return None if sibling is None else (sibling[0], parent.get(sibling))

    def open_around(key: Key | None) -> Key | None:
        while key is not None and key in ended:
            key = parent.get(key)
        return key

    for count, (event_id, previous, type, name, index, timestamp) in enumerate(rows(execution)):
        if count >= MAX_EVENTS:
            partial = True
            break
        around = open_around(iteration_of.get(previous))
        if type == "MapStateEntered":
            map_of[event_id] = event_id
        elif previous in map_of and not type.startswith("MapIteration"):
            map_of[event_id] = map_of[previous]
        if type == "MapIterationStarted" and isinstance(index, int):
            found = start_of_iteration(previous, str(name))
            if found is not None:
                key = (found[0], index)
                iterations[key] = Iteration(
                    str(name), key[0], index, event_id, event_id, start_date=timestamp
                )
                parent[key] = found[1]
                iteration_of[event_id] = key
                continue
        if type in END_STATUS:
            ending = around
            while ending is not None and (
                iterations[ending].index != index or iterations[ending].state != name
            ):
                ending = parent.get(ending)
            if ending is not None:
                iterations[ending].status = END_STATUS[type]
                iterations[ending].last_event_id = event_id
                iterations[ending].stop_date = timestamp
                ended.add(ending)
            iteration_of[event_id] = ending
            continue
        iteration_of[event_id] = around
        if around is not None:
            iterations[around].last_event_id = event_id
    return Traced(iterations, iteration_of, parent, partial)


def listing(
    execution: Execution, state: str | None = None, status: str | None = None
) -> dict[str, Any]:
    traced = trace(execution)
    chosen = [
        it
        for it in traced.iterations.values()
        if (state is None or it.state == state) and (status is None or it.status == status)
    ]
    counts = dict.fromkeys(STATUSES, 0)
    for it in traced.iterations.values():
        if state is None or it.state == state:
            counts[it.status] += 1
    return {"iterations": chosen, "counts": counts, "partial": traced.partial}


def events_of(execution: Execution, key: Key) -> list[int] | None:
    """The ids of the events of iteration ``key`` (and those nested in it), or None if the
    execution has no such iteration."""
    traced = trace(execution)
    if key not in traced.iterations:
        return None
    return [event_id for event_id in traced.iteration_of if traced.within(event_id, key)]


def child_page(
    execution: Execution, state: str, status: str | None, after: int, limit: int
) -> dict[str, Any] | None:
    """A page of the iterations of Distributed Map ``state``: its Map Runs' child executions,
    in the order the runs started and by item, each named by its ARN (its events are its own
    history). None when the state started no Map Run in this execution."""
    runs = MapRun.objects.filter(execution=execution, state_name=state)
    if not runs.exists():
        return None
    children = MapRunChild.objects.filter(map_run__in=runs)
    counts = dict.fromkeys(STATUSES, 0)
    for row in children.values("status").annotate(n=Count("id")).order_by():
        counts[row["status"]] = counts.get(row["status"], 0) + row["n"]
    chosen = children.filter(status=status) if status else children
    found = list(
        chosen.select_related("map_run")
        .defer("input", "output", "cause")
        .order_by("map_run__start_date", "map_run_id", "index")[after : after + limit + 1]
    )
    page = [
        Iteration(
            state,
            0,
            child.index,
            0,
            0,
            child.status,
            child.start_date,
            child.stop_date,
            arns.child_execution(child.map_run.arn, child.index)[0],
        ).as_json()
        for child in found[:limit]
    ]
    return {
        "iterations": page,
        "counts": counts,
        "next_after": after + limit if len(found) > limit else None,
        "partial": False,
    }
