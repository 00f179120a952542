"""A run with 1,000,000 history events: how fast the run view opens it and pages through it.

    .venv/bin/python bench/history_large.py                 # 1,000,000 events
    .venv/bin/python bench/history_large.py --events 100000 --repeat 20

Fills a database of its own (statecraft_bench_history, kept between runs: filling it takes a
minute) with one finished execution of ``--events`` events, written with COPY by the
runner's own HistoryEvent.objects.append. Then starts a real Daphne process on it and times,
over HTTP and a WebSocket as the browser does:

- the snapshot the run view opens with: GET the execution, then GET history/?before=n+1
  (the latest 1,000 events), then the WebSocket ?after=n that follows new events;
- the same latest 1,000 events asked of the WebSocket (?after=n-1000), for comparison;
- a page of 500 older events (history/?before=ID) near the start, the middle and the end;
- the resident memory of the server process before and after (VmRSS, peak VmHWM);
- the plans PostgreSQL chose for those pages (EXPLAIN).
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
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.live_latency import kept_database  # noqa: E402

DATABASE = "statecraft_bench_history"
SNAPSHOT = 1000
PAGE = 500
CHUNK = 50_000
RESOURCE = "arn:aws:lambda:us-east-1:123456789012:function:echo"


def events(first: int, last: int, count: int, start: dt.datetime) -> Any:
    """Events first..last of a loop of Task states, shaped as the interpreter writes them."""
    cycle = ("TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited")
    for n in range(first, last + 1):
        at = start + dt.timedelta(milliseconds=n)
        if n == 1:
            kind, key, details = "ExecutionStarted", "executionStartedEventDetails", {"input": "{}"}
        elif n == count:
            kind, key, details = "ExecutionSucceeded", "executionSucceededEventDetails", {}
        else:
            kind = cycle[(n - 2) % len(cycle)]
            step = f"Step{(n - 2) // len(cycle) % 50}"
            key, details = {
                "TaskStateEntered": ("stateEnteredEventDetails", {"name": step, "input": "{}"}),
                "TaskScheduled": (
                    "taskScheduledEventDetails",
                    {"resource": "invoke", "resourceType": "lambda", "parameters": "{}"},
                ),
                "TaskStarted": ("taskStartedEventDetails", {"resource": "invoke"}),
                "TaskSucceeded": ("taskSucceededEventDetails", {"output": '{"n":1}'}),
                "TaskStateExited": ("stateExitedEventDetails", {"name": step, "output": "{}"}),
            }[kind]
        yield {"id": n, "previousEventId": n - 1, "type": kind, "timestamp": at, key: details}


def fill(count: int) -> str:
    """The user, machine and execution of ``count`` events (kept when already there)."""
    from django.contrib.auth.models import User
    from django.db import connection, transaction
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from designer.actions import create_state_machine
    from designer.models import StateMachine
    from executor.models import Execution, HistoryEvent

    owner, _ = User.objects.get_or_create(username="bench", defaults={"is_superuser": True})
    token = str(Token.objects.get_or_create(user=owner)[0].key)
    machine = StateMachine.objects.filter(name="Huge").first()
    if machine is None:
        states = {
            f"Step{n}": {"Type": "Task", "Resource": RESOURCE, "Next": f"Step{n + 1}"}
            for n in range(49)
        }
        states["Step49"] = {"Type": "Task", "Resource": RESOURCE, "End": True}
        machine = create_state_machine("Huge", {"StartAt": "Step0", "States": states}, owner=owner)
    name = f"events-{count}"
    execution = Execution.objects.filter(state_machine=machine, name=name).first()
    if execution is not None and execution.last_event_id == count:
        print(f"execution {name} with {count:,} events already there")
        return token
    if execution is not None:
        execution.delete()
    start = timezone.now() - dt.timedelta(days=1)
    started = time.perf_counter()
    with transaction.atomic():
        execution = Execution.objects.create(
            state_machine=machine,
            version=machine.versions.order_by("-number").first(),
            name=name,
            status="SUCCEEDED",
            input={},
            output={},
            start_date=start,
            stop_date=start + dt.timedelta(milliseconds=count),
            last_event_id=count,
        )
        for first in range(1, count + 1, CHUNK):
            HistoryEvent.objects.append(
                execution.pk, events(first, min(first + CHUNK - 1, count), count, start)
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE executor_historyevent")
    print(f"inserted {count:,} events in {time.perf_counter() - started:.0f} s")
    return token


def memory_kib(pid: int) -> dict[str, int]:
    status = Path(f"/proc/{pid}/status").read_text()
    return {
        line.split(":")[0]: int(line.split()[1])
        for line in status.splitlines()
        if line.startswith(("VmRSS", "VmHWM"))
    }


def p(timings: list[float], q: float) -> float:
    return statistics.quantiles(timings, n=100, method="inclusive")[int(q) - 1]


def run(count: int, repeat: int, redis_url: str | None) -> None:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    django.setup()
    from django.core.management import call_command
    from websockets.sync.client import connect

    from executor.models import Execution, HistoryEvent
    from tests import servers

    call_command("migrate", verbosity=0)
    token = fill(count)
    execution = Execution.objects.get(name=f"events-{count}")
    port = servers.free_port()
    env = servers.environment(DATABASE_URL=os.environ["DATABASE_URL"], REDIS_URL=redis_url)
    base = f"http://127.0.0.1:{port}/api/v1/executions/{execution.pk}/"
    ws = f"ws://127.0.0.1:{port}/ws/executions/{execution.pk}/?token={token}"
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    with (
        servers.start_daphne(port, env) as daphne,
        httpx.Client(headers={"Authorization": f"Token {token}"}, timeout=60) as http,
    ):
        pid = daphne.popen.pid
        http.get(base).raise_for_status()  # warm: imports, connections
        before = memory_kib(pid)

        def snapshot() -> float:
            started = time.perf_counter()
            last = http.get(base).json()["last_event_id"]
            page = http.get(base + "history/", params={"before": last + 1, "limit": SNAPSHOT})
            assert [e["id"] for e in page.json()["events"]] == list(
                range(count - SNAPSHOT + 1, count + 1)
            )
            with connect(ws + f"&after={last}", open_timeout=30):
                pass
            return 1000 * (time.perf_counter() - started)

        def websocket_tail() -> float:
            started = time.perf_counter()
            with connect(ws + f"&after={count - SNAPSHOT}", open_timeout=30, max_size=None) as s:
                ids = [json.loads(s.recv(timeout=60))["id"] for _ in range(SNAPSHOT)]
            assert ids == list(range(count - SNAPSHOT + 1, count + 1))
            return 1000 * (time.perf_counter() - started)

        def older_page(before_id: int) -> float:
            started = time.perf_counter()
            page = http.get(base + "history/", params={"before": before_id, "limit": PAGE})
            body = page.json()
            assert body["events"] and body["events"][-1]["id"] == before_id - 1, body
            return 1000 * (time.perf_counter() - started)

        print(f"\n{count:,} events; {repeat} timings each, milliseconds")
        print(f"{'what':52} {'p50':>8} {'p95':>8} {'max':>8}")

        def show(label: str, timings: list[float]) -> None:
            print(
                f"{label:52} {statistics.median(timings):8.1f} {p(timings, 95):8.1f} "
                f"{max(timings):8.1f}"
            )

        show(
            "open the run view: execution + latest 1,000 + WS", [snapshot() for _ in range(repeat)]
        )
        show("latest 1,000 events over the WebSocket", [websocket_tail() for _ in range(repeat)])
        random.seed(count)
        regions = {
            "start": (PAGE + 2, min(count, 20 * PAGE)),
            "middle": (count // 2 - 10 * PAGE, count // 2 + 10 * PAGE),
            "end": (max(PAGE + 2, count - 20 * PAGE), count),
        }
        for region, (low, high) in regions.items():
            points = [random.randint(low, high) for _ in range(repeat)]
            show(f"a page of 500 older events at the {region}", [older_page(b) for b in points])
        after = memory_kib(pid)
    print(
        f"\nserver process memory: {before['VmRSS'] / 1024:.0f} MiB before, "
        f"{after['VmRSS'] / 1024:.0f} MiB after, peak {after['VmHWM'] / 1024:.0f} MiB"
    )
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print("\nplans (EXPLAIN ANALYZE):")
    for label, low, high in (
        ("latest page", count - SNAPSHOT, count),
        ("a page in the middle", count // 2 - PAGE, count // 2),
    ):
        rows = HistoryEvent.objects.filter(
            execution=execution, event_id__gte=low, event_id__lte=high
        ).order_by("event_id")
        plan = rows.explain(analyze=True)
        lines = [line.strip() for line in plan.splitlines()]
        print(
            f"  {label}: "
            + "; ".join(line for line in lines if "Scan" in line or "Execution" in line)
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    args = parser.parse_args()
    if args.events < 2 * SNAPSHOT + 2 * PAGE:
        parser.error(f"--events must be at least {2 * SNAPSHOT + 2 * PAGE}")
    os.environ.update(DATABASE_URL=kept_database(args.postgres, DATABASE))
    redis_url = os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("API_THROTTLE_USER", "100000/second")
    run(args.events, args.repeat, redis_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
