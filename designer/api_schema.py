"""What the state machine API answers, for its OpenAPI schema (/api/v1/schema/).

The views build their JSON by hand; these serializers only describe it, and the Schemathesis
suite (tests/api/test_schemathesis.py) checks every answer against them, so a change to a view
that is not made here too fails a test.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from designer.models import ROLES
from designer.roles import ACTIONS

# Every refusal's status, and when the API gives it.
ERROR_DESCRIPTIONS = {
    400: "The request is invalid: `field` names the input at fault.",
    401: "No API key, or an unknown one: send 'Authorization: Token KEY'.",
    403: "The key's user may not do this to this resource.",
    404: "No such resource, or none this user may see.",
    409: "The request conflicts with the resource's state (a name in use, a run that ended).",
    413: "The request body, or a value in it, is larger than the API accepts.",
    415: "The request body is of a type the API does not read: send JSON.",
    429: "Too many requests from this user: wait and retry.",
}
# Any request can be malformed, unauthenticated, refused or throttled.
ALWAYS = (400, 401, 403, 429)


class Diagnostic(serializers.Serializer):
    code = serializers.CharField(help_text='Stable and machine-readable: "MISSING_FIELD".')
    message = serializers.CharField()
    location = serializers.CharField(help_text='A JSON pointer: "/States/Approve/Next".')
    severity = serializers.ChoiceField(
        ["error", "warning"],
        help_text='"error" refuses the definition; "warning": AWS accepts it, but that part '
        "fails when it runs.",
    )


class Error(serializers.Serializer):
    code = serializers.CharField(
        help_text="Stable and machine-readable, AWS Step Functions' error name where one fits: "
        '"StateMachineDoesNotExist", "ValidationException", "InvalidDefinition".'
    )
    message = serializers.CharField(help_text="A sentence saying what is wrong.")
    field = serializers.CharField(required=False, help_text="The input at fault.")
    diagnostics = Diagnostic(many=True, required=False, help_text="Every problem found in ASL.")
    suggestion = serializers.CharField(
        required=False, help_text='An allowed value near the refused one: "Order-approval".'
    )


# Any request with a body can send too much, or something other than JSON.
BODY = (413, 415)


def errors(*statuses: int, body: bool = False) -> dict[int, Any]:
    """The error answers of an operation: ``statuses``, those every operation can give, and
    with a ``body`` those of a request body."""
    return {
        status: OpenApiResponse(Error, description=ERROR_DESCRIPTIONS[status])
        for status in sorted({*ALWAYS, *statuses, *(BODY if body else ())})
    }


MACHINE_TYPES = ["STANDARD", "EXPRESS"]


class StateMachineSummary(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.ChoiceField(MACHINE_TYPES)
    updated_at = serializers.DateTimeField()


class StateMachineList(serializers.Serializer):
    state_machines = StateMachineSummary(many=True)
    next_cursor = serializers.CharField(
        allow_null=True, help_text="`cursor` for the next page; null on the last."
    )


# The query parameters of a list paged by designer.paging.rest_page.
PAGE = [
    OpenApiParameter("limit", int, description="At most this many (1-1000; 100 by default)."),
    OpenApiParameter("cursor", str, description="The next_cursor of the page before."),
]


class StateMachine(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.ChoiceField(MACHINE_TYPES)
    definition = serializers.JSONField(help_text="The latest version's ASL definition.")
    layout = serializers.JSONField(help_text='Canvas positions: {"State": {"x": 0, "y": 0}}.')
    version = serializers.IntegerField(min_value=1, help_text="The latest version's number.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    permissions = serializers.ListField(
        child=serializers.ChoiceField(list(ACTIONS)),
        help_text='What the caller may do with the machine: "view", "operate", "edit", "admin".',
    )


class Validation(serializers.Serializer):
    valid = serializers.BooleanField()
    diagnostics = Diagnostic(many=True)


class Template(serializers.Serializer):
    id = serializers.CharField(help_text='Stable: "approval-with-timeout".')
    title = serializers.CharField()
    description = serializers.CharField(help_text="What it does, in plain words.")
    definition = serializers.JSONField(help_text="A valid ASL definition that runs as it is.")
    input = serializers.JSONField(help_text="A sample input that runs its main path.")


class TemplateList(serializers.Serializer):
    templates = Template(many=True)


class NodeBox(serializers.Serializer):
    x = serializers.FloatField()
    y = serializers.FloatField()
    width = serializers.FloatField()
    height = serializers.FloatField()


class Layout(serializers.Serializer):
    nodes = serializers.DictField(
        child=NodeBox(),
        help_text="A box for every state at every depth, in points, by its layout key: its name "
        "at the top level, its JSON pointer inside a Map or Parallel. A container's box holds "
        "its inner states.",
    )
    lanes = serializers.DictField(
        child=NodeBox(), help_text="A box for every Parallel branch, by the branch's JSON pointer."
    )
    width = serializers.FloatField()
    height = serializers.FloatField()


SVG = {(200, "image/svg+xml"): OpenApiResponse(OpenApiTypes.STR, description="The graph.")}


class Grant(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.ChoiceField(list(ROLES))
    user = serializers.CharField(allow_null=True, help_text="The username, for a user's grant.")
    group = serializers.CharField(allow_null=True, help_text="The group's name, for a group's.")
    created_at = serializers.DateTimeField()


class GrantList(serializers.Serializer):
    grants = Grant(many=True, help_text="The roles granted on this machine alone.")


class ApproverGroup(serializers.Serializer):
    name = serializers.CharField(
        help_text='The group\'s name, as ApproverGroup takes it: "finance".'
    )
    member = serializers.BooleanField(help_text="Whether the caller is in the group.")
    role = serializers.ChoiceField(
        list(ROLES),
        allow_null=True,
        help_text="The highest role the group holds on this machine (or on every machine); "
        "null: none, so its members answer only if they may operate the machine themselves.",
    )


class ApproverGroupList(serializers.Serializer):
    groups = ApproverGroup(
        many=True,
        help_text="By name. The caller's groups and those holding a role on this machine, "
        "never every group of the instance (a superuser's list excepted).",
    )


class Draft(serializers.Serializer):
    mine = serializers.BooleanField(help_text="Whether the caller saved it last.")
    definition = serializers.JSONField(
        allow_null=True,
        help_text="The draft's definition, valid ASL or not; null while `code` holds text "
        "that is not a JSON object yet.",
    )
    code = serializers.CharField(
        allow_blank=True, help_text="The code view's text, when it does not parse; else empty."
    )
    layout = serializers.JSONField(help_text='Canvas positions: {"State": {"x": 0, "y": 0}}.')
    base_version = serializers.IntegerField(min_value=1, help_text="The version it started from.")
    revision = serializers.IntegerField(
        min_value=1, help_text="Counts the draft's saves; send it back as If-Match to save again."
    )
    updated_by = serializers.CharField(allow_null=True, help_text="Who saved it last.")
    updated_at = serializers.DateTimeField()


class DraftState(serializers.Serializer):
    draft = Draft(allow_null=True, help_text="Null when nobody has unpublished changes.")
    editors = serializers.ListField(
        child=serializers.CharField(),
        help_text="Who else has this machine's designer open now, by username.",
    )
    version = serializers.IntegerField(min_value=1, help_text="The latest version's number.")


class DraftConflict(Error):
    draft = Draft(allow_null=True, help_text="The draft as it is now; null if it was discarded.")


def draft_errors(body: bool = False) -> dict[int, Any]:
    """A draft operation's errors: those of every operation, and the conflict of a draft saved
    or discarded by someone else meanwhile."""
    return {
        **errors(404, body=body),
        409: OpenApiResponse(
            DraftConflict, description="Someone else saved the draft since the revision sent."
        ),
    }


class DataShapes(serializers.Serializer):
    states = serializers.DictField(
        child=serializers.JSONField(),
        help_text="The input each state reached from the sample input would get, by its layout "
        "key (its name at the top level, its JSON pointer inside a Map or Parallel).",
    )
    variables = serializers.DictField(
        child=serializers.DictField(child=serializers.JSONField()),
        help_text="The workflow variables in scope when each state starts (what the states "
        "before it assigned), by the same key; states with none are left out.",
    )


class SampleInput(serializers.Serializer):
    input = serializers.JSONField(
        allow_null=True, help_text="The machine's sample input; null when none was given."
    )
