"""When an execution may be redriven (AWS RedriveExecution), in one place for every driver.

AWS continues a STANDARD execution that FAILED, TIMED_OUT or ABORTED from the step that did
not succeed, for 14 days after it stopped and at most 1,000 times; any other request is
refused with ExecutionNotRedrivable and a reason.  How the stepper continues is
``asl.interpreter.Execution.redrive``; this module only decides whether it may.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from asl.limits import MAX_REDRIVES

REDRIVABLE_STATUSES = ("FAILED", "TIMED_OUT", "ABORTED")
REDRIVE_PERIOD = timedelta(days=14)


class NotRedrivable(Exception):
    """AWS's ExecutionNotRedrivable; the message is the reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def refusal(
    status: str,
    stopped_at: datetime | None,
    redrive_count: int | None,
    now: datetime,
    has_redrive_point: bool,
) -> str | None:
    """Why an execution cannot be redriven now, or None when it can.

    ``redrive_count`` is None for executions that report none (EXPRESS ones);
    ``has_redrive_point`` says whether the checkpoint recorded where to continue from."""
    if redrive_count is None:
        return "Express executions cannot be redriven."
    if status not in REDRIVABLE_STATUSES:
        return f"Execution is {status} and cannot be redriven."
    if stopped_at is not None and now - stopped_at > REDRIVE_PERIOD:
        return (
            f"Execution redrivable period exceeded: it stopped more than "
            f"{REDRIVE_PERIOD.days} days ago."
        )
    if redrive_count >= MAX_REDRIVES:
        return f"Execution has been redriven {MAX_REDRIVES} times, the most allowed."
    if not has_redrive_point:
        return "Execution stopped without a record of the step to continue from."
    return None
