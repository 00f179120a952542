"""A machine's sample input: the one home of what may be stored as one, and of storing it."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings

from designer.actions import ActionError, check_storable
from designer.models import StateMachine


def check_sample(sample: Any, field: str = "input") -> None:
    """A sample must be something a run could start with: storable text, within the payload
    limit a run's input has (settings.PAYLOAD_LIMIT_BYTES, 256 KiB as on AWS)."""
    check_storable(sample, field)
    try:
        text = json.dumps(sample, separators=(",", ":"), ensure_ascii=False)
    except RecursionError:
        raise ActionError("The sample input is nested too deeply.", field=field) from None
    size = len(text.encode())
    if size > settings.PAYLOAD_LIMIT_BYTES:  # a run could not start with it either
        raise ActionError(
            f"The sample input is {size} bytes; the limit is {settings.PAYLOAD_LIMIT_BYTES} bytes.",
            field=field,
        )


def set_sample(machine: StateMachine, sample: Any) -> None:
    """Stores ``sample`` (None removes it). An update of the one column: the sample is no
    new version, so the machine's updated_at (what lists sort by) stays as it was."""
    if sample is not None:
        check_sample(sample)
    StateMachine.objects.filter(pk=machine.pk).update(sample_input=sample)
    machine.sample_input = sample
