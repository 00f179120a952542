"""REST API for state machines: thin views over designer.actions."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from designer import actions, layout
from designer import api_schema as out
from designer.models import StateMachine, accessible_machines, can_access


class StateMachineIn(serializers.Serializer):
    name = serializers.CharField(help_text="Unique, 1-80 characters, no spaces or slashes.")
    definition = serializers.JSONField(help_text="The ASL definition, as an object or JSON text.")
    type = serializers.ChoiceField(["STANDARD", "EXPRESS"], default="STANDARD")
    layout = serializers.JSONField(required=False, help_text='{"State": {"x": 0, "y": 0}}')


class StateMachineUpdate(serializers.Serializer):
    definition = serializers.JSONField(required=False)
    layout = serializers.JSONField(required=False)


class DefinitionIn(serializers.Serializer):
    definition = serializers.JSONField()


def machine_json(machine: StateMachine) -> dict[str, Any]:
    version = machine.latest_version()
    return {
        "name": machine.name,
        "type": machine.type,
        "definition": version.definition,
        "layout": version.layout,
        "version": version.number,
        "created_at": machine.created_at,
        "updated_at": machine.updated_at,
    }


def get_machine(request: Request, name: str) -> StateMachine:
    if "\x00" in name:  # no name holds it, and PostgreSQL refuses it even in a query
        raise NotFound(f"No state machine named {name!r}.")
    machine = get_object_or_404(StateMachine, name=name)
    if not can_access(request.user, machine):
        # Not 403: someone without access learns nothing, not even that the name exists.
        raise NotFound(f"No state machine named {name!r}.")
    return machine


def body(request: Request) -> dict[str, Any]:
    data = request.data
    if not isinstance(data, dict):
        raise actions.ActionError("The request body must be a JSON object.")
    return data


@extend_schema(
    methods=["GET"],
    operation_id="state_machines_list",
    responses={200: out.StateMachineList, **out.errors()},
)
@extend_schema(
    methods=["POST"],
    request=StateMachineIn,
    responses={201: out.StateMachine, **out.errors(409, body=True)},
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
        return Response(machine_json(machine), status=201)
    machines = accessible_machines(request.user).prefetch_related("versions")
    return Response(
        {
            "state_machines": [
                {"name": m.name, "type": m.type, "updated_at": m.updated_at} for m in machines
            ]
        }
    )


@extend_schema(methods=["GET"], responses={200: out.StateMachine, **out.errors(404)})
@extend_schema(
    methods=["PUT"],
    request=StateMachineUpdate,
    responses={200: out.StateMachine, **out.errors(404, body=True)},
)
@api_view(["GET", "PUT"])
def state_machine(request: Request, name: str) -> Response:
    machine = get_machine(request, name)
    if request.method == "PUT":
        data = body(request)
        if "definition" not in data and "layout" not in data:
            raise actions.ActionError("Send a definition, a layout, or both.", field="definition")
        actions.update_state_machine(machine, data.get("definition"), data.get("layout"))
        machine.refresh_from_db()
    return Response(machine_json(machine))


@extend_schema(request=DefinitionIn, responses={200: out.Validation, **out.errors(404, body=True)})
@api_view(["POST"])
def validate(request: Request, name: str) -> Response:
    get_machine(request, name)
    diagnostics = actions.validate(body(request).get("definition"))
    return Response({"valid": not diagnostics, "diagnostics": [d._asdict() for d in diagnostics]})


@extend_schema(responses={200: out.Layout, **out.errors(404)})
@api_view(["GET"])
def auto_layout(request: Request, name: str) -> Response:
    machine = get_machine(request, name)
    return Response(layout.auto_layout(machine.latest_version().definition_object))


@extend_schema(responses={**out.SVG, **out.errors(404)})
@api_view(["GET"])
def graph_svg(request: Request, name: str) -> HttpResponse:
    machine = get_machine(request, name)
    svg = layout.render_svg(machine.latest_version().definition_object)
    return HttpResponse(svg, content_type="image/svg+xml")
