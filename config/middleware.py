"""Middleware of the project as a whole: what a request may carry, and the CSP header."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import Http404, HttpRequest, HttpResponseBase, JsonResponse

from designer.actions import storable
from designer.api_errors import error_body


def body_too_large(aws: bool = False) -> JsonResponse:
    """The 413 answer; in the AWS protocol's error shape for a request to it (``aws``)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    message = f"The request body is larger than the limit of {limit} bytes."
    if aws:
        from awsapi.errors import AwsError, response

        return response(AwsError("ValidationException", message), status=413)
    return JsonResponse(error_body(message, "PayloadTooLarge", "body"), status=413)


class RequestBodyLimitMiddleware:
    """Refuses a body whose declared length exceeds DATA_UPLOAD_MAX_MEMORY_SIZE before anything
    reads it. (Under Daphne, config.handlers also counts the bytes that actually arrive, for
    bodies sent without a length or with a false one.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse(
                error_body("The Content-Length header is not a number.", "ValidationException"),
                status=400,
            )
        if limit is not None and declared > limit:
            return body_too_large(aws="X-Amz-Target" in request.headers)
        return self.get_response(request)


class UnreadableURLMiddleware:
    """No name holds U+0000 or a lone surrogate, and PostgreSQL refuses them even in a query:
    a path with one names nothing (404), a query parameter with one is refused (400)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not storable(request.path_info):
            if request.path_info.startswith("/api/"):
                return JsonResponse(
                    error_body("Nothing has this name.", "ResourceNotFound"), status=404
                )
            raise Http404("Nothing has this name.")
        for key, values in request.GET.lists():
            if not all(storable(text) for text in (key, *values)):
                return JsonResponse(
                    error_body(
                        f"The query parameter {key!r} holds a character that no name holds.",
                        "ValidationException",
                        key,
                    ),
                    status=400,
                )
        return self.get_response(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's header, with this host's WebSockets allowed: 'self' covers ws: and wss: in
    CSP Level 3 only, and older browsers would refuse the live view's sockets."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        try:
            host = request.get_host()
        except DisallowedHost:
            return parts
        sockets: Any = {"connect-src": [f"ws://{host}", f"wss://{host}"]}
        parts.update = {**sockets, **(parts.update or {})}
        return parts


def limit_body(app: Any) -> Any:
    """ASGI: reads at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes of a request body, whatever its
    headers say, and answers 413 past that; Django would otherwise spool any size to disk and
    the JSON parser read it all into memory."""

    async def bounded(scope: dict[str, Any], receive: Any, send: Any) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if scope["type"] != "http" or limit is None:
            return await app(scope, receive, send)
        messages: list[dict[str, Any]] = []
        size = 0
        declared = dict(scope.get("headers") or []).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > limit:
            size = int(declared)  # refused below, before a byte of it is read
        while size <= limit:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break  # a disconnect: Django handles it
            size += len(message.get("body", b""))
            if not message.get("more_body", False):
                break
        if size > limit:
            response = body_too_large(aws=b"x-amz-target" in dict(scope.get("headers") or []))
            headers = [(k.encode("latin1"), v.encode("latin1")) for k, v in response.items()]
            await send({"type": "http.response.start", "status": 413, "headers": headers})
            await send({"type": "http.response.body", "body": response.content})
            return None

        async def replay() -> dict[str, Any]:
            return messages.pop(0) if messages else await receive()

        return await app(scope, replay, send)

    return bounded
