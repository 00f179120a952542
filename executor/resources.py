"""Task resources: how the durable runner answers the interpreter's Invoke requests."""

from __future__ import annotations

import re
from typing import Any

from executor.functions import registered

LAMBDA_ARN = re.compile(r"^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$")


def function_name(resource: str, payload: Any) -> str | None:
    """The registered function a Task resource names, if it names one."""
    match = LAMBDA_ARN.match(resource)
    if match:
        return match.group(1)
    if resource.startswith("arn:aws:states:::lambda:invoke") and isinstance(payload, dict):
        name = str(payload.get("FunctionName", ""))
        match = LAMBDA_ARN.match(name)
        return match.group(1) if match else name.split(":")[0]
    return None


def invoke_inline(request: Any, execution: Any) -> dict[str, Any]:
    """Runs a request that can be answered at once, inside the advance."""
    name = function_name(request.resource, request.payload)
    handler = registered().get(name) if name else None
    if handler is None:
        return {
            "error": "States.Runtime",
            "cause": f"The resource {request.resource!r} of state {request.state_name!r} is not "
            "available: no registered function has that name.",
        }
    try:
        return {"result": handler(request.payload, None)}
    except Exception as exc:  # a failing function fails the Task, as a Lambda error does
        return {"error": type(exc).__name__, "cause": str(exc)}
