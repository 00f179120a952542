"""REST API for a machine's draft: thin views over designer.drafts."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from designer import api_schema as out
from designer import drafts
from designer.actions import ActionError
from designer.api import body, get_machine
from designer.api_errors import error_body
from designer.models import Draft, StateMachine


class DraftIn(serializers.Serializer):
    definition = serializers.JSONField(
        help_text="The definition as an object (valid or not), or the code view's text."
    )
    layout = serializers.JSONField(required=False, help_text='{"State": {"x": 0, "y": 0}}')
    base_version = serializers.IntegerField(
        required=False, help_text="The version the draft started from; the latest by default."
    )
    revision = serializers.IntegerField(
        required=False,
        help_text="The draft revision this save is based on (0: there is no draft yet); "
        "the If-Match header may say it instead.",
    )


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description='The revision the change is based on, as the ETag gave it: "3".',
)


def draft_json(draft: Draft | None, user: Any) -> dict[str, Any] | None:
    if draft is None:
        return None
    return {
        "mine": draft.updated_by_id is not None and draft.updated_by_id == user.pk,
        "definition": draft.definition,
        "code": draft.code,
        "layout": draft.layout,
        "base_version": draft.base_version,
        "revision": draft.revision,
        "updated_by": draft.updated_by.username if draft.updated_by else None,
        "updated_at": draft.updated_at,
    }


def state_json(machine: StateMachine, draft: Draft | None, user: Any) -> Response:
    response = Response(
        {
            "draft": draft_json(draft, user),
            "editors": drafts.other_editors(machine, user),
            "version": machine.latest_version().number,
        }
    )
    response["ETag"] = f'"{draft.revision if draft else 0}"'
    return response


def revision_of(request: Request, data: dict[str, Any] | None, required: bool) -> int | None:
    """The revision a change is based on: If-Match's, else the body's; 0 (no draft yet) or
    None (any) when neither says."""
    header = request.headers.get("If-Match")
    if header is not None:
        text = header.strip().removeprefix("W/").strip('"')
        if not text.isdigit() or not text.isascii():
            raise ActionError(
                'If-Match must be a draft revision, as the ETag gave it: "3".', field="If-Match"
            )
        return int(text)
    if data is not None and "revision" in data:
        return drafts.check_revision(data["revision"])
    return 0 if required else None


def conflict(exc: drafts.DraftConflict, user: Any) -> Response:
    payload = {
        **error_body(exc.message, exc.code, exc.field),
        "draft": draft_json(exc.draft, user),
    }
    response = Response(payload, status=409)
    response["ETag"] = f'"{exc.draft.revision if exc.draft else 0}"'
    return response


@extend_schema(methods=["GET"], responses={200: out.DraftState, **out.errors(404)})
@extend_schema(
    methods=["PUT"],
    request=DraftIn,
    parameters=[IF_MATCH],
    responses={200: out.DraftState, **out.draft_errors(body=True)},
    examples=[
        OpenApiExample(
            "A first draft, not valid yet",
            request_only=True,
            value={
                "definition": {"StartAt": "Hi", "States": {"Hi": {"Type": "Pass"}}},
                "revision": 0,
            },
        )
    ],
)
@extend_schema(
    methods=["DELETE"], parameters=[IF_MATCH], responses={204: None, **out.draft_errors()}
)
@api_view(["GET", "PUT", "DELETE"])
def draft(request: Request, name: str) -> Response:
    """A machine's draft, visible to those who may edit it. GET also tells the server the
    caller has the designer open: that is how others learn someone is editing beside them."""
    machine = get_machine(request, name, "edit")
    try:
        if request.method == "PUT":
            data = body(request)
            if "definition" not in data:
                raise ActionError("Send the draft's definition.", field="definition")
            saved = drafts.save_draft(
                machine,
                request.user,
                data["definition"],
                data.get("layout"),
                data.get("base_version"),
                revision_of(request, data, required=True) or 0,
            )
            return state_json(machine, saved, request.user)
        if request.method == "DELETE":
            drafts.discard_draft(machine, revision_of(request, None, required=False))
            return Response(status=204)
    except drafts.DraftConflict as exc:
        return conflict(exc, request.user)
    drafts.note_presence(machine, request.user)
    return state_json(machine, drafts.get_draft(machine), request.user)
