"""Runaway workflows on a real deployment (Celery prefork workers, beat, Daphne, PostgreSQL):
an endless loop makes visible progress, can be stopped and never holds a worker; a run that
kills or outlasts its worker is failed after three takeovers instead of being handed on
forever; a memory bomb fails its state instead of growing the worker; each prefork child
holds leases under its own name."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.durable.conftest import (
    TERMINAL,
    Deployment,
    create_machine,
    describe,
    history,
    start,
    wait_for,
)
from tests.runaway_definitions import LOOP

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:"
QUICK = {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}}


def task_machine(function: str) -> dict[str, Any]:
    return {
        "StartAt": "Work",
        "States": {"Work": {"Type": "Task", "Resource": LAMBDA + function, "End": True}},
    }


def finished(api: Any, execution_id: str) -> dict[str, Any] | None:
    found = describe(api, execution_id)
    return found if found["status"] in TERMINAL else None


def stored_events(execution_id: str) -> int:
    from executor.models import Execution

    return Execution.objects.get(pk=execution_id).last_event_id


def test_it_saves_an_endless_loop_as_it_goes_stops_it_and_serves_other_runs_meanwhile(
    deployment: Deployment,
) -> None:
    deployment.worker(concurrency=1)  # one worker process: the loop must not keep it
    deployment.beat()
    api = deployment.web()
    create_machine(api, "Loop", LOOP)
    create_machine(api, "Quick", QUICK)
    loop = start(api, "Loop")
    wait_for(lambda: stored_events(loop) > 5000, "the loop's events stored", 60, deployment)

    quick = start(api, "Quick")
    done = wait_for(lambda: finished(api, quick), "the quick run finished", 30, deployment)
    assert done["status"] == "SUCCEEDED"
    assert describe(api, loop)["status"] == "RUNNING"

    response = api.post(f"executions/{loop}/stop/", json={"error": "Halt", "cause": "enough"})
    assert response.status_code == 200, response.text
    stopped = wait_for(lambda: finished(api, loop), "the loop stopped", 30, deployment)
    assert (stopped["status"], stopped["error"]) == ("ABORTED", "Halt")
    events = history(api, loop)
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    assert events[-1]["type"] == "ExecutionAborted"


@pytest.mark.parametrize(
    ("function", "seconds"),
    [("die", 0), ("nap", 3600)],
    ids=["kills its worker", "outlasts its time limit"],
)
def test_it_fails_a_run_that_takes_its_worker_down_three_times(
    deployment: Deployment, function: str, seconds: float
) -> None:
    # A 2 s lease: the advance's hard time limit is 1.2 * 2 + 1 = 3.4 s.
    lease = {"EXECUTION_LEASE_SECONDS": "2"}
    deployment.worker(concurrency=2, **lease)
    deployment.beat(**lease)
    api = deployment.web(**lease)
    create_machine(api, "Runaway", task_machine(function))
    create_machine(api, "Quick", QUICK)
    runaway = start(api, "Runaway", {"seconds": seconds})
    failed = wait_for(lambda: finished(api, runaway), "the run failed", 90, deployment)
    assert (failed["status"], failed["error"]) == ("FAILED", "States.Runtime")
    assert failed["cause"] == (
        "The execution was stopped: its advance outlasted or killed its worker 3 times."
    )
    assert history(api, runaway)[-1]["type"] == "ExecutionFailed"
    # The workers are back, and serve the next run.
    quick = start(api, "Quick")
    done = wait_for(lambda: finished(api, quick), "the next run finished", 30, deployment)
    assert done["status"] == "SUCCEEDED"


def array_bomb(depth: int, fanout: int) -> str:
    """States.Array($.s, $.s, ...) nested: fanout**depth references to one string, which
    only take memory once the output is written out as JSON text."""
    text = "$.s"
    for _ in range(depth):
        text = f"States.Array({', '.join([text] * fanout)})"
    return text


def test_it_fails_a_state_that_runs_out_of_the_workers_memory_and_keeps_the_worker(
    deployment: Deployment,
) -> None:
    # 6 * 10**3 copies of 100,000 characters: 600 MB of JSON text, more than the 300 MB
    # the worker may use.
    bomb = f"States.Array({', '.join([array_bomb(3, 10)] * 6)})"
    definition = {
        "StartAt": "Bomb",
        "States": {"Bomb": {"Type": "Pass", "Parameters": {"b.$": bomb}, "End": True}},
    }
    worker = deployment.worker(concurrency=1, WORKER_MEMORY_LIMIT_MB="300")
    api = deployment.web()
    create_machine(api, "Bomb", definition)
    create_machine(api, "Quick", QUICK)
    bombed = start(api, "Bomb", {"s": "x" * 100_000})
    failed = wait_for(lambda: finished(api, bombed), "the bomb failed", 60, deployment)
    assert (failed["status"], failed["error"]) == ("FAILED", "States.Runtime")
    assert "more memory than the worker may use" in failed["cause"]
    quick = start(api, "Quick")
    assert wait_for(lambda: finished(api, quick), "the next run", 30, deployment)
    assert "WorkerLostError" not in worker.log()


def test_it_gives_each_prefork_child_its_own_lease_owner(deployment: Deployment) -> None:
    from executor.models import Execution

    deployment.worker(concurrency=2)
    api = deployment.web()
    create_machine(api, "Napping", task_machine("nap"))
    # A registered function runs inside the advance, under the lease: both children hold one.
    ids = [start(api, "Napping", {"seconds": 4}) for _ in range(2)]

    def owners() -> list[str] | None:
        found = list(Execution.objects.filter(pk__in=ids).values_list("lease_owner", flat=True))
        return found if all(found) else None

    held = wait_for(owners, "both runs leased at once", 30, deployment)
    assert len(set(held)) == 2, held
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not all(finished(api, i) for i in ids):
        time.sleep(0.2)
    assert [describe(api, i)["status"] for i in ids] == ["SUCCEEDED", "SUCCEEDED"]
