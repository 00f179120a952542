"""Live latency: how long after a state is entered does a WebSocket client hear of it?

    .venv/bin/python bench/live_latency.py                  # both setups
    .venv/bin/python bench/live_latency.py --setup embedded --executions 40

Two setups, each started as an operator would start it (tests/servers.py):

* embedded: `manage.py serve` on a temporary SQLite file, no REDIS_URL (worker and sweep are
  threads of the web process, in-memory broker and channel layer);
* redis: Daphne, and `celery -A config worker --pool prefork -c 2`, on PostgreSQL (a temporary
  database) and Redis (BENCH_REDIS_URL, database 14 by default).

Method. Every history event carries the time the durable runner's step produced it
(`timezone.now()` in the worker, microseconds). The client takes `time.time()` when the frame
arrives. Both read the same CLOCK_REALTIME of this machine, so the difference is the whole
path: the rest of that advance, the commit, live.publish, the channel layer, the consumer and
the socket. (No instrumentation of the app is needed; the clocks cannot drift apart within
one host, and NTP slews are microseconds per second.)

The machine is Wait 1 s, then three times (Pass, Wait 1 s), then Succeed; executions start
`--spacing` apart so their wake-ups spread out like independent traffic. Only events
produced after the client subscribed count: the first advance's two events (ExecutionStarted,
the first WaitStateEntered) may reach the client as stored history, which is a different path.
The Wait's own precision (how late the broker's countdown wakes it) is printed too.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests import servers  # noqa: E402

TARGETS_MS = {"embedded": 100.0, "redis": 20.0}
TERMINAL = {"ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut"}
# Events 1-2 come from the advance that ran before the client could subscribe.
FIRST_LIVE_EVENT = 3
ROUNDS = 3


def machine() -> dict[str, Any]:
    states: dict[str, Any] = {"Begin": {"Type": "Wait", "Seconds": 1, "Next": "Step1"}}
    for i in range(1, ROUNDS + 1):
        states[f"Step{i}"] = {"Type": "Pass", "Result": {"round": i}, "Next": f"Pause{i}"}
        states[f"Pause{i}"] = {
            "Type": "Wait",
            "Seconds": 1,
            "Next": f"Step{i + 1}" if i < ROUNDS else "Done",
        }
    states["Done"] = {"Type": "Succeed"}
    return {"Comment": "live latency benchmark", "StartAt": "Begin", "States": states}


@dataclass
class Results:
    latencies_ms: list[float] = field(default_factory=list)
    entered_ms: list[float] = field(default_factory=list)  # *StateEntered events only
    wait_lateness_ms: list[float] = field(default_factory=list)
    events: int = 0
    executions: int = 0


def seconds(timestamp: str) -> float:
    return dt.datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp()


async def follow(address: str, key: str, execution_id: str) -> list[tuple[float, dict[str, Any]]]:
    url = f"ws://{address}/ws/executions/{execution_id}/?token={key}"
    received: list[tuple[float, dict[str, Any]]] = []
    async with asyncio.timeout(60), websockets.connect(url) as socket:
        while not received or received[-1][1]["type"] not in TERMINAL:
            frame = await socket.recv()
            received.append((time.time(), json.loads(frame)))
    return received


async def measure(address: str, key: str, executions: int, spacing: float) -> Results:
    results = Results()
    async with httpx.AsyncClient(
        base_url=f"http://{address}/api/v1/",
        headers={"Authorization": f"Token {key}"},
        timeout=30,
    ) as http:
        name = f"Latency-{uuid.uuid4().hex[:8]}"
        created = await http.post("state-machines/", json={"name": name, "definition": machine()})
        created.raise_for_status()
        followers = []
        for _ in range(executions):
            started = await http.post(f"state-machines/{name}/executions/", json={})
            started.raise_for_status()
            followers.append(asyncio.create_task(follow(address, key, started.json()["id"])))
            await asyncio.sleep(spacing)
        streams = await asyncio.gather(*followers)

    for stream in streams:
        ids = [event["id"] for _, event in stream]
        if ids != list(range(1, len(ids) + 1)) or stream[-1][1]["type"] != "ExecutionSucceeded":
            raise RuntimeError(f"a run was not streamed whole and in order: {ids}")
        results.executions += 1
        entered_wait: float | None = None
        for arrived, event in stream:
            produced = seconds(event["timestamp"])
            if event["id"] >= FIRST_LIVE_EVENT:
                results.latencies_ms.append((arrived - produced) * 1000)
                if event["type"].endswith("StateEntered"):
                    results.entered_ms.append((arrived - produced) * 1000)
                results.events += 1
            if event["type"] == "WaitStateEntered":
                entered_wait = produced
            elif event["type"] == "WaitStateExited" and entered_wait is not None:
                results.wait_lateness_ms.append((produced - entered_wait - 1.0) * 1000)
    return results


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def report(setup: str, results: Results) -> bool:
    lat = results.latencies_ms
    p50, p90, p99 = (percentile(lat, q) for q in (50, 90, 99))
    target = TARGETS_MS[setup]
    met = p50 < target
    print(
        f"{setup:9} {results.executions} executions, {results.events} live events: "
        f"p50 {p50:7.1f} ms  p90 {p90:7.1f} ms  p99 {p99:7.1f} ms  max {max(lat):7.1f} ms  "
        f"mean {statistics.fmean(lat):6.1f} ms   target p50 < {target:.0f} ms: "
        f"{'met' if met else 'MISSED'}"
    )
    entered = results.entered_ms
    print(
        f"{'':9} state entries alone ({len(entered)}): p50 {percentile(entered, 50):7.1f} ms  "
        f"p99 {percentile(entered, 99):7.1f} ms"
    )
    late = results.wait_lateness_ms
    print(
        f"{'':9} Wait 1 s woke late by p50 {percentile(late, 50):6.1f} ms, "
        f"p99 {percentile(late, 99):6.1f} ms (broker countdown + pickup; not in the figure above)"
    )
    return met


@contextlib.contextmanager
def embedded_setup() -> Iterator[tuple[str, str]]:
    with tempfile.TemporaryDirectory(prefix="statecraft-bench-") as directory:
        env = servers.environment(
            DATABASE_URL=f"sqlite:///{directory}/db.sqlite3",
            ADMIN_PASSWORD_FILE=f"{directory}/admin-password",
        )
        key = prepare(env)
        port = servers.free_port()
        with servers.start_serve(port, env):
            yield f"127.0.0.1:{port}", key


def kept_database(admin_url: str, name: str) -> str:
    """The URL of database ``name``, made if missing and kept afterwards: a bench whose data
    takes minutes to fill (a million rows) fills it once and measures it again and again."""
    with psycopg.connect(admin_url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


@contextlib.contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    name = f"statecraft_bench_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def redis_setup(admin_url: str, redis_url: str) -> Iterator[tuple[str, str]]:
    with (
        tempfile.TemporaryDirectory(prefix="statecraft-bench-") as directory,
        postgres_database(admin_url) as database_url,
    ):
        env = servers.environment(
            DATABASE_URL=database_url,
            REDIS_URL=redis_url,
            ADMIN_PASSWORD_FILE=f"{directory}/admin-password",
        )
        key = prepare(env)
        port = servers.free_port()
        with servers.start_celery_worker(env, concurrency=2), servers.start_daphne(port, env):
            yield f"127.0.0.1:{port}", key


def prepare(env: dict[str, str]) -> str:
    """Migrates, bootstraps (the admin user) and returns a fresh API key, as the README does."""
    servers.manage("migrate", "--verbosity", "0", env=env)
    servers.manage("bootstrap", env=env)
    return servers.manage("createapikey", "admin", env=env).strip().splitlines()[-1]


def add_service_arguments(
    parser: argparse.ArgumentParser, redis_variable: str, redis_default: str
) -> None:
    """--postgres and --redis, each bench with a Redis database of its own."""
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a database to connect to for creating the benchmark's own",
    )
    parser.add_argument("--redis", default=os.environ.get(redis_variable, redis_default))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--setup", choices=["embedded", "redis", "both"], default="both")
    parser.add_argument("--executions", type=int, default=20)
    parser.add_argument("--spacing", type=float, default=0.1, help="seconds between starts")
    add_service_arguments(parser, "BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    args = parser.parse_args()

    setups = ["embedded", "redis"] if args.setup == "both" else [args.setup]
    # The figures move with whatever else the machine runs: say how busy it was.
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    all_met = True
    for setup in setups:
        context = (
            embedded_setup() if setup == "embedded" else redis_setup(args.postgres, args.redis)
        )
        with context as (address, key):
            results = asyncio.run(measure(address, key, args.executions, args.spacing))
        all_met = report(setup, results) and all_met
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
