"""Why each Choice state of a run went where it went (asl.choice_trace), worked out when asked.

A trace depends only on the Choice's definition, the input its ChoiceStateEntered event
recorded and the execution's name and input, all of which are stored already. Working it out
on read costs the runner nothing: storing it beside the history cost every advance that
entered a Choice a row and an evaluation (a sixth of a 20-state advance's CPU)."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

from asl.choice_trace import trace
from asl.jsonpath import JSON
from designer.models import StateMachineVersion
from executor.models import Execution, HistoryEvent

PAGE_MAX = 1000


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


def traces(execution: Execution, after: int = 0, limit: int = PAGE_MAX) -> list[dict[str, Any]]:
    """The traces of the Choices entered after event ``after``, in order, at most ``limit``."""
    entered = (
        HistoryEvent.objects.filter(
            execution=execution, type="ChoiceStateEntered", event_id__gt=after
        )
        .order_by("event_id")
        .values_list("event_id", "details")[:limit]
    )
    states = _choice_states(execution.version_id)
    found = []
    for event_id, details in entered:
        name = details.get("name", "")
        if name not in states:
            continue
        state, jsonata = states[name]
        try:
            state_input = json.loads(details.get("input") or "null")
        except ValueError:
            state_input = None
        context: JSON = {
            "Execution": {"Name": execution.name, "Input": execution.input},
            "State": {"Name": name},
        }
        found.append(
            {
                "event_id": event_id,
                "state_name": name,
                "trace": trace(state, state_input, context, None, jsonata),
            }
        )
    return found
