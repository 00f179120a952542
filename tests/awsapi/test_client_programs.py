"""Programs written for AWS (tests/awsapi/programs/), each run unchanged as a subprocess
against a real Daphne and celery worker: only AWS_ENDPOINT_URL and an access key made by
`manage.py createaccesskey` point them here, as they would point them at LocalStack."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from designer.models import StateMachine
from executor.models import Execution
from tests import servers
from tests.awsapi.helpers import ACCOUNT, HELLO, create, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PROGRAMS = Path(__file__).parent / "programs"


@pytest.fixture
def program_env(web: str, user: Any, test_database_url: str) -> dict[str, str]:
    """What a shell that runs an AWS program holds: the endpoint, a region and alice's key."""
    made = servers.manage(
        "createaccesskey", user.username, env=servers.environment(DATABASE_URL=test_database_url)
    )
    key_id, secret = made.strip().splitlines()[-1].split()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ENDPOINT_URL=web,
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ACCESS_KEY_ID=key_id,
        AWS_SECRET_ACCESS_KEY=secret,
        # No config or credentials file of this machine's user may stand in.
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )
    return env


def run(env: dict[str, str], program: str, *args: str, timeout: float = 120) -> str:
    done = subprocess.run(
        [sys.executable, str(PROGRAMS / program), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def start(env: dict[str, str], program: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(PROGRAMS / program), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_an_activity_worker_loop_answers_each_task(
    sfn: Any, worker: Any, program_env: dict[str, str]
) -> None:
    activity = sfn.create_activity(name="order-totals")["activityArn"]
    machine = create(
        sfn,
        "Totals",
        {
            "StartAt": "Total",
            "States": {
                "Total": {
                    "Type": "Task",
                    "Resource": activity,
                    "HeartbeatSeconds": 30,
                    "End": True,
                }
            },
        },
    )
    orders = [
        {"order": i, "lines": [{"price": 3, "qty": i}, {"price": 10, "qty": 1}]} for i in (1, 2, 3)
    ]
    runs = [sfn.start_execution(stateMachineArn=machine, input=json.dumps(o)) for o in orders]
    out = run(program_env, "activity_worker.py", activity, "--tasks", "3")
    assert out.split() == ["answered", "1", "answered", "2", "answered", "3"]
    outputs = [json.loads(wait_until(sfn, r["executionArn"], "SUCCEEDED")["output"]) for r in runs]
    totals = {output["order"]: output["total"] for output in outputs}
    assert totals == {1: 13, 2: 16, 3: 19}


def test_a_callback_is_answered_from_another_process(
    sfn: Any, worker: Any, program_env: dict[str, str]
) -> None:
    machine = create(
        sfn,
        "Approvals",
        {
            "StartAt": "Ask",
            "States": {
                "Ask": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                    "Parameters": {
                        "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/approvals",
                        "MessageBody": {"order.$": "$.order", "token.$": "$$.Task.Token"},
                    },
                    "ResultPath": "$.answer",
                    "End": True,
                }
            },
        },
    )
    execution = sfn.start_execution(stateMachineArn=machine, input='{"order": 7}')["executionArn"]
    assert sfn.describe_execution(executionArn=execution)["status"] == "RUNNING"
    out = run(program_env, "callback_approver.py", execution, "--decision", "yes")
    assert out.strip() == "answered"
    done = wait_until(sfn, execution, "SUCCEEDED")
    assert json.loads(done["output"]) == {"order": 7, "answer": {"decision": "yes"}}


def test_pagination_through_thousands_of_executions(
    sfn: Any, worker: Any, user: Any, program_env: dict[str, str]
) -> None:
    arn = create(sfn, "Many", HELLO)
    machine = StateMachine.objects.get(name="Many")
    version = machine.latest_version()
    start = timezone.now() - dt.timedelta(days=1)
    total = 3500
    # Several runs share each start time, so pages must break ties (by id) to skip none.
    Execution.objects.bulk_create(
        Execution(
            state_machine=machine,
            version=version,
            name=f"run-{i:05d}",
            status="SUCCEEDED" if i % 5 else "FAILED",
            input={},
            start_date=start + dt.timedelta(seconds=i // 3),
            stop_date=start + dt.timedelta(seconds=i // 3 + 1),
            started_by=user,
        )
        for i in range(total)
    )
    summary = json.loads(run(program_env, "list_executions.py", arn, "--page-size", "1000"))
    assert summary["count"] == summary["distinct"] == total
    assert summary["pages"] == 4
    assert summary["statuses"] == {"SUCCEEDED": total - total // 5, "FAILED": total // 5}
    # Newest first: the last two inserted share the latest start time.
    assert summary["first"][0] in ("run-03498", "run-03499")
    assert summary["last"][0] in ("run-00000", "run-00001", "run-00002")
    failed = json.loads(
        run(program_env, "list_executions.py", arn, "--page-size", "333", "--status", "FAILED")
    )
    assert failed["count"] == failed["distinct"] == total // 5
    assert failed["pages"] == 3


def test_a_deployment_script_creates_publishes_aliases_and_deletes(
    sfn: Any, worker: Any, program_env: dict[str, str], tmp_path: Path
) -> None:
    first, second = tmp_path / "v1.json", tmp_path / "v2.json"
    for path, result in ((first, "one"), (second, "two")):
        path.write_text(
            json.dumps(
                {"StartAt": "S", "States": {"S": {"Type": "Pass", "Result": result, "End": True}}}
            )
        )
    prefix = f"arn:aws:states:us-east-1:{ACCOUNT}:stateMachine:Shop"

    deployed = json.loads(run(program_env, "deploy.py", "Shop", str(first), "--note", "first"))
    assert deployed == {
        "machine": prefix,
        "version": f"{prefix}:1",
        "alias": f"{prefix}:live",
        "ran": f"{prefix}:1",
        "output": "one",
    }
    again = json.loads(run(program_env, "deploy.py", "Shop", str(second), "--note", "second"))
    assert (again["version"], again["ran"], again["output"]) == (
        f"{prefix}:2",
        f"{prefix}:2",
        "two",
    )
    alias = sfn.describe_state_machine_alias(stateMachineAliasArn=f"{prefix}:live")
    assert alias["routingConfiguration"] == [
        {"stateMachineVersionArn": f"{prefix}:2", "weight": 100}
    ]
    assert sfn.describe_state_machine(stateMachineArn=f"{prefix}:1")["description"] == "first"

    gone = json.loads(run(program_env, "deploy.py", "Shop", "--teardown"))
    assert gone == {"deleted": prefix, "versions": 2, "alias": f"{prefix}:live"}
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.describe_state_machine(stateMachineArn=prefix)
    assert not StateMachine.objects.filter(name="Shop").exists()
