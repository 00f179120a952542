"""The WebSocket consumer at /ws/executions/{id}/, through the whole ASGI stack of config.asgi
and the channel layer of the settings (channels_redis under `make test`).

The database is transactional here: the consumer reads it from other threads, which must see
the rows the test committed. Executions advance with the durable runner in this process, so
live events travel the production path: commit, live.publish, channel layer, consumer.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application
from executor import live, runner
from executor.actions import start_execution
from executor.models import Execution, HistoryEvent

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 5
BROWSER = [(b"host", b"127.0.0.1"), (b"origin", b"http://127.0.0.1")]
BEFORE_THE_WAIT = [
    "ExecutionStarted",
    "PassStateEntered",
    "PassStateExited",
    "ChoiceStateEntered",
    "ChoiceStateExited",
    "WaitStateEntered",
]
AFTER_THE_WAIT = [
    "WaitStateExited",
    "SucceedStateEntered",
    "SucceedStateExited",
    "ExecutionSucceeded",
]


def connect_to(
    execution_id: Any, query: str = "", headers: Sequence[tuple[bytes, bytes]] = BROWSER
) -> WebsocketCommunicator:
    path = f"/ws/executions/{execution_id}/" + (f"?{query}" if query else "")
    return WebsocketCommunicator(application, path, headers=list(headers))


async def close_code(communicator: WebsocketCommunicator) -> int | None:
    """The code the server closed with, whether it refused the handshake or closed after."""
    connected, code = await communicator.connect(TIMEOUT)
    if not connected:
        return int(code) if code is not None else None
    message = await communicator.receive_output(TIMEOUT)
    assert message["type"] == "websocket.close", message
    return int(message.get("code", 1000))


async def receive_events(communicator: WebsocketCommunicator, count: int) -> list[dict[str, Any]]:
    return [await communicator.receive_json_from(TIMEOUT) for _ in range(count)]


@pytest.fixture
def waiting(make_machine: Any, user: Any) -> Execution:
    """An order advanced up to its one-second Wait: events 1-6 are stored, 7-10 are to come."""
    machine = make_machine()
    execution = start_execution(machine, {"quantity": 3}, user=user)
    runner.advance(execution.pk)
    execution.refresh_from_db()
    assert execution.last_event_id == len(BEFORE_THE_WAIT)
    return execution


def finish(execution: Execution) -> None:
    """Advances past the Wait once it is due; the runner publishes what it commits."""
    execution.refresh_from_db()
    assert execution.wake_at is not None
    pause = (execution.wake_at.timestamp() - time.time()) + 0.01
    if pause > 0:
        time.sleep(pause)
    runner.advance(execution.pk)


def messages_of(execution: Execution, ids: range) -> list[dict[str, Any]]:
    rows = HistoryEvent.objects.filter(execution=execution, event_id__in=list(ids))
    return [row.as_json() for row in rows.order_by("event_id")]


async def test_it_sends_the_stored_events_after_the_given_id_then_live_ones_exactly_once(
    waiting: Execution, token: str
) -> None:
    client = connect_to(waiting.pk, f"token={token}&after=2")
    connected, _ = await client.connect(TIMEOUT)
    assert connected

    stored = await receive_events(client, 4)
    assert [e["id"] for e in stored] == [3, 4, 5, 6]
    assert [e["type"] for e in stored] == BEFORE_THE_WAIT[2:]
    assert await client.receive_nothing(0.3)

    await database_sync_to_async(finish)(waiting)

    live_events = await receive_events(client, 4)
    assert [e["id"] for e in live_events] == [7, 8, 9, 10]
    assert [e["type"] for e in live_events] == AFTER_THE_WAIT
    assert await client.receive_nothing(0.3)
    await client.disconnect()


async def test_it_sends_the_whole_history_of_a_finished_execution(
    waiting: Execution, token: str
) -> None:
    await database_sync_to_async(finish)(waiting)
    client = connect_to(waiting.pk, f"token={token}")
    assert (await client.connect(TIMEOUT))[0]
    events = await receive_events(client, 10)
    assert [e["id"] for e in events] == list(range(1, 11))
    assert [e["type"] for e in events] == BEFORE_THE_WAIT + AFTER_THE_WAIT
    assert await client.receive_nothing(0.3)
    await client.disconnect()


async def test_it_drops_events_published_again(waiting: Execution, token: str) -> None:
    client = connect_to(waiting.pk, f"token={token}")
    assert (await client.connect(TIMEOUT))[0]
    await receive_events(client, 6)

    # A publish racing the consumer's read of the stored history repeats events it has sent.
    repeated = await database_sync_to_async(messages_of)(waiting, range(1, 7))
    live.publish(waiting.pk, waiting.state_machine_id, repeated, {})
    assert await client.receive_nothing(0.5)
    await client.disconnect()


async def test_it_fills_a_gap_in_live_events_from_the_database(
    waiting: Execution, token: str
) -> None:
    client = connect_to(waiting.pk, f"token={token}")
    assert (await client.connect(TIMEOUT))[0]
    await receive_events(client, 6)
    await database_sync_to_async(finish)(waiting)
    await receive_events(client, 4)

    # Events 1..10 are stored; a subscriber that had only 1..3 and then hears of 10 alone
    # (the publishes of 4..9 lost) still gets every event once, in order.
    late = connect_to(waiting.pk, f"token={token}&after=3")
    assert (await late.connect(TIMEOUT))[0]
    last = await database_sync_to_async(messages_of)(waiting, range(10, 11))
    events = await receive_events(late, 7)
    assert [e["id"] for e in events] == list(range(4, 11))
    live.publish(waiting.pk, waiting.state_machine_id, last, {})
    assert await late.receive_nothing(0.5)
    await late.disconnect()
    await client.disconnect()


async def test_it_accepts_the_browsers_session(waiting: Execution, user: Any) -> None:
    browser = Client()
    await database_sync_to_async(browser.force_login)(user)
    cookie = (b"cookie", f"sessionid={browser.cookies['sessionid'].value}".encode())
    client = connect_to(waiting.pk, headers=[*BROWSER, cookie])
    assert (await client.connect(TIMEOUT))[0]
    assert [e["id"] for e in await receive_events(client, 6)] == [1, 2, 3, 4, 5, 6]
    await client.disconnect()


async def test_it_lets_a_program_without_an_origin_header_connect_with_its_key(
    waiting: Execution, token: str
) -> None:
    # Programs (the websockets library, curl) send no Origin; only browsers do.
    client = connect_to(waiting.pk, f"token={token}", headers=[(b"host", b"127.0.0.1")])
    connected, code = await client.connect(TIMEOUT)
    assert connected, f"refused with {code}"
    assert (await client.receive_json_from(TIMEOUT))["id"] == 1
    await client.disconnect()


async def test_it_refuses_a_page_of_another_site_using_the_session(
    waiting: Execution, user: Any
) -> None:
    browser = Client()
    await database_sync_to_async(browser.force_login)(user)
    cookie = (b"cookie", f"sessionid={browser.cookies['sessionid'].value}".encode())
    headers = [(b"host", b"127.0.0.1"), (b"origin", b"https://evil.example"), cookie]
    client = connect_to(waiting.pk, headers=headers)
    connected, _ = await client.connect(TIMEOUT)
    assert not connected


async def test_it_closes_with_4401_for_anonymous_clients(waiting: Execution) -> None:
    assert await close_code(connect_to(waiting.pk)) == 4401


async def test_it_closes_with_4401_for_an_unknown_key(waiting: Execution) -> None:
    assert await close_code(connect_to(waiting.pk, "token=" + "0" * 40)) == 4401


async def test_it_closes_with_4404_for_unknown_executions(token: str) -> None:
    for execution_id in ("00000000-0000-0000-0000-000000000000", "not-a-uuid", "9" * 300):
        assert await close_code(connect_to(execution_id, f"token={token}")) == 4404


async def test_it_closes_with_4404_for_a_user_without_access_as_for_unknown_executions(
    waiting: Execution, outsider_token: str
) -> None:
    assert await close_code(connect_to(waiting.pk, f"token={outsider_token}")) == 4404


async def test_it_closes_with_4400_for_an_after_that_is_not_a_number(
    waiting: Execution, token: str
) -> None:
    assert await close_code(connect_to(waiting.pk, f"token={token}&after=abc")) == 4400


async def test_it_sends_events_in_aws_shape_stored_and_live(waiting: Execution, token: str) -> None:
    """Over the WebSocket too, each event is AWS's HistoryEvent: `id`, `previousEventId`,
    `timestamp`, `type` and the `<type>EventDetails` member AWS names after the type.
    https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html"""
    client = connect_to(waiting.pk, f"token={token}")
    assert (await client.connect(TIMEOUT))[0]
    stored = await receive_events(client, 6)
    await database_sync_to_async(finish)(waiting)
    live_events = await receive_events(client, 4)
    await client.disconnect()

    base = {"id", "previousEventId", "timestamp", "type"}
    members = {
        "ExecutionStarted": "executionStartedEventDetails",
        "PassStateEntered": "stateEnteredEventDetails",
        "ChoiceStateExited": "stateExitedEventDetails",
        "WaitStateEntered": "stateEnteredEventDetails",
        "WaitStateExited": "stateExitedEventDetails",
        "ExecutionSucceeded": "executionSucceededEventDetails",
    }
    events = {e["type"]: e for e in stored + live_events}
    for type, member in members.items():
        assert set(events[type]) == base | {member}, events[type]
    assert events["WaitStateEntered"]["stateEnteredEventDetails"]["name"] == "Pack"
    assert events["ExecutionStarted"]["previousEventId"] == 0
    # What the socket sent, stored or live, is what the REST API reads back.
    stored_rows = await database_sync_to_async(messages_of)(waiting, range(1, 11))
    assert stored + live_events == stored_rows
