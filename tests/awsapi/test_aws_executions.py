"""Executions over the AWS protocol, with boto3 and a real worker: StartExecution (idempotent,
and on versions), StartSyncExecution, DescribeExecution, DescribeStateMachineForExecution,
ListExecutions, GetExecutionHistory, StopExecution and RedriveExecution
(https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html and
the pages of the other operations)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.awsapi.helpers import ACCOUNT, HELLO, ROLE, WAIT, create, machine_arn, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

CHAIN = {
    "StartAt": "One",
    "States": {
        "One": {"Type": "Pass", "Result": {"n": 1}, "ResultPath": "$.one", "Next": "Two"},
        "Two": {
            "Type": "Pass",
            "Parameters": {
                "id.$": "$$.Execution.Id",
                "machine.$": "$$.StateMachine.Id",
                "given.$": "$.given",
            },
            "End": True,
        },
    },
}


def test_it_runs_an_execution_and_describes_it(sfn: Any, worker: Any) -> None:
    machine = create(sfn, "Chain", CHAIN)

    started = sfn.start_execution(stateMachineArn=machine, name="run-1", input='{"given": 7}')
    done = wait_until(sfn, started["executionArn"], "SUCCEEDED")

    assert started["executionArn"] == f"arn:aws:states:us-east-1:{ACCOUNT}:execution:Chain:run-1"
    assert done["startDate"] == started["startDate"]
    assert done["stopDate"] >= done["startDate"]
    assert json.loads(done["input"]) == {"given": 7}
    # The $$ context shows the same ARNs as the API (one module builds both).
    assert json.loads(done["output"]) == {
        "id": started["executionArn"],
        "machine": machine,
        "given": 7,
    }
    assert done["stateMachineArn"] == machine
    assert done["redriveStatus"] == "NOT_REDRIVABLE"
    for_execution = sfn.describe_state_machine_for_execution(executionArn=started["executionArn"])
    assert json.loads(for_execution["definition"]) == CHAIN
    assert for_execution["name"] == "Chain"


def test_it_gives_the_history_in_awss_shape_a_page_at_a_time(sfn: Any, worker: Any) -> None:
    machine = create(sfn, "Chain", CHAIN)
    run = sfn.start_execution(stateMachineArn=machine, input='{"given": 1}')["executionArn"]
    wait_until(sfn, run, "SUCCEEDED")

    whole = sfn.get_execution_history(executionArn=run)["events"]
    pages = list(
        sfn.get_paginator("get_execution_history").paginate(
            executionArn=run, PaginationConfig={"PageSize": 2}
        )
    )
    backwards = sfn.get_execution_history(executionArn=run, reverseOrder=True, maxResults=3)
    bare = sfn.get_execution_history(executionArn=run, includeExecutionData=False)["events"]

    assert [e["type"] for e in whole] == [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]
    assert [e["id"] for e in whole] == [1, 2, 3, 4, 5, 6]
    assert json.loads(whole[0]["executionStartedEventDetails"]["input"]) == {"given": 1}
    assert whole[1]["stateEnteredEventDetails"]["name"] == "One"
    assert [e for p in pages for e in p["events"]] == whole
    assert [e["id"] for e in backwards["events"]] == [6, 5, 4]
    assert "nextToken" in backwards
    assert "input" not in bare[0]["executionStartedEventDetails"]
    assert "output" not in bare[-1]["executionSucceededEventDetails"]


def test_it_starts_idempotently_as_aws_documents(sfn: Any, worker: Any) -> None:
    machine = create(sfn, "Waits", WAIT)

    first = sfn.start_execution(stateMachineArn=machine, name="once", input='{"a": 1}')
    again = sfn.start_execution(stateMachineArn=machine, name="once", input='{"a": 1}')
    with pytest.raises(sfn.exceptions.ExecutionAlreadyExists):
        sfn.start_execution(stateMachineArn=machine, name="once", input='{"a": 2}')
    sfn.stop_execution(executionArn=first["executionArn"])
    with pytest.raises(sfn.exceptions.ExecutionAlreadyExists):
        sfn.start_execution(stateMachineArn=machine, name="once", input='{"a": 1}')

    assert again["executionArn"] == first["executionArn"]
    assert again["startDate"] == first["startDate"]


def test_it_refuses_bad_starts_with_awss_codes(
    sfn: Any, outsider_sfn: Any, make_client: Any, user: Any
) -> None:
    machine = create(sfn, "Hello", HELLO)
    sync = make_client(user, inject_host_prefix=False)  # see the synchronous test below

    with pytest.raises(sfn.exceptions.InvalidExecutionInput):
        sfn.start_execution(stateMachineArn=machine, input="{not json")
    with pytest.raises(sfn.exceptions.InvalidName):
        sfn.start_execution(stateMachineArn=machine, name="no/slashes")
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        outsider_sfn.start_execution(stateMachineArn=machine)
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.start_execution(stateMachineArn=machine_arn("Missing"))
    with pytest.raises(sfn.exceptions.StateMachineTypeNotSupported):
        sync.start_sync_execution(stateMachineArn=machine)


def test_it_answers_a_strangers_execution_as_a_missing_one(
    sfn: Any, outsider_sfn: Any, worker: Any
) -> None:
    machine = create(sfn, "Hello", HELLO)
    run = sfn.start_execution(stateMachineArn=machine, name="mine")["executionArn"]
    missing = run.replace("mine", "none")

    for call in (
        lambda arn: outsider_sfn.describe_execution(executionArn=arn),
        lambda arn: outsider_sfn.get_execution_history(executionArn=arn),
        lambda arn: outsider_sfn.stop_execution(executionArn=arn),
        lambda arn: outsider_sfn.describe_state_machine_for_execution(executionArn=arn),
    ):
        with pytest.raises(sfn.exceptions.ExecutionDoesNotExist) as strangers:
            call(run)
        with pytest.raises(sfn.exceptions.ExecutionDoesNotExist) as absent:
            call(missing)
        assert (
            strangers.value.response["Error"]["Message"].replace("mine", "none")
            == (absent.value.response["Error"]["Message"])
        )
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        outsider_sfn.list_executions(stateMachineArn=machine)


def test_it_lists_executions_with_a_status_filter_and_pages(sfn: Any, worker: Any) -> None:
    hello = create(sfn, "Hello", HELLO)
    waits = create(sfn, "Waits", WAIT)
    done = [
        sfn.start_execution(stateMachineArn=hello, name=f"h{n}")["executionArn"] for n in range(3)
    ]
    for run in done:
        wait_until(sfn, run, "SUCCEEDED")
    running = sfn.start_execution(stateMachineArn=waits, name="w")["executionArn"]

    pages = list(
        sfn.get_paginator("list_executions").paginate(
            stateMachineArn=hello, PaginationConfig={"PageSize": 2}
        )
    )
    succeeded = sfn.list_executions(stateMachineArn=hello, statusFilter="SUCCEEDED")
    failed = sfn.list_executions(stateMachineArn=hello, statusFilter="FAILED")
    other = sfn.list_executions(stateMachineArn=waits, statusFilter="RUNNING")

    # Newest first, as AWS lists them.
    assert [e["executionArn"] for p in pages for e in p["executions"]] == done[::-1]
    assert [len(p["executions"]) for p in pages] == [2, 1]
    assert {e["status"] for e in succeeded["executions"]} == {"SUCCEEDED"}
    assert len(succeeded["executions"]) == 3
    assert failed["executions"] == []
    assert [e["executionArn"] for e in other["executions"]] == [running]
    with pytest.raises(sfn.exceptions.InvalidToken):
        sfn.list_executions(stateMachineArn=waits, nextToken=pages[0]["nextToken"])


def test_it_stops_and_redrives_an_execution(sfn: Any, worker: Any) -> None:
    machine = create(sfn, "Waits", WAIT)
    run = sfn.start_execution(stateMachineArn=machine)["executionArn"]
    wait_until_entered(sfn, run, "WaitStateEntered")

    stopped = sfn.stop_execution(executionArn=run, error="Enough", cause="the test stops it")
    aborted = wait_until(sfn, run, "ABORTED")
    redriven = sfn.redrive_execution(executionArn=run)
    again = wait_until(sfn, run, "RUNNING")

    assert aborted["stopDate"] == stopped["stopDate"]
    assert (aborted["error"], aborted["cause"]) == ("Enough", "the test stops it")
    assert again["redriveCount"] == 1
    assert again["redriveDate"] == redriven["redriveDate"]
    types = [e["type"] for e in sfn.get_execution_history(executionArn=run)["events"]]
    assert "ExecutionAborted" in types and types[-1] in ("ExecutionRedriven", "WaitStateEntered")
    with pytest.raises(sfn.exceptions.ExecutionNotRedrivable):
        sfn.redrive_execution(executionArn=run)  # it is running


def wait_until_entered(sfn: Any, run: str, event_type: str) -> None:
    from tests.awsapi.helpers import wait_for

    wait_for(
        lambda: any(
            e["type"] == event_type for e in sfn.get_execution_history(executionArn=run)["events"]
        )
    )


def test_it_starts_a_published_version_and_lists_its_executions(sfn: Any, worker: Any) -> None:
    machine = sfn.create_state_machine(
        name="Hello", definition=json.dumps(HELLO), roleArn=ROLE, publish=True
    )
    version = machine["stateMachineVersionArn"]
    bye = {**HELLO, "States": {"Hi": {"Type": "Pass", "Result": "bye", "End": True}}}
    sfn.update_state_machine(stateMachineArn=machine["stateMachineArn"], definition=json.dumps(bye))

    on_version = sfn.start_execution(stateMachineArn=version)["executionArn"]
    on_latest = sfn.start_execution(stateMachineArn=machine["stateMachineArn"])["executionArn"]

    assert json.loads(wait_until(sfn, on_version, "SUCCEEDED")["output"]) == "hello"
    assert json.loads(wait_until(sfn, on_latest, "SUCCEEDED")["output"]) == "bye"
    listed = sfn.list_executions(stateMachineArn=version)["executions"]
    assert [e["executionArn"] for e in listed] == [on_version]
    assert listed[0]["stateMachineVersionArn"] == version
    assert sfn.describe_execution(executionArn=on_version)["stateMachineVersionArn"] == version
    assert "stateMachineVersionArn" not in sfn.describe_execution(executionArn=on_latest)
    every = sfn.list_executions(stateMachineArn=machine["stateMachineArn"])["executions"]
    assert {e["executionArn"] for e in every} == {on_version, on_latest}


def test_it_runs_an_express_machine_synchronously(make_client: Any, user: Any, worker: Any) -> None:
    # AWS serves StartSyncExecution at sync-states.REGION.amazonaws.com; a local endpoint
    # has no such host, so the client is told not to prefix it (as for LocalStack).
    sfn = make_client(user, inject_host_prefix=False)
    machine = create(sfn, "Quick", CHAIN, type="EXPRESS")

    done = sfn.start_sync_execution(stateMachineArn=machine, name="now", input='{"given": 3}')

    assert done["status"] == "SUCCEEDED"
    assert json.loads(done["output"])["given"] == 3
    assert done["executionArn"].endswith(":execution:Quick:now")
    assert done["stopDate"] >= done["startDate"]
