"""Map Runs of Distributed Map states, kept as rows for the APIs: written from the stepper's
registry (asl.map_runs) with each advance's save, and UpdateMapRun's requests handed to the
stepper by the advance that holds the execution's lease."""

from __future__ import annotations

import datetime as dt
import functools
import operator
from typing import Any

from django.db.models import Q

import asl
import asl.arns as arns
from asl import map_runs as asl_map_runs
from designer.actions import ActionError
from executor.models import (
    ChildHistoryEvent,
    EventRow,
    Execution,
    MapRun,
    MapRunChild,
    store_events,
)


def _moment(stamp: str | None) -> dt.datetime | None:
    """A datetime of the stepper's ISO form (2025-03-01T12:00:00.000Z)."""
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")) if stamp else None


def record(execution: Execution, stepper: asl.Execution, loaded: dict[str, Any]) -> None:
    """Upserts the rows of the execution's Map Runs that changed since the advance loaded them
    (``loaded``), and of their child executions that changed in it, inside its transaction:
    an ended Map Run costs later advances nothing."""
    for arn, run in stepper.map_runs.items():
        if loaded.get(arn) == run:
            continue
        MapRun.objects.update_or_create(
            arn=arn,
            defaults={
                "execution": execution,
                "state_name": run["state"],
                "status": run["status"],
                "start_date": _moment(run["start"]),
                "stop_date": _moment(run["stop"]),
                "max_concurrency": run["max_concurrency"] or 0,
                "tolerated_failure_count": run["tolerated_failure_count"],
                "tolerated_failure_percentage": run["tolerated_failure_percentage"],
                "item_counts": asl_map_runs.counts(run),
            },
        )
    changes = asl_map_runs.take_children(stepper)
    if changes:
        _record_children(changes)
    events = asl_map_runs.take_child_events(stepper)
    if events:
        _record_child_events(events)


CHILD_FIELDS = ["status", "input", "output", "error", "cause", "start_date", "stop_date"]


def _record_children(changes: list[dict[str, Any]]) -> None:
    """Writes what the advance's steps did to child executions: one row per item, created
    (or, when a redrive starts it again, reset) at its start and updated at its end."""
    merged: dict[tuple[str, int], dict[str, Any]] = {}
    for change in changes:
        key = (change["map_run"], change["index"])
        fields = {"status": change["status"]}
        if "start" in change:
            # A start resets what an earlier attempt of the item left.
            fields.update(input=change["input"], start_date=_moment(change["start"]))
            fields.update(output=None, error="", cause="", stop_date=None)
        if "stop" in change:
            fields["stop_date"] = _moment(change["stop"])
            fields["output"] = change.get("output")
            fields["error"], fields["cause"] = change.get("error") or "", change.get("cause") or ""
        merged.setdefault(key, {}).update(fields)
    runs = dict(MapRun.objects.filter(arn__in={arn for arn, _ in merged}).values_list("arn", "pk"))
    started = [
        MapRunChild(map_run_id=runs[arn], index=index, **fields)
        for (arn, index), fields in merged.items()
        if "start_date" in fields and arn in runs
    ]
    MapRunChild.objects.bulk_create(
        started,
        update_conflicts=True,
        unique_fields=["map_run", "index"],
        update_fields=CHILD_FIELDS,
    )
    for (arn, index), fields in merged.items():
        if "start_date" not in fields and arn in runs:
            MapRunChild.objects.filter(map_run_id=runs[arn], index=index).update(**fields)


def _record_child_events(events: list[tuple[str, dict[str, Any]]]) -> None:
    """Appends the events the advance's steps wrote to the histories of child executions,
    each to its child's row (written just before, by _record_children). A child started
    again (a new ExecutionStarted) begins its history anew."""
    histories: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for arn, event in events:
        key = arns.map_run_of(arn)
        if key is None:
            continue
        if event["id"] == 1:
            histories[key] = []
        histories.setdefault(key, []).append(event)
    wanted: dict[str, set[int]] = {}
    for run_arn, index in histories:
        wanted.setdefault(run_arn, set()).add(index)
    which = functools.reduce(
        operator.or_,
        (Q(map_run__arn=arn, index__in=indexes) for arn, indexes in wanted.items()),
    )
    rows = MapRunChild.objects.filter(which).values_list("map_run__arn", "index", "pk")
    children = {(arn, index): pk for arn, index, pk in rows}
    anew = [children[key] for key, kept in histories.items() if kept[0]["id"] == 1]
    if anew:
        ChildHistoryEvent.objects.filter(child_id__in=anew).delete()
    store_events(
        ChildHistoryEvent,
        "child_id",
        [
            EventRow.of(children[key], event)
            for key, kept in histories.items()
            if key in children
            for event in kept
        ],
    )


def apply_requested(execution: Execution, stepper: asl.Execution) -> dict[int, Any]:
    """Hands the stepper each UpdateMapRun recorded since the last advance; the requests
    applied, by row, for the save to clear (only those: one recorded meanwhile stays)."""
    applied: dict[int, Any] = {}
    for row in MapRun.objects.filter(execution=execution, update_requested__isnull=False):
        wanted = row.update_requested or {}
        stepper.update_map_run(
            row.arn,
            wanted.get("max_concurrency"),
            wanted.get("tolerated_failure_count"),
            wanted.get("tolerated_failure_percentage"),
        )
        applied[row.pk] = row.update_requested
    return applied


def clear_applied(applied: dict[int, Any]) -> None:
    for pk, request in applied.items():
        MapRun.objects.filter(pk=pk, update_requested=request).update(update_requested=None)


def request_update(
    run: MapRun,
    max_concurrency: int | None,
    tolerated_failure_count: int | None,
    tolerated_failure_percentage: float | None,
) -> None:
    """UpdateMapRun: recorded on the row, then applied by an advance of its execution."""
    from executor import runner

    if run.status != "RUNNING":
        raise ActionError(
            f"The Map Run has already ended ({run.status}).", field="mapRunArn", status=409
        )
    wanted = {
        key: value
        for key, value in (
            ("max_concurrency", max_concurrency),
            ("tolerated_failure_count", tolerated_failure_count),
            ("tolerated_failure_percentage", tolerated_failure_percentage),
        )
        if value is not None
    }
    merged = {**(run.update_requested or {}), **wanted}
    MapRun.objects.filter(pk=run.pk).update(update_requested=merged, **wanted)
    runner.advance(run.execution_id)
