"""Errors the API returns: always a JSON body with a `detail` sentence, never a stack trace."""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from designer.actions import ActionError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ActionError):
        body: dict[str, Any] = {"detail": exc.message}
        if exc.field:
            body["field"] = exc.field
        if exc.diagnostics:
            body["diagnostics"] = [d._asdict() for d in exc.diagnostics]
        return Response(body, status=exc.status)
    if isinstance(exc, RecursionError):
        # Python's json module (DRF's parser) recurses once per nesting level: a body nested
        # deeper than the interpreter's limit is a client error, not a crash.
        return Response({"detail": "The JSON body is nested too deeply."}, status=400)
    return drf_exception_handler(exc, context)
