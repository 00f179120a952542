"""History events shaped like AWS GetExecutionHistory's.

Every event is a dict ``{"id", "previousEventId", "type", "timestamp", <key>: details}``
where ``<key>`` is the details field AWS uses for that type (``stateEnteredEventDetails``,
``taskFailedEventDetails``, ...).  Inputs and outputs inside details are JSON text, as in AWS.
"""

from __future__ import annotations

import json
from typing import Any

NOT_TRUNCATED = {"truncated": False}

# Event types whose details key is not simply lowerCamel(type) + "EventDetails".
_DETAILS_KEY = {
    "PassStateEntered": "stateEnteredEventDetails",
    "TaskStateEntered": "stateEnteredEventDetails",
    "ChoiceStateEntered": "stateEnteredEventDetails",
    "WaitStateEntered": "stateEnteredEventDetails",
    "SucceedStateEntered": "stateEnteredEventDetails",
    "FailStateEntered": "stateEnteredEventDetails",
    "ParallelStateEntered": "stateEnteredEventDetails",
    "MapStateEntered": "stateEnteredEventDetails",
    "PassStateExited": "stateExitedEventDetails",
    "TaskStateExited": "stateExitedEventDetails",
    "ChoiceStateExited": "stateExitedEventDetails",
    "WaitStateExited": "stateExitedEventDetails",
    "SucceedStateExited": "stateExitedEventDetails",
    "ParallelStateExited": "stateExitedEventDetails",
    "MapStateExited": "stateExitedEventDetails",
    "MapIterationStarted": "mapIterationStartedEventDetails",
    "MapIterationSucceeded": "mapIterationSucceededEventDetails",
    "MapIterationFailed": "mapIterationFailedEventDetails",
    "MapIterationAborted": "mapIterationAbortedEventDetails",
}


def details_key(event_type: str) -> str:
    key = _DETAILS_KEY.get(event_type)
    if key is None:
        key = event_type[0].lower() + event_type[1:] + "EventDetails"
        _DETAILS_KEY[event_type] = key
    return key


# One encoder for every event: json.dumps with options would build a new one per call.
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def to_json(value: Any) -> str:
    """JSON text as AWS writes it in events: compact, non-ASCII kept."""
    return _ENCODER.encode(value)


def make_event(
    event_id: int,
    previous: int,
    event_type: str,
    timestamp: Any,
    details: dict[str, Any] | None,
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "id": event_id,
        "previousEventId": previous,
        "type": event_type,
        "timestamp": timestamp,
    }
    if details is not None:
        event[details_key(event_type)] = details
    return event


def error_details(error: str | None, cause: str | None) -> dict[str, Any]:
    details: dict[str, Any] = {}
    if error is not None:
        details["error"] = error
    if cause is not None:
        details["cause"] = cause
    return details


def state_event_prefix(state_type: str) -> str:
    return state_type if state_type else "Pass"


def parse_resource(resource: str) -> tuple[str, str, str]:
    """(kind, resourceType, resource) for a Task's Resource.

    kind is ``lambda`` for a Lambda function ARN (LambdaFunction* events) and ``task``
    for everything else (Task* events, with AWS's resourceType/resource split)."""
    parts = resource.split(":")
    if len(parts) >= 7 and parts[2] == "lambda" and parts[5] == "function":
        return "lambda", "lambda", resource
    if len(parts) >= 7 and parts[2] == "states" and parts[5] == "activity":
        return "activity", "activity", resource
    if len(parts) >= 7 and parts[2] == "states" and parts[3] == "" and parts[4] == "":
        return "task", parts[5], ":".join(parts[6:])
    return "task", parts[0] if parts else resource, resource


def region_of(resource: str, default: str = "us-east-1") -> str:
    parts = resource.split(":")
    if len(parts) > 3 and parts[3]:
        return parts[3]
    return default
