"""REST API for state machines: thin views over designer.actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from config.handlers import runs_long
from designer import (
    actions,
    data_shapes,
    drafts,
    gallery,
    json_text,
    layout,
    lookup,
    paging,
    roles,
    sample_input,
)
from designer import api_schema as out
from designer.models import ROLES, RoleGrant, StateMachine


class StateMachineIn(serializers.Serializer):
    name = serializers.CharField(help_text="Unique, 1-80 characters, no spaces or slashes.")
    definition = serializers.JSONField(help_text="The ASL definition, as an object or JSON text.")
    type = serializers.ChoiceField(["STANDARD", "EXPRESS"], default="STANDARD")
    layout = serializers.JSONField(required=False, help_text='{"State": {"x": 0, "y": 0}}')


class StateMachineUpdate(serializers.Serializer):
    definition = serializers.JSONField(required=False)
    layout = serializers.JSONField(required=False)
    comment = serializers.CharField(
        required=False, max_length=256, help_text="What changed, for the version history."
    )
    draft_revision = serializers.IntegerField(
        required=False,
        help_text="The revision of the draft being published: it is discarded once saved, "
        "unless someone saved the draft again since.",
    )


class DefinitionIn(serializers.Serializer):
    definition = serializers.JSONField()


def machine_json(machine: StateMachine, user: Any) -> dict[str, Any]:
    version = machine.latest_version()
    return {
        "name": machine.name,
        "type": machine.type,
        "definition": version.definition,
        "layout": version.layout,
        "version": version.number,
        "created_at": machine.created_at,
        "updated_at": machine.updated_at,
        # What the caller may do, so the UI offers only that.
        "permissions": roles.permissions(user, machine),
    }


def get_machine(request: Request, name: str, action: roles.Action = "view") -> StateMachine:
    """The machine named ``name`` if the caller may do ``action`` on it. Someone who may not
    even view it gets the 404 of a name that does not exist: they learn nothing, not even
    that the name is taken; a viewer gets a 403 that names the role needed. ``name`` may be
    the machine's ARN too."""
    machine = lookup.visible_machine(request.user, name)
    if machine is None:
        raise NotFound(f"No state machine named {name!r}.")
    roles.require(request.user, action, machine)
    return machine


def int_param(
    request: Request, name: str, default: int, maximum: int | None = None, minimum: int = 0
) -> int:
    """The whole-number query parameter ``name`` (``default`` when absent), at most
    ``maximum``; anything else is a 400 naming it."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise actions.ActionError(f"{name} must be a whole number.", field=name) from None
    if value < minimum:
        floor = "must not be negative" if minimum == 0 else f"must be at least {minimum}"
        raise actions.ActionError(f"{name} {floor}.", field=name)
    return min(value, maximum) if maximum else value


def body(request: Request) -> dict[str, Any]:
    data = request.data
    if not isinstance(data, dict):
        raise actions.ActionError("The request body must be a JSON object.")
    return data


@extend_schema(
    methods=["GET"],
    operation_id="state_machines_list",
    parameters=out.PAGE,
    responses={200: out.StateMachineList, **out.errors()},
)
@extend_schema(
    methods=["POST"],
    request=StateMachineIn,
    responses={201: out.StateMachine, **out.errors(409, body=True)},
    examples=[
        OpenApiExample(
            "A one-state machine",
            request_only=True,
            value={
                "name": "Hello-world",
                "definition": {"StartAt": "Hi", "States": {"Hi": {"Type": "Pass", "End": True}}},
            },
        )
    ],
)
@api_view(["GET", "POST"])
def state_machines(request: Request) -> Response:
    if request.method == "POST":
        data = body(request)
        machine = actions.create_state_machine(
            data.get("name"),
            data.get("definition"),
            type=data.get("type", "STANDARD"),
            owner=request.user,
            layout=data.get("layout"),
        )
        return Response(machine_json(machine, request.user), status=201)
    machines, next_cursor = paging.rest_page(
        request, roles.machines_for(request.user, "view"), ["name"], "state-machines"
    )
    return Response(
        {
            "state_machines": [
                {"name": m.name, "type": m.type, "updated_at": m.updated_at} for m in machines
            ],
            "next_cursor": next_cursor,
        }
    )


@extend_schema(methods=["GET"], responses={200: out.StateMachine, **out.errors(404)})
@extend_schema(
    methods=["PUT"],
    request=StateMachineUpdate,
    responses={200: out.StateMachine, **out.errors(404, body=True)},
)
@extend_schema(
    methods=["DELETE"],
    responses={204: None, **out.errors(403, 404)},
    description="Deletes the machine with its versions, aliases, tags and executions "
    "(DeleteStateMachine). Needs the admin role.",
)
@api_view(["GET", "PUT", "DELETE"])
def state_machine(request: Request, name: str) -> Response:
    actions_by_method: dict[str, roles.Action] = {"PUT": "edit", "DELETE": "admin"}
    action = actions_by_method.get(request.method or "", "view")
    machine = get_machine(request, name, action)
    if request.method == "DELETE":
        actions.delete_state_machine(machine)
        return Response(status=204)
    if request.method == "PUT":
        data = body(request)
        if "definition" not in data and "layout" not in data:
            raise actions.ActionError("Send a definition, a layout, or both.", field="definition")
        published = data.get("draft_revision")
        if published is not None:
            drafts.check_revision(published, field="draft_revision")
        actions.update_state_machine(
            machine,
            data.get("definition"),
            data.get("layout"),
            author=request.user,
            comment=data.get("comment"),
        )
        if published is not None:
            drafts.publish_clears_draft(machine, published)
        machine.refresh_from_db()
    return Response(machine_json(machine, request.user))


@extend_schema(request=DefinitionIn, responses={200: out.Validation, **out.errors(404, body=True)})
@api_view(["POST"])
def validate(request: Request, name: str) -> Response:
    machine = get_machine(request, name)
    diagnostics = actions.validate(body(request).get("definition"), machine.type)
    valid = all(d.severity == "warning" for d in diagnostics)
    return Response({"valid": valid, "diagnostics": [d._asdict() for d in diagnostics]})


@extend_schema(methods=["GET"], responses={200: out.Layout, **out.errors(404)})
@extend_schema(
    methods=["POST"],
    request=DefinitionIn,
    responses={200: out.Layout, **out.errors(404, body=True)},
)
@runs_long  # graphviz may take seconds on a large machine: never on the quick thread
@api_view(["GET", "POST"])
def auto_layout(request: Request, name: str) -> Response:
    """GET lays out the saved version; POST the definition sent (a draft, valid or not)."""
    machine = get_machine(request, name)
    if request.method == "GET":
        return Response(drawn(layout.auto_layout, machine.latest_version().definition_object))
    definition = body(request).get("definition")
    if not isinstance(definition, dict):
        raise actions.ActionError(
            "Send the definition to lay out as a JSON object.", field="definition"
        )
    actions.check_storable(definition, "definition")
    actions.check_definition_size(definition)
    return Response(drawn(layout.auto_layout, definition))


class DataShapesIn(serializers.Serializer):
    definition = serializers.JSONField(
        help_text="The definition, as an object or JSON text; a draft with problems is fine."
    )
    input = serializers.JSONField(
        help_text=f"The sample input a run would start with: {json_text.HELP}"
    )


@extend_schema(request=DataShapesIn, responses={200: out.DataShapes, **out.errors(404, body=True)})
@runs_long  # one engine step per state: seconds on a large machine
@api_view(["POST"])
def shapes(request: Request, name: str) -> Response:
    """The input each state would get on a run from the sample input, for the path picker."""
    get_machine(request, name)
    data = body(request)
    definition = json_text.value_of(data.get("definition"), "definition", "InvalidDefinition")
    if not isinstance(definition, dict):
        raise actions.ActionError("Send the definition as a JSON object.", field="definition")
    if "input" not in data:
        raise actions.ActionError("Send the sample input.", field="input")
    actions.check_storable(definition, "definition")
    actions.check_definition_size(definition)
    sample = json_text.value_of(data["input"], "input", "InvalidExecutionInput")
    sample_input.check_sample(sample)
    found = data_shapes.walk(definition, sample)
    return Response({"states": found.shapes, "variables": found.variables})


class SampleInputIn(serializers.Serializer):
    input = serializers.JSONField(
        help_text="Data like a real run's input: any JSON but null, within the payload limit "
        "(256 KiB)."
    )


@extend_schema(methods=["GET"], responses={200: out.SampleInput, **out.errors(404)})
@extend_schema(
    methods=["PUT"],
    request=SampleInputIn,
    responses={200: out.SampleInput, **out.errors(404, body=True)},
    examples=[
        OpenApiExample(
            "An order",
            request_only=True,
            value={"input": {"order": {"id": "A-42", "total": 19.5}}},
        )
    ],
)
@extend_schema(methods=["DELETE"], responses={204: None, **out.errors(404)})
@api_view(["GET", "PUT", "DELETE"])
def sample(request: Request, name: str) -> Response:
    """The machine's sample input, one for everyone: viewers read it, editors change it. The
    designer shows the data each state would get from it and builds the run form from it."""
    machine = get_machine(request, name, "view" if request.method == "GET" else "edit")
    if request.method == "DELETE":
        sample_input.set_sample(machine, None)
        return Response(status=204)
    if request.method == "PUT":
        data = body(request)
        if data.get("input") is None:
            raise actions.ActionError(
                "Send the sample input as any JSON value but null; DELETE removes it.",
                field="input",
            )
        sample_input.set_sample(machine, data["input"])
    return Response({"input": machine.sample_input})


def drawn(draw: Callable[[dict[str, Any]], Any], definition: dict[str, Any]) -> Any:
    try:
        return draw(definition)
    except layout.LayoutFailed as exc:
        raise actions.ActionError(str(exc), field="definition", code="LayoutFailed") from None


@extend_schema(responses={**out.SVG, **out.errors(404)})
@runs_long
@api_view(["GET"])
def graph_svg(request: Request, name: str) -> HttpResponse:
    machine = get_machine(request, name)
    svg = drawn(layout.render_svg, machine.latest_version().definition_object)
    return HttpResponse(svg, content_type="image/svg+xml")


class GrantIn(serializers.Serializer):
    role = serializers.ChoiceField(list(ROLES))
    user = serializers.CharField(required=False, help_text="A username; or give a group.")
    group = serializers.CharField(required=False, help_text="A group name; or give a user.")


def grant_json(grant: RoleGrant) -> dict[str, Any]:
    return {
        "id": grant.pk,
        "role": grant.role,
        "user": grant.user.username if grant.user else None,
        "group": grant.group.name if grant.group else None,
        "created_at": grant.created_at,
    }


def grant_holder(data: dict[str, Any]) -> dict[str, Any]:
    """The user or group a grant request names, found."""
    if ("user" in data) == ("group" in data):
        raise actions.ActionError("Name a user or a group (one of them).", field="user")
    field, model, key = (
        ("user", get_user_model(), "username") if "user" in data else ("group", Group, "name")
    )
    value = data[field]
    found = model.objects.filter(**{key: value}).first() if isinstance(value, str) else None
    if found is None:
        raise actions.ActionError(f"No {field} named {value!r}.", field=field)
    return {field: found}


@extend_schema(methods=["GET"], responses={200: out.GrantList, **out.errors(404)})
@extend_schema(
    methods=["POST"],
    request=GrantIn,
    responses={200: out.Grant, 201: out.Grant, **out.errors(404, body=True)},
)
@api_view(["GET", "POST"])
def grants(request: Request, name: str) -> Response:
    """The roles granted on this machine. Roles on every machine are granted in the admin or
    with `manage.py grantrole`, never here: an admin of one machine cannot reach the others."""
    machine = get_machine(request, name, "admin")
    if request.method == "POST":
        data = body(request)
        grant, created = roles.grant(data.get("role"), machine=machine, **grant_holder(data))
        return Response(grant_json(grant), status=201 if created else 200)
    rows = machine.grants.select_related("user", "group")
    return Response({"grants": [grant_json(g) for g in rows]})


@extend_schema(responses={204: None, **out.errors(404)})
@api_view(["DELETE"])
def grant(request: Request, name: str, grant_id: int) -> Response:
    machine = get_machine(request, name, "admin")
    deleted, _ = machine.grants.filter(pk=grant_id).delete()
    if not deleted:
        raise NotFound(f"No grant {grant_id} on the state machine {name!r}.")
    return Response(status=204)


@extend_schema(
    responses={200: out.ApproverGroupList, **out.errors(404)},
    description="The groups the Approval step's form offers as who may answer (its "
    "ApproverGroup). Needs the editor role: only an editor writes the step. Names no group "
    "the caller has no business knowing: the caller's own groups and those holding a role on "
    "this machine or on every machine (a superuser gets every group).",
)
@api_view(["GET"])
def approver_groups(request: Request, name: str) -> Response:
    # Editors only: a viewer cannot change who answers, so it needs no list of groups; and
    # group names are not public (see roles.approver_groups).
    machine = get_machine(request, name, "edit")
    return Response({"groups": roles.approver_groups(request.user, machine)})


@extend_schema(responses={200: out.TemplateList, **out.errors()})
@api_view(["GET"])
def templates(request: Request) -> Response:
    """The template gallery: a new machine may start from any of these definitions."""
    return Response({"templates": [t.as_json() for t in gallery.templates()]})
