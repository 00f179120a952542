"""Finding a state machine by its name or its ARN, as a user may see it: the one home of the
rule that a machine the user may not view is answered exactly as a missing one (both APIs
call it; executor.lookup does the same for executions)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

import asl.arns as arns
from designer import roles
from designer.models import StateMachine


def ours(parsed: arns.Arn) -> bool:
    """Whether the ARN names this installation's account and region (settings)."""
    return (parsed.region, parsed.account) == (settings.AWS_REGION, settings.AWS_ACCOUNT_ID)


def our_arn(text: str) -> arns.Arn | None:
    """``text`` parsed, if it is an ARN of this installation's."""
    parsed = arns.parse(text)
    return parsed if parsed is not None and ours(parsed) else None


def visible_machine(user: Any, name: str) -> StateMachine | None:
    """The machine named ``name`` (or whose ARN ``name`` is: a state machine's, one of its
    versions' or aliases'), if ``user`` may view it; None as well when there is none."""
    if name.startswith("arn:"):
        parsed = our_arn(name)
        if parsed is None or parsed.kind not in ("stateMachine", "version", "alias"):
            return None
        name = parsed.name
    if "\x00" in name:  # no name holds it, and PostgreSQL refuses it even in a query
        return None
    machine = StateMachine.objects.filter(name=name).first()
    if machine is None or not roles.may(user, "view", machine):
        return None
    return machine
