"""End-to-end throughput of the durable engine on the production setup.

    .venv/bin/python bench/e2e_throughput.py                          # 3,000 executions
    .venv/bin/python bench/e2e_throughput.py --rate 155                # latency at that load
    .venv/bin/python bench/e2e_throughput.py --pool solo --concurrency 1
    .venv/bin/python bench/e2e_throughput.py --executions 600 --web 1

Every part is a real process on this machine, started as an operator would (tests/servers.py):
two Daphne processes serving the REST API and the WebSockets, two `celery -A config worker`
processes (prefork, two children each), PostgreSQL (a temporary database) and Redis
(BENCH_E2E_REDIS_URL, database 13 by default). The clients run here too, on a bare HTTP/1.1
keep-alive connection each, so that they take little of the two cores.

Method. Executions of a 20-state workflow (Pass, Choice and registered-function Task states)
are started over REST by a few concurrent clients, as fast as they are served (the machine is
then saturated, the worst case for latency) or at the --rate given; the run ends when every one has SUCCEEDED
and its 20 states are stored in its history. Printed:

* executions/s and persisted state transitions/s (StateEntered events in the database),
  from the first start to the last success;
* live latency during the run, from two kinds of WebSocket subscribers: a few follow the state
  machine's execution list (every execution's final summary; its stop_date is the timestamp of
  the ExecutionSucceeded event), and probes follow single executions that begin with a 1 s Wait
  (so the follower is subscribed before the rest of the run's events are produced). Each event
  carries the time the worker produced it; the client takes time.time() on receipt; both read
  this machine's CLOCK_REALTIME, so the difference is the whole path (commit, publish, Redis
  channel layer, consumer, socket).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.live_latency import (  # noqa: E402
    add_service_arguments,
    percentile,
    postgres_database,
    prepare,
)
from tests import servers  # noqa: E402

STATES = 20
E2E_REDIS = "redis://127.0.0.1:6379/13"
TARGET_EXECUTIONS_PER_SECOND = 150
TARGET_P99_MS = 100
TERMINAL = {"ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut"}
ECHO = "arn:aws:lambda:us-east-1:123456789012:function:echo"


def workflow(wait_first: bool = False) -> dict[str, Any]:
    """20 states: 14 Pass, 2 Choice, 4 registered-function Tasks, in a line."""
    names = [f"S{i:02}" for i in range(1, STATES + 1)]
    states: dict[str, Any] = {}
    for i, (name, following) in enumerate(zip(names, [*names[1:], None], strict=True)):
        if following is None:
            states[name] = {"Type": "Pass", "Parameters": {"n.$": "$.n", "done": True}, "End": True}
        elif i % 10 == 4:
            states[name] = {
                "Type": "Choice",
                "Choices": [{"Variable": "$.n", "NumericGreaterThanEquals": 0, "Next": following}],
                "Default": names[-1],
            }
        elif i % 5 == 2:
            states[name] = {"Type": "Task", "Resource": ECHO, "Next": following}
        else:
            states[name] = {
                "Type": "Pass",
                "Parameters": {"n.$": "$.n", "at": i},
                "Next": following,
            }
    if wait_first:
        states["Pause"] = {"Type": "Wait", "Seconds": 1, "Next": names[0]}
        return {"StartAt": "Pause", "States": states}
    return {"StartAt": names[0], "States": states}


def seconds(timestamp: str) -> float:
    return dt.datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp()


@dataclass
class Figures:
    started: float = 0.0
    all_started: float = 0.0
    finished: float = 0.0
    executions: int = 0
    transitions: int = 0
    summary_ms: list[float] = field(default_factory=list)
    probe_ms: list[float] = field(default_factory=list)


async def follow_machine(ws_base: str, key: str, machine: str, figures: Figures) -> None:
    async with websockets.connect(f"{ws_base}/ws/state-machines/{machine}/?token={key}") as ws:
        async for frame in ws:
            arrived = time.time()
            summary = json.loads(frame)
            if summary["status"] == "SUCCEEDED" and summary["stop_date"]:
                figures.summary_ms.append((arrived - seconds(summary["stop_date"])) * 1000)


async def follow_probe(ws_base: str, key: str, execution_id: str, figures: Figures) -> None:
    url = f"{ws_base}/ws/executions/{execution_id}/?token={key}"
    async with asyncio.timeout(120), websockets.connect(url) as ws:
        past_wait = False
        while True:
            event = json.loads(await ws.recv())
            arrived = time.time()
            if past_wait:
                figures.probe_ms.append((arrived - seconds(event["timestamp"])) * 1000)
            past_wait = past_wait or event["type"] == "WaitStateExited"
            if event["type"] in TERMINAL:
                return


class RestClient:
    """One HTTP/1.1 keep-alive connection that POSTs JSON to the REST API. The harness shares
    the machine's two cores with what it measures; httpx spent about 1 ms of CPU per request,
    this a small fraction of that."""

    def __init__(self, address: str, key: str) -> None:
        self.host, port = address.rsplit(":", 1)
        self.port, self.key = int(port), key
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post(self, path: str, payload: Any) -> Any:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        body = json.dumps(payload).encode()
        writer.write(
            f"POST /api/v1/{path} HTTP/1.1\r\nHost: {self.host}\r\n"
            f"Authorization: Token {self.key}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        status = int((await reader.readline()).split()[1])
        headers = {}
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        data = await reader.readexactly(int(headers["content-length"]))
        if status >= 300:
            raise RuntimeError(f"POST {path} answered {status}: {data[:500]!r}")
        return json.loads(data)

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()


async def run(
    addresses: list[str],
    key: str,
    database_url: str,
    executions: int,
    clients: int,
    subscribers: int,
    rate: float | None,
) -> Figures:
    figures = Figures()
    ws_base = f"ws://{addresses[0]}"
    webs = [RestClient(addresses[i % len(addresses)], key) for i in range(clients)]
    http = RestClient(addresses[0], key)
    try:
        machine, probe = f"Load-{uuid.uuid4().hex[:6]}", f"Probe-{uuid.uuid4().hex[:6]}"
        for name, definition in ((machine, workflow()), (probe, workflow(wait_first=True))):
            await http.post("state-machines/", {"name": name, "definition": definition})
        listeners = [
            asyncio.create_task(follow_machine(ws_base, key, machine, figures))
            for _ in range(subscribers)
        ]
        await asyncio.sleep(0.5)  # subscribed before the first start
        queue: asyncio.Queue[int] = asyncio.Queue()
        for number in range(executions):
            queue.put_nowait(number)

        async def starter(web: RestClient) -> None:
            while not queue.empty():
                number = queue.get_nowait()
                if rate:  # open loop: execution N starts at N / rate seconds, no sooner
                    await asyncio.sleep(figures.started + number / rate - time.time())
                await web.post(f"state-machines/{machine}/executions/", {"input": {"n": number}})

        probes: list[asyncio.Task[None]] = []

        async def prober() -> None:
            while not queue.empty():
                started = await http.post(f"state-machines/{probe}/executions/", {})
                probes.append(
                    asyncio.create_task(follow_probe(ws_base, key, started["id"], figures))
                )
                await asyncio.sleep(0.25)

        figures.started = time.time()
        await asyncio.gather(prober(), *(starter(web) for web in webs))
        figures.all_started = time.time()
        await wait_until_stored(database_url, machine, executions, figures)
        await asyncio.gather(*probes)
        for listener in listeners:
            listener.cancel()
    finally:
        for web in [*webs, http]:
            web.close()
    return figures


async def wait_until_stored(database_url: str, machine: str, executions: int, f: Figures) -> None:
    count_sql = """
        SELECT count(*) FILTER (WHERE e.status = 'SUCCEEDED'), count(*)
        FROM executor_execution e JOIN designer_statemachine m ON m.id = e.state_machine_id
        WHERE m.name = %s"""
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as db:
        while True:
            succeeded, total = (await (await db.execute(count_sql, (machine,))).fetchone()) or (
                0,
                0,
            )
            if succeeded == executions:
                break
            if total > succeeded and time.time() - f.started > 600:
                raise RuntimeError(f"only {succeeded} of {executions} succeeded after 600 s")
            await asyncio.sleep(0.05)
        f.finished = time.time()
        row = await (
            await db.execute(
                """SELECT count(DISTINCT e.id), count(*) FROM executor_historyevent h
                   JOIN executor_execution e ON e.id = h.execution_id
                   JOIN designer_statemachine m ON m.id = e.state_machine_id
                   WHERE m.name = %s AND h.type LIKE '%%StateEntered'""",
                (machine,),
            )
        ).fetchone()
    f.executions, f.transitions = row or (0, 0)
    if f.transitions != executions * STATES:
        raise RuntimeError(f"{f.transitions} states stored, expected {executions * STATES}")


@contextmanager
def deployment(args: argparse.Namespace) -> Iterator[tuple[list[str], str, str]]:
    with ExitStack() as stack:
        directory = stack.enter_context(tempfile.TemporaryDirectory(prefix="statecraft-e2e-"))
        database_url = stack.enter_context(postgres_database(args.postgres))
        env = servers.environment(
            DATABASE_URL=database_url,
            REDIS_URL=args.redis,
            ADMIN_PASSWORD_FILE=f"{directory}/admin-password",
            # One user starts every run here, far above the default per-user API rate.
            API_THROTTLE_USER="100000/second",
        )
        key = prepare(env)
        # Worker settings only: under ASGI each request runs in a thread of its own, so a
        # web process would keep (and leak) a database connection per request with them.
        worker_env = {**env, **dict(item.split("=", 1) for item in args.worker_env)}
        for _ in range(args.workers):
            stack.enter_context(
                servers.start_celery_worker(
                    worker_env, concurrency=args.concurrency, pool=args.pool
                )
            )
        addresses = []
        for _ in range(args.web):
            port = servers.free_port()
            stack.enter_context(servers.start_daphne(port, env))
            addresses.append(f"127.0.0.1:{port}")
        yield addresses, key, database_url


def report(figures: Figures, args: argparse.Namespace) -> bool:
    took = figures.finished - figures.started
    rate = figures.executions / took
    print(
        f"{figures.executions} executions of {STATES} states in {took:.1f} s: "
        f"{rate:.0f} executions/s, {figures.transitions / took:.0f} persisted state transitions/s "
        f"(target {TARGET_EXECUTIONS_PER_SECOND}/s); the REST starts took "
        f"{figures.all_started - figures.started:.1f} s"
    )
    p99s = []
    for what, values in (
        ("execution-list summaries", figures.summary_ms),
        ("probe executions' events", figures.probe_ms),
    ):
        if not values:
            print(f"live latency, {what}: nothing received")
            p99s.append(float("inf"))
            continue
        p50, p99 = percentile(values, 50), percentile(values, 99)
        p99s.append(p99)
        print(
            f"live latency, {what} ({len(values)}): p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
            f"max {max(values):.1f} ms (target p99 < {TARGET_P99_MS} ms)"
        )
    print(
        f"setup: {args.web} Daphne, {args.workers} workers --pool {args.pool} "
        f"-c {args.concurrency} with {args.worker_env}, {args.clients} REST clients, "
        f"{args.subscribers} list subscribers"
    )
    return rate >= TARGET_EXECUTIONS_PER_SECOND and max(p99s) < TARGET_P99_MS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--executions", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=8, help="concurrent REST starters")
    parser.add_argument(
        "--rate",
        type=float,
        help="start at most this many executions a second (default: as fast as they are served)",
    )
    parser.add_argument("--subscribers", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=2, help="pool size of each worker")
    parser.add_argument("--pool", default="prefork")
    parser.add_argument("--web", type=int, default=2, help="Daphne processes")
    parser.add_argument(
        "--worker-env",
        action="append",
        default=["DB_CONN_MAX_AGE=60"],
        metavar="NAME=VALUE",
        help="settings of the worker processes",
    )
    add_service_arguments(parser, "BENCH_E2E_REDIS_URL", E2E_REDIS)
    args = parser.parse_args()
    with deployment(args) as (addresses, key, database_url):
        figures = asyncio.run(
            run(
                addresses,
                key,
                database_url,
                args.executions,
                args.clients,
                args.subscribers,
                args.rate,
            )
        )
    return 0 if report(figures, args) else 1


if __name__ == "__main__":
    sys.exit(main())
