"""A run with a huge history, followed over a WebSocket of a real Daphne process, must block
nobody: not the other sockets (the event loop) nor the quick requests (the one sync thread).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from websockets.exceptions import WebSocketException
from websockets.sync.client import connect

from designer.actions import create_state_machine
from executor import runner
from executor.actions import start_execution
from executor.models import Execution, HistoryEvent
from tests import servers
from tests.executor.definitions import HELLO_DEFINITION

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

HUGE = 300_000


def store_history(execution: Execution, count: int) -> None:
    """``count`` stored events, written with COPY as the runner writes them."""
    start = dt.datetime.now(dt.UTC)
    chunk = 50_000
    for first in range(1, count + 1, chunk):
        HistoryEvent.objects.append(
            execution.pk,
            (
                {
                    "id": n,
                    "previousEventId": n - 1,
                    "type": "PassStateEntered",
                    "timestamp": start + dt.timedelta(microseconds=n),
                    "stateEnteredEventDetails": {"name": f"Step{n}", "input": '{"n": 1}'},
                }
                for n in range(first, min(first + chunk, count + 1))
            ),
        )
    Execution.objects.filter(pk=execution.pk).update(last_event_id=count)


@pytest.fixture
def daphne(test_database_url: str, transactional_db: None) -> Iterator[str]:
    from django.conf import settings

    port = servers.free_port()
    env = servers.environment(DATABASE_URL=test_database_url, REDIS_URL=settings.REDIS_URL)
    with servers.start_daphne(port, env):
        yield f"127.0.0.1:{port}"


class Follower(threading.Thread):
    """A client reading a whole history, in a thread of its own so that its reading does not
    slow the measurements down."""

    def __init__(self, url: str, count: int) -> None:
        super().__init__(daemon=True)
        self.url, self.count = url, count
        self.ids: list[int] = []
        self.finished_at = 0.0
        self.connected = threading.Event()

    def run(self) -> None:
        with connect(self.url, max_size=None, open_timeout=10) as socket:
            self.connected.set()
            while len(self.ids) < self.count:
                self.ids.append(json.loads(socket.recv(timeout=60))["id"])
            self.finished_at = time.monotonic()


def test_it_serves_other_sockets_and_requests_while_sending_a_huge_history(
    daphne: str, user: Any, token: str
) -> None:
    machine = create_state_machine("Huge", HELLO_DEFINITION, owner=user)
    huge = start_execution(machine, {}, name="huge", user=user, enqueue=False)
    store_history(huge, HUGE)
    small = start_execution(machine, {}, name="small", user=user, enqueue=False)
    runner.advance(small.pk)
    small_ids = list(
        HistoryEvent.objects.filter(execution=small)
        .order_by("event_id")
        .values_list("event_id", flat=True)
    )
    assert small_ids == [1, 2, 3, 4]

    api = httpx.Client(
        base_url=f"http://{daphne}/api/v1/", headers={"Authorization": f"Token {token}"}
    )

    def small_run_events() -> tuple[Any, float]:
        """The small run's events over a new socket, and how long they took."""
        began = time.monotonic()
        try:
            with connect(f"ws://{daphne}/ws/executions/{small.pk}/?token={token}") as socket:
                got = [json.loads(socket.recv(timeout=5))["id"] for _ in small_ids]
        except (OSError, TimeoutError, WebSocketException) as exc:  # Daphne gave up the handshake
            return repr(exc), time.monotonic() - began
        return got, time.monotonic() - began

    def get_small_run() -> tuple[int, float]:
        began = time.monotonic()
        status = api.get(f"executions/{small.pk}/", timeout=30).status_code
        return status, time.monotonic() - began

    # A new process sets much up on its first request and socket; this is not what's measured.
    small_run_events()
    get_small_run()

    follower = Follower(f"ws://{daphne}/ws/executions/{huge.pk}/?token={token}", HUGE)
    follower.start()
    assert follower.connected.wait(10)
    time.sleep(0.5)  # well into sending the history

    got, socket_took = small_run_events()
    status, request_took = get_small_run()
    measured_at = time.monotonic()
    api.close()

    print(f"small run's events: {socket_took:.3f} s, GET: {request_took:.3f} s")
    assert got == small_ids, f"the small run's socket failed after {socket_took:.2f} s: {got}"
    assert status == 200
    assert socket_took < 1, f"the small run's events took {socket_took:.2f} s"
    assert request_took < 1, f"the GET took {request_took:.2f} s"

    follower.join(120)
    assert not follower.is_alive(), f"the huge history was not sent: {len(follower.ids)} events"
    # Each event once, in order; and the measurements were taken while it was being sent.
    assert follower.ids == list(range(1, HUGE + 1))
    assert follower.finished_at > measured_at
