"""Activity long polls against a real Daphne on PostgreSQL and Redis: a waiting poll holds no
database connection, a user may hold only ACTIVITY_POLLS_PER_USER of them, and a new task
wakes a waiting poll at once."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from django.conf import settings

from designer.actions import create_state_machine
from tests import servers

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

POLLS_PER_USER = 8
ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:approvals"
WAITING = {
    "StartAt": "Work",
    "States": {"Work": {"Type": "Task", "Resource": ACTIVITY, "End": True}},
}


@pytest.fixture
def web(test_database_url: str) -> Iterator[str]:
    """A production web process with the default database pool (16 connections)."""
    port = servers.free_port()
    env = servers.environment(
        DATABASE_URL=test_database_url,
        REDIS_URL=settings.REDIS_URL,
        ACTIVITY_POLLS_PER_USER=str(POLLS_PER_USER),
    )
    with servers.start_daphne(port, env):
        yield f"http://127.0.0.1:{port}/api/v1/"


@pytest.fixture
def worker(test_database_url: str) -> Iterator[servers.Process]:
    env = servers.environment(DATABASE_URL=test_database_url, REDIS_URL=settings.REDIS_URL)
    with servers.start_celery_worker(env, concurrency=1) as process:
        yield process


def headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Token {token}"}


async def many_polls_and_a_quick_request(
    base: str, poller: str, other: str, polls: int
) -> tuple[list[httpx.Response], float, httpx.Response]:
    limits = httpx.Limits(max_connections=polls + 10, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        # Warm: the first request of a new process imports and builds what later ones reuse.
        assert (await client.get("state-machines/", headers=headers(other))).status_code == 200
        waiting = [
            asyncio.create_task(
                client.post(
                    "activities/approvals/tasks/", json={"wait": 8}, headers=headers(poller)
                )
            )
            for _ in range(polls)
        ]
        # Until the excess has been answered (at most 4 s): the allowed polls are then waiting.
        give_up = time.monotonic() + 4
        while sum(w.done() for w in waiting) < polls - POLLS_PER_USER:
            if time.monotonic() > give_up:
                break
            await asyncio.sleep(0.05)
        assert not any(w.done() and w.result().status_code == 200 for w in waiting)
        started = time.monotonic()
        quick = await client.get("state-machines/", headers=headers(other))
        took = time.monotonic() - started
        return list(await asyncio.gather(*waiting)), took, quick


def test_it_answers_another_user_at_once_while_one_user_holds_200_polls(
    web: str, token: str, outsider_token: str
) -> None:
    responses, took, quick = asyncio.run(
        many_polls_and_a_quick_request(web, token, outsider_token, 200)
    )

    statuses = Counter(r.status_code for r in responses)
    assert set(statuses) <= {200, 429}, statuses
    assert statuses[200] == POLLS_PER_USER, statuses
    refused = next(r for r in responses if r.status_code == 429).json()
    assert (
        refused["code"] == "ThrottlingException" and "ACTIVITY_POLLS_PER_USER" in refused["message"]
    )
    assert quick.status_code == 200
    assert took < 1, f"another user's request took {took:.2f} s"


def test_it_hands_a_new_task_to_a_waiting_poll_at_once(
    web: str, worker: servers.Process, user: Any, token: str
) -> None:
    create_state_machine("Approvals", WAITING, owner=user)

    async def poll_then_start() -> tuple[httpx.Response, float]:
        async with httpx.AsyncClient(base_url=web, timeout=60, headers=headers(token)) as client:
            waiting = asyncio.create_task(
                client.post("activities/approvals/tasks/", json={"wait": 30})
            )
            await asyncio.sleep(1)  # the poll has checked once and sleeps
            started = time.monotonic()
            created = await client.post(
                "state-machines/Approvals/executions/", json={"input": {"n": 1}}
            )
            assert created.status_code == 201, created.text
            answer = await waiting
            return answer, time.monotonic() - started

    answer, took = asyncio.run(poll_then_start())

    assert answer.status_code == 200 and answer.json()["input"] == {"n": 1}
    # Well under the coarse re-check (5 s): the runner's announcement woke the poll.
    assert took < 2, f"the task reached the waiting poll after {took:.2f} s\n{worker.log_tail()}"


def test_it_gives_back_the_slot_of_a_poll_whose_worker_went_away(web: str, token: str) -> None:
    async def abandon_polls_then_poll() -> httpx.Response:
        for _ in range(2):  # twice the limit's worth of polls, abandoned in two rounds
            async with httpx.AsyncClient(base_url=web, timeout=60, headers=headers(token)) as gone:
                polls = [
                    asyncio.create_task(gone.post("activities/approvals/tasks/", json={"wait": 30}))
                    for _ in range(POLLS_PER_USER)
                ]
                await asyncio.sleep(1)
                for poll in polls:
                    poll.cancel()
                await asyncio.gather(*polls, return_exceptions=True)
        await asyncio.sleep(1)  # the server notices the closed connections
        async with httpx.AsyncClient(base_url=web, timeout=60, headers=headers(token)) as client:
            return await client.post("activities/approvals/tasks/", json={"wait": 0})

    answer = asyncio.run(abandon_polls_then_poll())

    assert answer.status_code == 200, answer.text
