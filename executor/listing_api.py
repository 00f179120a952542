"""REST API of the executions page: every run the caller may view, across machines, with
filters, counts per status, cursor pages, bulk stop and redrive, and Choice traces."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from designer.api import body
from designer.api_errors import error_body
from designer.api_schema import errors
from executor import actions, listing
from executor.api import get_execution, int_param
from executor.choice_traces import traces as choice_traces_of
from executor.models import STATUSES, Execution

BULK_MAX = 100


def summary_json(execution: Execution) -> dict[str, Any]:
    """A run as lists show it: no input or output, which can be large."""
    return {
        "id": str(execution.pk),
        "name": execution.name,
        "state_machine": execution.state_machine.name,
        "version": execution.version.number,
        "status": execution.status,
        "waiting_for_approval": bool(getattr(execution, "waiting", False)),
        "start_date": execution.start_date,
        "stop_date": execution.stop_date,
    }


FILTERS = [
    OpenApiParameter("status", str, enum=list(listing.FILTER_STATUSES)),
    OpenApiParameter("machine", str, description="Only this state machine's runs."),
    OpenApiParameter("version", OpenApiTypes.INT, description="Only this version (with machine)."),
    OpenApiParameter("started_after", OpenApiTypes.DATETIME),
    OpenApiParameter("started_before", OpenApiTypes.DATETIME),
    OpenApiParameter("search", str, description="An execution ARN, an id or a name's start."),
    OpenApiParameter("data_path", str, description="A JSONPath into the input: $.customer.id"),
    OpenApiParameter("data_value", str, description='The value at data_path: 42, "42", true'),
]
PAGING = [
    OpenApiParameter("cursor", str, description="next_cursor of the previous page."),
    OpenApiParameter("limit", OpenApiTypes.INT, description="At most this many (200)."),
]


class RunSummary(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    state_machine = serializers.CharField()
    version = serializers.IntegerField(min_value=1)
    status = serializers.ChoiceField([status for status, _ in STATUSES])
    waiting_for_approval = serializers.BooleanField()
    start_date = serializers.DateTimeField()
    stop_date = serializers.DateTimeField(allow_null=True)


class RunPage(serializers.Serializer):
    executions = RunSummary(many=True, help_text="Newest first.")
    next_cursor = serializers.CharField(allow_null=True, help_text="null on the last page.")


class StatusCount(serializers.Serializer):
    count = serializers.IntegerField(min_value=0)
    more = serializers.BooleanField(help_text=f"There are more than {listing.COUNT_CAP}.")


class Counts(serializers.Serializer):
    counts = serializers.DictField(child=StatusCount())


class BulkIn(serializers.Serializer):
    action = serializers.ChoiceField(["stop", "redrive"])
    ids = serializers.ListField(child=serializers.CharField(), max_length=BULK_MAX)
    error = serializers.CharField(required=False)
    cause = serializers.CharField(required=False)


class BulkResult(serializers.Serializer):
    id = serializers.CharField()
    ok = serializers.BooleanField()
    status = serializers.CharField(required=False)
    code = serializers.CharField(required=False)
    message = serializers.CharField(required=False)


class BulkOut(serializers.Serializer):
    results = BulkResult(many=True)


class ChoiceTraceShown(serializers.Serializer):
    event_id = serializers.IntegerField(min_value=1)
    state_name = serializers.CharField()
    trace = serializers.JSONField()


class ChoiceTraceList(serializers.Serializer):
    choice_traces = ChoiceTraceShown(many=True)


@extend_schema(
    # Named for what it is: drf-spectacular would call it "executions_retrieve", the name of
    # GET executions/{id}/ too, and generated clients would rename one of them.
    operation_id="executions_list",
    parameters=[*FILTERS, *PAGING],
    responses={200: RunPage, **errors(404)},
)
@api_view(["GET"])
def executions(request: Request) -> Response:
    """Every execution the caller may view, newest first, a page at a time."""
    chosen = listing.filters(request.user, request.query_params)
    rows = chosen.with_status(listing.status_param(request.query_params))
    limit = int_param(request, "limit", listing.PAGE_DEFAULT, listing.PAGE_MAX) or 1
    rows = rows.select_related("state_machine", "version").only(
        "id", "name", "status", "start_date", "stop_date", "state_machine__name", "version__number"
    )
    found, next_cursor = listing.page(
        rows.annotate(waiting=listing.waiting_for_approval()),
        request.query_params.get("cursor"),
        limit,
    )
    return Response({"executions": [summary_json(e) for e in found], "next_cursor": next_cursor})


@extend_schema(parameters=FILTERS[1:], responses={200: Counts, **errors(404)})
@api_view(["GET"])
def counts(request: Request) -> Response:
    """How many runs of each status match the filters (all but status)."""
    return Response({"counts": listing.counts(listing.filters(request.user, request.query_params))})


@extend_schema(request=BulkIn, responses={200: BulkOut, **errors(body=True)})
@api_view(["POST"])
def bulk(request: Request) -> Response:
    """Stops or redrives many runs; each has its own result, as one may fail and the rest not."""
    data = body(request)
    action, ids = data.get("action"), data.get("ids")
    if action not in ("stop", "redrive"):
        raise actions.ActionError("action must be stop or redrive.", field="action")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise actions.ActionError("ids must be a non-empty list of execution ids.", field="ids")
    if len(ids) > BULK_MAX:
        raise actions.ActionError(f"ids may hold at most {BULK_MAX} executions.", field="ids")
    results = []
    for execution_id in dict.fromkeys(ids):  # each once, in the order given
        try:
            execution = get_execution(request, execution_id, "operate")
            if action == "stop":
                execution = actions.stop_execution(execution, data.get("error"), data.get("cause"))
            else:
                execution = actions.redrive_execution(execution)
        except actions.ActionError as refused:
            results.append(
                {"id": execution_id, "ok": False, **error_body(refused.message, refused.code)}
            )
        except APIException as refused:  # NotFound, PermissionDenied
            code = (
                "ExecutionDoesNotExist" if refused.status_code == 404 else "AccessDeniedException"
            )
            results.append({"id": execution_id, "ok": False, **error_body(str(refused), code)})
        else:
            results.append({"id": execution_id, "ok": True, "status": execution.status})
    return Response({"results": results})


@extend_schema(responses={200: ChoiceTraceList, **errors(404)})
@api_view(["GET"])
def choice_traces(request: Request, execution_id: str) -> Response:
    """Why each Choice state of the run went where it went (see executor/choice_traces.py)."""
    execution = get_execution(request, execution_id)
    after = int_param(request, "after", 0)
    return Response({"choice_traces": choice_traces_of(execution, after)})
