"""Migration 0009 gives the Map Runs recorded before it rows for their child executions, from
the item statuses their execution's checkpoint kept, so ListExecutions(mapRunArn) still lists
them after an upgrade (https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html:
"mapRunArn ... lists the child workflow executions that the Map Run started")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("executor", "0008_map_runs")]
# The designer's tables stay at their latest: its models are read at that state.
DESIGNER = ("designer", "0005_machine_sample_input")
AFTER = [("executor", "0009_map_run_children")]


def test_earlier_map_runs_get_a_row_per_started_item_with_its_status() -> None:
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state([*BEFORE, DESIGNER]).apps
    machine = old.get_model("designer", "StateMachine").objects.create(name="Old")
    version = old.get_model("designer", "StateMachineVersion").objects.create(
        state_machine=machine, number=1, definition={}
    )
    start = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
    stop = start + dt.timedelta(minutes=5)
    arn = "arn:aws:states:us-east-1:123456789012:mapRun:Old/Each:abc"
    execution = old.get_model("executor", "Execution").objects.create(
        state_machine=machine,
        version=version,
        name="run",
        status="SUCCEEDED",
        start_date=start,
        checkpoint={"stepper": {"map_runs": {arn: {"items": ["SUCCEEDED", "FAILED", "PENDING"]}}}},
    )
    old.get_model("executor", "MapRun").objects.create(
        arn=arn,
        execution=execution,
        state_name="Each",
        status="FAILED",
        start_date=start,
        stop_date=stop,
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    rows = new.get_model("executor", "MapRunChild").objects.order_by("index")
    assert [(r.index, r.status, r.start_date, r.stop_date) for r in rows] == [
        (0, "SUCCEEDED", start, stop),
        (1, "FAILED", start, stop),
    ]
    MigrationExecutor(connection).migrate(latest)
