"""`arn:aws:states:::http:invoke`: an HTTP call made by a worker, as AWS's HTTP Task does.

Only hosts listed in settings.HTTP_TASK_ALLOWED_HOSTS may be called: the check happens before
any connection is opened. Responses are cut off at HTTP_TASK_MAX_RESPONSE_BYTES and calls at
HTTP_TASK_TIMEOUT_SECONDS.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.conf import settings

METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"}


class HttpTaskError(Exception):
    def __init__(self, error: str, cause: str) -> None:
        super().__init__(cause)
        self.error = error
        self.cause = cause


def host_allowed(host: str) -> bool:
    host = host.lower().rstrip(".")
    for allowed in settings.HTTP_TASK_ALLOWED_HOSTS:
        allowed = allowed.lower()
        if host == allowed or (allowed.startswith("*.") and host.endswith(allowed[1:])):
            return True
    return False


def build_request(params: Any) -> httpx.Request:
    if not isinstance(params, dict):
        raise HttpTaskError("States.Runtime", "The HTTP Task's Parameters must be an object.")
    endpoint = params.get("ApiEndpoint")
    if not isinstance(endpoint, str) or not endpoint:
        raise HttpTaskError("States.Runtime", "The HTTP Task needs an ApiEndpoint (a URL).")
    url = urlsplit(endpoint)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise HttpTaskError(
            "States.Runtime", f"ApiEndpoint must be an http(s) URL with a host: {endpoint!r}"
        )
    if not host_allowed(url.hostname):
        raise HttpTaskError(
            "States.Http.HostNotAllowed",
            f"The host '{url.hostname}' is not in HTTP_TASK_ALLOWED_HOSTS, so Statecraft did "
            "not call it. An administrator can allow it in the settings.",
        )
    method = str(params.get("Method", "GET")).upper()
    if method not in METHODS:
        raise HttpTaskError("States.Runtime", f"Method must be one of {sorted(METHODS)}.")
    headers = params.get("Headers") or {}
    query = params.get("QueryParameters") or {}
    if not isinstance(headers, dict) or not isinstance(query, dict):
        raise HttpTaskError("States.Runtime", "Headers and QueryParameters must be objects.")
    body = params.get("RequestBody")
    content: bytes | None = None
    if body is not None:
        content = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        headers = {"Content-Type": "application/json", **headers}
    return httpx.Request(
        method,
        endpoint,
        params={k: str(v) for k, v in query.items()},
        headers={str(k): str(v) for k, v in headers.items()},
        content=content,
    )


def invoke(params: Any) -> dict[str, Any]:
    """The task's outcome: {"result": ...} or {"error": ..., "cause": ...}."""
    try:
        request = build_request(params)
        limit = settings.HTTP_TASK_MAX_RESPONSE_BYTES
        with httpx.Client(timeout=settings.HTTP_TASK_TIMEOUT_SECONDS) as client:
            response = client.send(request, stream=True)
            try:
                raw = b""
                for chunk in response.iter_bytes():
                    raw += chunk
                    if len(raw) > limit:
                        raise HttpTaskError(
                            "States.DataLimitExceeded",
                            f"The response of {request.url.host} is larger than {limit} bytes.",
                        )
            finally:
                response.close()
    except HttpTaskError as exc:
        return {"error": exc.error, "cause": exc.cause}
    except httpx.TimeoutException:
        return {"error": "States.Timeout", "cause": "The HTTP call timed out."}
    except httpx.HTTPError as exc:
        return {"error": "States.Http.Socket", "cause": str(exc) or type(exc).__name__}
    text = raw.decode(response.encoding or "utf-8", errors="replace")
    try:
        body: Any = json.loads(text) if text else ""
    except ValueError:
        body = text
    result = {
        "Headers": {k: [v] for k, v in response.headers.items()},
        "ResponseBody": body,
        "StatusCode": response.status_code,
        "StatusText": response.reason_phrase,
    }
    if response.status_code >= 400:
        return {
            "error": f"States.Http.StatusCode.{response.status_code}",
            "cause": json.dumps(result),
        }
    return {"result": result}
