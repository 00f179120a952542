"""Errors the REST API returns, all made here: a JSON body ``{"code", "message", "field"?}``
whose code is AWS Step Functions' error name where one fits (StateMachineDoesNotExist,
ValidationException, ...; https://docs.aws.amazon.com/step-functions/latest/apireference/
CommonErrors.html), never a stack trace. DRF's own refusals (validation, authentication,
throttling, 404, 405) are reshaped here too; config.errors gives Django's own 404 and 500
under /api/ this shape by error_body."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from designer.actions import ActionError

# DRF's own exceptions, by their default code, under the names clients match on.
CODES = {
    "not_found": "ResourceNotFound",
    "permission_denied": "AccessDeniedException",
    # AWS's names for a request without credentials and one whose credentials are refused.
    "not_authenticated": "MissingAuthenticationTokenException",
    "authentication_failed": "UnrecognizedClientException",
    "throttled": "ThrottlingException",
    "parse_error": "SerializationException",
    "method_not_allowed": "MethodNotAllowed",
    "unsupported_media_type": "UnsupportedMediaType",
    "not_acceptable": "NotAcceptable",
    "invalid": "ValidationException",
}
# A 404 names what was not found, as AWS does, by the URL argument that named it.
NOT_FOUND_BY_ARGUMENT = {
    "execution_id": "ExecutionDoesNotExist",
    "execution_name": "ExecutionDoesNotExist",
    "name": "StateMachineDoesNotExist",
}
# Errors about the request body as a whole name it as their field.
BODY_ERRORS = (exceptions.ParseError, exceptions.UnsupportedMediaType)


def error_body(message: str, code: str, field: str | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, **({"field": field} if field else {})}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ActionError):
        body = error_body(exc.message, exc.code, exc.field)
        if exc.suggestion:
            body["suggestion"] = exc.suggestion
        if exc.diagnostics:
            body["diagnostics"] = [d._asdict() for d in exc.diagnostics]
        return Response(body, status=exc.status)
    if isinstance(exc, RecursionError):
        # Python's json module (DRF's parser) recurses once per nesting level: a body nested
        # deeper than the interpreter's limit is a client error, not a crash.
        return Response(
            error_body("The JSON body is nested too deeply.", "SerializationException", "body"),
            status=400,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    # DRF has turned Django's Http404 and PermissionDenied into its own exceptions by now.
    if not isinstance(response.data, dict) or "detail" not in response.data:
        # A serializer's field errors: {"field": ["message", ...]}.
        fields = response.data if isinstance(response.data, dict) else {}
        field = next(iter(fields), None)
        messages = fields.get(field) if field else response.data
        message = messages[0] if isinstance(messages, list) and messages else str(messages)
        response.data = error_body(str(message), "ValidationException", field)
        return response
    response.data = error_body(
        str(response.data["detail"]),
        code_of(exc, context),
        "body" if isinstance(exc, BODY_ERRORS) else None,
    )
    return response


def code_of(exc: Exception, context: dict[str, Any]) -> str:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    detail = getattr(exc, "detail", None)
    default = getattr(exc, "default_code", "invalid")
    given = getattr(detail, "code", default)
    if given != default:  # raised with a code of its own, e.g. NotFound(..., code="...")
        return str(given)
    if isinstance(exc, exceptions.NotFound):
        arguments = context.get("kwargs") or {}
        for argument, code in NOT_FOUND_BY_ARGUMENT.items():
            if argument in arguments:
                return code
    return CODES.get(default, "ValidationException")
