"""Reading the members of an AWS request, and the pieces every operation shares: resources
by ARN (with the user's permissions), opaque page tokens, JSON text members."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import models
from django.db.models import Q

import asl.arns as arns
from awsapi.errors import AwsError
from designer import roles
from designer.actions import storable
from designer.models import StateMachine
from executor.models import Execution

# AWS's maxResults: 1-1000, and 0 (or none) for the default page of 100.
DEFAULT_PAGE = 100
MAX_PAGE = 1000
_TOKEN_SALT = "awsapi.page"


def text(data: dict[str, Any], name: str, required: bool = False, limit: int = 0) -> str | None:
    value = data.get(name)
    if value is None:
        if required:
            raise AwsError("ValidationException", f"{name} is required.")
        return None
    if not isinstance(value, str):
        raise AwsError("ValidationException", f"{name} must be a string.")
    if limit and len(value) > limit:
        raise AwsError("ValidationException", f"{name} must be at most {limit} characters.")
    if not storable(value):
        raise AwsError("ValidationException", f"{name} holds a character that cannot be stored.")
    return value


def flag(data: dict[str, Any], name: str) -> bool:
    value = data.get(name, False)
    if not isinstance(value, bool):
        raise AwsError("ValidationException", f"{name} must be true or false.")
    return value


def json_text(data: dict[str, Any], name: str, code: str) -> Any:
    """A member that AWS carries as JSON text (input, output), as its value."""
    raw = text(data, name)
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise AwsError(code, f"Invalid {name}: it is not JSON text.") from None


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


def ours(parsed: arns.Arn) -> bool:
    """Whether the ARN names this installation's account and region."""
    return (parsed.region, parsed.account) == region_account()


def machine_named(user: Any, parsed: arns.Arn, action: roles.Action, arn: str) -> StateMachine:
    """The machine of ``parsed`` if ``user`` may do ``action``. One they may not even view is
    answered exactly as one that does not exist."""
    machine = StateMachine.objects.filter(name=parsed.name).first() if ours(parsed) else None
    if machine is None or not roles.may(user, "view", machine):
        raise AwsError("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{arn}'")
    if not roles.may(user, action, machine):
        raise AwsError("AccessDeniedException", roles.refuse(action, machine).message)
    return machine


def execution_named(user: Any, data: dict[str, Any], action: roles.Action) -> Execution:
    parsed = parse_arn(data, "executionArn", ["execution"])
    arn = data["executionArn"]
    execution = (
        Execution.objects.select_related("state_machine", "version")
        .filter(state_machine__name=parsed.name, name=parsed.qualifier)
        .first()
        if ours(parsed)
        else None
    )
    if execution is None or not roles.may(user, "view", execution.state_machine):
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
    """One page of ``rows`` in ``order`` (keyset pagination: a row added meanwhile neither
    repeats nor skips one) and the opaque token of the next page, bound to ``scope`` (the
    operation and what it lists) so a token cannot be replayed elsewhere."""
    limit = data.get("maxResults", 0)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 0 <= limit <= MAX_PAGE:
        raise AwsError("ValidationException", f"maxResults must be from 0 to {MAX_PAGE}.")
    limit = limit or DEFAULT_PAGE
    token = text(data, "nextToken", limit=1024)
    if token is not None:
        try:
            saved = signing.loads(token, salt=_TOKEN_SALT)
        except signing.BadSignature:
            saved = None
        if not isinstance(saved, dict) or saved.get("s") != scope:
            raise AwsError("InvalidToken", f"Invalid Token: '{token}'")
        rows = rows.filter(_after(order, saved["k"]))
    items = list(rows.order_by(*order)[: limit + 1])
    if len(items) <= limit:
        return items, None
    items = items[:limit]
    key = [_key_value(_field_of(items[-1], field.lstrip("-"))) for field in order]
    return items, signing.dumps({"s": scope, "k": key}, salt=_TOKEN_SALT)


def _field_of(row: Any, path: str) -> Any:
    for name in path.split("__"):  # "version__number": row.version.number
        row = getattr(row, name)
    return row


def _key_value(value: Any) -> Any:
    return value if isinstance(value, int | str) else str(value)


def _after(order: Sequence[str], key: list[Any]) -> Q:
    """Rows after the one whose ordering fields hold ``key``: (a > k1) or (a = k1 and b > k2)..."""
    condition = Q(pk__in=[])
    equal = Q()
    for field, value in zip(order, key, strict=True):
        name = field.lstrip("-")
        beyond = f"{name}__lt" if field.startswith("-") else f"{name}__gt"
        condition |= equal & Q(**{beyond: value})
        equal &= Q(**{name: value})
    return condition
