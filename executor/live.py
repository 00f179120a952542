"""The one place that publishes live events to WebSocket subscribers.

The history events an advance committed go, as one message, to the channel group of its
execution; a summary of the execution goes to the group of its state machine (for execution
lists). Called only after the events' transaction has committed, so a subscriber that reads
the history from the database and then listens can never see an event that is later rolled
back.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import threading
from collections.abc import Iterable
from typing import Any

from channels.layers import get_channel_layer

log = logging.getLogger(__name__)

# The event loop of the web server, when the worker runs inside the web process (embedded
# default). The in-memory channel layer's queues belong to that loop: a worker thread must
# hand its messages to it thread-safely rather than run a loop of its own.
_server_loop: asyncio.AbstractEventLoop | None = None

# Elsewhere (a Celery worker process) there is no loop to borrow. async_to_sync would make a
# new loop for every publish, and channels_redis a new Redis connection for every loop: a
# connection set up and torn down on each advance, the largest part of the live latency on
# Redis. One loop per process, in a daemon thread, keeps the layer's connections open.
_publisher: tuple[int, asyncio.AbstractEventLoop] | None = None
_publisher_lock = threading.Lock()
PUBLISH_TIMEOUT_SECONDS = 10


def _publisher_loop() -> asyncio.AbstractEventLoop:
    global _publisher
    with _publisher_lock:
        # Keyed by pid: a forked pool process inherits the variable but not the thread.
        if _publisher is None or _publisher[0] != os.getpid():
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="live-publisher", daemon=True).start()
            _publisher = (os.getpid(), loop)
        return _publisher[1]


def attach_server_loop(loop: asyncio.AbstractEventLoop) -> None:
    global _server_loop
    _server_loop = loop


def execution_group(execution_id: Any) -> str:
    return f"execution-{execution_id}"


def machine_group(machine_id: Any) -> str:
    return f"machine-{machine_id}"


# Every approvals inbox listens here; each consumer keeps the news of machines its user operates.
APPROVALS_GROUP = "approvals"

# Every summary also goes here, for the executions page across machines; its consumer passes
# on only those of machines its user may view.
ALL_EXECUTIONS_GROUP = "executions"


def activity_group(activity: str) -> str:
    # Activity names may hold characters a group name may not: a digest keeps it valid.
    return f"activity-{hashlib.sha256(activity.encode()).hexdigest()[:40]}"


async def _send_all(messages: list[tuple[str, dict[str, Any]]]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    for group, message in messages:
        await layer.group_send(group, message)


def publish(
    execution_id: Any, machine_id: Any, events: Iterable[dict[str, Any]], summary: dict[str, Any]
) -> None:
    # One message for all the events of an advance: a channel-layer send costs Redis round
    # trips, and one per event made a 20-state run spend most of its advance publishing.
    batch = list(events)
    messages: list[tuple[str, dict[str, Any]]] = (
        [(execution_group(execution_id), {"type": "history.events", "events": batch})]
        if batch
        else []
    )
    messages.append((machine_group(machine_id), {"type": "execution.summary", "summary": summary}))
    messages.append(
        (
            ALL_EXECUTIONS_GROUP,
            {"type": "execution.summary", "summary": summary, "machine_id": machine_id},
        )
    )
    _deliver(messages, f"execution {execution_id}")


def publish_activity_task(activity: str) -> None:
    """Wakes the workers long-polling ``activity``: a new task of it was committed."""
    _deliver([(activity_group(activity), {"type": "activity.task"})], f"activity {activity}")


def publish_approvals_changed(machine_id: Any) -> None:
    """Tells the approvals inboxes that a machine's waiting task tokens changed (one was
    issued, answered or cancelled): they fetch their list again."""
    message = {"type": "approvals.changed", "machine": machine_id}
    _deliver([(APPROVALS_GROUP, message)], f"approvals of machine {machine_id}")


def _deliver(messages: list[tuple[str, dict[str, Any]]], what: str) -> None:
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
            future = asyncio.run_coroutine_threadsafe(_send_all(messages), _publisher_loop())
            future.result(PUBLISH_TIMEOUT_SECONDS)
    except Exception:
        # Live events are a convenience on top of the stored history, which subscribers
        # re-read on connect: a broken layer must never fail the execution.
        log.exception("could not publish live events for %s", what)
