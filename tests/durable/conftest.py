"""A whole Statecraft deployment per test, each part a real process: PostgreSQL (pytest-django's
test database), a Redis server of the suite's own, `celery -A config worker` processes,
`celery -A config beat` running the sweep, and Daphne serving the REST API.

The suite's Redis is its own (a free port, nothing persisted) so that restarting it disturbs
no one else and no other test's worker can take these tests' messages.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests import servers

TERMINAL = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}
# Queues the suite's workers consume: Celery's default and the one a send_task state names.
QUEUES = "celery,team"


class RedisServer:
    """`redis-server` on a port of its own; stop and start it again to lose every message."""

    def __init__(self) -> None:
        self.port = servers.free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: servers.Process | None = None
        self.start()

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--daemonize", "no"]
        self.process = servers.Process("redis", command, servers.environment())
        self.process.wait_for_port(self.port, timeout=20)

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


class Deployment:
    """The processes of one production deployment, started on demand and all stopped at the
    end of the test."""

    def __init__(self, database_url: str, redis: RedisServer, api_key: str) -> None:
        self.redis = redis
        self.api_key = api_key
        self.base_env = {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis.url,
            "TASK_FUNCTION_MODULES": "executor.builtin_functions,tests.durable.functions",
            "CELERY_IMPORTS": "tests.durable.celery_tasks",
            "SWEEP_SECONDS": "0.5",
            # The suite starts hundreds of runs as one user at once: not a throttling test.
            "API_THROTTLE_USER": "100000/second",
        }
        self.processes: list[servers.Process] = []
        self.directory = Path(tempfile.mkdtemp(prefix="statecraft-durable-"))
        self.address = ""

    def env(self, **extra: str) -> dict[str, str]:
        return servers.environment(**{**self.base_env, **extra})

    def _track(self, process: servers.Process) -> servers.Process:
        self.processes.append(process)
        return process

    def worker(self, concurrency: int = 2, pool: str = "prefork", **extra: str) -> servers.Process:
        command = [str(servers.BIN / "celery"), "-A", "config", "worker", "--pool", pool]
        command += ["-c", str(concurrency), "-Q", QUEUES, "--loglevel", "INFO"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        command += ["-n", f"durable-{os.getpid()}-{servers.free_port()}@%h"]
        process = self._track(servers.Process("celery-worker", command, self.env(**extra)))
        process.wait_for_log(" ready.", timeout=60)
        return process

    def beat(self, **extra: str) -> servers.Process:
        """The sweep on its production schedule (SWEEP_SECONDS, here 0.5 s)."""
        schedule = self.directory / f"beat-{len(self.processes)}"
        command = [str(servers.BIN / "celery"), "-A", "config", "beat", "-s", str(schedule)]
        command += ["--loglevel", "INFO"]
        process = self._track(servers.Process("celery-beat", command, self.env(**extra)))
        process.wait_for_log("beat: Starting", timeout=60)
        return process

    def web(self, **extra: str) -> httpx.Client:
        """Daphne serving the app; a REST client with the API key, as a program would use."""
        port = servers.free_port()
        self._track(servers.start_daphne(port, self.env(**extra)))
        self.address = f"127.0.0.1:{port}"
        return httpx.Client(
            base_url=f"http://{self.address}/api/v1/",
            headers={"Authorization": f"Token {self.api_key}"},
            timeout=60,
        )

    def kill(self, process: servers.Process) -> None:
        """kill -9 of the process and its pool children: no warm shutdown, no acks."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.popen.pid, signal.SIGKILL)
        process.popen.wait(10)
        process.stop()
        self.processes.remove(process)

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.log_tail(3000)}" for p in self.processes)

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()
        self.processes.clear()
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_server(production_services: None) -> Iterator[RedisServer]:
    server = RedisServer()
    yield server
    server.stop()


@pytest.fixture
def deployment(
    transactional_db: None, test_database_url: str, redis_server: RedisServer, token: str
) -> Iterator[Deployment]:
    # Depends on transactional_db so that every process is gone before the database is
    # flushed at the end of the test.
    found = Deployment(test_database_url, redis_server, token)
    try:
        yield found
    finally:
        found.stop()


def create_machine(
    api: httpx.Client, name: str, definition: dict[str, Any], type: str = "STANDARD"
) -> None:
    response = api.post(
        "state-machines/", json={"name": name, "definition": definition, "type": type}
    )
    assert response.status_code == 201, response.text


def start(api: httpx.Client, machine: str, input: Any = None) -> str:
    response = api.post(f"state-machines/{machine}/executions/", json={"input": input or {}})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def describe(api: httpx.Client, execution_id: str) -> dict[str, Any]:
    response = api.get(f"executions/{execution_id}/")
    assert response.status_code == 200, response.text
    return dict(response.json())


def history(api: httpx.Client, execution_id: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    after = 0
    while True:
        page = api.get(f"executions/{execution_id}/history/", params={"after": after}).json()
        events += page["events"]
        if page["next_after"] is None:
            return events
        after = page["next_after"]


def wait_for(
    condition: Callable[[], Any],
    what: str,
    timeout: float,
    deployment: Deployment | None = None,
    explain: Callable[[], str] = str,
) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    logs = deployment.logs() if deployment else ""
    raise AssertionError(f"not {what} after {timeout} s: {explain()}\n{logs}")


def statuses(execution_ids: list[str]) -> dict[str, str]:
    """Straight from the database: polling thousands of runs over REST would be the load."""
    from executor.models import Execution

    rows = Execution.objects.filter(pk__in=execution_ids).values_list("pk", "status")
    return {str(pk): status for pk, status in rows}


def stuck(execution_ids: list[str]) -> str:
    """What the unfinished executions wait for, for a failure's message."""
    from executor.models import Execution, PendingTask

    running = Execution.objects.filter(pk__in=execution_ids, status="RUNNING")
    waits = Counter(
        (e.wake_at is not None, e.lease_owner != "", e.checkpoint is not None) for e in running
    )
    tasks = Counter(
        (p.kind, p.state_name, p.answered_at is not None)
        for p in PendingTask.objects.filter(execution__in=running)
    )
    failures = Counter(
        (e.status, e.error, e.cause[:80])
        for e in Execution.objects.filter(pk__in=execution_ids).exclude(
            status__in=["RUNNING", "SUCCEEDED"]
        )
    )
    return (
        f"statuses {Counter(statuses(execution_ids).values())}; failures {dict(failures)}; running (wake_at, leased, "
        f"checkpoint): {dict(waits)}; their pending tasks (kind, state, answered): {dict(tasks)}"
    )


def all_finished(execution_ids: list[str]) -> bool:
    return all(status in TERMINAL for status in statuses(execution_ids).values())
