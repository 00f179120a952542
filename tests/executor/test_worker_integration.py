"""Executions run by a real `celery -A config worker` process on Redis and PostgreSQL.

The worker is a subprocess with the production settings, pointed at pytest-django's test
database; the test commits its rows (transactional database) so the worker sees them, and
follows each run over the WebSocket consumer on the Redis channel layer, as a browser would.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings

from config.asgi import application
from executor.actions import SWEEP_GRACE_SECONDS, start_execution, sweep
from executor.models import Execution, HistoryEvent, PendingTask
from tests import servers
from tests.executor.definitions import APPROVAL, pass_chain

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]

RUN_TIMEOUT = 30
TERMINAL = {"ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut"}
SHIPPED = [
    "ExecutionStarted",
    "PassStateEntered",
    "PassStateExited",
    "ChoiceStateEntered",
    "ChoiceStateExited",
    "WaitStateEntered",
    "WaitStateExited",
    "SucceedStateEntered",
    "SucceedStateExited",
    "ExecutionSucceeded",
]
OUT_OF_STOCK = [
    "ExecutionStarted",
    "PassStateEntered",
    "PassStateExited",
    "ChoiceStateEntered",
    "ChoiceStateExited",
    "FailStateEntered",
    "ExecutionFailed",
]


@pytest.fixture(scope="module")
def worker(test_database_url: str) -> Iterator[servers.Process]:
    env = servers.environment(DATABASE_URL=test_database_url, REDIS_URL=settings.REDIS_URL)
    with servers.start_celery_worker(env, concurrency=2, pool="prefork") as process:
        yield process


async def follow(communicator: WebsocketCommunicator) -> list[tuple[float, dict[str, Any]]]:
    """Every event of a run with the time it arrived, up to its last one."""
    received: list[tuple[float, dict[str, Any]]] = []
    async with asyncio.timeout(RUN_TIMEOUT):
        while not received or received[-1][1]["type"] not in TERMINAL:
            event = await communicator.receive_json_from(RUN_TIMEOUT)
            received.append((time.time(), event))
    return received


def stored_history(execution_id: Any) -> list[dict[str, Any]]:
    rows = HistoryEvent.objects.filter(execution_id=execution_id).order_by("event_id")
    return [row.as_json() for row in rows]


async def test_it_runs_executions_on_a_worker_and_streams_every_event_live_once(
    worker: servers.Process, make_machine: Any, user: Any, token: str
) -> None:
    machine = await database_sync_to_async(make_machine)()
    quantities = [1, 99, 5, 50, 10, 11]
    runs: list[tuple[Execution, WebsocketCommunicator]] = []
    for quantity in quantities:
        execution = await database_sync_to_async(start_execution)(
            machine, {"quantity": quantity}, user=user
        )
        # Subscribed after the start was committed and queued: the worker may be ahead,
        # and the consumer must still deliver what it missed, then the rest, once each.
        client = WebsocketCommunicator(application, f"/ws/executions/{execution.pk}/?token={token}")
        assert (await client.connect(5))[0]
        runs.append((execution, client))

    streams = await asyncio.gather(*(follow(client) for _, client in runs))

    for quantity, (execution, client), stream in zip(quantities, runs, streams, strict=True):
        events = [event for _, event in stream]
        ships = quantity <= 10
        assert [e["type"] for e in events] == (SHIPPED if ships else OUT_OF_STOCK), (
            worker.log_tail()
        )
        assert [e["id"] for e in events] == list(range(1, len(events) + 1))
        assert await client.receive_nothing(0.3), "an event arrived twice"
        await client.disconnect()

        assert events == await database_sync_to_async(stored_history)(execution.pk)
        await database_sync_to_async(execution.refresh_from_db)()
        if ships:
            assert execution.status == "SUCCEEDED"
            assert execution.output == {"quantity": quantity, "received": True}
            # Live, not replayed at the end: the Wait's entry reached the client before
            # the worker left the Wait a second later.
            arrived = {event["type"]: at for at, event in stream}
            left_wait = next(e for e in events if e["type"] == "WaitStateExited")
            assert arrived["WaitStateEntered"] < iso_seconds(left_wait["timestamp"])
        else:
            assert execution.status == "FAILED"
            assert (execution.error, execution.cause) == ("OutOfStock", "Too many items.")
            assert execution.output is None
        assert execution.stop_date is not None
        assert execution.lease_owner == ""


def lost_start(machine: Any, user: Any) -> Execution:
    """An execution committed whose "advance" message never reached the broker."""
    from django.utils import timezone

    long_ago = timezone.now() - dt.timedelta(seconds=SWEEP_GRACE_SECONDS + 1)
    return Execution.objects.create(
        state_machine=machine,
        version=machine.latest_version(),
        name="lost",
        input={"n": 1},
        start_date=long_ago,
        started_by=user,
    )


async def test_it_finishes_an_execution_whose_message_was_lost_once_swept(
    worker: servers.Process, make_machine: Any, user: Any
) -> None:
    machine = await database_sync_to_async(make_machine)("Chain", pass_chain(3))
    execution = await database_sync_to_async(lost_start)(machine, user)

    assert await database_sync_to_async(sweep)() == 1

    async with asyncio.timeout(RUN_TIMEOUT):
        while execution.status == "RUNNING":
            await asyncio.sleep(0.05)
            await database_sync_to_async(execution.refresh_from_db)()
    assert execution.status == "SUCCEEDED", worker.log_tail()
    assert execution.output == {"n": 1}
    assert execution.last_event_id == 8


async def test_it_resumes_a_run_a_person_approves_over_rest(
    worker: servers.Process, make_machine: Any, user: Any, api: Any, token: str
) -> None:
    machine = await database_sync_to_async(make_machine)("Approval", APPROVAL)
    execution = await database_sync_to_async(start_execution)(machine, {"order": 7}, user=user)
    client = WebsocketCommunicator(application, f"/ws/executions/{execution.pk}/?token={token}")
    assert (await client.connect(5))[0]

    def issued_token() -> str | None:
        return (
            PendingTask.objects.filter(execution=execution).values_list("token", flat=True).first()
        )

    async with asyncio.timeout(RUN_TIMEOUT):
        while (task_token := await database_sync_to_async(issued_token)()) is None:
            await asyncio.sleep(0.05)
    answered = await database_sync_to_async(api.post)(
        "/api/v1/task-tokens/success/",
        {"taskToken": task_token, "output": {"approved": True}},
        format="json",
    )
    assert answered.status_code == 200, answered.content

    events = [event for _, event in await follow(client)]
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    assert events[-1]["type"] == "ExecutionSucceeded", worker.log_tail()
    assert "TaskSucceeded" in [e["type"] for e in events]
    assert await client.receive_nothing(0.3)
    await client.disconnect()
    await database_sync_to_async(execution.refresh_from_db)()
    assert execution.output == {"approved": True}
    assert not await database_sync_to_async(
        PendingTask.objects.filter(execution=execution).exists
    )()


def iso_seconds(timestamp: str) -> float:
    return dt.datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp()
