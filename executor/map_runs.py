"""Map Runs of Distributed Map states, kept as rows for the APIs: written from the stepper's
registry (asl.map_runs) with each advance's save, and UpdateMapRun's requests handed to the
stepper by the advance that holds the execution's lease."""

from __future__ import annotations

import datetime as dt
from typing import Any

import asl
from asl import map_runs as asl_map_runs
from designer.actions import ActionError
from executor.models import Execution, MapRun


def record(execution: Execution, stepper: asl.Execution, loaded: dict[str, Any]) -> None:
    """Upserts the rows of the execution's Map Runs that changed since the advance loaded them
    (``loaded``), inside its transaction: an ended Map Run costs later advances nothing."""
    for arn, run in stepper.map_runs.items():
        if loaded.get(arn) == run:
            continue
        MapRun.objects.update_or_create(
            arn=arn,
            defaults={
                "execution": execution,
                "state_name": run["state"],
                "status": run["status"],
                "start_date": dt.datetime.fromisoformat(run["start"].replace("Z", "+00:00")),
                "stop_date": (
                    dt.datetime.fromisoformat(run["stop"].replace("Z", "+00:00"))
                    if run["stop"]
                    else None
                ),
                "max_concurrency": run["max_concurrency"] or 0,
                "tolerated_failure_count": run["tolerated_failure_count"],
                "tolerated_failure_percentage": run["tolerated_failure_percentage"],
                "item_counts": asl_map_runs.counts(run),
            },
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
