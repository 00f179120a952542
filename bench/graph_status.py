"""The run view's colours for a run of 1,000,000 events: GET .../graph-status/?at= in time.

    .venv/bin/python bench/graph_status.py [--events 1000000] [--postgres ADMIN_URL]

Stores in a PostgreSQL database of its own (statecraft_bench_graph; with COPY, once; kept
between runs) a run of a Map whose iterations each run a Task
(scheduled, started, succeeded: the events a walk traces to its state) and a Pass, then
times the endpoint through Django's test client at the end, the middle and near the start,
and prints the plan PostgreSQL chose for the walk.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.live_latency import kept_database  # noqa: E402

DATABASE = "statecraft_bench_graph"

NAME = "BenchGraphStatus"
DEFINITION = {
    "StartAt": "Each",
    "States": {
        "Each": {
            "Type": "Map",
            "ItemProcessor": {
                "StartAt": "Work",
                "States": {
                    "Work": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:::lambda:invoke",
                        "Next": "Note",
                    },
                    "Note": {"Type": "Pass", "End": True},
                },
            },
            "End": True,
        }
    },
}


def events(total: int) -> list[dict[str, Any]]:
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    out: list[dict[str, Any]] = []

    def add(type: str, previous: int, key: str = "", details: Any = None) -> int:
        event_id = len(out) + 1
        event: dict[str, Any] = {
            "id": event_id,
            "previousEventId": previous,
            "type": type,
            "timestamp": start + dt.timedelta(milliseconds=event_id),
        }
        if key:
            event[key] = details
        out.append(event)
        return event_id

    add("ExecutionStarted", 0, "executionStartedEventDetails", {"input": "[]"})
    entered = add("MapStateEntered", 1, "stateEnteredEventDetails", {"name": "Each", "input": "[]"})
    started = add("MapStateStarted", entered, "mapStateStartedEventDetails", {"length": 0})
    index = 0
    while len(out) < total - 10:
        it = add(
            "MapIterationStarted",
            started,
            "mapIterationStartedEventDetails",
            {"name": "Each", "index": index},
        )
        p = add(
            "TaskStateEntered",
            it,
            "stateEnteredEventDetails",
            {"name": "Work", "input": str(index)},
        )
        p = add("TaskScheduled", p, "taskScheduledEventDetails", {"resource": "invoke"})
        p = add("TaskStarted", p, "taskStartedEventDetails", {"resource": "invoke"})
        p = add("TaskSucceeded", p, "taskSucceededEventDetails", {"output": str(index)})
        p = add(
            "TaskStateExited", p, "stateExitedEventDetails", {"name": "Work", "output": str(index)}
        )
        p = add(
            "PassStateEntered", p, "stateEnteredEventDetails", {"name": "Note", "input": str(index)}
        )
        p = add(
            "PassStateExited", p, "stateExitedEventDetails", {"name": "Note", "output": str(index)}
        )
        add(
            "MapIterationSucceeded",
            p,
            "mapIterationSucceededEventDetails",
            {"name": "Each", "index": index},
        )
        index += 1
    done = add("MapStateSucceeded", len(out))
    exited = add(
        "MapStateExited", done, "stateExitedEventDetails", {"name": "Each", "output": "[]"}
    )
    add("ExecutionSucceeded", exited, "executionSucceededEventDetails", {"output": "[]"})
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    args = parser.parse_args()
    os.environ.update(DATABASE_URL=kept_database(args.postgres, DATABASE))
    os.environ.pop("REDIS_URL", None)  # nothing here publishes or queues
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from designer.actions import create_state_machine
    from designer.models import StateMachine
    from executor import graph_status
    from executor.actions import start_execution
    from executor.models import Execution, HistoryEvent

    user, _ = User.objects.get_or_create(username="bench", defaults={"is_superuser": True})
    machine = StateMachine.objects.filter(name=NAME).first() or create_state_machine(
        NAME, DEFINITION, owner=user
    )
    run = Execution.objects.filter(state_machine=machine, name=f"e{args.events}").first()
    if run is None:
        run = start_execution(machine, [], name=f"e{args.events}", user=user, enqueue=False)
        made = events(args.events)
        began = time.perf_counter()
        for chunk in range(0, len(made), 50_000):
            HistoryEvent.objects.append(run.pk, made[chunk : chunk + 50_000])
        Execution.objects.filter(pk=run.pk).update(status="SUCCEEDED", last_event_id=len(made))
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {HistoryEvent._meta.db_table}")
        print(f"stored {len(made):,} events in {time.perf_counter() - began:.1f} s")
        run.refresh_from_db()
    client = Client()
    client.force_login(user)
    total = run.last_event_id
    print(f"run of {total:,} events")
    for label, at in (("end", None), ("middle", total // 2), ("start", 50)):
        url = f"/api/v1/executions/{run.pk}/graph-status/" + (f"?at={at}" if at else "")
        times = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            answer = client.get(url)
            times.append((time.perf_counter() - began) * 1000)
            assert answer.status_code == 200, answer.content[:300]
        states = answer.json()["states"]
        shown = {path: (s["status"], s.get("entered")) for path, s in states.items()}
        print(
            f"at {label:6} p50 {statistics.median(times):7.1f} ms  max {max(times):7.1f} ms  {shown}"
        )
    with connection.cursor() as cursor:
        key = run.pk
        cursor.execute("SET jit = off; SET enable_hashjoin = off; SET enable_mergejoin = off")
        cursor.execute(
            "EXPLAIN (ANALYZE, BUFFERS) " + graph_status._work_walk_sql(),
            {"execution": key, "after": total - graph_status.CHECKPOINT, "at": total},
        )
        print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
