"""The WebSocket at /ws/approvals/: the inbox and the header's badge are nudged when the
waiting task tokens of a machine the user operates change, and only then."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from designer.actions import create_state_machine
from executor import approvals, runner
from executor.actions import start_execution
from executor.models import PendingTask
from tests.executor.test_machine_consumer import BROWSER, TIMEOUT, session_headers

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = {
    "StartAt": "Ask",
    "States": {
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}},
            "End": True,
        }
    },
}


@database_sync_to_async
def start_waiting(machine: Any) -> str:
    execution = start_execution(machine, {}, enqueue=False)
    runner.advance(execution.pk)
    return str(execution.pk)


@database_sync_to_async
def approve(execution_id: str, user: Any) -> None:
    task = PendingTask.objects.get(execution_id=execution_id)
    approvals.approve(task.token, "ok", user=user)


async def connect(user: Any) -> WebsocketCommunicator:
    headers = await database_sync_to_async(session_headers)(user)
    communicator = WebsocketCommunicator(application, "/ws/approvals/", headers)
    connected, _ = await communicator.connect(TIMEOUT)
    assert connected
    return communicator


async def test_it_nudges_when_a_task_token_is_issued_and_when_it_is_answered(user: Any) -> None:
    machine = await database_sync_to_async(create_state_machine)("Asks", WAIT, owner=user)
    communicator = await connect(user)
    execution_id = await start_waiting(machine)
    assert await communicator.receive_json_from(TIMEOUT) == {"changed": True}
    await approve(execution_id, user)
    assert await communicator.receive_json_from(TIMEOUT) == {"changed": True}
    await communicator.disconnect()


async def test_it_tells_nothing_of_machines_the_user_does_not_operate(
    user: Any, outsider: Any
) -> None:
    machine = await database_sync_to_async(create_state_machine)("Asks", WAIT, owner=user)
    communicator = await connect(outsider)
    await start_waiting(machine)
    assert await communicator.receive_nothing(1.5)
    await communicator.disconnect()


async def test_it_closes_for_someone_not_signed_in() -> None:
    communicator = WebsocketCommunicator(application, "/ws/approvals/", BROWSER)
    connected, _ = await communicator.connect(TIMEOUT)
    assert connected
    assert await communicator.receive_output(TIMEOUT) == {"type": "websocket.close", "code": 4401}
