"""State machine aliases over the AWS protocol, with boto3 and a real worker:
Create/Describe/Update/Delete/ListStateMachineAliases and StartExecution on an alias, which
routes by weight between two versions
(https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-alias.html)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.awsapi.helpers import HELLO, create, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def two_versions(sfn: Any) -> tuple[str, str, str]:
    machine = create(sfn, "Hello", HELLO, publish=True)
    bye = {"StartAt": "Hi", "States": {"Hi": {"Type": "Pass", "Result": "bye", "End": True}}}
    second = sfn.update_state_machine(
        stateMachineArn=machine, definition=json.dumps(bye), publish=True
    )["stateMachineVersionArn"]
    return machine, f"{machine}:1", second


def test_it_creates_describes_updates_lists_and_deletes_an_alias(
    sfn: Any, outsider_sfn: Any
) -> None:
    machine, first, second = two_versions(sfn)
    routing = [{"stateMachineVersionArn": first, "weight": 100}]

    created = sfn.create_state_machine_alias(name="PROD", routingConfiguration=routing)
    again = sfn.create_state_machine_alias(name="PROD", routingConfiguration=routing)
    sfn.update_state_machine_alias(
        stateMachineAliasArn=created["stateMachineAliasArn"],
        description="canary",
        routingConfiguration=[
            {"stateMachineVersionArn": first, "weight": 90},
            {"stateMachineVersionArn": second, "weight": 10},
        ],
    )
    described = sfn.describe_state_machine_alias(
        stateMachineAliasArn=created["stateMachineAliasArn"]
    )
    listed = sfn.list_state_machine_aliases(stateMachineArn=machine)["stateMachineAliases"]

    assert created["stateMachineAliasArn"] == again["stateMachineAliasArn"] == f"{machine}:PROD"
    assert described["name"] == "PROD" and described["description"] == "canary"
    assert described["routingConfiguration"] == [
        {"stateMachineVersionArn": first, "weight": 90},
        {"stateMachineVersionArn": second, "weight": 10},
    ]
    assert [a["stateMachineAliasArn"] for a in listed] == [f"{machine}:PROD"]
    with pytest.raises(sfn.exceptions.ConflictException):
        sfn.delete_state_machine_version(stateMachineVersionArn=second)  # the alias routes to it
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        outsider_sfn.describe_state_machine_alias(stateMachineAliasArn=f"{machine}:PROD")
    sfn.delete_state_machine_alias(stateMachineAliasArn=created["stateMachineAliasArn"])
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.describe_state_machine_alias(stateMachineAliasArn=f"{machine}:PROD")


def test_it_refuses_bad_routings(sfn: Any) -> None:
    machine, first, second = two_versions(sfn)

    def refused(name: str, routes: list[dict[str, Any]]) -> str:
        with pytest.raises(sfn.exceptions.ClientError) as raised:
            sfn.create_state_machine_alias(name=name, routingConfiguration=routes)
        return str(raised.value.response["Error"]["Code"])

    assert refused("A", [{"stateMachineVersionArn": first, "weight": 50}]) == "ValidationException"
    assert refused("123", [{"stateMachineVersionArn": first, "weight": 100}]) == "InvalidName"
    assert refused("A", [{"stateMachineVersionArn": f"{machine}:9", "weight": 100}]) == (
        "ResourceNotFound"
    )
    assert (
        refused(
            "A",
            [
                {"stateMachineVersionArn": first, "weight": 50},
                {"stateMachineVersionArn": first, "weight": 50},
            ],
        )
        == "ValidationException"
    )


def test_it_routes_executions_by_weight(sfn: Any, worker: Any) -> None:
    machine, first, second = two_versions(sfn)
    alias = sfn.create_state_machine_alias(
        name="canary",
        routingConfiguration=[
            {"stateMachineVersionArn": first, "weight": 50},
            {"stateMachineVersionArn": second, "weight": 50},
        ],
    )["stateMachineAliasArn"]
    only_second = sfn.create_state_machine_alias(
        name="next", routingConfiguration=[{"stateMachineVersionArn": second, "weight": 100}]
    )["stateMachineAliasArn"]

    runs = [sfn.start_execution(stateMachineArn=alias)["executionArn"] for _ in range(40)]
    pinned = sfn.start_execution(stateMachineArn=only_second)["executionArn"]

    outputs = [json.loads(wait_until(sfn, run, "SUCCEEDED")["output"]) for run in runs]
    # 40 draws at 50/50: each side at least 5 times, but with a chance below 2e-7.
    assert 5 <= outputs.count("hello") <= 35
    assert outputs.count("hello") + outputs.count("bye") == 40
    pinned_run = wait_until(sfn, pinned, "SUCCEEDED")
    assert json.loads(pinned_run["output"]) == "bye"
    assert pinned_run["stateMachineAliasArn"] == only_second
    assert pinned_run["stateMachineVersionArn"] == second
    # An alias lists the executions started through it, each with the version it ran.
    listed = sfn.list_executions(stateMachineArn=only_second)["executions"]
    assert [(e["executionArn"], e["stateMachineVersionArn"]) for e in listed] == [(pinned, second)]
    assert len(sfn.list_executions(stateMachineArn=alias)["executions"]) == 40
    assert sfn.list_executions(stateMachineArn=second)["executions"] == []
