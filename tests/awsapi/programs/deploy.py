"""A deployment script: creates the state machine (or updates it), publishes the definition
as a new version, points the `live` alias at it, and smoke-tests through the alias.
`--teardown` deletes the alias, the versions and the machine.
https://docs.aws.amazon.com/step-functions/latest/dg/concepts-cd-aliasing-versioning.html"""

from __future__ import annotations

import argparse
import json
import time

import boto3

ROLE = "arn:aws:iam::123456789012:role/deployer"
ALIAS = "live"


def machine_arn(sfn, name: str) -> str | None:
    for page in sfn.get_paginator("list_state_machines").paginate():
        for machine in page["stateMachines"]:
            if machine["name"] == name:
                return machine["stateMachineArn"]
    return None


def alias_arn(sfn, arn: str) -> str | None:
    for alias in sfn.list_state_machine_aliases(stateMachineArn=arn)["stateMachineAliases"]:
        if alias["stateMachineAliasArn"].endswith(f":{ALIAS}"):
            return alias["stateMachineAliasArn"]
    return None


def deploy(sfn, name: str, definition: str, note: str) -> dict:
    arn = machine_arn(sfn, name)
    if arn is None:
        made = sfn.create_state_machine(
            name=name, definition=definition, roleArn=ROLE, publish=True, versionDescription=note
        )
        arn, version = made["stateMachineArn"], made["stateMachineVersionArn"]
    else:
        version = sfn.update_state_machine(
            stateMachineArn=arn, definition=definition, publish=True, versionDescription=note
        )["stateMachineVersionArn"]
    routing = [{"stateMachineVersionArn": version, "weight": 100}]
    alias = alias_arn(sfn, arn)
    if alias is None:
        alias = sfn.create_state_machine_alias(name=ALIAS, routingConfiguration=routing)[
            "stateMachineAliasArn"
        ]
    else:
        sfn.update_state_machine_alias(stateMachineAliasArn=alias, routingConfiguration=routing)
    run = sfn.start_execution(stateMachineArn=alias, input=json.dumps({"smoke": True}))
    deadline = time.monotonic() + 60
    while True:
        described = sfn.describe_execution(executionArn=run["executionArn"])
        if described["status"] != "RUNNING" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if described["status"] != "SUCCEEDED":
        raise SystemExit(f"smoke test {described['status']}: {described.get('cause')}")
    return {
        "machine": arn,
        "version": version,
        "alias": alias,
        "ran": described.get("stateMachineVersionArn"),
        "output": json.loads(described["output"]),
    }


def teardown(sfn, name: str) -> dict:
    arn = machine_arn(sfn, name)
    if arn is None:
        return {"deleted": None}
    alias = alias_arn(sfn, arn)
    if alias:
        sfn.delete_state_machine_alias(stateMachineAliasArn=alias)
    versions = sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]
    for version in versions:
        sfn.delete_state_machine_version(stateMachineVersionArn=version["stateMachineVersionArn"])
    sfn.delete_state_machine(stateMachineArn=arn)
    return {"deleted": arn, "versions": len(versions), "alias": alias}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("name")
    parser.add_argument("definition_file", nargs="?")
    parser.add_argument("--note", default="deployed")
    parser.add_argument("--teardown", action="store_true")
    args = parser.parse_args()
    sfn = boto3.client("stepfunctions")
    if args.teardown:
        result = teardown(sfn, args.name)
    else:
        with open(args.definition_file) as handle:
            result = deploy(sfn, args.name, handle.read(), args.note)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
