"""``asl.run``: drives the stepper to the end in-process, and Lambda's presentation.

Invoke requests for Lambda functions are served by Python callables from ``functions``
(``handler(event, context)``), with results and errors shaped exactly as Lambda and Step
Functions show them; ``invoke_function`` is reusable by any driver that serves Lambda ARNs
from Python functions.  Sleep requests are answered through ``clock.sleep``, so a virtual
clock makes long waits free.
"""

from __future__ import annotations

import contextlib
import json
import time
import traceback
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any, Protocol

from asl.errors import StatesError
from asl.frames import ExecutionStatus
from asl.interpreter import Execution, ExecutionContext, Invoke, Sleep
from asl.machine import Machine

Handler = Callable[[Any, Any], Any]
DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT = "123456789012"


class Clock(Protocol):
    def now(self) -> datetime: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """Real time, for runs outside tests."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


@dataclass(slots=True)
class RunResult:
    status: ExecutionStatus
    output: Any = None
    error: str | None = None
    cause: str | None = None
    events: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Answer:
    result: Any = None
    error: str | None = None
    cause: str | None = None


class _LambdaContext:
    """The few attributes handlers commonly read from Lambda's context object."""

    def __init__(self, name: str, request_id: str) -> None:
        self.function_name = name
        self.aws_request_id = request_id
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = 128

    def get_remaining_time_in_millis(self) -> int:
        return 900_000


def _function_parts(name_or_arn: str, region: str, account: str) -> tuple[str, str, str, str]:
    """(name, qualifier, region, account) for any form Lambda accepts as FunctionName."""
    parts = name_or_arn.split(":")
    if len(parts) >= 7 and parts[0] == "arn":
        qualifier = parts[7] if len(parts) > 7 else "$LATEST"
        return parts[6], qualifier, parts[3] or region, parts[4] or account
    if len(parts) >= 3 and parts[1] == "function":  # ACCOUNT:function:NAME[:QUALIFIER]
        return parts[2], parts[3] if len(parts) > 3 else "$LATEST", region, parts[0]
    if len(parts) == 2:
        return parts[0], parts[1], region, account
    return name_or_arn, "$LATEST", region, account


def _not_found(name: str, qualifier: str, region: str, account: str) -> Answer:
    return Answer(
        error="Lambda.ResourceNotFoundException",
        cause=(
            f"Function not found: arn:aws:lambda:{region}:{account}:function:{name}:"
            f"{qualifier} (Service: AWSLambda; Status Code: 404; Error Code: "
            f"ResourceNotFoundException; Request ID: {uuid.uuid4()}; Proxy: null)"
        ),
    )


def _call(handler: Handler, name: str, event: Any) -> tuple[Answer, str]:
    request_id = str(uuid.uuid4())
    try:
        value = handler(event, _LambdaContext(name, request_id))
        # A round trip through JSON is what the wire does: it also isolates the result.
        text = json.dumps(value)
        return Answer(result=json.loads(text)), text
    except Exception as exc:  # noqa: BLE001 - any handler failure is a Lambda function error
        error_type = type(exc).__name__
        cause = {
            "errorMessage": str(exc),
            "errorType": error_type,
            "requestId": request_id,
            "stackTrace": traceback.format_tb(exc.__traceback__),
        }
        return Answer(error=error_type, cause=json.dumps(cause)), ""


def _sdk_response(payload: Any, text: str, request_id: str, now: datetime) -> dict[str, Any]:
    date = format_datetime(now.astimezone(UTC), usegmt=True)
    trace = f"Root=1-{uuid.uuid4().hex[:8]}-{uuid.uuid4().hex[:24]};Sampled=0;Lineage=1"
    headers = {
        "Connection": "keep-alive",
        "Content-Length": str(len(text.encode("utf-8"))),
        "Content-Type": "application/json",
        "Date": date,
        "X-Amz-Executed-Version": "$LATEST",
        "X-Amzn-Trace-Id": trace,
        "x-amzn-Remapped-Content-Length": "0",
        "x-amzn-RequestId": request_id,
    }
    return {
        "ExecutedVersion": "$LATEST",
        "Payload": payload,
        "SdkHttpMetadata": {
            "AllHttpHeaders": {k: [v] for k, v in headers.items()},
            "HttpHeaders": headers,
            "HttpStatusCode": 200,
        },
        "SdkResponseMetadata": {"RequestId": request_id},
        "StatusCode": 200,
    }


def invoke_function(
    handler: Handler | None,
    name: str,
    request: Invoke,
    *,
    clock: Clock | None = None,
    region: str = DEFAULT_REGION,
    account: str = DEFAULT_ACCOUNT,
) -> dict[str, Any]:
    """Serves an Invoke for a Lambda function ARN or ``lambda:invoke`` with ``handler``
    (None: no such function), presented exactly as Lambda and Step Functions do.

    Returns the keyword arguments for ``Execution.resume``: ``{"result": ...}`` or
    ``{"error": ..., "cause": ...}``; a call that outlasts the request's TimeoutSeconds or
    HeartbeatSeconds (measured on ``clock``) is a ``States.Timeout``/``HeartbeatTimeout``."""
    clock = clock or SystemClock()
    started = clock.now()
    answer = _present(handler, name, request, clock, region, account)
    elapsed = (clock.now() - started).total_seconds()
    if request.timeout_seconds is not None and elapsed > request.timeout_seconds:
        answer = Answer(error="States.Timeout")
    elif request.heartbeat_seconds is not None and elapsed > request.heartbeat_seconds:
        answer = Answer(error="States.HeartbeatTimeout")
    if answer.error is not None:
        return {"error": answer.error, "cause": answer.cause}
    return {"result": answer.result}


def _present(
    handler: Handler | None,
    name: str,
    request: Invoke,
    clock: Clock,
    region: str,
    account: str,
) -> Answer:
    is_service = request.resource.startswith("arn:aws:states:::lambda:invoke")
    params = request.payload if isinstance(request.payload, dict) else {}
    target = str(params.get("FunctionName", name)) if is_service else request.resource
    _, qualifier, fn_region, fn_account = _function_parts(target, region, account)
    if handler is None:
        return _not_found(name, qualifier, fn_region, fn_account)
    if not is_service:
        answer, _ = _call(handler, name, request.payload)
        return answer
    event = params.get("Payload")
    if event is None:
        event = {}
    elif isinstance(event, str):
        # A string Payload is sent as the request body itself, i.e. as JSON text.
        with contextlib.suppress(ValueError):
            event = json.loads(event)
    answer, text = _call(handler, name, event)
    if answer.error is not None:
        return answer
    return Answer(result=_sdk_response(answer.result, text, str(uuid.uuid4()), clock.now()))


def serve(
    request: Invoke,
    functions: Mapping[str, Handler],
    clock: Clock,
    region: str = DEFAULT_REGION,
    account: str = DEFAULT_ACCOUNT,
) -> dict[str, Any]:
    """How ``asl.run`` answers an Invoke: Lambda resources from ``functions`` by function
    name; any other resource by its full name in ``functions`` (called with the payload)."""
    resource = request.resource
    if resource in functions:
        answer, _ = _call(functions[resource], resource, request.payload)
        if answer.error is not None:
            return {"error": answer.error, "cause": answer.cause}
        return {"result": answer.result}
    parts = resource.split(":")
    if len(parts) >= 7 and parts[2] == "lambda" and parts[5] == "function":
        name = _function_parts(resource, region, account)[0]
    elif resource.startswith("arn:aws:states:::lambda:invoke"):
        params = request.payload if isinstance(request.payload, dict) else {}
        function_name = params.get("FunctionName")
        if not isinstance(function_name, str):
            return {
                "error": "States.Runtime",
                "cause": "The field 'FunctionName' is required for arn:aws:states:::lambda:invoke.",
            }
        name = _function_parts(function_name, region, account)[0]
    else:
        return {
            "error": "States.TaskFailed",
            "cause": f"No handler is registered for the resource '{resource}'.",
        }
    return invoke_function(
        functions.get(name), name, request, clock=clock, region=region, account=account
    )


def _region_account(ctx: ExecutionContext) -> tuple[str, str]:
    parts = ctx.id.split(":")
    if len(parts) > 4:
        return parts[3] or DEFAULT_REGION, parts[4] or DEFAULT_ACCOUNT
    return DEFAULT_REGION, DEFAULT_ACCOUNT


def run(
    definition: Any,
    input: Any = None,
    *,
    functions: Mapping[str, Handler] | None = None,
    clock: Clock | None = None,
    context: ExecutionContext | None = None,
) -> RunResult:
    """Runs a machine to its end in-process and returns status, output and history."""
    from asl import parse

    machine = definition if isinstance(definition, Machine) else parse(definition)
    clock = clock or SystemClock()
    functions = functions or {}
    context = context or ExecutionContext(start_time=clock.now())
    if context.start_time is None:
        context.start_time = clock.now()
    region, account = _region_account(context)
    ex = Execution.start(machine, input, context=context, now=clock.now())
    events: list[dict[str, Any]] = []
    invokes: list[Invoke] = []
    sleeps: dict[str, Sleep] = {}
    while True:
        step = ex.step(clock.now())
        events.extend(step.events)
        if step.status != "RUNNING":
            return RunResult(step.status, step.output, step.error, step.cause, events)
        for request in step.requests:
            if isinstance(request, Invoke):
                invokes.append(request)
            else:
                sleeps[request.id] = request
        if invokes:
            # Requests issued together run concurrently in AWS: each is timed on its own,
            # and all are answered before the interpreter sees any of the answers.
            for request in invokes:
                if request.pattern == "wait_for_task_token" and request.resource not in functions:
                    _expire(ex, request, clock)
                    continue
                ex.resume(request.id, **serve(request, functions, clock, region, account))
            invokes.clear()
            continue
        if step.more_ready:
            continue  # the step yielded after its budget: nothing waits yet
        live = {request.id for request in ex.pending()}
        sleeps = {key: sleep for key, sleep in sleeps.items() if key in live}  # not cancelled
        if not sleeps:
            raise StatesError("States.Runtime", "the execution waits for nothing it can finish")
        first = min(sleeps.values(), key=lambda s: s.until)
        delay = (first.until - clock.now()).total_seconds()
        if delay > 0:
            clock.sleep(delay)
        now = clock.now()
        for sleep in sorted(sleeps.values(), key=lambda s: s.until):
            if sleep.until <= now:
                del sleeps[sleep.id]
                ex.resume(sleep.id)


def _expire(ex: Execution, request: Invoke, clock: Clock) -> None:
    """No one can send a task token back in-process: the task waits out its timeout."""
    limit = request.heartbeat_seconds or request.timeout_seconds
    if limit is None:
        ex.resume(
            request.id,
            error="States.Runtime",
            cause="No callback can arrive for a task token in an in-process run.",
        )
        return
    clock.sleep(limit)
    timeout = "States.HeartbeatTimeout" if request.heartbeat_seconds else "States.Timeout"
    ex.resume(request.id, error=timeout)
