"""Django's own error pages, as JSON with a code under /api/ where programs read them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

from designer.api_errors import error_body


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            error_body("Nothing is at this address.", "ResourceNotFound"), status=404
        )
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest, *args: Any) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            error_body("The server failed; the error is logged.", "InternalFailure"), status=500
        )
    return defaults.server_error(request)
