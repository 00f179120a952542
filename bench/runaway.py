"""Resource bounds while runaway workflows run, on the production setup.

    .venv/bin/python bench/runaway.py                     # 60 s
    .venv/bin/python bench/runaway.py --seconds 120 --lease 30

Every part is a real process on this machine, started as an operator would (tests/servers.py):
one Daphne serving the REST API, two `celery -A config worker` processes (prefork, two
children each), `celery -A config beat` running the sweep, PostgreSQL (a temporary database)
and Redis (BENCH_RUNAWAY_REDIS_URL, database 12 by default). Loopback only.

Method. Two endless Choice<->Pass loops run for the whole time; every --every seconds one more
of each bomb starts: a Map over `{% [1..1000000] %}`, `$pad('x', 2000000)`, a JSONata map of
100,000 pads of 200,000 characters (each within the caps, 20 GB together), intrinsic
`States.Format` nested three deep (a 100-million-character string) and nested `States.Array`
references whose JSON text would be 600 MB. Meanwhile a client GETs the loops' execution list,
one loop's description and the last page of its history, one after the other, and every
half-second each process's peak resident memory (VmHWM in /proc) is read, pool children
included. At the end the loops are stopped over REST.

Printed: each process's peak RSS, the GET latencies (p50, p99, max), how the runs ended, and
how many events the loops stored. Targets: every process under 1 GB, every GET under 2 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.live_latency import (  # noqa: E402
    add_service_arguments,
    percentile,
    postgres_database,
    prepare,
)
from tests import servers  # noqa: E402
from tests.runaway_definitions import LOOP, MAP_OF_A_MILLION, jsonata_pass  # noqa: E402

RUNAWAY_REDIS = "redis://127.0.0.1:6379/12"
TARGET_RSS_MB = 1024
TARGET_GET_SECONDS = 2.0
TERMINAL = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}


def nested(function: str, depth: int, fanout: int) -> str:
    text = "$.s"
    for _ in range(depth):
        template = f"'{'{}' * fanout}', " if function == "States.Format" else ""
        text = f"{function}({template}{', '.join([text] * fanout)})"
    return text


BOMBS: dict[str, tuple[dict[str, Any], Any]] = {
    "MapOfAMillion": (MAP_OF_A_MILLION, {}),
    "Pad": (jsonata_pass("{% $pad('x', 2000000) %}"), {}),
    "ManyPads": (jsonata_pass("{% $count([1..100000].$pad('x', 200000)) %}"), {}),
    "FormatBomb": (
        {
            "StartAt": "Build",
            "States": {
                "Build": {
                    "Type": "Pass",
                    "Parameters": {"b.$": nested("States.Format", 3, 10)},
                    "End": True,
                }
            },
        },
        {"s": "x" * 100_000},
    ),
    "ArrayBomb": (
        {
            "StartAt": "Build",
            "States": {
                "Build": {
                    "Type": "Pass",
                    "Parameters": {
                        "b.$": f"States.Array({', '.join([nested('States.Array', 3, 10)] * 6)})"
                    },
                    "End": True,
                }
            },
        },
        {"s": "x" * 100_000},
    ),
}


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (pool children), from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(parents.get(current, []))
    return found


def peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class Sampler(threading.Thread):
    """Every half-second, the peak RSS of every process of the deployment."""

    def __init__(self, roots: dict[str, int]) -> None:
        super().__init__(daemon=True)
        self.roots = roots
        self.peaks: dict[tuple[str, int], float] = {}
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(0.5):
            for role, root in self.roots.items():
                for pid in descendants(root):
                    peak = peak_rss_mb(pid)
                    if peak is not None:
                        key = (role if pid == root else f"{role} child", pid)
                        self.peaks[key] = max(self.peaks.get(key, 0.0), peak)


class Getter(threading.Thread):
    """REST GETs one after the other, as a person watching the runs would make them."""

    def __init__(self, api: httpx.Client, loop_ids: list[str]) -> None:
        super().__init__(daemon=True)
        self.api = api
        self.loop_ids = loop_ids
        self.seconds: list[float] = []
        self.failures: Counter[str] = Counter()
        self.stopping = threading.Event()

    def run(self) -> None:
        paths = [
            "state-machines/Loop/executions/",
            f"executions/{self.loop_ids[0]}/",
            f"executions/{self.loop_ids[0]}/history/",
        ]
        while not self.stopping.is_set():
            for path in paths:
                started = time.perf_counter()
                try:
                    response = self.api.get(path)
                    if response.status_code != 200:
                        self.failures[f"{path.split('/')[0]} {response.status_code}"] += 1
                except httpx.HTTPError as error:
                    self.failures[type(error).__name__] += 1
                self.seconds.append(time.perf_counter() - started)
            time.sleep(0.05)


def start(api: httpx.Client, machine: str, input: Any) -> str:
    response = api.post(f"state-machines/{machine}/executions/", json={"input": input})
    response.raise_for_status()
    return str(response.json()["id"])


def main() -> bool:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="how long the bombs run")
    parser.add_argument("--every", type=float, default=2, help="seconds between bomb starts")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=2, help="pool size of each worker")
    parser.add_argument(
        "--lease",
        default="30",
        help="EXECUTION_LEASE_SECONDS, as in production; the advance time limit follows it",
    )
    add_service_arguments(parser, "BENCH_RUNAWAY_REDIS_URL", RUNAWAY_REDIS)
    args = parser.parse_args()
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    with ExitStack() as stack:
        directory = stack.enter_context(tempfile.TemporaryDirectory(prefix="statecraft-runaway-"))
        database_url = stack.enter_context(postgres_database(args.postgres))
        env = servers.environment(
            DATABASE_URL=database_url,
            REDIS_URL=args.redis,
            ADMIN_PASSWORD_FILE=f"{directory}/admin-password",
            EXECUTION_LEASE_SECONDS=args.lease,
        )
        key = prepare(env)
        roots: dict[str, int] = {}
        workers = []
        for number in range(args.workers):
            worker = stack.enter_context(
                servers.start_celery_worker(env, concurrency=args.concurrency)
            )
            workers.append(worker)
            roots[f"worker {number + 1}"] = worker.popen.pid
        command = [str(servers.BIN / "celery"), "-A", "config", "beat"]
        command += ["-s", f"{directory}/beat-schedule", "--loglevel", "INFO"]
        beat = stack.enter_context(servers.Process("celery-beat", command, env))
        beat.wait_for_log("beat: Starting", timeout=60)
        roots["beat"] = beat.popen.pid
        port = servers.free_port()
        daphne = stack.enter_context(servers.start_daphne(port, env))
        roots["daphne"] = daphne.popen.pid
        api = httpx.Client(
            base_url=f"http://127.0.0.1:{port}/api/v1/",
            headers={"Authorization": f"Token {key}"},
            timeout=60,
        )
        for name, (definition, _) in {"Loop": (LOOP, None), **BOMBS}.items():
            response = api.post("state-machines/", json={"name": name, "definition": definition})
            response.raise_for_status()

        sampler = Sampler(roots)
        sampler.start()
        loops = [start(api, "Loop", {}) for _ in range(2)]
        getter = Getter(httpx.Client(base_url=api.base_url, headers=api.headers, timeout=60), loops)
        getter.start()
        bombs: list[tuple[str, str]] = []
        ends = time.monotonic() + args.seconds
        while time.monotonic() < ends:
            for name, (_, input) in BOMBS.items():
                bombs.append((name, start(api, name, input)))
            time.sleep(args.every)
        getter.stopping.set()
        getter.join()
        for loop in loops:
            api.post(f"executions/{loop}/stop/", json={"error": "Bench", "cause": "time is up"})
        give_up = time.monotonic() + 180  # the queue of bombs drains at the workers' pace
        outcomes: Counter[tuple[str, str, str]] = Counter()
        while time.monotonic() < give_up:
            outcomes.clear()
            for name, execution_id in bombs:
                found = api.get(f"executions/{execution_id}/").json()
                outcomes[(name, found["status"], found.get("error") or "")] += 1
            if all(status in TERMINAL for _, status, _ in outcomes):
                break
            time.sleep(1)
        time.sleep(1)  # the stops' advances
        with psycopg.connect(database_url) as connection:
            loop_events = [
                connection.execute(
                    "SELECT status, last_event_id FROM executor_execution WHERE id = %s", [loop]
                ).fetchone()
                for loop in loops
            ]
        sampler.stopping.set()
        sampler.join()
        logs = "".join(worker.log() for worker in workers)
        ends = {
            "hard time limits": logs.count("Hard time limit"),
            "children killed by a signal": logs.count("exited with 'signal"),
        }
    print(f"worker children ended: {ends}")
    return report(args, sampler, getter, outcomes, loop_events)


def report(
    args: argparse.Namespace,
    sampler: Sampler,
    getter: Getter,
    outcomes: Counter[tuple[str, str, str]],
    loop_events: list[tuple[str, int]],
) -> bool:
    print(
        f"setup: 1 Daphne, {args.workers} workers --pool prefork -c {args.concurrency}, beat; "
        f"EXECUTION_LEASE_SECONDS={args.lease}; {args.seconds:.0f} s of bombs every "
        f"{args.every:.0f} s"
    )
    print("peak RSS (VmHWM) per process:")
    for (role, pid), peak in sorted(sampler.peaks.items()):
        print(f"  {role:16} pid {pid:7}: {peak:7.1f} MB")
    worst = max(sampler.peaks.values(), default=0.0)
    seconds = getter.seconds
    p50, p99 = percentile(seconds, 50), percentile(seconds, 99)
    print(
        f"REST GETs ({len(seconds)}): p50 {1000 * p50:.0f} ms, p99 {1000 * p99:.0f} ms, "
        f"max {1000 * max(seconds):.0f} ms; not 200: {dict(getter.failures) or 'none'}"
    )
    print("runs:")
    for (name, status, error), count in sorted(outcomes.items()):
        print(f"  {name:14} {status:9} {error:28} x{count}")
    for number, (status, events) in enumerate(loop_events, 1):
        print(f"  Loop {number}: {status}, {events} events stored")
    met = worst < TARGET_RSS_MB and max(seconds) < TARGET_GET_SECONDS and not getter.failures
    print(
        f"targets: every process under {TARGET_RSS_MB} MB (worst {worst:.0f} MB), every GET "
        f"under {TARGET_GET_SECONDS:.0f} s (worst {max(seconds):.2f} s): "
        f"{'met' if met else 'MISSED'}"
    )
    return met


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
