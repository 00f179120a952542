"""The REST API of what only AWS's API had: published versions, aliases (and starts through
them), tags and activities. Each view reads REST's JSON values and calls the AWS operation
itself (awsapi.operations), so every rule has one home; its refusal (an AwsError) becomes
the REST API's error body, with the HTTP status REST gives that code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

import asl.arns as arns
from awsapi import operations
from awsapi.errors import AwsError
from awsapi.params import activity_arn, dump, region_account
from designer import json_text
from designer.actions import ActionError
from designer.api import body
from designer.api_schema import PAGE, errors
from designer.lookup import our_arn
from executor.api import execution_json, start_input
from executor.api_schema import ExecutionShown

# The HTTP status of an AWS error code in REST (AWS answers 400 for all of them).
STATUS_BY_CODE = {
    "StateMachineDoesNotExist": 404,
    "ExecutionDoesNotExist": 404,
    "ActivityDoesNotExist": 404,
    "ResourceNotFound": 404,
    "ConflictException": 409,
    "ExecutionAlreadyExists": 409,
    "AccessDeniedException": 403,
    "ThrottlingException": 429,
}


def call(name: str, user: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The AWS operation ``name``, its refusal as a REST error."""
    try:
        return operations.OPERATIONS[name](user, data)
    except AwsError as exc:
        raise rest_error(exc) from None


def rest_error(exc: AwsError) -> ActionError:
    return ActionError(
        exc.message, field=exc.field, code=exc.code, status=STATUS_BY_CODE.get(exc.code, 400)
    )


def listed(
    name: str, user: Any, data: dict[str, Any], request: Request, key: str
) -> dict[str, Any]:
    """A list operation's page under REST's names: ?limit and ?cursor, next_cursor."""
    limit = request.query_params.get("limit")
    if limit is not None:
        try:
            data["maxResults"] = int(limit)
        except ValueError:
            raise ActionError("limit must be a whole number.", field="limit") from None
    if request.query_params.get("cursor") is not None:
        data["nextToken"] = request.query_params["cursor"]
    try:
        answer = call(name, user, data)
    except ActionError as exc:
        exc.field = {"maxResults": "limit", "nextToken": "cursor"}.get(exc.field or "", exc.field)
        raise
    return {key: answer[key], "next_cursor": answer.get("nextToken")}


def machine_arn_of(name: str) -> str:
    """The ARN the AWS operation looks ``name`` up by (a name, or an ARN already)."""
    parsed = our_arn(name) if name.startswith("arn:") else None
    return arns.state_machine(parsed.name if parsed else name, *region_account())


def alias_arn_of(name: str, alias: str) -> str:
    return arns.alias(machine_arn_of(name).split(":")[6], alias, *region_account())


def tags_in(raw: Any) -> list[dict[str, Any]]:
    """Tags as {"key": "value"} or as AWS's [{"key", "value"}]."""
    if isinstance(raw, dict):
        return [{"key": k, "value": v} for k, v in raw.items()]
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ActionError("tags must be an object of key: value.", field="tags")
    return raw


def routing_in(name: str, raw: Any) -> list[dict[str, Any]] | None:
    """REST's routing [{"version": 3, "weight": 90}] as AWS's routingConfiguration."""
    if raw is None:
        return None
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        raise ActionError("routing must be a list of {version, weight}.", field="routing")
    routes = []
    for route in raw:
        number = route.get("version")
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            raise ActionError("Each route's version is a version number.", field="routing")
        routes.append(
            {
                "stateMachineVersionArn": f"{machine_arn_of(name)}:{number}",
                "weight": route.get("weight"),
            }
        )
    return routes


def alias_json(described: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": described["name"],
        "arn": described["stateMachineAliasArn"],
        "description": described["description"],
        "routing": [
            {"version": int(r["stateMachineVersionArn"].split(":")[-1]), "weight": r["weight"]}
            for r in described["routingConfiguration"]
        ],
        "created_at": described["creationDate"],
        "updated_at": described["updateDate"],
    }


class AliasIn(serializers.Serializer):
    name = serializers.CharField(help_text="Letters, digits, '-', '_', '.'; not only digits.")
    description = serializers.CharField(required=False)
    routing = serializers.JSONField(
        help_text="One or two published versions with weights adding up to 100: "
        '[{"version": 3, "weight": 90}, {"version": 4, "weight": 10}].'
    )


class AliasOut(serializers.Serializer):
    name = serializers.CharField()
    arn = serializers.CharField()
    description = serializers.CharField()
    routing = serializers.JSONField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class AliasList(serializers.Serializer):
    aliases = AliasOut(many=True)
    next_cursor = serializers.CharField(allow_null=True)


def _alias(request: Request, name: str, alias: str) -> dict[str, Any]:
    arn = alias_arn_of(name, alias)
    return alias_json(
        call("DescribeStateMachineAlias", request.user, {"stateMachineAliasArn": arn})
    )


@extend_schema(
    methods=["GET"],
    operation_id="aliases_list",
    parameters=PAGE,
    responses={200: AliasList, **errors(404)},
)
@extend_schema(methods=["POST"], request=AliasIn, responses={201: AliasOut, **errors(404, 409)})
@api_view(["GET", "POST"])
def aliases(request: Request, name: str) -> Response:
    """The aliases of a machine (CreateStateMachineAlias, ListStateMachineAliases)."""
    if request.method == "POST":
        data = body(request)
        created = call(
            "CreateStateMachineAlias",
            request.user,
            {
                "name": data.get("name"),
                "description": data.get("description"),
                "routingConfiguration": routing_in(name, data.get("routing")),
            },
        )
        alias = created["stateMachineAliasArn"].split(":")[-1]
        return Response(_alias(request, name, alias), status=201)
    page = listed(
        "ListStateMachineAliases",
        request.user,
        {"stateMachineArn": machine_arn_of(name)},
        request,
        "stateMachineAliases",
    )
    found = [
        _alias(request, name, a["stateMachineAliasArn"].split(":")[-1])
        for a in page["stateMachineAliases"]
    ]
    return Response({"aliases": found, "next_cursor": page["next_cursor"]})


@extend_schema(methods=["GET"], responses={200: AliasOut, **errors(404)})
@extend_schema(
    methods=["PUT"], request=AliasIn(partial=True), responses={200: AliasOut, **errors(404)}
)
@extend_schema(methods=["DELETE"], responses={204: None, **errors(404)})
@api_view(["GET", "PUT", "DELETE"])
def alias(request: Request, name: str, alias: str) -> Response:
    arn = alias_arn_of(name, alias)
    if request.method == "PUT":
        data = body(request)
        call(
            "UpdateStateMachineAlias",
            request.user,
            {
                "stateMachineAliasArn": arn,
                "description": data.get("description"),
                "routingConfiguration": routing_in(name, data.get("routing")),
            },
        )
    elif request.method == "DELETE":
        # Deleting a missing alias succeeds on AWS; REST says it was not there.
        _alias(request, name, alias)
        call("DeleteStateMachineAlias", request.user, {"stateMachineAliasArn": arn})
        return Response(status=204)
    return Response(_alias(request, name, alias))


class StartIn(serializers.Serializer):
    input = serializers.JSONField(required=False, help_text=f"{json_text.HELP} {{}} by default.")
    name = serializers.CharField(required=False)


@extend_schema(request=StartIn, responses={201: ExecutionShown, **errors(404, 409)})
@api_view(["POST"])
def alias_executions(request: Request, name: str, alias: str) -> Response:
    """Starts an execution through an alias: it runs the version the alias's weights draw."""
    data = body(request)
    request_data = {
        "stateMachineArn": alias_arn_of(name, alias),
        # The AWS operation reads JSON text: the value REST's rule means, written out.
        "input": dump(start_input(data)),
        "name": data.get("name"),
    }
    try:
        execution = operations.start(request.user, request_data, sync=False)
    except AwsError as exc:
        raise rest_error(exc) from None
    return Response(execution_json(execution), status=201)


# --- Published versions ------------------------------------------------------------------


class PublishedOut(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    arn = serializers.CharField()
    created_at = serializers.DateTimeField()


class PublishedList(serializers.Serializer):
    versions = PublishedOut(many=True)
    next_cursor = serializers.CharField(allow_null=True)


class PublishIn(serializers.Serializer):
    description = serializers.CharField(required=False, max_length=256)
    revision = serializers.IntegerField(
        required=False, help_text="Publish only if this is still the latest version's number."
    )


@extend_schema(
    methods=["GET"],
    operation_id="published_versions_list",
    parameters=PAGE,
    responses={200: PublishedList, **errors(404)},
)
@extend_schema(
    methods=["POST"], request=PublishIn, responses={201: PublishedOut, **errors(404, 409)}
)
@api_view(["GET", "POST"])
def published_versions(request: Request, name: str) -> Response:
    """The versions published for aliases to route to (PublishStateMachineVersion,
    ListStateMachineVersions), newest first."""
    if request.method == "POST":
        data = body(request)
        revision = data.get("revision")
        answer = call(
            "PublishStateMachineVersion",
            request.user,
            {
                "stateMachineArn": machine_arn_of(name),
                "description": data.get("description"),
                "revisionId": None if revision is None else str(revision),
            },
        )
        arn = answer["stateMachineVersionArn"]
        return Response(
            {"version": int(arn.split(":")[-1]), "arn": arn, "created_at": answer["creationDate"]},
            status=201,
        )
    page = listed(
        "ListStateMachineVersions",
        request.user,
        {"stateMachineArn": machine_arn_of(name)},
        request,
        "stateMachineVersions",
    )
    return Response(
        {
            "versions": [
                {
                    "version": int(v["stateMachineVersionArn"].split(":")[-1]),
                    "arn": v["stateMachineVersionArn"],
                    "created_at": v["creationDate"],
                }
                for v in page["stateMachineVersions"]
            ],
            "next_cursor": page["next_cursor"],
        }
    )


@extend_schema(responses={204: None, **errors(404, 409)})
@api_view(["DELETE"])
def published_version(request: Request, name: str, number: int) -> Response:
    """Unpublishes a version (DeleteStateMachineVersion): refused while an alias routes to it.
    The saved definition stays in the version history."""
    arn = f"{machine_arn_of(name)}:{number}"
    call("DescribeStateMachine", request.user, {"stateMachineArn": arn})  # 404 if not published
    call("DeleteStateMachineVersion", request.user, {"stateMachineVersionArn": arn})
    return Response(status=204)


# --- Tags ---------------------------------------------------------------------------------


class TagsIn(serializers.Serializer):
    tags = serializers.DictField(child=serializers.CharField(), help_text='{"team": "billing"}')


def _tags(request: Request, arn: str) -> Response:
    if request.method == "POST":
        call(
            "TagResource",
            request.user,
            {"resourceArn": arn, "tags": tags_in(body(request).get("tags"))},
        )
    elif request.method == "DELETE":
        keys = request.query_params.getlist("key")
        if not keys:
            raise ActionError("Name the tags to remove: ?key=a&key=b.", field="key")
        call("UntagResource", request.user, {"resourceArn": arn, "tagKeys": keys})
    listed_tags = call("ListTagsForResource", request.user, {"resourceArn": arn})["tags"]
    return Response({"tags": {t["key"]: t["value"] for t in listed_tags}})


TAG_SCHEMA: list[Callable[[Any], Any]] = [
    extend_schema(methods=["GET"], responses={200: TagsIn, **errors(404)}),
    extend_schema(methods=["POST"], request=TagsIn, responses={200: TagsIn, **errors(404)}),
    extend_schema(
        methods=["DELETE"],
        parameters=[OpenApiParameter("key", str, many=True, description="A tag key to remove.")],
        responses={200: TagsIn, **errors(404)},
    ),
]


def _documented(view: Callable[..., Any]) -> Callable[..., Any]:
    for decorate in TAG_SCHEMA:
        view = decorate(view)
    return view


@_documented
@api_view(["GET", "POST", "DELETE"])
def machine_tags(request: Request, name: str) -> Response:
    """A machine's tags (TagResource, UntagResource, ListTagsForResource)."""
    return _tags(request, machine_arn_of(name))


@_documented
@api_view(["GET", "POST", "DELETE"])
def activity_tags(request: Request, name: str) -> Response:
    return _tags(request, activity_arn(name))


# --- Activities ---------------------------------------------------------------------------


class ActivityIn(serializers.Serializer):
    name = serializers.CharField()
    tags = serializers.DictField(child=serializers.CharField(), required=False)


class ActivityOut(serializers.Serializer):
    name = serializers.CharField()
    arn = serializers.CharField()
    created_at = serializers.DateTimeField()


class ActivityList(serializers.Serializer):
    activities = ActivityOut(many=True)
    next_cursor = serializers.CharField(allow_null=True)


def activity_json(answer: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": answer["name"],
        "arn": answer["activityArn"],
        "created_at": answer["creationDate"],
    }


@extend_schema(
    methods=["GET"],
    operation_id="activities_list",
    parameters=PAGE,
    responses={200: ActivityList, **errors()},
)
@extend_schema(methods=["POST"], request=ActivityIn, responses={201: ActivityOut, **errors()})
@api_view(["GET", "POST"])
def activities(request: Request) -> Response:
    """Activities (CreateActivity, ListActivities): workers poll their tasks at
    activities/NAME/tasks/."""
    if request.method == "POST":
        data = body(request)
        made = call(
            "CreateActivity",
            request.user,
            {"name": data.get("name"), "tags": tags_in(data.get("tags"))},
        )
        described = call("DescribeActivity", request.user, {"activityArn": made["activityArn"]})
        return Response(activity_json(described), status=201)
    page = listed("ListActivities", request.user, {}, request, "activities")
    return Response(
        {
            "activities": [activity_json(a) for a in page["activities"]],
            "next_cursor": page["next_cursor"],
        }
    )


@extend_schema(methods=["GET"], responses={200: ActivityOut, **errors(404)})
@extend_schema(methods=["DELETE"], responses={204: None, **errors(404)})
@api_view(["GET", "DELETE"])
def activity(request: Request, name: str) -> Response:
    arn = activity_arn(name)
    described = call("DescribeActivity", request.user, {"activityArn": arn})
    if request.method == "DELETE":
        call("DeleteActivity", request.user, {"activityArn": arn})
        return Response(status=204)
    return Response(activity_json(described))
