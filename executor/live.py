"""The one place that publishes live events to WebSocket subscribers.

Each committed history event goes to the channel group of its execution; a summary of the
execution goes to the group of its state machine (for execution lists). Called only after the
events' transaction has committed, so a subscriber that reads the history from the database
and then listens can never see an event that is later rolled back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

log = logging.getLogger(__name__)

# The event loop of the web server, when the worker runs inside the web process (embedded
# default). The in-memory channel layer's queues belong to that loop: a worker thread must
# hand its messages to it thread-safely rather than run a loop of its own.
_server_loop: asyncio.AbstractEventLoop | None = None


def attach_server_loop(loop: asyncio.AbstractEventLoop) -> None:
    global _server_loop
    _server_loop = loop


def execution_group(execution_id: Any) -> str:
    return f"execution-{execution_id}"


def machine_group(machine_id: Any) -> str:
    return f"machine-{machine_id}"


async def _send_all(messages: list[tuple[str, dict[str, Any]]]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    for group, message in messages:
        await layer.group_send(group, message)


def publish(
    execution_id: Any, machine_id: Any, events: Iterable[dict[str, Any]], summary: dict[str, Any]
) -> None:
    messages = [
        (execution_group(execution_id), {"type": "history.event", "event": event})
        for event in events
    ]
    messages.append((machine_group(machine_id), {"type": "execution.summary", "summary": summary}))
    try:
        loop = _server_loop
        if loop is not None and loop.is_running():
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if running is loop:
                loop.create_task(_send_all(messages))
            else:
                asyncio.run_coroutine_threadsafe(_send_all(messages), loop)
        else:
            async_to_sync(_send_all)(messages)
    except Exception:
        # Live events are a convenience on top of the stored history, which subscribers
        # re-read on connect: a broken layer must never fail the execution.
        log.exception("could not publish live events for execution %s", execution_id)
