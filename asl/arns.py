"""Amazon Resource Names of Step Functions resources: the one place that writes and reads them.

The forms are AWS's (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-resource-names.html
and the API reference of each operation):

    arn:aws:states:REGION:ACCOUNT:stateMachine:NAME             a state machine
    arn:aws:states:REGION:ACCOUNT:stateMachine:NAME:3           its version 3
    arn:aws:states:REGION:ACCOUNT:stateMachine:NAME:PROD        its alias PROD
    arn:aws:states:REGION:ACCOUNT:execution:MACHINE:EXECUTION   an execution
    arn:aws:states:REGION:ACCOUNT:express:MACHINE:EXECUTION:ID  an EXPRESS execution
    arn:aws:states:REGION:ACCOUNT:activity:NAME                 an activity
    arn:aws:states:REGION:ACCOUNT:mapRun:MACHINE/LABEL:ID       a Distributed Map's Map Run
    arn:aws:states:REGION:ACCOUNT:stateMachine:MACHINE/LABEL    its child workflow
    arn:aws:states:REGION:ACCOUNT:execution:MACHINE/LABEL:ID-N  the child execution of item N

Names never hold ':' (AWS's naming rule forbids it), so splitting on ':' is exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["stateMachine", "version", "alias", "execution", "activity", "mapRun"]


@dataclass(frozen=True)
class Arn:
    """A parsed ARN. ``name`` is the state machine's or the activity's; ``qualifier`` is a
    version number (as text), an alias name or an execution name."""

    kind: Kind
    region: str
    account: str
    name: str
    qualifier: str = ""

    @property
    def version(self) -> int | None:
        return int(self.qualifier) if self.kind == "version" else None


def _prefix(region: str, account: str) -> str:
    return f"arn:aws:states:{region}:{account}"


def state_machine(name: str, region: str, account: str) -> str:
    return f"{_prefix(region, account)}:stateMachine:{name}"


def version(name: str, number: int, region: str, account: str) -> str:
    return f"{state_machine(name, region, account)}:{number}"


def alias(name: str, alias_name: str, region: str, account: str) -> str:
    return f"{state_machine(name, region, account)}:{alias_name}"


def execution(machine: str, name: str, region: str, account: str) -> str:
    return f"{_prefix(region, account)}:execution:{machine}:{name}"


def activity(name: str, region: str, account: str) -> str:
    return f"{_prefix(region, account)}:activity:{name}"


def map_run(machine: str, label: str, run_id: str, region: str, account: str) -> str:
    return f"{_prefix(region, account)}:mapRun:{machine}/{label}:{run_id}"


def child_workflow(map_run_arn: str) -> str:
    """The state machine ARN AWS gives a Map Run's child workflow: the machine's, qualified
    by the Map's label (arn:...:stateMachine:MACHINE/LABEL)."""
    parsed = parse(map_run_arn)
    if parsed is None or parsed.kind != "mapRun":
        return map_run_arn
    label = parsed.qualifier.split(":", 1)[0]
    return f"{state_machine(parsed.name, parsed.region, parsed.account)}/{label}"


def child_execution(map_run_arn: str, index: int) -> tuple[str, str]:
    """The ARN and the name of the child execution that runs item ``index`` of a Map Run:
    an execution of its child workflow, named after the run and the item. (A Map Run ARN
    not of our form, from a driver that gave no execution ARN, gets a name all the same.)"""
    parsed = parse(map_run_arn)
    if parsed is None or parsed.kind != "mapRun":
        return f"{map_run_arn}-{index}", f"{map_run_arn.rsplit(':', 1)[-1]}-{index}"
    label, run_id = parsed.qualifier.split(":", 1)
    name = f"{run_id}-{index}"
    return execution(f"{parsed.name}/{label}", name, parsed.region, parsed.account), name


def map_run_of(arn: object) -> tuple[str, int] | None:
    """The Map Run ARN and the item index of a child execution's ARN (``child_execution``);
    None when ``arn`` is not of that form."""
    parsed = parse(arn)
    if parsed is None or parsed.kind != "execution" or str(arn).split(":")[5] != "execution":
        return None
    machine, _, label = parsed.name.partition("/")
    run_id, _, index = parsed.qualifier.rpartition("-")
    whole = index.isascii() and index.isdigit() and (index == "0" or index[0] != "0")
    if not (machine and label and run_id and whole) or "/" in label:
        return None
    return map_run(machine, label, run_id, parsed.region, parsed.account), int(index)


def parse(arn: object) -> Arn | None:
    """The parts of a Step Functions ARN, or None when ``arn`` is not one."""
    if not isinstance(arn, str):
        return None
    parts = arn.split(":")
    if len(parts) < 7 or parts[0] != "arn" or not parts[1].startswith("aws"):
        return None
    if parts[2] != "states" or not all(parts[3:7]):
        return None
    region, account, resource, name, rest = parts[3], parts[4], parts[5], parts[6], parts[7:]
    if any(not part for part in rest):
        return None
    if resource == "stateMachine" and not rest:
        return Arn("stateMachine", region, account, name)
    if resource == "stateMachine" and len(rest) == 1:
        # ASCII digits only: "³" is a digit to str.isdigit, but no number to int().
        number = rest[0].isascii() and rest[0].isdigit() and rest[0][0] != "0"
        kind: Kind = "version" if number else "alias"
        return Arn(kind, region, account, name, rest[0])
    if resource == "execution" and len(rest) == 1:
        return Arn("execution", region, account, name, rest[0])
    if resource == "express" and len(rest) == 2:
        return Arn("execution", region, account, name, rest[0])
    if resource == "activity" and not rest:
        return Arn("activity", region, account, name)
    if resource == "mapRun" and len(rest) == 1 and "/" in name:
        machine, label = name.split("/", 1)
        return Arn("mapRun", region, account, machine, f"{label}:{rest[0]}")
    return None
