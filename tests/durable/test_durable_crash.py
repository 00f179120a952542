"""A worker killed with SIGKILL at random moments loses no execution and records nothing twice:
its leases expire, the sweep (Celery beat) hands the runs to the restarted worker, which redoes
the unfinished advances from their last checkpoint."""

from __future__ import annotations

import random
import time
from collections import Counter
from typing import Any

import pytest

from tests.durable.conftest import (
    Deployment,
    all_finished,
    create_machine,
    history,
    start,
    statuses,
    stuck,
    wait_for,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

STEPS = 20
EXECUTIONS = 200
KILLS = 5
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:slow-increment"


def counting_machine() -> dict[str, Any]:
    names = [f"Step{i:02}" for i in range(1, STEPS + 1)]
    states: dict[str, Any] = {}
    for name, following in zip(names, [*names[1:], None], strict=True):
        states[name] = {
            "Type": "Task",
            "Resource": FUNCTION,
            **({"Next": following} if following else {"End": True}),
        }
    return {"StartAt": names[0], "States": states}


def test_it_finishes_every_execution_exactly_once_although_its_worker_is_killed_five_times(
    deployment: Deployment,
) -> None:
    seed = random.randrange(1 << 30)
    chance = random.Random(seed)
    lease = {"EXECUTION_LEASE_SECONDS": "3"}
    worker = deployment.worker(concurrency=8, **lease)
    deployment.beat(**lease)
    api = deployment.web(**lease)
    create_machine(api, "Counting", counting_machine())
    ids = [start(api, "Counting", {"run": i, "count": 0}) for i in range(EXECUTIONS)]

    kills = []
    for _ in range(KILLS):
        time.sleep(chance.uniform(0.5, 4.0))
        done = Counter(statuses(ids).values())["SUCCEEDED"]
        kills.append(done)
        deployment.kill(worker)
        worker = deployment.worker(concurrency=8, **lease)
    wait_for(
        lambda: all_finished(ids), "every execution finished", 240, deployment, lambda: stuck(ids)
    )
    print(f"seed {seed}: killed with {kills} of {EXECUTIONS} executions done")
    assert kills[0] < EXECUTIONS, "the first kill came after the work was over"

    for run, execution_id in enumerate(ids):
        found = api.get(f"executions/{execution_id}/").json()
        assert (found["status"], found["output"]) == ("SUCCEEDED", {"run": run, "count": STEPS})
        events = history(api, execution_id)
        assert [e["id"] for e in events] == list(range(1, len(events) + 1))
        exited = Counter(
            e["stateExitedEventDetails"]["name"] for e in events if e["type"] == "TaskStateExited"
        )
        assert exited == Counter({f"Step{i:02}": 1 for i in range(1, STEPS + 1)})
        assert sum(e["type"] == "LambdaFunctionSucceeded" for e in events) == STEPS
        assert [e["type"] for e in events].count("ExecutionSucceeded") == 1
