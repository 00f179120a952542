"""REST endpoints for the outside world's answers: task tokens and activity workers."""

from __future__ import annotations

import asyncio
import json
import time

from asgiref.sync import sync_to_async
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authentication import TokenAuthentication
from rest_framework.decorators import api_view
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework.response import Response

from designer.actions import ActionError, check_name
from designer.api import body
from designer.api_schema import errors
from executor import pending
from executor.api_schema import Answered

LONG_POLL_SECONDS = 60.0
POLL_INTERVAL = 0.2


class SuccessIn(serializers.Serializer):
    taskToken = serializers.CharField()  # noqa: N815 - AWS's field names
    output = serializers.JSONField(help_text="The task's result, any JSON value.")


class FailureIn(serializers.Serializer):
    taskToken = serializers.CharField()  # noqa: N815
    error = serializers.CharField(required=False)
    cause = serializers.CharField(required=False)


class HeartbeatIn(serializers.Serializer):
    taskToken = serializers.CharField()  # noqa: N815


@extend_schema(request=SuccessIn, responses={200: Answered, **errors(409, body=True)})
@api_view(["POST"])
def task_success(request: Request) -> Response:
    data = body(request)
    if "output" not in data:
        raise ActionError("output is required (any JSON value).", field="output")
    pending.send_success(data.get("taskToken"), data["output"])
    return Response({})


@extend_schema(request=FailureIn, responses={200: Answered, **errors(409, body=True)})
@api_view(["POST"])
def task_failure(request: Request) -> Response:
    data = body(request)
    pending.send_failure(data.get("taskToken"), data.get("error"), data.get("cause"))
    return Response({})


@extend_schema(request=HeartbeatIn, responses={200: Answered, **errors(409, body=True)})
@api_view(["POST"])
def task_heartbeat(request: Request) -> Response:
    pending.send_heartbeat(body(request).get("taskToken"))
    return Response({})


def _error(message: str, status: int, field: str | None = None) -> JsonResponse:
    return JsonResponse({"detail": message, **({"field": field} if field else {})}, status=status)


@sync_to_async
def _authenticated(request: HttpRequest) -> bool:
    try:
        found = TokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        return False
    return found is not None


@csrf_exempt
async def activity_tasks(request: HttpRequest, name: str) -> JsonResponse:
    """GetActivityTask: waits up to 60 s (or `wait` seconds) for a task of this activity and
    hands it to this worker alone. An async view, so a waiting worker holds no thread."""
    if request.method != "POST":
        return _error("Use POST.", 405)
    if not await _authenticated(request):
        return _error("Send an API key: 'Authorization: Token KEY'.", 401)
    try:
        check_name(name, "activity name")
        data = json.loads(request.body or b"{}")
        if not isinstance(data, dict):
            raise ActionError("The request body must be a JSON object.")
        wait = data.get("wait", LONG_POLL_SECONDS)
        if not isinstance(wait, int | float) or isinstance(wait, bool) or not 0 <= wait <= 60:
            raise ActionError("wait must be a number of seconds from 0 to 60.", field="wait")
        worker = data.get("workerName", "")
        if not isinstance(worker, str):
            raise ActionError("workerName must be a string.", field="workerName")
    except (ValueError, RecursionError):  # RecursionError: nested deeper than json can parse
        return _error("The request body is not valid JSON.", 400)
    except ActionError as exc:
        return _error(exc.message, exc.status, exc.field)
    give_up = time.monotonic() + float(wait)
    while True:
        task = await sync_to_async(pending.claim_activity_task)(name, worker)
        if task is not None:
            return JsonResponse({"taskToken": task.token, "input": task.payload})
        if time.monotonic() >= give_up:
            return JsonResponse({"taskToken": None, "input": None})
        await asyncio.sleep(min(POLL_INTERVAL, max(give_up - time.monotonic(), 0)))
