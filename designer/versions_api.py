"""A machine's version history over REST: every version with who saved it, when and why,
and any one version whole (read-only: a new version is made by saving).

    GET /api/v1/state-machines/{name}/versions/?limit=M&cursor=C   newest first
    GET /api/v1/state-machines/{name}/versions/{number}/
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from designer import paging
from designer.api import get_machine
from designer.api_schema import errors
from designer.models import StateMachineVersion


class VersionSummary(serializers.Serializer):
    number = serializers.IntegerField(min_value=1)
    created_at = serializers.DateTimeField()
    created_by = serializers.CharField(allow_null=True, help_text="Who saved it, by username.")
    comment = serializers.CharField(allow_blank=True, help_text="What they said changed.")


class VersionList(serializers.Serializer):
    versions = VersionSummary(many=True)
    next_cursor = serializers.CharField(
        allow_null=True, help_text="`cursor` for the next (older) page; null on the last."
    )


class Version(VersionSummary):
    definition = serializers.JSONField()
    layout = serializers.JSONField()


def summary(version: StateMachineVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "created_at": version.created_at,
        "created_by": version.created_by.get_username() if version.created_by else None,
        "comment": version.comment,
    }


@extend_schema(
    operation_id="state_machines_versions_list",  # not "_retrieve", the name of one version's
    parameters=[
        OpenApiParameter("cursor", str, description="next_cursor of the page before."),
        OpenApiParameter(
            "limit", OpenApiTypes.INT, description=f"At most this many ({paging.DEFAULT_PAGE})."
        ),
    ],
    responses={200: VersionList, **errors(404)},
)
@api_view(["GET"])
def versions(request: Request, name: str) -> Response:
    machine = get_machine(request, name)
    rows = machine.versions.select_related("created_by").defer("definition", "layout")
    page, next_cursor = paging.rest_page(request, rows, ("-number",), f"versions:{machine.pk}")
    return Response(
        {"versions": [summary(version) for version in page], "next_cursor": next_cursor}
    )


@extend_schema(responses={200: Version, **errors(404)})
@api_view(["GET"])
def version(request: Request, name: str, number: int) -> Response:
    machine = get_machine(request, name)
    found = machine.versions.select_related("created_by").filter(number=number).first()
    if found is None:
        raise NotFound(f"{name!r} has no version {number}.")
    return Response({**summary(found), "definition": found.definition, "layout": found.layout})
