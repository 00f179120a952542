"""What an EXPRESS workflow may not use, which CreateStateMachine refuses for ``type=EXPRESS``.

"Express Workflows only support Request Response integrations": no Run a Job (``.sync``), no
Wait for Callback (``.waitForTaskToken``)
(https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html), and no
activities (https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html).
The same holds inside a Distributed Map whose child workflows run as EXPRESS
(``ProcessorConfig.ExecutionType``), whatever the parent's type.

The walk runs after the structural checks and only looks at what they accepted: anything of
the wrong shape has been reported already.
"""

from __future__ import annotations

from typing import Any

from asl import task_resources
from asl.map_processor import is_distributed, processor_field
from asl.validate_report import Report, pointer, quote

EXPRESS = "EXPRESS"
STANDARD = "STANDARD"
MACHINE_TYPES = (STANDARD, EXPRESS)


def _pattern(resource: str) -> str | None:
    """What an EXPRESS workflow cannot run in this Task resource, in words, or None."""
    if task_resources.activity_name(resource) is not None:
        return "an activity"
    if not resource.startswith("arn:"):
        return None  # Statecraft's own resources (celery:send_task) have no patterns here
    kind = task_resources.pattern(resource)
    if kind == "wait_for_task_token":
        return "the Wait for Callback pattern (.waitForTaskToken)"
    if kind == "sync":
        return "the Run a Job pattern (.sync)"
    return None


def check_express(report: Report, definition: dict[str, Any], machine_type: str) -> None:
    # (machine, location, runs as EXPRESS): iterative, as the nesting may be deep.
    pending: list[tuple[Any, str, bool]] = [(definition, "", machine_type == EXPRESS)]
    while pending:
        machine, loc, express = pending.pop()
        states = machine.get("States") if isinstance(machine, dict) else None
        if not isinstance(states, dict):
            continue
        for name, state in states.items():
            if not isinstance(state, dict) or not isinstance(name, str):
                continue
            here = pointer(loc, "States", name)
            kind = state.get("Type")
            resource = state.get("Resource")
            if kind == "Task" and express and isinstance(resource, str):
                pattern = _pattern(resource)
                if pattern is not None:
                    report.add(
                        "NOT_IN_EXPRESS",
                        f"State {quote(name)} uses {pattern}, which an EXPRESS workflow cannot "
                        "run; only request-response calls are allowed. Make the state machine "
                        "STANDARD, or call the service without waiting.",
                        pointer(here, "Resource"),
                    )
            elif kind == "Parallel" and isinstance(state.get("Branches"), list):
                for index, branch in enumerate(state["Branches"]):
                    pending.append((branch, pointer(here, "Branches", index), express))
            elif kind == "Map":
                key = processor_field(state)
                processor = state.get(key)
                if isinstance(processor, dict):
                    config = processor.get("ProcessorConfig")
                    child_type = config.get("ExecutionType") if isinstance(config, dict) else None
                    child_express = (
                        (child_type == EXPRESS) if is_distributed(processor) else express
                    )
                    pending.append((processor, pointer(here, key), child_express))
