"""REST endpoints of approvals: the inbox of waiting task tokens, Approve and Reject with a
comment, and who answered a run's tasks. Thin views over executor.approvals."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from designer.api import body
from designer.api_schema import errors
from executor import approvals
from executor.api import get_execution
from executor.api_schema import Answered, PendingTaskShown


class Inbox(serializers.Serializer):
    count = serializers.IntegerField(help_text="How many are waiting, all of them.")
    pending_tasks = PendingTaskShown(many=True)


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


@extend_schema(responses={200: Inbox, **errors()})
@api_view(["GET"])
def inbox(request: Request) -> Response:
    """Every waiting task token the caller may answer, across runs and machines, oldest
    first (the 50 oldest; ``count`` says how many there are)."""
    waiting = approvals.waiting_for(request.user).select_related(
        "execution__state_machine", "execution__version"
    )
    return Response(
        {
            "count": waiting.count(),
            "pending_tasks": [
                approvals.task_json(task, with_token=True, user=request.user, with_input=False)
                for task in waiting[: approvals.INBOX_LIMIT]
            ],
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
