"""State machines over the AWS protocol, with boto3: CreateStateMachine, DescribeStateMachine,
UpdateStateMachine, DeleteStateMachine, ListStateMachines, ValidateStateMachineDefinition and
the versions (API reference: https://docs.aws.amazon.com/step-functions/latest/apireference/)."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ACCOUNT = "123456789012"
HELLO = {"StartAt": "Hi", "States": {"Hi": {"Type": "Pass", "Result": "hello", "End": True}}}
BYE = {"StartAt": "Bye", "States": {"Bye": {"Type": "Pass", "Result": "bye", "End": True}}}
ROLE = f"arn:aws:iam::{ACCOUNT}:role/anything"


def arn(name: str) -> str:
    return f"arn:aws:states:us-east-1:{ACCOUNT}:stateMachine:{name}"


def create(sfn: Any, name: str = "Hello", definition: Any = None, **extra: Any) -> Any:
    return sfn.create_state_machine(
        name=name, definition=json.dumps(definition or HELLO), roleArn=ROLE, **extra
    )


def test_it_creates_and_describes_a_state_machine(sfn: Any) -> None:
    created = create(sfn, type="EXPRESS")

    described = sfn.describe_state_machine(stateMachineArn=created["stateMachineArn"])

    assert created["stateMachineArn"] == arn("Hello")
    assert described["name"] == "Hello"
    assert described["type"] == "EXPRESS"
    assert described["status"] == "ACTIVE"
    assert json.loads(described["definition"]) == HELLO
    assert described["creationDate"] == created["creationDate"]
    assert described["roleArn"] == ROLE
    assert "stateMachineVersionArn" not in created


def test_it_keeps_the_role_given_and_refuses_what_is_no_role(sfn: Any) -> None:
    machine = create(sfn)["stateMachineArn"]
    other = f"arn:aws:iam::{ACCOUNT}:role/service-role/Other"

    sfn.update_state_machine(stateMachineArn=machine, roleArn=other)

    assert sfn.describe_state_machine(stateMachineArn=machine)["roleArn"] == other
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.update_state_machine(stateMachineArn=machine, roleArn="not-a-role")
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.create_state_machine(name="Other", definition=json.dumps(HELLO), roleArn="r")
    with pytest.raises(sfn.exceptions.MissingRequiredParameter):
        sfn.update_state_machine(stateMachineArn=machine)
    assert sfn.describe_state_machine(stateMachineArn=machine)["roleArn"] == other


def test_it_refuses_an_invalid_definition_with_invalid_definition(sfn: Any) -> None:
    with pytest.raises(sfn.exceptions.InvalidDefinition) as raised:
        create(sfn, definition={"StartAt": "Nowhere", "States": {}})
    with pytest.raises(sfn.exceptions.InvalidDefinition):
        sfn.create_state_machine(name="Broken", definition="{not json", roleArn=ROLE)

    # The message points at the place in the definition.
    assert "/States" in raised.value.response["Error"]["Message"]


def test_it_refuses_a_bad_name_and_a_taken_one(sfn: Any) -> None:
    create(sfn)

    with pytest.raises(sfn.exceptions.InvalidName):
        create(sfn, name="has space")
    with pytest.raises(sfn.exceptions.StateMachineAlreadyExists):
        create(sfn)


def test_it_answers_a_missing_machine_and_a_strangers_alike(sfn: Any, outsider_sfn: Any) -> None:
    create(sfn)

    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist) as missing:
        outsider_sfn.describe_state_machine(stateMachineArn=arn("Nope"))
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist) as strangers:
        outsider_sfn.describe_state_machine(stateMachineArn=arn("Hello"))
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        outsider_sfn.update_state_machine(stateMachineArn=arn("Hello"), definition=json.dumps(BYE))

    def message(raised: Any) -> str:
        return str(raised.value.response["Error"]["Message"]).replace("Nope", "Hello")

    assert message(missing) == message(strangers)
    assert outsider_sfn.list_state_machines()["stateMachines"] == []
    assert (
        json.loads(sfn.describe_state_machine(stateMachineArn=arn("Hello"))["definition"]) == HELLO
    )


def test_it_refuses_what_is_not_an_arn_with_invalid_arn(sfn: Any) -> None:
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.describe_state_machine(stateMachineArn="arn:aws:lambda:us-east-1:1:function:x")


def test_it_updates_and_publishes_versions(sfn: Any) -> None:
    created = create(sfn, publish=True, versionDescription="first")
    machine = created["stateMachineArn"]

    updated = sfn.update_state_machine(
        stateMachineArn=machine, definition=json.dumps(BYE), publish=True, versionDescription="2nd"
    )
    first, second = created["stateMachineVersionArn"], updated["stateMachineVersionArn"]

    assert first == f"{machine}:1"
    assert second.startswith(f"{machine}:") and second != first
    assert json.loads(sfn.describe_state_machine(stateMachineArn=machine)["definition"]) == BYE
    old = sfn.describe_state_machine(stateMachineArn=first)
    assert json.loads(old["definition"]) == HELLO
    assert old["description"] == "first"
    assert old["stateMachineArn"] == first
    listed = sfn.list_state_machine_versions(stateMachineArn=machine)["stateMachineVersions"]
    assert [v["stateMachineVersionArn"] for v in listed] == [second, first]


def test_it_publishes_deletes_and_pages_through_versions(sfn: Any) -> None:
    machine = create(sfn)["stateMachineArn"]
    arns = []
    for n in range(3):
        sfn.update_state_machine(
            stateMachineArn=machine, definition=json.dumps({**HELLO, "Comment": str(n)})
        )
        arns.append(
            sfn.publish_state_machine_version(stateMachineArn=machine)["stateMachineVersionArn"]
        )
    with pytest.raises(sfn.exceptions.ConflictException):
        sfn.publish_state_machine_version(stateMachineArn=machine, revisionId="1")

    sfn.delete_state_machine_version(stateMachineVersionArn=arns[1])
    first = sfn.list_state_machine_versions(stateMachineArn=machine, maxResults=1)
    rest = sfn.list_state_machine_versions(
        stateMachineArn=machine, maxResults=1, nextToken=first["nextToken"]
    )

    assert [v["stateMachineVersionArn"] for v in first["stateMachineVersions"]] == [arns[2]]
    assert [v["stateMachineVersionArn"] for v in rest["stateMachineVersions"]] == [arns[0]]
    assert "nextToken" not in rest
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.describe_state_machine(stateMachineArn=arns[1])


def test_it_lists_state_machines_a_page_at_a_time(sfn: Any) -> None:
    for name in ("A", "B", "C"):
        create(sfn, name=name)

    paginator = sfn.get_paginator("list_state_machines")
    pages = list(paginator.paginate(PaginationConfig={"PageSize": 2}))

    assert [[m["name"] for m in p["stateMachines"]] for p in pages] == [["A", "B"], ["C"]]
    assert pages[0]["stateMachines"][0]["stateMachineArn"] == arn("A")
    with pytest.raises(sfn.exceptions.InvalidToken):
        sfn.list_state_machines(nextToken="forged")


def test_it_deletes_a_state_machine(sfn: Any, outsider_sfn: Any) -> None:
    machine = create(sfn)["stateMachineArn"]
    sfn.start_execution(stateMachineArn=machine)

    outsider_sfn.delete_state_machine(stateMachineArn=machine)  # as for a missing one: nothing
    assert sfn.describe_state_machine(stateMachineArn=machine)["name"] == "Hello"
    sfn.delete_state_machine(stateMachineArn=machine)

    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.describe_state_machine(stateMachineArn=machine)
    assert sfn.list_state_machines()["stateMachines"] == []


def test_it_validates_a_definition(sfn: Any) -> None:
    good = sfn.validate_state_machine_definition(definition=json.dumps(HELLO))
    bad = sfn.validate_state_machine_definition(
        definition=json.dumps({"StartAt": "Missing", "States": {"A": {"Type": "Pass"}}})
    )

    assert good["result"] == "OK" and good["diagnostics"] == []
    assert bad["result"] == "FAIL"
    assert bad["diagnostics"] and all(d["severity"] == "ERROR" for d in bad["diagnostics"])
    assert any(d.get("location") for d in bad["diagnostics"])
