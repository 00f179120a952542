"""WebSocket consumer streaming an execution's history: stored events first, then live ones.

The consumer joins the execution's group *before* reading the stored history, so an event
committed meanwhile arrives live; events are sent in id order, each exactly once (anything at
or below the last id sent is dropped; a gap is filled from the database). Stored events are
read a page at a time: a run with a million events must not hold the process's one sync
thread (every quick request's) nor its event loop (every other socket's) while it is sent.

Someone who may not view a run or machine gets the close code of one that does not exist.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import ValidationError
from redis.exceptions import ConnectionError as RedisConnectionError

from designer import roles
from designer.models import StateMachine
from executor import live
from executor.models import Execution, HistoryEvent, aws_event, json_timestamp

# Close codes (4000-4999 are for applications).
CLOSE_UNAUTHENTICATED = 4401
CLOSE_NOT_FOUND = 4404
CLOSE_BAD_REQUEST = 4400
# Stored events read per query: a few milliseconds of the sync thread and the event loop.
HISTORY_PAGE = 500


@database_sync_to_async
def find_execution(user: Any, execution_id: str) -> Execution | None:
    """The execution, if it exists and ``user`` may view it."""
    try:
        execution = Execution.objects.select_related("state_machine").get(pk=execution_id)
    except (Execution.DoesNotExist, ValidationError, ValueError):
        return None
    return execution if roles.may(user, "view", execution.state_machine) else None


# In a thread of the pool, not the process's one sync thread: the quick requests queued on
# that thread would otherwise wait behind every page.
def _events_page(execution_id: Any, after: int, before: int | None = None) -> list[dict]:
    """Up to HISTORY_PAGE stored events after ``after`` (and before ``before``), in order."""
    # Ids are numbered 1..n without gaps, so a page is a range of ids: the index answers it
    # at once whatever the planner believes (a plain LIMIT, on the statistics of a table
    # that had just grown, sorted every event after ``after`` for each page: 0.2 s a page).
    last = after + HISTORY_PAGE if before is None else min(after + HISTORY_PAGE, before - 1)
    rows = HistoryEvent.objects.filter(
        execution_id=execution_id, event_id__gt=after, event_id__lte=last
    )
    # Tuples, not model instances: a third of the time of a page.
    columns = rows.order_by("event_id").values_list(
        "event_id", "previous_event_id", "type", "timestamp", "details_key", "details"
    )
    return [
        aws_event(event_id, previous, type, json_timestamp(timestamp), key, details)
        for event_id, previous, type, timestamp, key, details in columns
    ]


events_page = database_sync_to_async(_events_page, thread_sensitive=False)


class LiveConsumer(AsyncJsonWebsocketConsumer):
    """What both live streams share: one channel-layer group, joined after the checks pass."""

    group = ""

    async def join(self, group: str) -> None:
        self.group = group
        try:
            await self.channel_layer.group_add(group, self.channel_name)
        except RedisConnectionError:
            # After Redis restarts, the layer's subscribing connection fails once, then opens
            # again and subscribes to every group anew.
            await self.channel_layer.group_add(group, self.channel_name)

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Channels hops to the sync thread to close stale database connections before every
        # message. These consumers reach the database only through database_sync_to_async,
        # which does that itself; a hop per live event made events wait behind requests.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)


class ExecutionConsumer(LiveConsumer):
    last_sent = 0

    async def connect(self) -> None:
        live.attach_server_loop(asyncio.get_running_loop())
        user = self.scope.get("user")
        execution_id = self.scope["url_route"]["kwargs"]["execution_id"]
        await self.accept()
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        query = parse_qs(self.scope.get("query_string", b"").decode())
        try:
            self.last_sent = int((query.get("after") or ["0"])[0])
        except ValueError:
            await self.close(code=CLOSE_BAD_REQUEST)
            return
        execution = await find_execution(user, execution_id)
        if execution is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.execution_id = execution.pk
        await self.join(live.execution_group(execution.pk))
        await self._send_stored()

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        pass  # the stream is one-way; clients resume with ?after=N after reconnecting

    async def history_events(self, message: dict[str, Any]) -> None:
        for event in message["events"]:
            await self._deliver(event)

    async def history_event(self, message: dict[str, Any]) -> None:
        await self._deliver(message["event"])

    async def _deliver(self, event: dict[str, Any]) -> None:
        if event["id"] <= self.last_sent:
            return
        if event["id"] > self.last_sent + 1:
            await self._send_stored(before=event["id"])
        await self._send_event(event)

    async def _send_stored(self, before: int | None = None) -> None:
        """The stored events after the last one sent (and before ``before``), page by page;
        each await of a page lets other requests and sockets have their turn."""
        while True:
            page = await events_page(self.execution_id, self.last_sent, before)
            for event in page:
                await self._send_event(event)
            if len(page) < HISTORY_PAGE:
                return

    async def _send_event(self, event: dict[str, Any]) -> None:
        await self.send_json(event)
        self.last_sent = event["id"]


@database_sync_to_async
def find_machine(user: Any, name: str) -> StateMachine | None:
    """The state machine, if it exists and ``user`` may view it."""
    machine = StateMachine.objects.filter(name=name).first()
    return machine if machine is not None and roles.may(user, "view", machine) else None


class StateMachineConsumer(LiveConsumer):
    """Streams a summary (id, name, status, times) of each of a machine's executions whenever
    it changes, for live execution lists."""

    async def connect(self) -> None:
        live.attach_server_loop(asyncio.get_running_loop())
        user = self.scope.get("user")
        await self.accept()
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        machine = await find_machine(user, self.scope["url_route"]["kwargs"]["name"])
        if machine is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        await self.join(live.machine_group(machine.pk))

    async def execution_summary(self, message: dict[str, Any]) -> None:
        await self.send_json(message["summary"])


@database_sync_to_async
def may_view_machine(user: Any, machine_id: Any) -> bool:
    machine = StateMachine.objects.filter(pk=machine_id).first()
    return machine is not None and roles.may(user, "view", machine)


class AllExecutionsConsumer(LiveConsumer):
    """Streams the summary of every execution ``user`` may view whenever it changes, across
    machines, for the executions page. Which machines those are is asked once per machine
    and kept for a short while, so a grant or a revoke takes effect within it."""

    VISIBILITY_SECONDS = 30.0

    async def connect(self) -> None:
        live.attach_server_loop(asyncio.get_running_loop())
        self.user = self.scope.get("user")
        await self.accept()
        if self.user is None or not self.user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.visible: dict[Any, tuple[bool, float]] = {}
        await self.join(live.ALL_EXECUTIONS_GROUP)

    async def execution_summary(self, message: dict[str, Any]) -> None:
        machine_id = message.get("machine_id")
        now = asyncio.get_running_loop().time()
        known = self.visible.get(machine_id)
        if known is None or known[1] < now:
            allowed = await may_view_machine(self.user, machine_id)
            self.visible[machine_id] = (allowed, now + self.VISIBILITY_SECONDS)
        if self.visible[machine_id][0]:
            await self.send_json(message["summary"])
