"""A broker restart delays work but loses none: every message in Redis is gone after it (no
persistence), and the sweep re-creates what the database says should be moving."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable

import pytest
import websockets

from tests.durable.conftest import (
    Deployment,
    all_finished,
    create_machine,
    describe,
    start,
    statuses,
    stuck,
    wait_for,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

EXECUTIONS = 100
INCREMENT = "arn:aws:lambda:us-east-1:123456789012:function:slow-increment"
# Waits (broker countdowns), a fan-out (one Celery task per branch) and inline functions: every
# kind of message the runner sends is in flight when the broker goes away.
MACHINE = {
    "StartAt": "Settle",
    "States": {
        "Settle": {"Type": "Wait", "Seconds": 1, "Next": "Both"},
        "Both": {
            "Type": "Parallel",
            "Branches": [
                {
                    "StartAt": "Left",
                    "States": {"Left": {"Type": "Task", "Resource": INCREMENT, "End": True}},
                },
                {
                    "StartAt": "Right",
                    "States": {"Right": {"Type": "Task", "Resource": INCREMENT, "End": True}},
                },
            ],
            "OutputPath": "$[0]",
            "Next": "Rest",
        },
        "Rest": {"Type": "Wait", "Seconds": 1, "Next": "Last"},
        "Last": {"Type": "Task", "Resource": INCREMENT, "End": True},
    },
}


def test_it_finishes_all_100_executions_although_redis_restarts_in_the_middle(
    deployment: Deployment,
) -> None:
    deployment.worker(concurrency=4)
    deployment.beat()
    api = deployment.web()
    create_machine(api, "Restarted", MACHINE)
    ids = [start(api, "Restarted", {"count": 0}) for _ in range(EXECUTIONS)]
    time.sleep(1.0)

    deployment.redis.restart()
    running = list(statuses(ids).values()).count("RUNNING")
    assert running > 0, "everything finished before the restart: nothing was tested"

    wait_for(
        lambda: all_finished(ids),
        "every execution finished",
        120,
        deployment,
        lambda: stuck(ids),
    )
    print(f"{running} of {EXECUTIONS} executions were running when Redis restarted")
    for execution_id in ids:
        found = describe(api, execution_id)
        assert found["status"] == "SUCCEEDED", found
        assert found["output"] == {"count": 2}


async def receive_success(url: str, start_one: Callable[[], str]) -> None:
    """Follows a machine's execution list while ``start_one`` starts an execution; returns
    once that execution's SUCCEEDED summary has arrived."""
    async with asyncio.timeout(60), websockets.connect(url) as socket:
        await asyncio.sleep(0.5)  # the group subscription is in place
        wanted = await asyncio.to_thread(start_one)
        while True:
            summary = json.loads(await socket.recv())
            if (summary["id"], summary["status"]) == (wanted, "SUCCEEDED"):
                return


def test_it_streams_live_events_again_after_redis_restarts(deployment: Deployment) -> None:
    # Live events go over Redis pub/sub: the web process and the workers must reconnect and
    # subscribe again on their own.
    deployment.worker()
    api = deployment.web()
    create_machine(
        api, "Watched", {"StartAt": "Only", "States": {"Only": {"Type": "Pass", "End": True}}}
    )
    url = f"ws://{deployment.address}/ws/state-machines/Watched/?token={deployment.api_key}"
    asyncio.run(receive_success(url, lambda: start(api, "Watched")))

    deployment.redis.restart()
    asyncio.run(receive_success(url, lambda: start(api, "Watched")))
