"""WebSocket of the approvals inbox and the header's badge: a nudge whenever the waiting task
tokens of a machine the user operates change. The client then fetches its list (or count)
again over REST, which applies every rule of who may answer what; the nudge carries nothing."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from channels.db import database_sync_to_async

from designer import roles
from executor import live
from executor.consumers import CLOSE_UNAUTHENTICATED, LiveConsumer


@database_sync_to_async
def operated_machines(user: Any) -> set[int]:
    return set(roles.machines_for(user, "operate").values_list("pk", flat=True))


# How often a socket may look again at which machines its user operates.
RECHECK_SECONDS = 10.0


class ApprovalsConsumer(LiveConsumer):
    machines: set[int]
    checked_at = 0.0

    async def connect(self) -> None:
        live.attach_server_loop(asyncio.get_running_loop())
        user = self.scope.get("user")
        await self.accept()
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.machines = await operated_machines(user)
        self.checked_at = time.monotonic()
        await self.join(live.APPROVALS_GROUP)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        pass  # one-way

    async def approvals_changed(self, message: dict[str, Any]) -> None:
        machine = message.get("machine")
        if machine not in self.machines:
            # A machine made, or a role granted, since the socket opened: look again (not at
            # every nudge of machines the user will never operate).
            if time.monotonic() - self.checked_at < RECHECK_SECONDS:
                return
            self.machines = await operated_machines(self.scope["user"])
            self.checked_at = time.monotonic()
            if machine not in self.machines:
                return
        await self.send_json({"changed": True})
