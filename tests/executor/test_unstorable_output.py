"""A state whose output the database cannot store fails the run instead of leaving it stuck."""

from __future__ import annotations

from typing import Any

import pytest

from executor import runner
from executor.actions import start_execution
from executor.models import Execution

pytestmark = pytest.mark.django_db

NUL_OUTPUT = {
    "StartAt": "Decode",
    "States": {
        "Decode": {
            "Type": "Pass",
            "Parameters": {"text.$": "States.Base64Decode('AA==')"},
            "End": True,
        }
    },
}


def test_it_fails_a_run_whose_state_produced_u0000_on_postgresql(
    production_services: None, make_machine: Any
) -> None:
    execution = start_execution(make_machine("Decoder", NUL_OUTPUT), {}, enqueue=False)
    runner.advance(execution.pk)
    execution = Execution.objects.get(pk=execution.pk)
    assert (execution.status, execution.error) == ("FAILED", "States.Runtime")
    assert "U+0000" in execution.cause
    events = list(execution.events.values_list("event_id", "type"))
    assert events == [(1, "ExecutionFailed")]
    assert (execution.lease_owner, execution.last_event_id) == ("", 1)


LONE_SURROGATE_OUTPUT = {
    "StartAt": "Parse",
    "States": {
        "Parse": {
            "Type": "Pass",
            # JSON text with an escaped lone surrogate parses to a Python string holding it.
            "Parameters": {"text.$": "States.StringToJson('\"\\\\ud800\"')"},
            "End": True,
        }
    },
}


def test_it_fails_a_run_whose_state_produced_a_lone_surrogate_on_every_database(
    make_machine: Any, api: Any
) -> None:
    machine = make_machine("Surrogates", LONE_SURROGATE_OUTPUT)
    execution = start_execution(machine, {}, enqueue=False)
    runner.advance(execution.pk)
    execution = Execution.objects.get(pk=execution.pk)
    assert (execution.status, execution.error) == ("FAILED", "States.Runtime")
    assert "lone surrogate" in execution.cause
    assert list(execution.events.values_list("type", flat=True)) == ["ExecutionFailed"]
    # What was stored can be read back and rendered, for its owner and everyone else.
    listing = api.get(f"/api/v1/state-machines/{machine.name}/executions/")
    assert listing.status_code == 200
    assert listing.json()["executions"][0]["status"] == "FAILED"
    assert api.get(f"/api/v1/executions/{execution.pk}/history/").status_code == 200
