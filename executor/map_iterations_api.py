"""A Map state's iterations over REST: the list with their statuses, and one's events.

GET /api/v1/executions/{id}/map-iterations/?state=NAME&status=FAILED&after=N&limit=M
GET /api/v1/executions/{id}/map-iterations/{mapEventId}/{index}/events/

A Distributed Map's iterations are its Map Runs' child executions, listed by the same call.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from designer.actions import ActionError
from designer.api_schema import errors
from executor import map_iterations
from executor.api import get_execution, int_param
from executor.api_schema import HistoryEvent
from executor.models import HistoryEvent as StoredEvent

PAGE_MAX = 1000


class Iteration(serializers.Serializer):
    state = serializers.CharField(help_text="The Map state's name.")
    mapEventId = serializers.IntegerField(  # noqa: N815 - AWS's style of names
        help_text="The MapStateEntered event of the Map run it belongs to."
    )
    index = serializers.IntegerField(min_value=0, help_text="The item's index.")
    status = serializers.ChoiceField(map_iterations.STATUSES)
    firstEventId = serializers.IntegerField()  # noqa: N815
    lastEventId = serializers.IntegerField()  # noqa: N815
    startDate = serializers.DateTimeField()  # noqa: N815
    stopDate = serializers.DateTimeField(allow_null=True, help_text="Null while it runs.")  # noqa: N815
    childExecutionArn = serializers.CharField(  # noqa: N815
        required=False,
        help_text="A Distributed Map's iteration is this child execution, whose events are "
        "its own history (GET /api/v1/child-executions/{arn}/history/); its mapEventId, "
        "firstEventId and lastEventId are then 0.",
    )


class IterationPage(serializers.Serializer):
    iterations = Iteration(many=True)
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="By status.")
    next_after = serializers.IntegerField(
        allow_null=True, help_text="`after` for the next page; null on the last page."
    )
    partial = serializers.BooleanField(help_text="The history was too long to read whole.")


class IterationEvents(serializers.Serializer):
    events = HistoryEvent(many=True)
    next_after = serializers.IntegerField(allow_null=True)


PAGE = [
    OpenApiParameter("after", OpenApiTypes.INT, description="Skip this many (0 by default)."),
    OpenApiParameter("limit", OpenApiTypes.INT, description=f"At most this many ({PAGE_MAX})."),
]


@extend_schema(
    parameters=[
        OpenApiParameter("state", OpenApiTypes.STR, description="Only this Map state's."),
        OpenApiParameter("status", OpenApiTypes.STR, enum=list(map_iterations.STATUSES)),
        *PAGE,
    ],
    responses={200: IterationPage, **errors(404)},
)
@api_view(["GET"])
def iterations(request: Request, execution_id: str) -> Response:
    execution = get_execution(request, execution_id)
    status = request.query_params.get("status")
    if status is not None and status not in map_iterations.STATUSES:
        raise ActionError(
            f"status must be one of {', '.join(map_iterations.STATUSES)}.", field="status"
        )
    after = int_param(request, "after", 0)
    limit = int_param(request, "limit", PAGE_MAX, PAGE_MAX) or PAGE_MAX
    state = request.query_params.get("state")
    children = state and map_iterations.child_page(execution, state, status, after, limit)
    if children:
        return Response(children)
    found = map_iterations.listing(execution, state, status)
    chosen = found["iterations"]
    page = chosen[after : after + limit]
    return Response(
        {
            "iterations": [it.as_json() for it in page],
            "counts": found["counts"],
            "next_after": after + limit if after + limit < len(chosen) else None,
            "partial": found["partial"],
        }
    )


@extend_schema(parameters=PAGE, responses={200: IterationEvents, **errors(404)})
@api_view(["GET"])
def iteration_events(
    request: Request, execution_id: str, map_event_id: int, index: int
) -> Response:
    execution = get_execution(request, execution_id)
    ids = map_iterations.events_of(execution, (map_event_id, index))
    if ids is None:
        raise NotFound(f"The execution has no iteration {index} of the Map run {map_event_id}.")
    after = int_param(request, "after", 0)
    limit = int_param(request, "limit", PAGE_MAX, PAGE_MAX) or PAGE_MAX
    chosen = [event_id for event_id in ids if event_id > after]
    page = chosen[:limit]
    events = StoredEvent.objects.filter(execution=execution, event_id__in=page).order_by("event_id")
    return Response(
        {
            "events": [event.as_json() for event in events],
            "next_after": page[-1] if len(chosen) > limit else None,
        }
    )
