"""What the execution API answers, for its OpenAPI schema (/api/v1/schema/).

The views build their JSON by hand; these serializers only describe it, and the Schemathesis
suite (tests/api/test_schemathesis.py) checks every answer against them.
"""

from __future__ import annotations

from typing import Any

import botocore.session
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from designer.api_schema import ALWAYS, ERROR_DESCRIPTIONS
from designer.roles import ACTIONS
from executor.models import STATUSES, PendingTask

EXECUTION_STATUSES = [status for status, _ in STATUSES]


class Execution(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    state_machine = serializers.CharField()
    version = serializers.IntegerField(min_value=1, help_text="The version that ran.")
    status = serializers.ChoiceField(EXECUTION_STATUSES)
    input = serializers.JSONField(allow_null=True)
    output = serializers.JSONField(allow_null=True)
    error = serializers.CharField(allow_null=True)
    cause = serializers.CharField(allow_null=True)
    start_date = serializers.DateTimeField()
    stop_date = serializers.DateTimeField(allow_null=True)
    redriveCount = serializers.IntegerField(min_value=0)  # noqa: N815 - AWS's field names
    redriveDate = serializers.DateTimeField(allow_null=True)  # noqa: N815
    last_event_id = serializers.IntegerField(
        min_value=0, help_text="The id of its latest event: its history has this many."
    )


class ExecutionShown(Execution):
    redriveStatus = serializers.ChoiceField(["REDRIVABLE", "NOT_REDRIVABLE"])  # noqa: N815


class RunLink(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    startAt = serializers.CharField(required=False)  # noqa: N815
    status = serializers.CharField(required=False)


class ExecutionDetail(ExecutionShown):
    definition = serializers.JSONField(help_text="The definition of the version that ran.")
    layout = serializers.JSONField()
    permissions = serializers.ListField(
        child=serializers.ChoiceField(list(ACTIONS)),
        help_text="What the caller may do with the run's machine.",
    )
    startAt = serializers.CharField(  # noqa: N815
        allow_null=True, help_text="The state a rerun began at; null for a run from StartAt."
    )
    rerunOf = RunLink(allow_null=True, help_text="The run this one reran.")  # noqa: N815
    reruns = RunLink(many=True, help_text="Runs started from this one's states, newest first.")


class ExecutionList(serializers.Serializer):
    executions = Execution(many=True, help_text="Newest first, `limit` of them (100).")
    next_cursor = serializers.CharField(
        allow_null=True, help_text="`cursor` for the next page; null on the last page."
    )


def _aws_history_event_members() -> list[str]:
    """The `<type>EventDetails` members of AWS's HistoryEvent, from botocore's service model
    (the SDKs' own description of the API), so the schema names exactly what AWS names."""
    model = botocore.session.get_session().get_service_model("stepfunctions")
    members = model.shape_for("HistoryEvent").members
    return [name for name in members if name.endswith("EventDetails")]


class HistoryEvent(serializers.Serializer):
    """An event as AWS's GetExecutionHistory returns it (executor.models.aws_event):
    https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html"""

    id = serializers.IntegerField(min_value=1, help_text="Numbered 1..n in the execution.")
    previousEventId = serializers.IntegerField(  # noqa: N815 - AWS's field names
        min_value=0, help_text="The event this one follows (0 for the first)."
    )
    timestamp = serializers.DateTimeField()
    type = serializers.CharField(help_text='As AWS names it: "TaskStateEntered".')

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for member in DETAILS_MEMBERS:
            fields[member] = serializers.DictField(
                required=False,
                help_text="The details of an event of this type; at most one is present.",
            )
        return fields


DETAILS_MEMBERS = _aws_history_event_members()


class HistoryPage(serializers.Serializer):
    events = HistoryEvent(many=True, help_text="In id order.")
    owners = serializers.ListField(
        child=serializers.CharField(allow_null=True),
        help_text="The name of the state each event belongs to, in the order of `events` "
        "(null for the execution's own events before any state, or a broken chain): older "
        "pages cannot tell it from their own events.",
    )
    next_after = serializers.IntegerField(
        allow_null=True,
        required=False,
        help_text="With `after`: `after` for the next page; null on the last page.",
    )
    next_before = serializers.IntegerField(
        allow_null=True,
        required=False,
        help_text="With `before`: `before` for the page of older events; null at the first.",
    )


class PendingTaskShown(serializers.Serializer):
    task_token = serializers.CharField(
        required=False, help_text="Shown only to those who may answer it (operators)."
    )
    kind = serializers.ChoiceField([kind for kind, _ in PendingTask.KINDS])
    state_name = serializers.CharField()
    resource = serializers.CharField()
    input = serializers.JSONField(
        allow_null=True, required=False, help_text="What the task was sent (not in the inbox)."
    )
    created_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField(allow_null=True)
    heartbeat_deadline = serializers.DateTimeField(allow_null=True)
    execution = serializers.UUIDField()
    execution_name = serializers.CharField()
    state_machine = serializers.CharField()
    waits_for_a_person = serializers.BooleanField(
        help_text="A .waitForTaskToken task: a person may answer it (Approve/Reject)."
    )
    may_answer = serializers.BooleanField(
        help_text="The caller may answer it (operator, and in its approver group)."
    )
    result_path = serializers.CharField(
        allow_null=True, help_text="Where the answer goes in the data ($: replaces it)."
    )
    prompt = serializers.CharField(help_text="From the task's Approval object; may be empty.")
    approver_group = serializers.CharField(help_text="Only its members may answer; empty: any.")
    data = serializers.JSONField(allow_null=True, help_text="The data the approver judges.")


class PendingTaskList(serializers.Serializer):
    pending_tasks = PendingTaskShown(many=True)


class Answered(serializers.Serializer):
    """A task token's answer was taken: an empty object."""


STATUS_FILTER = OpenApiParameter(
    "status", str, enum=EXECUTION_STATUSES, description="Only executions in this status."
)
MACHINE_LIST_PARAMETERS = [
    STATUS_FILTER,
    OpenApiParameter("cursor", str, description="next_cursor of the previous page."),
    OpenApiParameter("limit", OpenApiTypes.INT, description="At most this many (200)."),
]
HISTORY_PAGE = [
    OpenApiParameter(
        "after", OpenApiTypes.INT, description="Only events after this id (0 by default)."
    ),
    OpenApiParameter(
        "before",
        OpenApiTypes.INT,
        description=(
            "Only events before this id: the `limit` events just before it, in id order "
            "(`last_event_id` + 1 for the latest page). Not with `after`."
        ),
    ),
    OpenApiParameter(
        "limit", OpenApiTypes.INT, description="At most this many events (at most 1000)."
    ),
]

ACTIVITY_TASKS_PATH = "/api/v1/activities/{name}/tasks/"


def _error_responses(*statuses: int) -> dict[str, Any]:
    return {
        str(status): {
            "description": ERROR_DESCRIPTIONS[status],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for status in sorted({*ALWAYS, *statuses})
    }


def document_activity_poll(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular's postprocessing hook for GetActivityTask: the long poll is a plain
    async Django view (a waiting worker holds no thread), which drf-spectacular cannot see."""
    result["paths"][ACTIVITY_TASKS_PATH] = {
        "post": {
            "operationId": "get_activity_task",
            "summary": "GetActivityTask: wait for a task of this activity.",
            "description": (
                "Waits up to `wait` seconds (60 by default) for a task of this activity and "
                "hands it to this worker alone. Answer it with the task-tokens endpoints."
            ),
            "tags": ["activities"],
            "parameters": [
                {
                    "in": "path",
                    "name": "name",
                    "required": True,
                    "schema": {"type": "string"},
                    "description": "The activity's name, as in its Resource ARN.",
                }
            ],
            "requestBody": {
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "wait": {"type": "number", "minimum": 0, "maximum": 60},
                                "workerName": {"type": "string"},
                            },
                        }
                    }
                }
            },
            "security": [{"tokenAuth": []}],
            "responses": {
                "200": {
                    "description": "A task, or nulls when none came in time.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "taskToken": {"type": "string", "nullable": True},
                                    "input": {"nullable": True},
                                },
                                "required": ["taskToken", "input"],
                            }
                        }
                    },
                },
                **_error_responses(413),
            },
        }
    }
    return result
