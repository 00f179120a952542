"""POST /api/v1/executions/{id}/rerun/: start a new run at a state of a finished one; and
GET /api/v1/executions/{id}/state-visits/?state=NAME: each time the run entered that state."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from designer import json_text, paging
from designer.actions import ActionError
from designer.api import body
from designer.api_schema import errors
from executor import api_schema as out
from executor import reruns
from executor.api import execution_json, get_execution, start_input
from executor.models import json_timestamp


class RerunIn(serializers.Serializer):
    state = serializers.CharField(help_text="The top-level state the new run begins at.")
    input = serializers.JSONField(
        required=False, help_text=f"The state's input: {json_text.HELP} {{}} when left out."
    )
    name = serializers.CharField(required=False, help_text="Unique per state machine.")
    version = serializers.ChoiceField(
        ["same", "latest"], required=False, help_text="The run's version (same) or the latest."
    )


@extend_schema(request=RerunIn, responses={201: out.ExecutionShown, **errors(404, 409, body=True)})
@api_view(["POST"])
def rerun(request: Request, execution_id: str) -> Response:
    # Starting a run of the machine: those who may run it, as for a start.
    execution = get_execution(request, execution_id, "operate")
    data = body(request)
    version = data.get("version", "same")
    if version not in ("same", "latest"):
        raise ActionError("version must be same or latest.", field="version")
    started = reruns.rerun_from(
        execution,
        data.get("state"),
        start_input(data),
        user=request.user,
        name=data.get("name"),
        latest=version == "latest",
    )
    return Response({**execution_json(started), **reruns.links(started)}, status=201)


class Visit(serializers.Serializer):
    eventId = serializers.IntegerField(help_text="Its StateEntered event, input included.")  # noqa: N815
    timestamp = serializers.DateTimeField()


class VisitList(serializers.Serializer):
    visits = Visit(many=True)
    next_cursor = serializers.CharField(allow_null=True, help_text="cursor= for the next page.")


@extend_schema(
    parameters=[
        OpenApiParameter("state", str, required=True, description="A top-level state's name."),
        OpenApiParameter("cursor", str, description="next_cursor of the page before."),
        OpenApiParameter(
            "limit", OpenApiTypes.INT, description=f"At most this many ({paging.DEFAULT_PAGE})."
        ),
    ],
    responses={200: VisitList, **errors(404)},
)
@api_view(["GET"])
def state_visits(request: Request, execution_id: str) -> Response:
    execution = get_execution(request, execution_id)
    state = request.query_params.get("state")
    rows = reruns.visits(execution, state)
    page, next_cursor = paging.rest_page(
        request, rows, ("event_id",), f"visits:{execution.pk}:{state}"
    )
    shown = [{"eventId": e.event_id, "timestamp": json_timestamp(e.timestamp)} for e in page]
    return Response({"visits": shown, "next_cursor": next_cursor})
