"""The AWS JSON 1.0 endpoint at the server's base URL, as AWS serves https://states.REGION.amazonaws.com/:
`POST /` with `X-Amz-Target: AWSStepFunctions.<Operation>`, signed with SigV4. Any other
request to `/` is the home page's.

It is an async view, so that GetActivityTask's long poll holds neither a thread nor a
database connection while it waits (as the REST poll, executor.callbacks_api); every other
operation runs in a thread of its own request.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from types import SimpleNamespace
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from awsapi import operations, sigv4
from awsapi.errors import AwsError, from_action, response
from config.throttling import AnonRateThrottle, UserRateThrottle
from designer.actions import ActionError
from designer.views import index
from executor import callbacks_api

logger = logging.getLogger(__name__)
TARGET_PREFIX = "AWSStepFunctions."
CONTENT_TYPE = "application/x-amz-json-1.0"
# The home page keeps Django's CSRF check: only the AWS protocol (signed, never sent by a
# browser form with cookies alone) is exempt.
home = csrf_protect(index)
# AWS's answer to too many requests, which the SDKs retry after a back-off.
THROTTLED = AwsError("ThrottlingException", "Rate exceeded")


class AwsJSONEncoder(json.JSONEncoder):
    """AWS JSON 1.0 writes timestamps as epoch seconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime):
            return o.timestamp()
        return super().default(o)


@csrf_exempt
async def root(request: HttpRequest) -> HttpResponse:
    target = request.headers.get("X-Amz-Target")
    if request.method != "POST" or target is None:
        return await sync_to_async(home)(request)
    answer = await _serve(request, target)
    answer["x-amzn-RequestId"] = str(uuid.uuid4())
    return answer


async def _serve(request: HttpRequest, target: str) -> HttpResponse:
    try:
        name = target.removeprefix(TARGET_PREFIX)
        if not target.startswith(TARGET_PREFIX) or (
            name not in operations.OPERATIONS and name != "GetActivityTask"
        ):
            raise AwsError("UnknownOperationException", f"Unknown operation: {target!r}.")
        user = await sync_to_async(_authenticate)(request)
        data = _body(request)
        if name == "GetActivityTask":
            return await _get_activity_task(user, data)
        return await sync_to_async(_run)(name, user, data)
    except AwsError as error:
        return response(error)


def _authenticate(request: HttpRequest) -> Any:
    """The signer's user, within the REST API's rates: one budget per user whichever API
    they call; refused signatures count against their address's anonymous rate."""
    try:
        try:
            user = sigv4.authenticate(request)
        except AwsError:
            if not AnonRateThrottle().allow_request(request, None):
                raise THROTTLED from None
            raise
        as_user = SimpleNamespace(user=user, META=request.META)
        if not UserRateThrottle().allow_request(as_user, None):
            raise THROTTLED
        return user
    finally:
        _release_connection()


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, RecursionError):
        raise AwsError("SerializationException", "The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise AwsError("SerializationException", "The request body must be a JSON object.")
    return data


def _run(name: str, user: Any, data: dict[str, Any]) -> HttpResponse:
    try:
        answer = operations.OPERATIONS[name](user, data)
    except ActionError as exc:  # an action's refusal the operation did not word itself
        return response(from_action(exc))
    except AwsError:
        raise
    except Exception:
        # A bug of ours: logged with its stack, answered in the protocol's shape.
        logger.exception("AWS API operation %s failed", name)
        return response(AwsError("InternalFailure", "The server failed to serve the request."))
    finally:
        _release_connection()
    return JsonResponse(answer, encoder=AwsJSONEncoder, content_type=CONTENT_TYPE)


def _release_connection() -> None:
    # As the REST poll does: a request served in a thread of its own hands its connection
    # back, so a thread's idle connection is never left open (not inside a test's transaction).
    if not connection.in_atomic_block:
        connection.close()


async def _get_activity_task(user: Any, data: dict[str, Any]) -> HttpResponse:
    """GetActivityTask: waits up to AWS_ACTIVITY_POLL_SECONDS (60 s, as AWS) for a task of the
    activity, of a run whose machine the user may operate; an empty answer after that."""

    def read() -> tuple[str, str]:
        try:
            return operations.activity_poll_request(data)
        finally:
            _release_connection()

    activity, worker = await sync_to_async(read)()
    with callbacks_api.poll_slot(user) as allowed:
        if not allowed:
            raise AwsError(
                "ActivityWorkerLimitExceeded",
                f"This user already holds {settings.ACTIVITY_POLLS_PER_USER} activity polls "
                "(ACTIVITY_POLLS_PER_USER): wait for one to return before polling again.",
            )
        task = await callbacks_api.wait_for_task(
            activity, user, worker, settings.AWS_ACTIVITY_POLL_SECONDS
        )
    answer = {} if task is None else {"taskToken": task.token, "input": json.dumps(task.payload)}
    return JsonResponse(answer, content_type=CONTENT_TYPE)
