"""Finding an execution by its id or its ARN, as a user may see it: one the user may not view
(by its machine's roles) is answered exactly as a missing one. Both APIs call it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from designer import lookup, roles
from executor.models import Execution


def visible_execution(user: Any, key: str, machine_name: str | None = None) -> Execution | None:
    """The execution whose id or ARN (execution or express) is ``key`` (or, given
    ``machine_name``, whose name is ``key`` among that machine's runs), if ``user`` may view
    its machine; None as well when there is none."""
    rows = Execution.objects.select_related("state_machine", "version")
    if machine_name is not None:
        if "\x00" in key or "\x00" in machine_name:  # PostgreSQL refuses it even in a query
            return None
        execution = rows.filter(state_machine__name=machine_name, name=key).first()
    elif key.startswith("arn:"):
        parsed = lookup.our_arn(key)
        if parsed is None or parsed.kind != "execution":
            return None
        execution = rows.filter(state_machine__name=parsed.name, name=parsed.qualifier).first()
    else:
        try:
            execution = rows.filter(pk=key).first()
        except (ValidationError, ValueError):  # not a UUID
            return None
    if execution is None or not roles.may(user, "view", execution.state_machine):
        return None
    return execution
