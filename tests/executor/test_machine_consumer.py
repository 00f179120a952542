"""The WebSocket at /ws/state-machines/{name}/: live summaries for execution lists."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application
from designer.actions import create_state_machine
from executor import runner
from executor.actions import start_execution

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 5
BROWSER = [(b"host", b"127.0.0.1"), (b"origin", b"http://127.0.0.1")]
TWO_STATES = {
    "StartAt": "Greet",
    "States": {"Greet": {"Type": "Pass", "Next": "Done"}, "Done": {"Type": "Succeed"}},
}


def session_headers(user: Any) -> list[tuple[bytes, bytes]]:
    client = Client()
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    return [*BROWSER, (b"cookie", cookie)]


@database_sync_to_async
def start_and_finish(machine: Any) -> str:
    execution = start_execution(machine, {"hello": "world"}, name="first", enqueue=False)
    runner.advance(execution.pk)
    return str(execution.pk)


async def test_it_streams_a_summary_when_an_execution_of_the_machine_changes(user: Any) -> None:
    machine = await database_sync_to_async(create_state_machine)("Greeter", TWO_STATES, owner=user)
    headers = await database_sync_to_async(session_headers)(user)
    communicator = WebsocketCommunicator(application, "/ws/state-machines/Greeter/", headers)
    connected, _ = await communicator.connect(TIMEOUT)
    assert connected
    execution_id = await start_and_finish(machine)
    summary = await communicator.receive_json_from(TIMEOUT)
    assert summary["id"] == execution_id
    assert (summary["name"], summary["status"]) == ("first", "SUCCEEDED")
    assert summary["stop_date"] is not None
    await communicator.disconnect()


@pytest.mark.parametrize(
    ("who", "machine", "code"),
    # Not yours and does not exist close alike: the code must not tell which names exist.
    [("anonymous", "Greeter", 4401), ("outsider", "Greeter", 4404), ("user", "Nope", 4404)],
)
async def test_it_closes_with_a_code_that_says_why(
    user: Any, outsider: Any, who: str, machine: str, code: int
) -> None:
    await database_sync_to_async(create_state_machine)("Greeter", TWO_STATES, owner=user)
    headers = BROWSER
    if who != "anonymous":
        headers = await database_sync_to_async(session_headers)(user if who == "user" else outsider)
    communicator = WebsocketCommunicator(application, f"/ws/state-machines/{machine}/", headers)
    connected, _ = await communicator.connect(TIMEOUT)
    assert connected
    closed = await communicator.receive_output(TIMEOUT)
    assert closed == {"type": "websocket.close", "code": code}
