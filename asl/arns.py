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
