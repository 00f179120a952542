"""The executions page with 1,000,000 executions in PostgreSQL: each query under 200 ms.

    .venv/bin/python bench/executions_list.py            # 1,000,000 runs, 20 timings each
    .venv/bin/python bench/executions_list.py --rows 100000 --repeat 10

Fills a database of its own (statecraft_bench_list, kept between runs: filling it takes
minutes) with executions of 6 machines and 3 versions each, every status, start dates over
90 days and JSON inputs, with COPY. Then times each query of the executions page through
the real REST endpoint (Django's test client: middleware, DRF, the views, the database; not
Daphne's HTTP) as a superuser and as a viewer of two machines, and prints p50 and max per
query with the plan PostgreSQL chose.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import secrets
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.live_latency import kept_database  # noqa: E402

DATABASE = "statecraft_bench_list"
MACHINES = 6
VERSIONS = 3
# Roughly what a busy installation holds: most runs finished, a few running, some waiting.
STATUSES = [("SUCCEEDED", 80), ("FAILED", 8), ("TIMED_OUT", 2), ("ABORTED", 3), ("RUNNING", 7)]
WAITING_RUNS = 2000
BUDGET_MS = 200


def fill(rows: int) -> None:
    """The machines, versions and ``rows`` executions (skipped when they are there)."""
    from django.contrib.auth.models import User
    from django.db import connection

    from designer import roles
    from designer.actions import create_state_machine, update_state_machine
    from designer.models import StateMachine
    from executor.models import Execution
    from tests.executor.definitions import pass_chain

    owner, _ = User.objects.get_or_create(username="bench", defaults={"is_superuser": True})
    viewer, _ = User.objects.get_or_create(username="bench-viewer")
    if not StateMachine.objects.filter(name="Bench-0").exists():
        for number in range(MACHINES):
            machine = create_state_machine(f"Bench-{number}", pass_chain(1), owner=owner)
            for states in range(2, VERSIONS + 1):
                update_state_machine(machine, definition=pass_chain(states))
            if number < 2:
                roles.grant("viewer", user=viewer, machine=machine)
    have = Execution.objects.count()
    if have >= rows:
        print(f"{have:,} executions already there")
        return
    machines = list(StateMachine.objects.filter(name__startswith="Bench-").order_by("name"))
    versions = {m.pk: list(m.versions.values_list("pk", flat=True)) for m in machines}
    random.seed(have)
    statuses = [status for status, weight in STATUSES for _ in range(weight)]
    now = dt.datetime.now(dt.UTC)
    columns = (
        "id, state_machine_id, version_id, name, status, input, output, error, cause, "
        "start_date, stop_date, last_event_id, lease_owner, lease_takeovers, redrive_count, start_at"
    )
    started = time.perf_counter()
    running: list[uuid.UUID] = []
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY executor_execution ({columns}) FROM STDIN") as copy:
            for number in range(have, rows):
                machine = machines[number % MACHINES]
                status = random.choice(statuses)
                start = now - dt.timedelta(seconds=random.uniform(0, 90 * 86400))
                pk = uuid.uuid4()
                if status == "RUNNING" and len(running) < WAITING_RUNS:
                    running.append(pk)
                data = {
                    "customer": {"id": number % 50_000, "tier": random.choice("abc")},
                    "amount": random.randint(1, 10_000),
                    "items": [{"sku": f"SKU-{random.randint(1, 5000)}"}],
                }
                copy.write_row(
                    (
                        pk,
                        machine.pk,
                        random.choice(versions[machine.pk]),
                        f"order-{number}",
                        status,
                        json.dumps(data),
                        None if status != "SUCCEEDED" else json.dumps({"ok": True}),
                        "States.TaskFailed" if status == "FAILED" else "",
                        "",
                        start,
                        None if status == "RUNNING" else start + dt.timedelta(seconds=3),
                        4,
                        "",
                        0,
                        0,
                        "",  # start_at: not a rerun
                    )
                )
        with cursor.copy(
            "COPY executor_pendingtask (execution_id, request_id, token, kind, state_name, "
            "resource, activity, payload, created_at, approver_group) FROM STDIN"
        ) as copy:
            for pk in running:
                copy.write_row(
                    (pk, "r1", uuid.uuid4().hex, "callback", "Approve", "arn:x", "", "{}", now, "")
                )
        # What autovacuum does on a live database: statistics and the visibility map.
        cursor.execute("VACUUM ANALYZE executor_execution")
        cursor.execute("ANALYZE executor_pendingtask")
    print(f"inserted {rows - have:,} executions in {time.perf_counter() - started:.0f} s")


def queries() -> list[tuple[str, str]]:
    from executor import runner
    from executor.models import Execution

    some = Execution.objects.filter(name="order-123457").first() or Execution.objects.first()
    assert some is not None
    start = some.start_date
    return [
        ("first page", ""),
        ("status=FAILED", "status=FAILED"),
        ("status=RUNNING", "status=RUNNING"),
        ("waiting for approval", "status=WAITING_FOR_APPROVAL"),
        ("machine", "machine=Bench-1"),
        ("machine + version", "machine=Bench-1&version=2"),
        ("machine + status", "machine=Bench-1&status=TIMED_OUT"),
        (
            "time range (one day)",
            f"started_after={quote((start - dt.timedelta(days=1)).isoformat())}"
            f"&started_before={quote(start.isoformat())}",
        ),
        ("name prefix", "search=order-12345"),
        ("ARN", f"search={quote(runner.execution_arn(some))}"),
        ("data $.customer.id = 4242", "data_path=$.customer.id&data_value=4242"),
        ("data $.items[0].sku", "data_path=$.items[0].sku&data_value=SKU-77"),
        ("data + status", "data_path=$.customer.tier&data_value=b&status=FAILED"),
        ("counts", "COUNTS"),
        ("counts of a machine", "COUNTS machine=Bench-1"),
    ]


def time_query(client: Any, query: str, repeat: int) -> tuple[list[float], dict[str, Any]]:
    if query.startswith("COUNTS"):
        url = "/api/v1/executions/counts/?" + query.removeprefix("COUNTS").strip()
    else:
        url = "/api/v1/executions/?" + query
    timings, body = [], {}
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(1000 * (time.perf_counter() - started))
        assert response.status_code == 200, (url, response.content[:300])
        body = response.json()
    return timings, body


def deep_page(client: Any, pages: int) -> list[float]:
    """Page after page: keyset pages cost the same at any depth."""
    timings, cursor = [], ""
    for _ in range(pages):
        started = time.perf_counter()
        body = client.get(
            "/api/v1/executions/?limit=50" + (f"&cursor={cursor}" if cursor else "")
        ).json()
        timings.append(1000 * (time.perf_counter() - started))
        cursor = body["next_cursor"]
    return timings


def plan_of(client: Any, query: str) -> str:
    """The plan of the list query: the index scan PostgreSQL chose (from the SQL Django ran)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if query.startswith("COUNTS"):
        return ""
    with CaptureQueriesContext(connection) as captured:
        client.get("/api/v1/executions/?" + query)
    sql = max((q["sql"] for q in captured.captured_queries if "ORDER BY" in q["sql"]), key=len)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        lines = [row[0] for row in cursor.fetchall()]
    scans = [line.strip() for line in lines if "Scan" in line]
    return "; ".join(s.split("  (")[0] for s in scans[:3])


def run(rows: int, repeat: int, explain: bool) -> bool:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    fill(rows)
    # The figures move with whatever else the machine runs: say how busy it was.
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    all_met = True
    for username in ("bench", "bench-viewer"):
        client = Client(HTTP_HOST="localhost")
        client.force_login(User.objects.get(username=username))
        print(
            f"\nas {username} ({'superuser' if username == 'bench' else 'viewer of 2 of 6 machines'})"
        )
        print(f"{'query':34} {'p50 ms':>8} {'max ms':>8} {'rows':>5}")
        for label, query in queries():
            time_query(client, query, 2)  # warm: connections, caches, plans
            timings, body = time_query(client, query, repeat)
            shown = len(body.get("executions", body.get("counts", [])))
            p50, worst = statistics.median(timings), max(timings)
            met = p50 < BUDGET_MS
            all_met = all_met and met
            print(f"{label:34} {p50:8.1f} {worst:8.1f} {shown:5} {'' if met else 'OVER BUDGET'}")
            if explain:
                print(f"{'':36}{plan_of(client, query)}")
        timings = deep_page(client, 40)
        print(
            f"{'40 pages in a row (each)':34} {statistics.median(timings):8.1f} {max(timings):8.1f}"
        )
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"\nevery p50 under {BUDGET_MS} ms: {all_met}")
    return all_met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-explain", action="store_true")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    args = parser.parse_args()
    os.environ.update(DATABASE_URL=kept_database(args.postgres, DATABASE))
    os.environ.pop("REDIS_URL", None)  # nothing here publishes or queues
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("API_THROTTLE_USER", "100000/second")
    return 0 if run(args.rows, args.repeat, not args.no_explain) else 1


if __name__ == "__main__":
    sys.exit(main())
