"""The REST API of Map Runs (Distributed Map states): ListMapRuns, DescribeMapRun, UpdateMapRun
and ListExecutions(mapRunArn), through the AWS operations themselves (awsapi.rest.call), with
the REST API's snake_case names (arn, start_date, next_cursor, as every other REST view)
rather than the AWS protocol's camelCase."""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

import asl.arns as arns
from awsapi.params import execution_arn
from awsapi.rest import call, listed
from designer.actions import ActionError
from designer.api import body
from designer.api_schema import PAGE, errors
from executor.api_schema import HistoryEvent
from executor.lookup import visible_execution
from executor.models import json_timestamp


def snake(name: str) -> str:
    """An AWS member's name as REST writes it: toleratedFailureCount -> tolerated_failure_count."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def snake_keys(shape: dict[str, Any]) -> dict[str, Any]:
    return {snake(key): value for key, value in shape.items()}


def map_run_json(answer: dict[str, Any]) -> dict[str, Any]:
    """DescribeMapRun's or ListMapRuns' member under REST's names; its ARN is ``arn``."""
    shown = {"arn" if key == "mapRunArn" else snake(key): value for key, value in answer.items()}
    for counts in ("item_counts", "execution_counts"):
        if counts in shown:
            shown[counts] = snake_keys(shown[counts])
    shown.setdefault("stop_date", None)
    return shown


def child_json(answer: dict[str, Any]) -> dict[str, Any]:
    """A child workflow of ListExecutions(mapRunArn) under REST's names."""
    shown = {"arn" if key == "executionArn" else snake(key): v for key, v in answer.items()}
    shown.setdefault("stop_date", None)
    return shown


class ItemCounts(serializers.Serializer):
    pending = serializers.IntegerField()
    running = serializers.IntegerField()
    succeeded = serializers.IntegerField()
    failed = serializers.IntegerField()
    timed_out = serializers.IntegerField()
    aborted = serializers.IntegerField()
    total = serializers.IntegerField()
    results_written = serializers.IntegerField()
    failures_not_redrivable = serializers.IntegerField()
    pending_redrive = serializers.IntegerField()


class MapRunListed(serializers.Serializer):
    arn = serializers.CharField(help_text="The Map Run's ARN: ...:mapRun:MACHINE/LABEL:ID.")
    execution_arn = serializers.CharField(help_text="The execution whose Map state it is.")
    state_machine_arn = serializers.CharField(help_text="Its child workflow: MACHINE/LABEL.")
    start_date = serializers.DateTimeField()
    stop_date = serializers.DateTimeField(allow_null=True)


class MapRunList(serializers.Serializer):
    map_runs = MapRunListed(many=True)
    next_cursor = serializers.CharField(allow_null=True)


class MapRunShown(serializers.Serializer):
    arn = serializers.CharField()
    execution_arn = serializers.CharField()
    status = serializers.ChoiceField(["RUNNING", "SUCCEEDED", "FAILED", "ABORTED"])
    start_date = serializers.DateTimeField()
    stop_date = serializers.DateTimeField(allow_null=True)
    max_concurrency = serializers.IntegerField(help_text="0: no limit.")
    tolerated_failure_percentage = serializers.FloatField()
    tolerated_failure_count = serializers.IntegerField()
    item_counts = ItemCounts()
    execution_counts = ItemCounts(help_text="One child workflow per item: as item_counts.")
    redrive_count = serializers.IntegerField()


class MapRunChild(serializers.Serializer):
    arn = serializers.CharField(help_text="The child execution's ARN.")
    name = serializers.CharField()
    state_machine_arn = serializers.CharField()
    map_run_arn = serializers.CharField()
    status = serializers.CharField()
    start_date = serializers.DateTimeField()
    stop_date = serializers.DateTimeField(allow_null=True)


class MapRunChildList(serializers.Serializer):
    executions = MapRunChild(many=True)
    next_cursor = serializers.CharField(allow_null=True)


class ChildHistory(serializers.Serializer):
    events = HistoryEvent(many=True, help_text="In id order (latest first with ?reverse=true).")
    next_cursor = serializers.CharField(allow_null=True)


class MapRunUpdate(serializers.Serializer):
    max_concurrency = serializers.IntegerField(required=False, min_value=0)
    tolerated_failure_count = serializers.IntegerField(required=False, min_value=0)
    tolerated_failure_percentage = serializers.FloatField(
        required=False, min_value=0, max_value=100
    )


# UpdateMapRun's members by their REST names.
UPDATE_MEMBERS = {
    "max_concurrency": "maxConcurrency",
    "tolerated_failure_count": "toleratedFailureCount",
    "tolerated_failure_percentage": "toleratedFailurePercentage",
}


def _execution_arn(request: Request, execution_id: str) -> str:
    found = visible_execution(request.user, execution_id)
    if found is None:
        raise ActionError(
            f"No execution with id {execution_id!r}.", code="ExecutionDoesNotExist", status=404
        )
    return execution_arn(found)


@extend_schema(parameters=PAGE, responses={200: MapRunList, **errors(404)})
@api_view(["GET"])
def execution_map_runs(request: Request, execution_id: str) -> Response:
    """The Map Runs of an execution's Distributed Map states (ListMapRuns)."""
    data = {"executionArn": _execution_arn(request, execution_id)}
    page = listed("ListMapRuns", request.user, data, request, "mapRuns")
    return Response(
        {
            "map_runs": [map_run_json(run) for run in page["mapRuns"]],
            "next_cursor": page["next_cursor"],
        }
    )


@extend_schema(methods=["GET"], responses={200: MapRunShown, **errors(404)})
@extend_schema(methods=["PUT"], request=MapRunUpdate, responses={200: MapRunShown, **errors(404)})
@api_view(["GET", "PUT"])
def map_run(request: Request, arn: str) -> Response:
    """A Map Run by its ARN (DescribeMapRun); PUT changes its concurrency or tolerated
    failures while it runs (UpdateMapRun)."""
    if request.method == "PUT":
        data = body(request)
        unknown = sorted(set(data) - set(UPDATE_MEMBERS))
        if unknown:
            raise ActionError(
                f"Unknown member {unknown[0]!r}: give {', '.join(UPDATE_MEMBERS)}.",
                field=unknown[0],
            )
        try:
            call(
                "UpdateMapRun",
                request.user,
                {
                    **{UPDATE_MEMBERS[key]: value for key, value in data.items()},
                    "mapRunArn": arn,
                },
            )
        except ActionError as exc:
            # The operation words its refusal in AWS's names: REST's are the client's.
            for rest_name, aws_name in UPDATE_MEMBERS.items():
                exc.message = exc.message.replace(aws_name, rest_name)
            exc.field = snake(exc.field) if exc.field else None
            raise
    return Response(map_run_json(call("DescribeMapRun", request.user, {"mapRunArn": arn})))


@extend_schema(parameters=PAGE, responses={200: MapRunChildList, **errors(404)})
@api_view(["GET"])
def map_run_executions(request: Request, arn: str) -> Response:
    """The child workflows of a Map Run, one per started item (ListExecutions(mapRunArn));
    ?status= keeps those of one status."""
    data: dict[str, Any] = {"mapRunArn": arn}
    status = request.query_params.get("status")
    if status is not None:
        data["statusFilter"] = status
    page = listed("ListExecutions", request.user, data, request, "executions")
    return Response(
        {
            "executions": [child_json(child) for child in page["executions"]],
            "next_cursor": page["next_cursor"],
        }
    )


@extend_schema(parameters=PAGE, responses={200: ChildHistory, **errors(404)})
@api_view(["GET"])
def child_execution_history(request: Request, arn: str) -> Response:
    """The own history of a Map Run's child execution, by its ARN (GetExecutionHistory):
    its events in AWS's shape, ?limit and ?cursor a page at a time, ?reverse=true the latest
    first."""
    if arns.map_run_of(arn) is None:
        raise ActionError(
            f"Execution Does Not Exist: '{arn}'", code="ExecutionDoesNotExist", status=404
        )
    reverse = request.query_params.get("reverse", "false")
    if reverse not in ("true", "false"):
        raise ActionError("reverse must be true or false.", field="reverse")
    data = {"executionArn": arn, "reverseOrder": reverse == "true"}
    page = listed("GetExecutionHistory", request.user, data, request, "events")
    events = [{**e, "timestamp": json_timestamp(e["timestamp"])} for e in page["events"]]
    return Response({"events": events, "next_cursor": page["next_cursor"]})
