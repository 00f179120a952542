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
