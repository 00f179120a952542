"""Task resources: how the durable runner answers the interpreter's Invoke requests.

| Resource                                         | served by                                   |
| ------------------------------------------------ | ------------------------------------------- |
| `arn:aws:lambda:REGION:ACCOUNT:function:NAME`,   | the Python function registered as NAME      |
| `arn:aws:states:::lambda:invoke`                 | (executor.functions), presented as Lambda   |
| `celery:send_task`                               | a Celery task listed in                     |
|                                                  | CELERY_SEND_TASK_ALLOWED: Parameters `Task`,|
|                                                  | `Args`, `Kwargs`, `Queue`                   |
| `arn:aws:states:::http:invoke`                   | an HTTP call to an allowed origin           |
| `arn:aws:states:REGION:ACCOUNT:activity:NAME`    | external workers polling the activity       |
| any resource + `.waitForTaskToken`               | the resource (when served) + a callback     |
|                                                  | (a Lambda not registered: only the callback)|

A registered function asked for alone runs inside the advance (cheap and fast); when a
Map or Parallel asks for many at once, each becomes a Celery task so they spread over every
worker.

A resource that cannot be served or that fails in our own code (a refused task name, an
invalid URL, an answer that cannot be stored) fails its state with an AWS-style error, which
Retry and Catch see: no run is left waiting for an answer that can never come.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from asl import task_resources
from executor.functions import registered

LAMBDA_ARN = re.compile(r"^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$")
LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke"
HTTP_INVOKE = "arn:aws:states:::http:invoke"
CELERY_SEND_TASK = "celery:send_task"


@dataclass(frozen=True)
class Route:
    kind: str  # function | celery | http | activity | callback | unknown
    name: str = ""  # function, task or activity name


def function_name(resource: str, payload: Any) -> str | None:
    match = LAMBDA_ARN.match(resource)
    if match:
        return match.group(1)
    if resource == LAMBDA_INVOKE and isinstance(payload, dict):
        name = str(payload.get("FunctionName", ""))
        match = LAMBDA_ARN.match(name)
        if match:
            return match.group(1)
        # A bare name, NAME:QUALIFIER, or a partial ARN ACCOUNT:function:NAME.
        parts = name.split(":")
        return parts[parts.index("function") + 1] if "function" in parts[:-1] else parts[0]
    return None


def route(resource: str, payload: Any, pattern: str) -> Route:
    base = task_resources.base(resource)
    name = function_name(base, payload)
    if name is not None and pattern == "wait_for_task_token" and name not in registered():
        # A Lambda this installation does not have, asked to hand the token on (an imported
        # human-approval flow): the token is the point, and a person answers it in the inbox.
        return Route("callback")
    if name is not None:
        return Route("function", name)
    if base == CELERY_SEND_TASK:
        task = payload.get("Task") if isinstance(payload, dict) else None
        return Route("celery", task if isinstance(task, str) else "")
    if base == HTTP_INVOKE:
        return Route("http")
    activity = task_resources.activity_name(base)
    if activity is not None:
        return Route("activity", activity)
    if pattern == "wait_for_task_token":
        # An AWS service Statecraft cannot call (SQS, SNS, ...): the token is the whole
        # point, and a person or program answers it.
        return Route("callback")
    return Route("unknown")


def not_served(request: Any) -> dict[str, Any]:
    return {
        "error": "States.Runtime",
        "cause": f"The resource '{request.resource}' of state '{request.state_name}' is not "
        "served by Statecraft: use a registered function (a Lambda ARN), celery:send_task, "
        "arn:aws:states:::http:invoke, an activity, or .waitForTaskToken.",
    }


def run_function(request: Any) -> dict[str, Any]:
    """Calls a registered function and presents the outcome as Lambda would: the keyword
    arguments for the interpreter's resume ({"result": ...} or {"error", "cause"})."""
    import asl
    from executor.runner import CLOCK

    name = function_name(task_resources.base(request.resource), request.payload) or ""
    return asl.invoke_function(
        registered().get(name),
        name,
        request,
        clock=CLOCK,
        region=settings.AWS_REGION,
        account=settings.AWS_ACCOUNT_ID,
    )
