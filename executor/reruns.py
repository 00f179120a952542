"""Rerun from here: a new execution of a finished run's machine that begins at one of its
top-level states, with the input that state received (or an edited one).

The new run is an ordinary execution of a version (the same one, or the latest) that the
runner enters at ``start_at`` instead of the definition's StartAt; it records the run it
came from, so each links to the other. Where AWS's redrive only restarts failures, this
restarts anywhere.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from designer.actions import ActionError
from executor import actions
from executor.models import Execution, HistoryEvent


def top_level_states(definition: Any) -> list[str]:
    states = definition.get("States") if isinstance(definition, dict) else None
    return list(states) if isinstance(states, dict) else []


def rerun_from(
    execution: Execution,
    state: Any,
    input: Any,
    user: Any = None,
    name: Any = None,
    latest: bool = False,
) -> Execution:
    if not execution.is_finished:
        raise ActionError(
            "Only a finished run can be rerun from a state; stop this one first.",
            status=409,
            code="ExecutionNotFinished",
        )
    machine = execution.state_machine
    version = machine.latest_version_reference() if latest else execution.version
    if not isinstance(state, str) or state not in top_level_states(version.definition):
        raise ActionError(
            f"state must name a top-level state of version {version.number}.", field="state"
        )
    from executor import tasks

    # One transaction: a run is never started without the link that makes it a rerun.
    with transaction.atomic():
        rerun = actions.start_execution(
            machine, input, name=name, user=user, enqueue=False, version=version
        )
        rerun.rerun_of, rerun.start_at = execution, state
        rerun.save(update_fields=["rerun_of", "start_at"])
        tasks.advance.delay_on_commit(str(rerun.pk))
    return rerun


def visits(execution: Execution, state: Any) -> QuerySet[HistoryEvent]:
    """Each time a top-level state was entered (its StateEntered events, without their
    details), to rerun from one visit of a state the run looped through. A visit's input is in
    its event, which the history gives by id: the list stays small however large the inputs."""
    definition = execution.version.definition
    if not isinstance(state, str) or state not in top_level_states(definition):
        raise ActionError("state must name a top-level state of this run's version.", field="state")
    # Names are unique in the whole machine, so the name and type find the state's own events.
    entered = f"{definition['States'][state].get('Type')}StateEntered"
    return execution.events.filter(type=entered, details__name=state).only("event_id", "timestamp")


def links(execution: Execution) -> dict[str, Any]:
    """Where a run came from and the reruns made from it, for the run view's links."""
    source = execution.rerun_of
    return {
        "startAt": execution.start_at or None,
        "rerunOf": ({"id": str(source.pk), "name": source.name} if source is not None else None),
        "reruns": [
            {"id": str(r.pk), "name": r.name, "startAt": r.start_at, "status": r.status}
            for r in execution.reruns.order_by("-start_date")[:50]
        ],
    }
