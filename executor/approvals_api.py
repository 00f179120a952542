"""REST endpoints of approvals: the inbox of waiting task tokens, Approve and Reject with a
comment, and who answered a run's tasks. Thin views over executor.approvals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from designer.actions import ActionError
from designer.api import body
from designer.api_schema import errors
from executor import approvals
from executor.api import get_execution
from executor.api_schema import Answered, PendingTaskShown


class Inbox(serializers.Serializer):
    count = serializers.IntegerField(help_text="How many are waiting, all of them.")
    pending_tasks = PendingTaskShown(many=True)
    next_cursor = serializers.CharField(
        allow_null=True, help_text="`cursor` for the next page; null on the last page."
    )


class Count(serializers.Serializer):
    count = serializers.IntegerField()


class AnswerIn(serializers.Serializer):
    taskToken = serializers.CharField()  # noqa: N815 - AWS's field name
    comment = serializers.CharField(required=False, max_length=approvals.MAX_COMMENT)


class Approved(serializers.Serializer):
    output = serializers.JSONField(help_text='{"approved": true, "comment", "by", "at"}')


class TaskAnswerShown(serializers.Serializer):
    state_name = serializers.CharField()
    resource = serializers.CharField()
    approved = serializers.BooleanField()
    comment = serializers.CharField()
    by = serializers.CharField(help_text="The username; empty when no user was signed in.")
    at = serializers.DateTimeField()
    outcome = serializers.JSONField(help_text='{"result": ...} or {"error", "cause"}')


class TaskAnswerList(serializers.Serializer):
    answers = TaskAnswerShown(many=True)


def after_cursor(tasks: Any, cursor: str | None) -> Any:
    """The tasks after ``cursor`` (the created time and id of the last one shown) in the
    inbox's order: a keyset, so a page costs the same however far on it is."""
    if cursor is None:
        return tasks
    created_text, _, pk_text = cursor.rpartition("|")
    try:
        created, pk = dt.datetime.fromisoformat(created_text), int(pk_text)
    except ValueError:
        created = None
    if created is None or created.tzinfo is None:
        raise ActionError("cursor must be a next_cursor this list gave.", field="cursor")
    return tasks.filter(Q(created_at__gt=created) | Q(created_at=created, pk__gt=pk))


@extend_schema(
    parameters=[OpenApiParameter("cursor", OpenApiTypes.STR, description="A next_cursor.")],
    responses={200: Inbox, **errors()},
)
@api_view(["GET"])
def inbox(request: Request) -> Response:
    """Every waiting task token the caller may answer, across runs and machines, oldest
    first, 50 a page (``count`` says how many there are; ``?cursor=next_cursor`` pages on)."""
    waiting = approvals.waiting_for(request.user)
    page = list(
        after_cursor(waiting, request.query_params.get("cursor")).select_related(
            "execution__state_machine", "execution__version"
        )[: approvals.INBOX_LIMIT + 1]
    )
    more, page = len(page) > approvals.INBOX_LIMIT, page[: approvals.INBOX_LIMIT]
    last = page[-1] if page else None
    return Response(
        {
            "count": waiting.count(),
            "pending_tasks": [
                approvals.task_json(task, with_token=True, user=request.user, with_input=False)
                for task in page
            ],
            "next_cursor": f"{last.created_at.isoformat()}|{last.pk}" if more and last else None,
        }
    )


@extend_schema(responses={200: Count, **errors()})
@api_view(["GET"])
def inbox_count(request: Request) -> Response:
    """How many task tokens wait for the caller: the header's badge."""
    return Response({"count": approvals.waiting_for(request.user).count()})


@extend_schema(request=AnswerIn, responses={200: Approved, **errors(403, 409, body=True)})
@api_view(["POST"])
def approve(request: Request) -> Response:
    """SendTaskSuccess with ``{"approved": true, "comment", "by", "at"}``."""
    data = body(request)
    output = approvals.approve(data.get("taskToken"), data.get("comment"), user=request.user)
    return Response({"output": output})


@extend_schema(request=AnswerIn, responses={200: Answered, **errors(403, 409, body=True)})
@api_view(["POST"])
def reject(request: Request) -> Response:
    """SendTaskFailure with the error ``Rejected`` and the comment as its cause."""
    data = body(request)
    approvals.reject(data.get("taskToken"), data.get("comment"), user=request.user)
    return Response({})


@extend_schema(responses={200: TaskAnswerList, **errors(404)})
@api_view(["GET"])
def task_answers(request: Request, execution_id: str) -> Response:
    """Who answered the run's task tokens, when, and what they said (beside the history,
    which has no field for it on AWS)."""
    execution = get_execution(request, execution_id)
    return Response(
        {"answers": [approvals.answer_json(a) for a in execution.task_answers.all()[:1000]]}
    )
