"""Reading the members of an AWS request, and the pieces every operation shares: resources
by ARN (with the user's permissions), opaque page tokens, JSON text members."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import models

import asl.arns as arns
from awsapi.errors import AwsError
from designer import lookup, paging, roles
from designer.actions import ActionError, storable
from designer.json_text import value_of as json_text_value
from designer.models import StateMachine
from executor import lookup as executions
from executor.models import Execution


def text(data: dict[str, Any], name: str, required: bool = False, limit: int = 0) -> str | None:
    value = data.get(name)
    if value is None:
        if required:
            raise AwsError("ValidationException", f"{name} is required.", name)
        return None
    if not isinstance(value, str):
        raise AwsError("ValidationException", f"{name} must be a string.", name)
    if limit and len(value) > limit:
        raise AwsError("ValidationException", f"{name} must be at most {limit} characters.", name)
    if not storable(value):
        raise AwsError(
            "ValidationException", f"{name} holds a character that cannot be stored.", name
        )
    return value


def flag(data: dict[str, Any], name: str) -> bool:
    value = data.get(name, False)
    if not isinstance(value, bool):
        raise AwsError("ValidationException", f"{name} must be true or false.", name)
    return value


def json_text(data: dict[str, Any], name: str, code: str) -> Any:
    """A member that AWS carries as JSON text (input, output), as its value: a string (as AWS
    types it), read by the one rule both APIs share (designer/json_text.py)."""
    raw = text(data, name)
    if raw is None:
        return None
    try:
        return json_text_value(raw, name, code)
    except ActionError as exc:
        raise AwsError(code, exc.message, name) from None


def dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, separators=(",", ":"), ensure_ascii=False)


# --- ARNs ---------------------------------------------------------------------------------


def region_account() -> tuple[str, str]:
    return settings.AWS_REGION, settings.AWS_ACCOUNT_ID


def machine_arn(machine: StateMachine) -> str:
    return arns.state_machine(machine.name, *region_account())


def version_arn(machine: StateMachine, number: int) -> str:
    return arns.version(machine.name, number, *region_account())


def execution_arn(execution: Execution) -> str:
    return arns.execution(execution.state_machine.name, execution.name, *region_account())


def activity_arn(name: str) -> str:
    return arns.activity(name, *region_account())


def parse_arn(data: dict[str, Any], name: str, kinds: Sequence[arns.Kind]) -> arns.Arn:
    raw = text(data, name, required=True, limit=2048)
    parsed = arns.parse(raw)
    if parsed is None or parsed.kind not in kinds:
        raise AwsError("InvalidArn", f"Invalid Arn: '{raw}'")
    return parsed


ours = lookup.ours


def machine_named(user: Any, parsed: arns.Arn, action: roles.Action, arn: str) -> StateMachine:
    """The machine of ``parsed`` if ``user`` may do ``action``. One they may not even view is
    answered exactly as one that does not exist (designer.lookup)."""
    machine = lookup.visible_machine(user, parsed.name) if ours(parsed) else None
    if machine is None:
        raise AwsError("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{arn}'")
    if not roles.may(user, action, machine):
        raise AwsError("AccessDeniedException", roles.refuse(action, machine).message)
    return machine


def execution_named(user: Any, data: dict[str, Any], action: roles.Action) -> Execution:
    parse_arn(data, "executionArn", ["execution"])
    arn = data["executionArn"]
    execution = executions.visible_execution(user, arn)
    if execution is None:
        raise AwsError("ExecutionDoesNotExist", f"Execution Does Not Exist: '{arn}'")
    if not roles.may(user, action, execution.state_machine):
        raise AwsError(
            "AccessDeniedException", roles.refuse(action, execution.state_machine).message
        )
    return execution


# --- Pages ----------------------------------------------------------------------------------


def page(
    rows: models.QuerySet[Any], order: Sequence[str], data: dict[str, Any], scope: str
) -> tuple[list[Any], str | None]:
    """One page of ``rows`` by AWS's maxResults and nextToken (designer.paging keeps the rule
    for the REST API too)."""
    try:
        return paging.page(rows, order, data.get("maxResults", 0), data.get("nextToken"), scope)
    except ActionError as exc:
        raise AwsError(exc.code, exc.message, exc.field) from None
