"""Authoring: every change to state machines goes through these functions."""

from __future__ import annotations

import json
import re
from typing import Any

from django.db import IntegrityError, transaction

import asl
from asl.errors import Diagnostic, ValidationError
from designer.models import StateMachine, StateMachineVersion

# AWS's rule for state machine and execution names: 1-80 characters, none of these.
NAME_FORBIDDEN = re.compile(r"[\s<>{}\[\]?*\"#%\\^|~`$&,;:/\x00-\x1f\x7f-\x9f]")


# AWS Step Functions' error name for each status, when no more precise one applies.
CODES_BY_STATUS = {
    400: "ValidationException",
    401: "NotAuthenticated",
    403: "AccessDeniedException",
    404: "ResourceNotFound",
    405: "MethodNotAllowed",
    409: "ConflictException",
    413: "PayloadTooLarge",
    415: "UnsupportedMediaType",
    429: "ThrottlingException",
}

# The largest definition AWS accepts: "Maximum state machine definition size: 1 MB", a hard
# quota (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html), in bytes
# of its UTF-8 JSON text.
DEFINITION_LIMIT_BYTES = 1024 * 1024

# What no database can store in text: U+0000 (PostgreSQL refuses it) and lone surrogates,
# which JSON's "\ud800" escapes produce and which have no UTF-8 encoding at all.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class ActionError(Exception):
    """A request that cannot be carried out; ``field`` names the input at fault, ``code`` is
    the machine-readable name of the error (AWS's, such as InvalidDefinition, where one fits)."""

    def __init__(
        self,
        message: str,
        field: str | None = None,
        diagnostics: list[Diagnostic] | None = None,
        status: int = 400,
        code: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.suggestion = suggestion  # an allowed value near the refused one
        self.diagnostics = diagnostics or []
        self.status = status
        self.code = code or CODES_BY_STATUS.get(status, "ValidationException")


def check_name(name: Any, what: str = "name", field: str = "name") -> str:
    """``what`` words the message ("execution name"); ``field`` is the key clients sent."""
    if not isinstance(name, str) or not name:
        raise ActionError(
            f"The {what} is required and must be a string.", field=field, code="InvalidName"
        )
    if len(name) > 80:
        problem = "must be at most 80 characters long."
    elif NAME_FORBIDDEN.search(name) or UNSTORABLE.search(name):
        problem = (
            "may only contain letters, digits, '-', '_', '.', '+', '=', '@', '!', '(', ')' "
            "and similar characters: no spaces, slashes or brackets."
        )
    else:
        return name
    suggestion = suggest_name(name)
    raise ActionError(
        f"The {what} {name[:80]!r} {problem}" + (f" Try {suggestion!r}." if suggestion else ""),
        field=field,
        code="InvalidName",
        suggestion=suggestion,
    )


def suggest_name(name: str) -> str | None:
    """The allowed name nearest ``name``: each run of refused characters becomes one '-'
    ("Order approval" -> "Order-approval"), none at either end."""
    nearest = re.sub(f"(?:{NAME_FORBIDDEN.pattern}|{UNSTORABLE.pattern})+", "-", name).strip("-")
    return nearest[:80] or None


def storable(text: str) -> bool:
    """Whether a database can store and give back this string (see UNSTORABLE)."""
    return UNSTORABLE.search(text) is None


def check_storable(value: Any, field: str, code: str = "ValidationException") -> None:
    """Refuses, on every database and up front, a string no database can store and give back:
    PostgreSQL fails on U+0000 with a DataError, and SQLite would store a lone surrogate in a
    row that can never be read again."""
    pending = [value]
    while pending:  # a loop, not recursion: parsed JSON may be nested ~1000 deep
        item = pending.pop()
        if isinstance(item, str):
            found = UNSTORABLE.search(item)
            if found is not None:
                character = f"U+{ord(found.group()):04X}"
                what = "the character U+0000" if character == "U+0000" else "a lone surrogate"
                raise ActionError(
                    f"The {field} contains {what} ({character}), which cannot be stored: "
                    "send text that is valid Unicode.",
                    field=field,
                    code=code,
                )
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


def check_definition_size(definition: Any) -> None:
    """AWS's limit, in UTF-8 bytes of the definition's JSON text (as sent, or as the object
    encodes compactly)."""
    if isinstance(definition, str):
        text = definition
    else:
        try:
            text = json.dumps(definition, separators=(",", ":"), ensure_ascii=False)
        except RecursionError:
            raise ActionError(
                "The definition is nested too deeply.", field="definition", code="InvalidDefinition"
            ) from None
    size = len(text.encode())
    if size > DEFINITION_LIMIT_BYTES:
        raise ActionError(
            f"The definition is {size} bytes of JSON; the limit is {DEFINITION_LIMIT_BYTES} "
            "bytes (1 MB, as on AWS).",
            field="definition",
            code="InvalidDefinition",
        )


def load_definition(definition: Any, machine_type: str | None = None) -> dict[str, Any]:
    """The definition as an object, checked (for ``machine_type``, STANDARD or EXPRESS, when
    given). AWS's API carries definitions as JSON text, the canvas as objects: accept both."""
    check_storable(definition, "definition", code="InvalidDefinition")
    check_definition_size(definition)
    if isinstance(definition, str):
        try:
            definition = json.loads(definition)
        except (ValueError, RecursionError) as exc:  # RecursionError: nested too deeply
            raise ActionError(
                f"The definition is not valid JSON: {exc}.",
                field="definition",
                code="InvalidDefinition",
            ) from None
    try:
        asl.parse(definition, machine_type)
    except ValidationError as exc:
        first = exc.diagnostics[0] if exc.diagnostics else None
        summary = f"{first.location or '/'}: {first.message}" if first else "invalid"
        more = len(exc.diagnostics) - 1
        raise ActionError(
            f"The definition is not valid ASL: {summary}"
            + (f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""),
            field="definition",
            diagnostics=exc.diagnostics,
            code="InvalidDefinition",
        ) from None
    assert isinstance(definition, dict)
    return definition


def validate(definition: Any, machine_type: str | None = None) -> list[Diagnostic]:
    """The errors that refuse the definition, or else its warnings (severity "warning": what
    AWS accepts but fails when it runs)."""
    try:
        checked = load_definition(definition, machine_type)
    except ActionError as exc:
        if exc.diagnostics:
            return exc.diagnostics
        return [Diagnostic("INVALID_JSON", exc.message, "")]
    return asl.diagnose(checked, machine_type)


def check_layout(layout: Any) -> dict[str, Any]:
    if layout is None:
        return {}
    check_storable(layout, "layout")
    if not isinstance(layout, dict) or not all(
        isinstance(pos, dict) and all(isinstance(pos.get(axis), int | float) for axis in ("x", "y"))
        for pos in layout.values()
    ):
        raise ActionError(
            "The layout must map states (a top-level state by its name, an inner one by its"
            " JSON pointer, e.g. /States/Each/ItemProcessor/States/Step) to positions like"
            ' {"x": 10, "y": 20}.',
            field="layout",
        )
    # A Map or Parallel the canvas shows folded up says so, so it opens folded next time.
    return {
        name: {
            "x": pos["x"],
            "y": pos["y"],
            **({"folded": True} if pos.get("folded") is True else {}),
        }
        for name, pos in layout.items()
    }


def create_state_machine(
    name: Any, definition: Any, type: Any = "STANDARD", owner: Any = None, layout: Any = None
) -> StateMachine:
    check_name(name)
    if type not in ("STANDARD", "EXPRESS"):
        raise ActionError("The type must be STANDARD or EXPRESS.", field="type")
    checked = load_definition(definition, type)
    positions = check_layout(layout)
    try:
        with transaction.atomic():
            machine = StateMachine.objects.create(name=name, type=type, owner=owner)
            StateMachineVersion.objects.create(
                state_machine=machine,
                number=1,
                definition=checked,
                layout=positions,
                created_by=owner,
            )
    except IntegrityError:
        raise ActionError(
            f"A state machine named {name!r} already exists.",
            field="name",
            status=409,
            code="StateMachineAlreadyExists",
        ) from None
    return machine


def check_comment(comment: Any) -> str:
    if comment is None:
        return ""
    if not isinstance(comment, str) or len(comment) > 256:
        raise ActionError("The comment must be text of at most 256 characters.", field="comment")
    check_storable(comment, "comment")
    return comment


def update_state_machine(
    machine: StateMachine,
    definition: Any = None,
    layout: Any = None,
    author: Any = None,
    comment: Any = None,
) -> StateMachineVersion:
    """Stores a new version; versions are immutable so running executions keep theirs. Saving
    only a new layout keeps the definition; saving an identical definition and layout creates
    nothing."""
    comment = check_comment(comment)
    with transaction.atomic():
        locked = StateMachine.objects.select_for_update().get(pk=machine.pk)
        current = locked.latest_version()
        checked = (
            current.definition if definition is None else load_definition(definition, locked.type)
        )
        positions = current.layout if layout is None else check_layout(layout)
        if checked == current.definition and positions == current.layout:
            return current
        version = StateMachineVersion.objects.create(
            state_machine=locked,
            number=current.number + 1,
            definition=checked,
            layout=positions,
            created_by=author,
            comment=comment,
        )
        locked.save(update_fields=["updated_at"])
    return version


def delete_state_machine(machine: StateMachine) -> None:
    """Deletes the machine with its versions and executions (AWS lets running ones finish;
    here they go with it, and a worker advancing one finds nothing left to do)."""
    with transaction.atomic():
        # Executions first: each protects the version it ran.
        machine.executions.all().delete()
        machine.delete()


# What a new state machine made on the list page starts with: one state to build from.
STARTER_DEFINITION: dict[str, Any] = {
    "StartAt": "Start here",
    "States": {"Start here": {"Type": "Pass", "End": True}},
}

SAMPLE_DEFINITION: dict[str, Any] = {
    "Comment": "A sample order workflow: orders of more than 10 items are out of stock; the "
    'others are packed (a short wait) and shipped. Try the input {"quantity": 20}.',
    "StartAt": "Receive order",
    "States": {
        "Receive order": {
            "Type": "Pass",
            "Parameters": {"order.$": "$", "received": True},
            "Next": "Is it in stock?",
        },
        "Is it in stock?": {
            "Type": "Choice",
            "Choices": [
                {
                    "And": [
                        {"Variable": "$.order.quantity", "IsPresent": True},
                        {"Variable": "$.order.quantity", "NumericGreaterThan": 10},
                    ],
                    "Next": "Out of stock",
                }
            ],
            "Default": "Pack",
        },
        "Pack": {"Type": "Wait", "Seconds": 1, "Next": "Ship"},
        "Ship": {"Type": "Pass", "Result": "shipped", "ResultPath": "$.status", "End": True},
        "Out of stock": {"Type": "Fail", "Error": "OutOfStock", "Cause": "Not enough items."},
    },
}


def create_sample(owner: Any = None) -> StateMachine | None:
    """The state machine a new installation starts with, so the first page is not empty."""
    if StateMachine.objects.exists():
        return None
    return create_state_machine("OrderWorkflow", SAMPLE_DEFINITION, owner=owner)
