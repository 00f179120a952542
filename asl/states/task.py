"""The Task state: a request to its driver, and the answer's events
(https://states-language.net/#task-state)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from asl import task_resources
from asl.errors import StatesError
from asl.frames import (
    QUERY_EVALUATION_ERROR,
    Frame,
)
from asl.history import NOT_TRUNCATED, error_details, parse_resource, region_of, to_json
from asl.limits import DATA_LIMIT_EXCEEDED, check_input, json_size
from asl.machine import Dynamic, State

if TYPE_CHECKING:
    from asl.interpreter import Execution


def task_state(ex: Execution, frame: Frame, st: State) -> None:
    pattern = task_resources.pattern(st.resource)
    if pattern == "wait_for_task_token" and frame.token is None:
        frame.token = uuid.uuid4().hex + uuid.uuid4().hex
    payload = ex.parameters(frame, st)
    ctx = ex.context_object(frame, st)
    timeout = heartbeat = None
    if st.timeout is not None:
        timeout = _positive(ex, frame, st, st.timeout, frame.input, ctx)
    if st.heartbeat is not None:
        heartbeat = _positive(ex, frame, st, st.heartbeat, frame.input, ctx)
    kind, resource_type, resource = parse_resource(st.resource)
    text = to_json(payload)
    check_input(st.name, text, ex.limit)
    if kind in _EVENT_PREFIX:
        details: dict[str, Any] = {"resource": st.resource, "input": text}
        details["inputDetails"] = NOT_TRUNCATED
        if timeout is not None:
            details["timeoutInSeconds"] = int(timeout)
        if heartbeat is not None:
            details["heartbeatInSeconds"] = int(heartbeat)
        ex.emit(frame, _EVENT_PREFIX[kind] + "Scheduled", details)
        if kind == "lambda":  # an activity starts when a worker takes it, not now
            ex.emit(frame, "LambdaFunctionStarted", None)
    else:
        details = {
            "resourceType": resource_type,
            "resource": resource,
            "region": region_of(st.resource, _region(ex)),
            "parameters": text,
        }
        if timeout is not None:
            details["timeoutInSeconds"] = int(timeout)
        if heartbeat is not None:
            details["heartbeatInSeconds"] = int(heartbeat)
        ex.emit(frame, "TaskScheduled", details)
        ex.emit(frame, "TaskStarted", {"resourceType": resource_type, "resource": resource})
    if ex.mock is not None and frame.parent is None:
        task_answered(ex, frame, st, ex.mock)
        return
    frame.wait_kind = "task"
    ex.request(
        frame,
        {
            "kind": "invoke",
            "id": ex.new_id("i"),
            "state_name": st.name,
            "resource": st.resource,
            "payload": payload,
            "timeout_seconds": timeout,
            "heartbeat_seconds": heartbeat,
            "pattern": pattern,
            "task_token": frame.token,
        },
    )


def _region(ex: Execution) -> str:
    parts = str(ex.exec_ctx.get("Id", "")).split(":")
    return parts[3] if len(parts) > 3 and parts[3] else "us-east-1"


def _positive(ex: Execution, frame: Frame, st: State, dyn: Dynamic, data: Any, ctx: Any) -> float:
    value = ex.dynamic(frame, st, dyn, data, ctx)
    # A whole number: an int, or in JSONata (whose numbers are doubles) an integral float.
    whole = type(value) is int or (type(value) is float and value.is_integer())
    if not whole or value <= 0:
        raise StatesError(
            QUERY_EVALUATION_ERROR if st.jsonata else "States.Runtime",
            f"The {dyn.name} field must be a positive integer, but was {to_json(value)}.",
        )
    return float(value)


# Lambda functions and activities have event types of their own; everything else is Task*.
_EVENT_PREFIX = {"lambda": "LambdaFunction", "activity": "Activity"}


def task_outcome_event(ex: Execution, frame: Frame, st: State, answer: dict[str, Any]) -> None:
    """The TaskFailed/TaskTimedOut (or LambdaFunction...) event of an error answer."""
    kind, resource_type, resource = parse_resource(st.resource)
    error = answer.get("error")
    if error is None:
        return
    prefix = _EVENT_PREFIX.get(kind, "Task")
    base = {} if kind in _EVENT_PREFIX else {"resourceType": resource_type, "resource": resource}
    timed_out = error in ("States.Timeout", "States.HeartbeatTimeout")
    ex.emit(
        frame,
        prefix + ("TimedOut" if timed_out else "Failed"),
        {**base, **error_details(error, answer.get("cause"))},
    )


def task_answered(ex: Execution, frame: Frame, st: State, answer: dict[str, Any]) -> None:
    kind, resource_type, resource = parse_resource(st.resource)
    prefix = _EVENT_PREFIX.get(kind, "Task")
    base = {} if kind in _EVENT_PREFIX else {"resourceType": resource_type, "resource": resource}
    error = answer.get("error")
    if error is not None:
        task_outcome_event(ex, frame, st, answer)
        ex.handle_failure(frame, st, error, answer.get("cause"))
        return
    result = answer.get("result")
    text = to_json(result)
    if json_size(text) > ex.limit:
        error = DATA_LIMIT_EXCEEDED
        cause = (
            f"The state/task '{st.name if kind == 'lambda' else resource_type}' returned a "
            "result with a size exceeding the maximum number of bytes service limit."
        )
        ex.emit(frame, prefix + "Failed", {**base, "error": error, "cause": cause})
        ex.handle_failure(frame, st, error, cause)
        return
    ex.emit(frame, prefix + "Succeeded", {**base, "output": text, "outputDetails": NOT_TRUNCATED})
    ex.note(frame, "result", result)
    ex.finish(frame, st, result)
