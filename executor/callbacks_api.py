"""REST endpoints for the outside world's answers: task tokens and activity workers."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authentication import TokenAuthentication
from rest_framework.decorators import api_view
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework.response import Response

from designer import json_text
from designer.actions import ActionError, check_name, check_storable
from designer.api import body
from designer.api_errors import error_body
from designer.api_schema import errors
from executor import live, pending
from executor.api_schema import Answered
from executor.models import PendingTask

LONG_POLL_SECONDS = 60.0
# A waiting poll looks again this often even without an announcement (a lost pub/sub
# message, a task whose earlier claimer went away): coarse, as the announcement is the rule.
RECHECK_SECONDS = 5.0


class SuccessIn(serializers.Serializer):
    taskToken = serializers.CharField()  # noqa: N815 - AWS's field names
    output = serializers.JSONField(help_text=f"The task's result: {json_text.HELP}")


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
        raise ActionError("output is required (JSON text or a JSON value).", field="output")
    output = json_text.value_of(data["output"], "output", "InvalidOutput")
    pending.send_success(data.get("taskToken"), output, user=request.user)
    return Response({})


@extend_schema(request=FailureIn, responses={200: Answered, **errors(409, body=True)})
@api_view(["POST"])
def task_failure(request: Request) -> Response:
    data = body(request)
    pending.send_failure(
        data.get("taskToken"), data.get("error"), data.get("cause"), user=request.user
    )
    return Response({})


@extend_schema(request=HeartbeatIn, responses={200: Answered, **errors(409, body=True)})
@api_view(["POST"])
def task_heartbeat(request: Request) -> Response:
    pending.send_heartbeat(body(request).get("taskToken"), user=request.user)
    return Response({})


def _error(message: str, status: int, code: str, field: str | None = None) -> JsonResponse:
    # The same body as every other API error (designer.api_errors), outside DRF.
    return JsonResponse(error_body(message, code, field), status=status)


def _authenticated(request: HttpRequest) -> Any:
    """The user of the request's API key, or None."""
    try:
        found = TokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        return None
    finally:
        _release_connection()
    return found[0] if found is not None else None


def _claim(name: str, user: Any, worker: str) -> PendingTask | None:
    try:
        return pending.claim_activity_task(name, user, worker)
    finally:
        _release_connection()


def _release_connection() -> None:
    """Hands the thread's connection back to the pool, so a waiting poll holds none (not
    inside a transaction, which is its caller's, e.g. a test's)."""
    if not connection.in_atomic_block:
        connection.close()


# The long polls each user holds open in this web process.
_polls: Counter[int] = Counter()


@contextlib.contextmanager
def poll_slot(user: Any) -> Iterator[bool]:
    """Whether the user may hold one more long poll; the slot is theirs until the poll ends
    (answered, timed out, or the client went away)."""
    if _polls[user.pk] >= settings.ACTIVITY_POLLS_PER_USER:
        yield False
        return
    _polls[user.pk] += 1
    try:
        yield True
    finally:
        _polls[user.pk] -= 1
        if _polls[user.pk] <= 0:
            del _polls[user.pk]


@csrf_exempt
async def activity_tasks(request: HttpRequest, name: str) -> JsonResponse:
    """GetActivityTask: waits up to 60 s (or `wait` seconds) for a task of this activity, of
    a run whose machine the worker's user may operate, and hands it to this worker alone.

    An async view, so a waiting worker holds no thread, and no database connection either:
    it checks once, then sleeps until the runner announces a new task of the activity on
    the channel layer (or RECHECK_SECONDS pass, in case an announcement was lost)."""
    if request.method != "POST":
        return _error("Use POST.", 405, "MethodNotAllowed")
    user = await sync_to_async(_authenticated)(request)
    if user is None:
        return _error("Send an API key: 'Authorization: Token KEY'.", 401, "NotAuthenticated")
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
        check_storable(worker, "workerName")
    except (ValueError, RecursionError):  # RecursionError: nested deeper than json can parse
        return _error("The request body is not valid JSON.", 400, "SerializationException", "body")
    except ActionError as exc:
        return _error(exc.message, exc.status, exc.code, exc.field)
    with poll_slot(user) as allowed:
        if not allowed:
            return _error(
                f"This user already holds {settings.ACTIVITY_POLLS_PER_USER} activity polls "
                "(ACTIVITY_POLLS_PER_USER): wait for one to return before polling again.",
                429,
                "ThrottlingException",
            )
        task = await wait_for_task(name, user, worker, float(wait))
    if task is None:
        return JsonResponse({"taskToken": None, "input": None})
    return JsonResponse({"taskToken": task.token, "input": task.payload})


async def wait_for_task(name: str, user: Any, worker: str, wait: float) -> PendingTask | None:
    give_up = time.monotonic() + wait
    layer = get_channel_layer()
    if layer is None:  # no layer configured: the coarse re-check alone
        return await _recheck_only(name, user, worker, give_up)
    group, channel = live.activity_group(name), await layer.new_channel()
    # Listening before the first check: a task committed in between still wakes us.
    await layer.group_add(group, channel)
    # One receive stays pending across re-checks, so no announcement falls between two.
    receiving = asyncio.ensure_future(layer.receive(channel))
    try:
        while True:
            task = await sync_to_async(_claim)(name, user, worker)
            left = give_up - time.monotonic()
            if task is not None or left <= 0:
                return task
            await asyncio.wait({receiving}, timeout=min(left, RECHECK_SECONDS))
            if receiving.done():
                if receiving.exception() is not None:  # a broken layer: re-check alone
                    return await _recheck_only(name, user, worker, give_up)
                receiving = asyncio.ensure_future(layer.receive(channel))
    finally:
        # Cancelling its receive is how a channel layer learns a channel is gone (the Redis
        # layer unsubscribes it then), as when a WebSocket consumer closes.
        receiving.cancel()
        with contextlib.suppress(BaseException):
            await receiving
        await layer.group_discard(group, channel)


async def _recheck_only(name: str, user: Any, worker: str, give_up: float) -> PendingTask | None:
    while True:
        task = await sync_to_async(_claim)(name, user, worker)
        left = give_up - time.monotonic()
        if task is not None or left <= 0:
            return task
        await asyncio.sleep(min(left, RECHECK_SECONDS))
