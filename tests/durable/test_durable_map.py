"""A Map over 10,000 items, 100 at a time, spread over two worker processes: each iteration's
Task is a Celery task, each answer advances the execution, and the workers' memory stays flat."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests import servers
from tests.durable.conftest import Deployment, create_machine, describe, history, start, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ITEMS = int(os.environ.get("DURABLE_MAP_ITEMS", "10000"))
SQUARE = "arn:aws:lambda:us-east-1:123456789012:function:square"
MACHINE = {
    "StartAt": "Each",
    "States": {
        "Each": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "MaxConcurrency": 100,
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "Square",
                "States": {"Square": {"Type": "Task", "Resource": SQUARE, "End": True}},
            },
            "End": True,
        }
    },
}


def family(pid: int) -> list[int]:
    """The process and all its descendants (Celery's pool children)."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found += family(int(child))
    return found


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmHWM for process {pid}")


def peaks(worker: servers.Process) -> dict[int, float]:
    return {pid: peak_rss_mb(pid) for pid in family(worker.popen.pid)}


def test_it_maps_10000_items_100_at_a_time_over_two_workers(deployment: Deployment) -> None:
    workers = [deployment.worker(concurrency=2), deployment.worker(concurrency=2)]
    deployment.beat()
    api = deployment.web()
    create_machine(api, "Squares", MACHINE)
    began = time.monotonic()
    execution_id = start(api, "Squares", {"items": list(range(ITEMS))})

    wait_for(
        lambda: describe(api, execution_id)["status"] != "RUNNING",
        "the Map finished",
        280,
        deployment,
    )
    took = time.monotonic() - began
    found = describe(api, execution_id)
    assert found["status"] == "SUCCEEDED", found
    assert found["output"] == [i * i for i in range(ITEMS)]
    events = history(api, execution_id)
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    assert sum(e["type"] == "MapIterationSucceeded" for e in events) == ITEMS
    memory = [peaks(worker) for worker in workers]
    for number, worker in enumerate(memory, 1):
        described = ", ".join(f"pid {pid}: {mb:.0f} MB" for pid, mb in worker.items())
        print(f"worker {number} peak RSS (VmHWM): {described}")
    print(f"{ITEMS} items in {took:.1f} s ({ITEMS / took:.0f} items/s), {len(events)} events")
    # Every process of both workers took part in the Map: it was spread, not run in one.
    assert all(mb < 500 for worker in memory for mb in worker.values()), memory
