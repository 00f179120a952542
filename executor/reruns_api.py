"""POST /api/v1/executions/{id}/rerun/: start a new run at a state of a finished one; and
GET /api/v1/executions/{id}/state-visits/?state=NAME: each time the run entered that state."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from designer import json_text
from designer.actions import ActionError
from designer.api import body
from designer.api_schema import errors
from executor import api_schema as out
from executor import reruns
from executor.api import execution_json, get_execution, int_param, start_input


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
    next_after = serializers.IntegerField(allow_null=True, help_text="after= for the next page.")


@extend_schema(
    parameters=[
        OpenApiParameter("state", str, required=True, description="A top-level state's name."),
        OpenApiParameter("after", OpenApiTypes.INT, description="Visits after this event id."),
        OpenApiParameter("limit", OpenApiTypes.INT, description="At most this many (1000)."),
    ],
    responses={200: VisitList, **errors(404)},
)
@api_view(["GET"])
def state_visits(request: Request, execution_id: str) -> Response:
    execution = get_execution(request, execution_id)
    return Response(
        reruns.visits(
            execution,
            request.query_params.get("state"),
            after=int_param(request, "after", 0),
            limit=int_param(request, "limit", reruns.VISITS_MAX, reruns.VISITS_MAX, minimum=1),
        )
    )
