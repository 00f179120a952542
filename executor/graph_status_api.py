"""GET /api/v1/executions/{id}/graph-status/?at=EVENT_ID: each state's status as of an event."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from designer.api_schema import errors
from executor import graph_status
from executor.api import get_execution, int_param


class StateStatus(serializers.Serializer):
    name = serializers.CharField()
    status = serializers.ChoiceField(graph_status.STATUSES)
    entered = serializers.IntegerField(min_value=0, help_text="Times it was entered by then.")
    exited = serializers.IntegerField(min_value=0, required=False)
    failed = serializers.IntegerField(min_value=0, required=False)
    retries = serializers.IntegerField(min_value=0, required=False)
    aborted = serializers.IntegerField(min_value=0, required=False)
    enteredEventId = serializers.IntegerField(required=False)  # noqa: N815
    input = serializers.CharField(allow_null=True, required=False, help_text="JSON text.")
    output = serializers.CharField(allow_null=True, required=False, help_text="JSON text.")
    error = serializers.CharField(allow_null=True, required=False)
    cause = serializers.CharField(allow_null=True, required=False)


class ShownEvent(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.CharField()
    timestamp = serializers.DateTimeField()


class GraphStatus(serializers.Serializer):
    at = serializers.IntegerField(help_text="The event the statuses are as of.")
    lastEventId = serializers.IntegerField()  # noqa: N815
    event = ShownEvent(allow_null=True)
    executionStatus = serializers.CharField()  # noqa: N815
    states = serializers.DictField(
        child=StateStatus(), help_text="By path: a top-level state's name, else its JSON pointer."
    )


@extend_schema(
    parameters=[
        OpenApiParameter("at", OpenApiTypes.INT, description="An event id (the latest by default).")
    ],
    responses={200: GraphStatus, **errors(404)},
)
@api_view(["GET"])
def graph_status_view(request: Request, execution_id: str) -> Response:
    execution = get_execution(request, execution_id)
    at = int_param(request, "at", 0) if "at" in request.query_params else None
    return Response(graph_status.graph_status(execution, at))
