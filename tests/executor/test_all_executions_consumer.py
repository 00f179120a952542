"""The WebSocket at /ws/executions/: live summaries of every run the user may view, across
machines, for the executions page; never those of another user's machines."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from designer.actions import create_state_machine
from executor import runner
from executor.actions import start_execution
from tests.executor.test_machine_consumer import BROWSER, TIMEOUT, TWO_STATES, session_headers

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def start_and_finish(machine: Any, name: str) -> str:
    execution = start_execution(machine, {"hello": "world"}, name=name, enqueue=False)
    runner.advance(execution.pk)
    return str(execution.pk)


async def test_it_streams_summaries_of_the_users_machines_only(user: Any, outsider: Any) -> None:
    make = database_sync_to_async(create_state_machine)
    mine, other = (
        await make("Mine", TWO_STATES, owner=user),
        await make("Mine2", TWO_STATES, owner=user),
    )
    theirs = await make("Theirs", TWO_STATES, owner=outsider)
    headers = await database_sync_to_async(session_headers)(user)
    communicator = WebsocketCommunicator(application, "/ws/executions/", headers)
    connected, _ = await communicator.connect(TIMEOUT)
    assert connected

    await start_and_finish(theirs, "secret")
    first = await start_and_finish(mine, "first")
    second = await start_and_finish(other, "second")

    received = [await communicator.receive_json_from(TIMEOUT) for _ in range(2)]
    assert [s["id"] for s in received] == [first, second]
    assert [(s["name"], s["state_machine"], s["status"]) for s in received] == [
        ("first", "Mine", "SUCCEEDED"),
        ("second", "Mine2", "SUCCEEDED"),
    ]
    assert received[0]["version"] == 1
    assert received[0]["waiting_for_approval"] is False
    # The other user's run never arrives.
    assert await communicator.receive_nothing(0.5)
    await communicator.disconnect()


async def test_it_closes_for_anonymous_visitors() -> None:
    communicator = WebsocketCommunicator(application, "/ws/executions/", BROWSER)
    connected, _ = await communicator.connect(TIMEOUT)
    assert connected
    assert await communicator.receive_output(TIMEOUT) == {"type": "websocket.close", "code": 4401}
