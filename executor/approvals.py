"""Tasks that wait for a person: every `.waitForTaskToken` task, whatever its resource.

A task token can be answered by a program, but the operator view and the approvals inbox also
let a person answer it: Approve sends SendTaskSuccess with ``{"approved", "comment", "by",
"at"}``, Reject sends SendTaskFailure with the error ``Rejected`` and the comment as its cause.

The designer's Approval step describes itself in its Parameters, so the ASL stays portable and
self-describing (see README, "Approvals")::

    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "Parameters": {
      "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/statecraft-approvals",
      "MessageBody": {
        "Approval": {"Prompt": "Approve this order?", "ApproverGroup": "finance"},
        "Input.$": "$",
        "TaskToken.$": "$$.Task.Token"
      }
    }

Any `.waitForTaskToken` task may carry the same ``Approval`` object, in its Parameters or in
their MessageBody, Message or Payload (SQS, SNS, Lambda). An ApproverGroup restricts who may
answer to the members of that group, on top of the operator role on the machine.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from designer.actions import ActionError
from designer.roles import machines_for, may
from executor.models import PendingTask, TaskAnswer

APPROVAL_RESOURCE = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
REJECTED = "Rejected"
# Where a task's Parameters may hold its Approval object, besides at their top.
APPROVAL_HOLDERS = ("MessageBody", "Message", "Payload")
MAX_COMMENT = 4000
MAX_GROUP = 150
# An entry can carry a payload of up to PAYLOAD_LIMIT_BYTES (256 KiB): a page must stay small.
INBOX_LIMIT = 50


def waits_for_a_person(task: PendingTask) -> bool:
    return task.kind == "callback" or task.resource.endswith(".waitForTaskToken")


def token_tasks() -> Q:
    """The PendingTask rows that waits_for_a_person, in SQL."""
    return Q(kind="callback") | Q(resource__endswith=".waitForTaskToken")


def approval_object(payload: Any) -> dict[str, Any]:
    """The ``Approval`` object a task's Parameters carry, or {} for a plain token task."""
    if not isinstance(payload, dict):
        return {}
    for holder in (payload, *(payload.get(key) for key in APPROVAL_HOLDERS)):
        if isinstance(holder, dict) and isinstance(holder.get("Approval"), dict):
            return holder["Approval"]
    return {}


def approver_group(payload: Any) -> str:
    group = approval_object(payload).get("ApproverGroup")
    return group[:MAX_GROUP] if isinstance(group, str) else ""


def describe(task: PendingTask) -> dict[str, Any]:
    """What the approver reads: the prompt, who may answer, and the data to judge (the
    Approval step's input, or else everything the task was sent)."""
    approval = approval_object(task.payload)
    prompt = approval.get("Prompt")
    body = task.payload.get("MessageBody") if isinstance(task.payload, dict) else None
    data = body["Input"] if isinstance(body, dict) and "Input" in body and approval else None
    return {
        "prompt": prompt if isinstance(prompt, str) else "",
        "approver_group": task.approver_group,
        "data": without_token(task.payload if data is None else data, task.token),
    }


def without_token(value: Any, token: str) -> Any:
    """The data without the task token: a long hex string is nothing a person judges."""
    if isinstance(value, dict):
        return {k: without_token(v, token) for k, v in value.items() if v != token}
    if isinstance(value, list):
        return [without_token(v, token) for v in value]
    return value


def group_names(user: Any) -> set[str]:
    """The user's groups, read once per user object (a request, a WebSocket connection)."""
    names = getattr(user, "_statecraft_group_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
        user._statecraft_group_names = names
    return names


def in_group(user: Any, group: str) -> bool:
    return not group or user.is_superuser or group in group_names(user)


def may_answer(user: Any, task: PendingTask) -> bool:
    return may(user, "operate", task.execution.state_machine) and in_group(
        user, task.approver_group
    )


def require_group(user: Any, task: PendingTask) -> None:
    if not in_group(user, task.approver_group):
        raise ActionError(
            f"Only members of the group '{task.approver_group}' may answer the approval "
            f"'{task.state_name}'.",
            field="taskToken",
            status=403,
        )


def waiting_for(user: Any) -> QuerySet[PendingTask]:
    """Every open token task ``user`` may answer, across runs and machines, oldest first."""
    tasks = PendingTask.objects.filter(
        token_tasks(),
        answered_at__isnull=True,
        execution__status="RUNNING",
        execution__state_machine__in=machines_for(user, "operate"),
    )
    if not user.is_superuser:
        tasks = tasks.filter(Q(approver_group="") | Q(approver_group__in=group_names(user)))
    return tasks.order_by("created_at", "pk")


def check_comment(comment: Any) -> str:
    if comment is None:
        return ""
    if not isinstance(comment, str) or len(comment) > MAX_COMMENT:
        raise ActionError(
            f"comment must be text of at most {MAX_COMMENT} characters.", field="comment"
        )
    return comment


def iso(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def approve(token: Any, comment: Any, *, user: Any) -> dict[str, Any]:
    """SendTaskSuccess with what a person said; returns the output sent."""
    from executor import pending

    comment = check_comment(comment)
    output = {
        "approved": True,
        "comment": comment,
        "by": user.get_username(),
        "at": iso(timezone.now()),
    }
    pending.send_success(token, output, user=user, comment=comment)
    return output


def reject(token: Any, comment: Any, *, user: Any) -> None:
    """SendTaskFailure: the error Rejected, the comment as its cause (a Catch can read it)."""
    from executor import pending

    comment = check_comment(comment)
    pending.send_failure(token, REJECTED, comment, user=user, comment=comment)


def record(
    task: PendingTask, outcome: dict[str, Any], user: Any, comment: str, at: dt.datetime
) -> TaskAnswer:
    """The row saying who answered ``task`` (not saved yet: it is saved with the answer)."""
    known = user is not None and user.is_authenticated
    return TaskAnswer(
        execution_id=task.execution_id,
        state_name=task.state_name,
        resource=task.resource,
        approved="error" not in outcome,
        comment=comment,
        answered_by=user if known else None,
        answered_by_name=user.get_username() if known else "",
        answered_at=at,
        outcome=outcome,
    )


def answer_json(answer: TaskAnswer) -> dict[str, Any]:
    return {
        "state_name": answer.state_name,
        "resource": answer.resource,
        "approved": answer.approved,
        "comment": answer.comment,
        "by": answer.answered_by_name,
        "at": iso(answer.answered_at),
        "outcome": answer.outcome,
    }


def state_definition(definition: Any, name: str) -> dict[str, Any]:
    """The state called ``name`` at any depth (ASL state names are unique in a machine)."""
    if not isinstance(definition, dict):
        return {}
    states = definition.get("States")
    if isinstance(states, dict):
        if isinstance(states.get(name), dict):
            return states[name]
        for state in states.values():
            if not isinstance(state, dict):
                continue
            branches = state.get("Branches")
            inner = [state.get("ItemProcessor"), state.get("Iterator")]
            for scope in inner + (branches if isinstance(branches, list) else []):
                found = state_definition(scope, name)
                if found:
                    return found
    return {}


def task_json(
    task: PendingTask, *, with_token: bool, user: Any, with_input: bool = True
) -> dict[str, Any]:
    """A waiting task as the run view and the inbox show it (the inbox leaves out the raw
    input: the data to judge is enough, and pages stay half the size)."""
    execution = task.execution
    state = state_definition(execution.version.definition, task.state_name)
    person = waits_for_a_person(task)
    return {
        **({"task_token": task.token} if with_token else {}),
        "kind": task.kind,
        "state_name": task.state_name,
        "resource": task.resource,
        **({"input": task.payload} if with_input else {}),
        "created_at": task.created_at,
        "deadline": task.deadline,
        "heartbeat_deadline": task.heartbeat_deadline,
        "execution": str(execution.pk),
        "execution_name": execution.name,
        "state_machine": execution.state_machine.name,
        "waits_for_a_person": person,
        "may_answer": with_token and in_group(user, task.approver_group),
        # Where the answer goes: "$" (the default) replaces the run's data with it.
        "result_path": state.get("ResultPath", "$"),
        **describe(task),
    }
