"""Waiting holds no worker: one worker process of concurrency 1 keeps running new work while
hundreds of executions sit in hour-long Waits, and a short Wait wakes on time."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from tests.durable.conftest import Deployment, create_machine, describe, history, start, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

HOUR_WAIT = {
    "StartAt": "Sleep",
    "States": {
        "Sleep": {"Type": "Wait", "Seconds": 3600, "Next": "Done"},
        "Done": {"Type": "Succeed"},
    },
}
THREE_STATES = {
    "StartAt": "One",
    "States": {
        "One": {"Type": "Pass", "Result": {"n": 1}, "Next": "Two"},
        "Two": {"Type": "Pass", "Parameters": {"n.$": "$.n", "two": True}, "Next": "Three"},
        "Three": {"Type": "Succeed"},
    },
}
TWO_SECOND_WAIT = {
    "StartAt": "Pause",
    "States": {
        "Pause": {"Type": "Wait", "Seconds": 2, "Next": "Done"},
        "Done": {"Type": "Succeed"},
    },
}


def seconds(timestamp: str) -> float:
    return dt.datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp()


def waiting(execution_ids: list[str]) -> bool:
    from executor.models import Execution

    rows = Execution.objects.filter(pk__in=execution_ids, wake_at__isnull=False)
    return rows.count() == len(execution_ids)


def test_it_runs_new_work_at_once_while_200_executions_wait_an_hour_on_one_worker_slot(
    deployment: Deployment,
) -> None:
    deployment.worker(concurrency=1)
    deployment.beat()
    api = deployment.web()
    create_machine(api, "HourWait", HOUR_WAIT)
    create_machine(api, "Quick", THREE_STATES)
    create_machine(api, "TwoSeconds", TWO_SECOND_WAIT)

    sleepers = [start(api, "HourWait") for _ in range(200)]
    wait_for(lambda: waiting(sleepers), "all 200 in their Wait", 60, deployment)

    began = time.monotonic()
    quick = start(api, "Quick")
    done = wait_for(
        lambda: (found := describe(api, quick))["status"] != "RUNNING" and found,
        "the 3-state execution finished",
        2,
        deployment,
    )
    assert time.monotonic() - began < 2
    assert (done["status"], done["output"]) == ("SUCCEEDED", {"n": 1, "two": True})

    pause = start(api, "TwoSeconds")
    wait_for(lambda: describe(api, pause)["status"] != "RUNNING", "the 2 s Wait over", 10)
    events = {event["type"]: event for event in history(api, pause)}
    waited = seconds(events["WaitStateExited"]["timestamp"]) - seconds(
        events["WaitStateEntered"]["timestamp"]
    )
    assert 1.5 <= waited <= 2.5, waited
    assert describe(api, pause)["status"] == "SUCCEEDED"
    # The hour-long Waits are still waiting, none woken early by the sweep.
    assert {describe(api, e)["status"] for e in sleepers[:20]} == {"RUNNING"}
