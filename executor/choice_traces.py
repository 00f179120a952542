"""The Choice decision traces of an advance's events: for each Choice state entered, why it
went where it went (asl.choice_trace), stored as ChoiceTrace rows in the transaction that
stores the events, beside the AWS-shaped history rather than inside it."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from typing import Any

from asl.choice_trace import trace
from designer.models import StateMachineVersion
from executor.models import ChoiceTrace, Execution


@functools.lru_cache(maxsize=256)
def _choice_states(version_id: int) -> dict[str, tuple[Mapping[str, Any], bool]]:
    """Every Choice state of a version by name, inner ones included, with whether JSONata
    is its machine's (or branch's) query language. Versions never change: kept per process."""
    definition = StateMachineVersion.objects.get(pk=version_id).definition
    found: dict[str, tuple[Mapping[str, Any], bool]] = {}

    def walk(machine: Any, jsonata: bool) -> None:
        if not isinstance(machine, Mapping):
            return
        jsonata = machine.get("QueryLanguage", "JSONata" if jsonata else "") == "JSONata"
        for name, state in (machine.get("States") or {}).items():
            if not isinstance(state, Mapping):
                continue
            if state.get("Type") == "Choice":
                found.setdefault(name, (state, jsonata))
            for branch in state.get("Branches") or []:
                walk(branch, jsonata)
            walk(state.get("ItemProcessor") or state.get("Iterator"), jsonata)

    walk(definition, False)
    return found


def _events_entering_choices(events: list[dict[str, Any]]) -> Iterator[tuple[dict, dict]]:
    for event in events:
        if event.get("type") == "ChoiceStateEntered":
            yield event, event.get("stateEnteredEventDetails") or {}


def traces_for(execution: Execution, events: list[dict[str, Any]]) -> list[ChoiceTrace]:
    entered = list(_events_entering_choices(events))
    if not entered:
        return []  # most advances: no query, no work
    states = _choice_states(execution.version_id)
    traces = []
    for event, details in entered:
        name = details.get("name", "")
        if name not in states:
            continue
        state, jsonata = states[name]
        try:
            state_input = json.loads(details.get("input") or "null")
        except ValueError:
            state_input = None
        context = {
            "Execution": {"Name": execution.name, "Input": execution.input},
            "State": {"Name": name},
        }
        traces.append(
            ChoiceTrace(
                execution_id=execution.pk,
                event_id=event["id"],
                state_name=name,
                trace=trace(state, state_input, context, None, jsonata),
            )
        )
    return traces
