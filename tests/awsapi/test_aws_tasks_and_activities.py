"""Task tokens, activities and tags over the AWS protocol, with boto3 and a real worker:
SendTaskSuccess/Failure/Heartbeat, Create/Describe/Delete/ListActivities, GetActivityTask,
TagResource, UntagResource and ListTagsForResource
(https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetActivityTask.html,
API_SendTaskSuccess.html, API_TagResource.html)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from executor.models import PendingTask
from tests.awsapi.conftest import POLL_SECONDS
from tests.awsapi.helpers import ACCOUNT, CALLBACK, ROLE, create, wait_for, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ACTIVITY_ARN = f"arn:aws:states:us-east-1:{ACCOUNT}:activity:approvals"


def waiting_token(sfn: Any, definition: Any = CALLBACK, input: str = "{}") -> tuple[str, str]:
    """A run waiting for its task token, and that token (which AWS would have put in the
    SQS message the state sends)."""
    machine = create(sfn, "Approvals", definition)
    run = sfn.start_execution(stateMachineArn=machine, input=input)["executionArn"]
    pending = wait_for(
        lambda: PendingTask.objects.filter(execution__name=run.split(":")[-1]).first()
    )
    return run, pending.token


def test_it_completes_a_callback_with_send_task_success(sfn: Any, worker: Any) -> None:
    run, token = waiting_token(sfn)

    sfn.send_task_heartbeat(taskToken=token)
    sfn.send_task_success(taskToken=token, output='{"approved": true}')
    done = wait_until(sfn, run, "SUCCEEDED")

    assert json.loads(done["output"]) == {"approved": True}
    with pytest.raises(sfn.exceptions.TaskTimedOut):
        sfn.send_task_success(taskToken=token, output="{}")


def test_it_fails_a_callback_with_send_task_failure(sfn: Any, worker: Any) -> None:
    run, token = waiting_token(sfn)

    sfn.send_task_failure(taskToken=token, error="Rejected", cause="not today")
    failed = wait_until(sfn, run, "FAILED")

    assert (failed["error"], failed["cause"]) == ("Rejected", "not today")


def test_it_refuses_unknown_and_strangers_tokens_alike(
    sfn: Any, outsider_sfn: Any, worker: Any
) -> None:
    run, token = waiting_token(sfn)

    for call in (
        lambda t: outsider_sfn.send_task_success(taskToken=t, output="{}"),
        lambda t: outsider_sfn.send_task_failure(taskToken=t, error="Forged"),
        lambda t: outsider_sfn.send_task_heartbeat(taskToken=t),
    ):
        # A token of the issued form that names no open task of the caller's is AWS's
        # TaskTimedOut, whether it never existed or belongs to someone else's run.
        with pytest.raises(sfn.exceptions.TaskTimedOut) as strangers:
            call(token)
        with pytest.raises(sfn.exceptions.TaskTimedOut) as unknown:
            call("f" * 64)
        with pytest.raises(sfn.exceptions.InvalidToken):
            call("not-a-token")
        assert strangers.value.response["Error"] == unknown.value.response["Error"]
    with pytest.raises(sfn.exceptions.InvalidOutput):
        sfn.send_task_success(taskToken=token, output="{not json")
    assert sfn.describe_execution(executionArn=run)["status"] == "RUNNING"


def test_it_manages_activities(sfn: Any, outsider_sfn: Any) -> None:
    created = sfn.create_activity(name="approvals")
    again = sfn.create_activity(name="approvals")  # idempotent, as on AWS
    sfn.create_activity(name="billing")

    described = sfn.describe_activity(activityArn=ACTIVITY_ARN)
    first = sfn.list_activities(maxResults=1)
    rest = sfn.list_activities(maxResults=1, nextToken=first["nextToken"])

    assert created["activityArn"] == again["activityArn"] == ACTIVITY_ARN
    assert described["name"] == "approvals"
    assert described["creationDate"] == created["creationDate"]
    assert [a["name"] for a in first["activities"] + rest["activities"]] == ["approvals", "billing"]
    with pytest.raises(sfn.exceptions.InvalidName):
        sfn.create_activity(name="no spaces")
    with pytest.raises(sfn.exceptions.ClientError) as refused:
        outsider_sfn.delete_activity(activityArn=ACTIVITY_ARN)
    assert refused.value.response["Error"]["Code"] == "AccessDeniedException"
    sfn.delete_activity(activityArn=ACTIVITY_ARN)
    with pytest.raises(sfn.exceptions.ActivityDoesNotExist):
        sfn.describe_activity(activityArn=ACTIVITY_ARN)
    with pytest.raises(sfn.exceptions.ActivityDoesNotExist):
        sfn.get_activity_task(activityArn=ACTIVITY_ARN)


def test_it_hands_an_activity_task_to_a_worker_loop(
    sfn: Any, outsider_sfn: Any, worker: Any
) -> None:
    """The loop AWS's activity worker examples run: poll, work, send the result."""
    activity = sfn.create_activity(name="approvals")["activityArn"]
    definition = {
        "StartAt": "Work",
        "States": {"Work": {"Type": "Task", "Resource": activity, "End": True}},
    }
    machine = create(sfn, "Approvals", definition)
    run = sfn.start_execution(stateMachineArn=machine, input='{"order": 5}')["executionArn"]

    strangers = outsider_sfn.get_activity_task(activityArn=activity)
    task = sfn.get_activity_task(activityArn=activity, workerName="worker-1")
    sfn.send_task_success(
        taskToken=task["taskToken"], output=json.dumps({"done": json.loads(task["input"])})
    )

    assert "taskToken" not in strangers
    assert json.loads(task["input"]) == {"order": 5}
    assert json.loads(wait_until(sfn, run, "SUCCEEDED")["output"]) == {"done": {"order": 5}}
    types = [e["type"] for e in sfn.get_execution_history(executionArn=run)["events"]]
    assert "ActivityStarted" in types and "ActivitySucceeded" in types


def test_it_answers_an_empty_poll_after_the_long_poll(sfn: Any) -> None:
    activity = sfn.create_activity(name="idle")["activityArn"]

    began = time.monotonic()
    answer = sfn.get_activity_task(activityArn=activity)
    waited = time.monotonic() - began

    assert "taskToken" not in answer
    assert POLL_SECONDS - 0.5 <= waited < POLL_SECONDS + 5


def test_it_tags_state_machines_and_activities(sfn: Any, outsider_sfn: Any) -> None:
    machine = sfn.create_state_machine(
        name="Tagged",
        definition=json.dumps({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}),
        roleArn=ROLE,
        tags=[{"key": "team", "value": "ops"}],
    )["stateMachineArn"]
    activity = sfn.create_activity(name="tagged", tags=[{"key": "k", "value": "v"}])["activityArn"]

    sfn.tag_resource(resourceArn=machine, tags=[{"key": "env", "value": "prod"}])
    sfn.tag_resource(resourceArn=machine, tags=[{"key": "team", "value": "dev"}])
    sfn.untag_resource(resourceArn=activity, tagKeys=["k"])

    assert sfn.list_tags_for_resource(resourceArn=machine)["tags"] == [
        {"key": "env", "value": "prod"},
        {"key": "team", "value": "dev"},
    ]
    assert sfn.list_tags_for_resource(resourceArn=activity)["tags"] == []
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        outsider_sfn.list_tags_for_resource(resourceArn=machine)
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        outsider_sfn.tag_resource(resourceArn=machine, tags=[{"key": "x", "value": "y"}])
    with pytest.raises(sfn.exceptions.TooManyTags):
        sfn.tag_resource(
            resourceArn=machine, tags=[{"key": f"k{n}", "value": ""} for n in range(50)]
        )
    assert len(sfn.list_tags_for_resource(resourceArn=machine)["tags"]) == 2
