"""The embedded default end to end, started exactly as `make run` starts it: `manage.py
migrate`, `bootstrap` and `serve`, on a temporary SQLite database and without REDIS_URL, so
the worker and the sweep run in threads of the web process. A program drives it the way the
README shows: a key from `createapikey`, REST to start runs, a WebSocket to follow them.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from tests import servers
from tests.executor.definitions import ORDER_DEFINITION

pytestmark = pytest.mark.integration

RUN_TIMEOUT = 30
TERMINAL = {"ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut"}


class Embedded:
    def __init__(self, address: str, key: str, process: servers.Process) -> None:
        self.address = address
        self.key = key
        self.process = process
        self.http = httpx.Client(
            base_url=f"http://{address}/api/v1/",
            headers={"Authorization": f"Token {key}"},
            timeout=10,
        )


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Embedded]:
    directory: Path = tmp_path_factory.mktemp("embedded")
    env = servers.environment(
        DATABASE_URL=f"sqlite:///{directory / 'db.sqlite3'}",
        ADMIN_PASSWORD_FILE=str(directory / "admin-password"),
    )
    assert "REDIS_URL" not in env
    servers.manage("migrate", "--verbosity", "0", env=env)
    servers.manage("bootstrap", env=env)
    key = servers.manage("createapikey", "admin", env=env).strip().splitlines()[-1]
    port = servers.free_port()
    with servers.start_serve(port, env) as process:
        server = Embedded(f"127.0.0.1:{port}", key, process)
        yield server
        server.http.close()


async def follow(server: Embedded, execution_id: str, after: int = 0) -> list[dict[str, Any]]:
    url = f"ws://{server.address}/ws/executions/{execution_id}/?token={server.key}&after={after}"
    events: list[dict[str, Any]] = []
    async with asyncio.timeout(RUN_TIMEOUT), websockets.connect(url) as socket:
        while not events or events[-1]["type"] not in TERMINAL:
            events.append(json.loads(await socket.recv()))
        # Anything more would be a repeat: the run has ended.
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(socket.recv(), 0.3)
    return events


def test_it_serves_the_sample_machine_bootstrap_created(embedded: Embedded) -> None:
    listed = embedded.http.get("state-machines/")
    assert listed.status_code == 200, embedded.process.log_tail()
    assert [m["name"] for m in listed.json()["state_machines"]] == ["OrderWorkflow"]


async def test_it_runs_an_execution_started_over_rest_and_streams_its_events(
    embedded: Embedded,
) -> None:
    created = embedded.http.post(
        "state-machines/", json={"name": "Orders", "definition": ORDER_DEFINITION}
    )
    assert created.status_code == 201, created.text

    started = [
        embedded.http.post("state-machines/Orders/executions/", json={"input": {"quantity": q}})
        for q in (2, 40)
    ]
    assert [r.status_code for r in started] == [201, 201]
    shipped, refused = (r.json()["id"] for r in started)

    streams = await asyncio.gather(follow(embedded, shipped), follow(embedded, refused))

    for execution_id, events in zip((shipped, refused), streams, strict=True):
        assert [e["id"] for e in events] == list(range(1, len(events) + 1))
        whole = embedded.http.get(f"executions/{execution_id}/history/").json()
        assert events == whole["events"]
        # A page of the last event alone names the state it follows, as the whole history
        # does, on SQLite too (executor/event_owners.py walks the earlier events there).
        last = embedded.http.get(
            f"executions/{execution_id}/history/", params={"before": len(events) + 1, "limit": 1}
        )
        assert last.status_code == 200, embedded.process.log_tail()
        assert last.json()["owners"] == whole["owners"][-1:] != [None]
    assert streams[0][-1]["type"] == "ExecutionSucceeded"
    assert "WaitStateExited" in [e["type"] for e in streams[0]]
    assert streams[1][-1]["type"] == "ExecutionFailed"

    done = embedded.http.get(f"executions/{shipped}/").json()
    assert done["status"] == "SUCCEEDED"
    assert done["output"] == {"quantity": 2, "received": True}
    failed = embedded.http.get(f"executions/{refused}/").json()
    assert (failed["status"], failed["error"]) == ("FAILED", "OutOfStock")


async def test_it_resumes_a_stream_after_the_last_event_a_client_has(embedded: Embedded) -> None:
    started = embedded.http.post(
        "state-machines/OrderWorkflow/executions/", json={"input": {"quantity": 1}}
    ).json()
    everything = await follow(embedded, started["id"])
    rest = await follow(embedded, started["id"], after=4)
    assert rest == everything[4:]


async def test_it_refuses_a_websocket_without_a_key(embedded: Embedded) -> None:
    started = embedded.http.post("state-machines/OrderWorkflow/executions/", json={}).json()
    url = f"ws://{embedded.address}/ws/executions/{started['id']}/"
    async with websockets.connect(url) as socket:
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(socket.recv(), 5)
    assert socket.close_code == 4401


SLOW_EXPRESS = {
    "StartAt": "Pause",
    "States": {
        "Pause": {"Type": "Wait", "Seconds": 2, "Next": "Done"},
        "Done": {"Type": "Pass", "End": True},
    },
}


@pytest.mark.parametrize("slow", ["synchronous express run", "activity long poll"])
def test_it_answers_quick_requests_while_a_slow_one_waits(embedded: Embedded, slow: str) -> None:
    # Quick requests share the process's one sync thread; slow ones must not hold it.
    name = f"Slow{len(slow)}"
    created = embedded.http.post(
        "state-machines/", json={"name": name, "type": "EXPRESS", "definition": SLOW_EXPRESS}
    )
    assert created.status_code == 201, created.text
    path, body = (
        (f"state-machines/{name}/sync-executions/", {})
        if slow == "synchronous express run"
        else ("activities/nobody-serves-this/tasks/", {"wait": 2})
    )
    with (
        httpx.Client(
            base_url=embedded.http.base_url, headers=embedded.http.headers, timeout=10
        ) as other,
        ThreadPoolExecutor(1) as pool,
    ):
        waiting = pool.submit(other.post, path, json=body)
        for _ in range(6):  # over the first 1.2 s of the slow one's 2 s
            time.sleep(0.2)
            began = time.monotonic()
            assert embedded.http.get("state-machines/").status_code == 200
            assert time.monotonic() - began < 1, f"a quick request waited behind the {slow}"
        assert not waiting.done()
        answered = waiting.result()
    assert answered.status_code == 200, answered.text
    if slow == "synchronous express run":
        assert answered.json()["status"] == "SUCCEEDED"
    else:
        assert answered.json() == {"taskToken": None, "input": None}


def test_it_hands_a_new_activity_task_to_a_waiting_poll_at_once(embedded: Embedded) -> None:
    activity = "arn:aws:states:us-east-1:123456789012:activity:embedded-work"
    definition = {
        "StartAt": "Work",
        "States": {"Work": {"Type": "Task", "Resource": activity, "End": True}},
    }
    created = embedded.http.post(
        "state-machines/", json={"name": "Worked", "definition": definition}
    )
    assert created.status_code == 201, created.text
    with (
        httpx.Client(
            base_url=embedded.http.base_url, headers=embedded.http.headers, timeout=30
        ) as poller,
        ThreadPoolExecutor(1) as pool,
    ):
        waiting = pool.submit(poller.post, "activities/embedded-work/tasks/", json={"wait": 20})
        time.sleep(1)  # the poll has looked once and sleeps
        began = time.monotonic()
        started = embedded.http.post("state-machines/Worked/executions/", json={"input": {"n": 2}})
        assert started.status_code == 201, started.text
        answered = waiting.result()
        took = time.monotonic() - began
    assert answered.json()["input"] == {"n": 2}
    # Well under the poll's coarse re-check: the runner's announcement woke it.
    assert took < 2, f"the task reached the waiting poll after {took:.2f} s"
