"""REST API for executions: thin views over executor.actions."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from config.handlers import runs_long
from designer import json_text, roles
from designer.actions import ActionError
from designer.api import body, get_machine, int_param
from designer.api_schema import errors
from executor import actions, approvals, event_owners, listing, lookup, reruns
from executor import api_schema as out
from executor.models import Execution, HistoryEvent

HISTORY_PAGE_MAX = 1000


class ExecutionIn(serializers.Serializer):
    input = serializers.JSONField(required=False, help_text=f"{json_text.HELP} {{}} by default.")
    name = serializers.CharField(required=False, help_text="Unique per state machine.")


def start_input(data: dict[str, Any]) -> Any:
    """A start's input: JSON text or a JSON value, as StartExecution's (designer.json_text)."""
    return json_text.value_of(data.get("input"), "input", "InvalidExecutionInput")


def execution_json(execution: Execution, redrive_status: bool = True) -> dict[str, Any]:
    """An execution as the API shows it. Lists leave out redriveStatus, as AWS's
    ListExecutions does: it needs the checkpoint, which lists do not load."""
    shown = {
        "id": str(execution.id),
        "name": execution.name,
        "state_machine": execution.state_machine.name,
        "version": execution.version.number,
        "status": execution.status,
        "input": execution.input,
        "output": execution.output,
        "error": execution.error or None,
        "cause": execution.cause or None,
        "start_date": execution.start_date,
        "stop_date": execution.stop_date,
        # As AWS's DescribeExecution names them.
        "redriveCount": execution.redrive_count,
        "redriveDate": redrive_date(execution),
        # How long its history is (events are numbered 1..n): where paging backwards starts.
        "last_event_id": execution.last_event_id,
    }
    if redrive_status:
        refused = actions.redrive_refusal(execution, timezone.now())
        shown["redriveStatus"] = "NOT_REDRIVABLE" if refused else "REDRIVABLE"
    return shown


def redrive_date(execution: Execution) -> Any:
    """When the execution was last redriven: its last ExecutionRedriven event."""
    if not execution.redrive_count:
        return None
    event = (
        HistoryEvent.objects.filter(execution=execution, type="ExecutionRedriven")
        .order_by("-event_id")
        .first()
    )
    return event.timestamp if event else None


def get_execution(request: Request, execution_id: str, action: roles.Action = "view") -> Execution:
    """The execution if the caller may do ``action`` on its machine; the same 404 as for an
    id that does not exist when they may not even view it, else a 403."""
    execution = lookup.visible_execution(request.user, execution_id)
    if execution is None:
        raise NotFound(f"No execution with id {execution_id!r}.")
    roles.require(request.user, action, execution.state_machine)
    return execution


@extend_schema(
    methods=["GET"],
    parameters=out.MACHINE_LIST_PARAMETERS,
    responses={200: out.ExecutionList, **errors(404)},
)
@extend_schema(
    methods=["POST"],
    request=ExecutionIn,
    responses={
        201: out.ExecutionShown,
        200: OpenApiResponse(
            out.ExecutionShown,
            description="A running execution of this name and input already exists: it is "
            "returned, as AWS's StartExecution does.",
        ),
        **errors(404, 409, body=True),
    },
)
@api_view(["GET", "POST"])
def executions(request: Request, name: str) -> Response:
    machine = get_machine(request, name, "operate" if request.method == "POST" else "view")
    if request.method == "POST":
        data = body(request)
        # As AWS's StartExecution: the name and input of a running execution give it back
        # (200), other input is a 409 ExecutionAlreadyExists.
        execution, created = actions.start_execution_once(
            machine, start_input(data), name=data.get("name"), user=request.user
        )
        return Response(execution_json(execution), status=201 if created else 200)
    # The same pages as the executions page (executor/listing.py): ?cursor=next_cursor.
    rows = listing.filters(request.user, {}, machine).with_status(
        listing.status_param(request.query_params)
    )
    limit = int_param(request, "limit", 100, listing.PAGE_MAX) or 100
    # A checkpoint can be large (a Map's state): a list of 100 must not load them.
    rows = rows.select_related("state_machine", "version").defer("checkpoint")
    found, next_cursor = listing.page(rows, request.query_params.get("cursor"), limit)
    return Response(
        {
            "executions": [execution_json(e, redrive_status=False) for e in found],
            "next_cursor": next_cursor,
        }
    )


@extend_schema(responses={200: out.ExecutionDetail, **errors(404)})
@api_view(["GET"])
def execution(request: Request, execution_id: str) -> Response:
    """An execution by its id or its ARN."""
    return _detail(request, get_execution(request, execution_id))


@extend_schema(
    operation_id="state_machine_execution_by_name",
    responses={200: out.ExecutionDetail, **errors(404)},
)
@api_view(["GET"])
def execution_by_name(request: Request, name: str, execution_name: str) -> Response:
    """An execution by its machine's name and its own."""
    found = lookup.visible_execution(request.user, execution_name, machine_name=name)
    if found is None:
        raise NotFound(f"{name!r} has no execution named {execution_name!r}.")
    return _detail(request, found)


def _detail(request: Request, execution: Execution) -> Response:
    # The run view draws the version that ran, which may no longer be the latest.
    return Response(
        {
            **execution_json(execution),
            "definition": execution.version.definition,
            "layout": execution.version.layout,
            "permissions": roles.permissions(request.user, execution.state_machine),
            **reruns.links(execution),
        }
    )


@extend_schema(parameters=out.HISTORY_PAGE, responses={200: out.HistoryPage, **errors(404)})
@api_view(["GET"])
def history(request: Request, execution_id: str) -> Response:
    """The events in order (AWS's shape), a page at a time: onwards with `?after=ID`, or
    backwards with `?before=ID` (the run view opens on the page before `last_event_id + 1`
    and loads older ones as they are scrolled to, never the whole history)."""
    execution = get_execution(request, execution_id)
    limit = int_param(request, "limit", HISTORY_PAGE_MAX, HISTORY_PAGE_MAX) or HISTORY_PAGE_MAX
    before = int_param(request, "before", 0) if "before" in request.query_params else None
    if before is not None and "after" in request.query_params:
        raise ActionError("Give after or before, not both.", field="before")
    # Ids are numbered 1..n without gaps, so a page is a range of ids (one more than asked
    # for tells whether there are more): the unique index (execution, event_id) answers it
    # at once, whatever the planner believes of a table that has just grown.
    if before is None:
        after = int_param(request, "after", 0)
        low, high = after + 1, after + limit + 1
    else:
        low, high = max(1, before - limit - 1), before - 1
    rows = list(
        HistoryEvent.objects.filter(
            execution=execution, event_id__gte=low, event_id__lte=high
        ).order_by("event_id")
    )
    if before is None:
        more, rows = len(rows) > limit, rows[:limit]
        cursors = {"next_after": rows[-1].event_id if more else None}
    else:
        more, rows = len(rows) > limit, rows[-limit:] if limit else []
        cursors = {"next_before": rows[0].event_id if more else None}
    # Beside the events, not inside them (they keep AWS's shape): the state each belongs
    # to, which an older page cannot tell by itself (executor/event_owners.py).
    owners = event_owners.owners(
        execution.pk,
        [
            (e.event_id, e.previous_event_id, e.type, event_owners.state_name(e.details))
            for e in rows
        ],
    )
    return Response({"events": [e.as_json() for e in rows], "owners": owners, **cursors})


class StopIn(serializers.Serializer):
    error = serializers.CharField(required=False, max_length=256)
    cause = serializers.CharField(required=False, max_length=32768)


@extend_schema(request=StopIn, responses={200: out.ExecutionShown, **errors(404, 409, body=True)})
@api_view(["POST"])
def stop(request: Request, execution_id: str) -> Response:
    data = body(request)
    execution = actions.stop_execution(
        get_execution(request, execution_id, "operate"), data.get("error"), data.get("cause")
    )
    return Response(execution_json(execution))


@extend_schema(request=None, responses={200: out.ExecutionShown, **errors(404, 409)})
@api_view(["POST"])
def redrive(request: Request, execution_id: str) -> Response:
    execution = actions.redrive_execution(get_execution(request, execution_id, "operate"))
    return Response(execution_json(execution))


@runs_long  # it waits for the whole run
@extend_schema(
    request=ExecutionIn, responses={200: out.ExecutionShown, **errors(404, 409, body=True)}
)
@api_view(["POST"])
def sync_executions(request: Request, name: str) -> Response:
    """StartSyncExecution for EXPRESS machines: answers with the finished execution."""
    machine = get_machine(request, name, "operate")
    data = body(request)
    execution = actions.run_sync_execution(
        machine, start_input(data), name=data.get("name"), user=request.user
    )
    return Response(execution_json(execution))


@extend_schema(responses={200: out.PendingTaskList, **errors(404)})
@api_view(["GET"])
def pending_tasks(request: Request, execution_id: str) -> Response:
    """What the execution waits for: callbacks (approvals a person can answer with the task
    token), activities, Celery and HTTP tasks under way."""
    execution = get_execution(request, execution_id)
    # A token answers the task: only those who may operate the run see it.
    answers = roles.may(request.user, "operate", execution.state_machine)
    waiting = execution.pending_tasks.filter(answered_at__isnull=True).order_by("created_at")
    return Response(
        {
            "pending_tasks": [
                approvals.task_json(task, with_token=answers, user=request.user)
                for task in waiting.select_related(
                    "execution__state_machine", "execution__version"
                )[:100]
            ]
        }
    )
