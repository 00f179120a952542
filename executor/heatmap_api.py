"""GET /api/v1/state-machines/{name}/heat-map/: figures per state over recent runs."""

from __future__ import annotations

import datetime as dt

from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from designer.actions import ActionError
from designer.api import get_machine
from designer.api_schema import errors
from executor import heatmap
from executor.api import int_param


class StateHeat(serializers.Serializer):
    count = serializers.IntegerField(min_value=0, help_text="Times the state was entered.")
    failed = serializers.IntegerField(
        min_value=0, help_text="Entries that ended the run there, or left through a Catch."
    )
    failureRate = serializers.FloatField(min_value=0, max_value=1)  # noqa: N815
    p50Ms = serializers.FloatField(allow_null=True, help_text="Median time in the state.")  # noqa: N815
    p95Ms = serializers.FloatField(allow_null=True)  # noqa: N815


class HeatMap(serializers.Serializer):
    runs = serializers.IntegerField(min_value=0, help_text="The finished runs counted.")
    partial = serializers.BooleanField(
        help_text="True when the newest runs' events reached the read limit before `last`."
    )
    states = serializers.DictField(child=StateHeat(), help_text="By state name, at any depth.")


@extend_schema(
    parameters=[
        OpenApiParameter(
            "last", OpenApiTypes.INT, description="The newest N finished runs (100; at most 1000)."
        ),
        OpenApiParameter(
            "since", OpenApiTypes.DATETIME, description="Only runs started at or after this."
        ),
    ],
    responses={200: HeatMap, **errors(404)},
)
@api_view(["GET"])
def heat_map(request: Request, name: str) -> Response:
    machine = get_machine(request, name)
    last = int_param(request, "last", 100, heatmap.MAX_RUNS) or 100
    since_text = request.query_params.get("since")
    since = None
    if since_text is not None:
        try:
            since = parse_datetime(since_text)
        except ValueError:
            since = None
        try:
            # In UTC: PostgreSQL refuses offsets Python accepts (-17:10).
            since = since.astimezone(dt.UTC) if since and since.tzinfo else None
        except (OverflowError, ValueError):
            since = None
        if since is None:
            raise ActionError("since must be an ISO 8601 time with its zone.", field="since")
    return Response(heatmap.heat(machine, last, since))
