"""The operations of AWS Step Functions' API: each reads its request members, calls the same
actions and permission checks as the REST API, and answers in the API reference's shape
(https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html; the
request and response shapes are botocore's service model for "stepfunctions").

Each operation is ``(user, data) -> dict``; timestamps are datetimes, which the view writes
as epoch seconds, as AWS JSON 1.0 does.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

import asl
import asl.arns as arns
from asl import map_runs as asl_map_runs
from asl import redrive as asl_redrive
from awsapi import params
from awsapi.errors import AwsError, from_action
from awsapi.models import (
    Activity,
    Alias,
    PublishedVersion,
    StartedThrough,
    StateMachineRole,
    Tag,
)
from awsapi.params import (
    activity_arn,
    dump,
    execution_arn,
    execution_named,
    flag,
    json_text,
    machine_arn,
    machine_named,
    page,
    parse_arn,
    text,
    version_arn,
)
from designer import actions as designer_actions
from designer import roles
from designer.actions import ActionError, storable
from designer.models import StateMachine, StateMachineVersion
from executor import actions as executor_actions
from executor import map_runs, pending
from executor.api import redrive_date
from executor.models import (
    STATUSES,
    ChildHistoryEvent,
    Execution,
    HistoryEvent,
    MapRun,
    MapRunChild,
)

Operation = Callable[[Any, dict[str, Any]], dict[str, Any]]
OPERATIONS: dict[str, Operation] = {}
# The IAM role AWS requires on every state machine; Statecraft runs tasks itself and has no
# use for one, so a machine created without a roleArn shows this one.
DEFAULT_ROLE = "arn:aws:iam::{account}:role/statecraft"


def operation(function: Operation) -> Operation:
    name = "".join(part.title() for part in function.__name__.split("_"))
    OPERATIONS[name] = function
    return function


def _definition(data: dict[str, Any], required: bool = True) -> dict[str, Any] | None:
    raw = text(data, "definition", required=required)
    if raw is None:
        return None
    try:
        return designer_actions.load_definition(raw)
    except ActionError as exc:
        raise from_action(exc) from None


def _role(machine: StateMachine) -> str:
    stored = StateMachineRole.objects.filter(state_machine=machine).first()
    return stored.role_arn if stored else DEFAULT_ROLE.format(account=params.region_account()[1])


# AWS takes an IAM role's ARN: arn:aws:iam::ACCOUNT:role/PATH/NAME.
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")


def _store_role(machine: StateMachine, data: dict[str, Any]) -> None:
    role = text(data, "roleArn", limit=256)
    if role is None:
        return
    if not ROLE_ARN.match(role):
        raise AwsError("InvalidArn", f"Invalid Arn: '{role}' is not an IAM role's ARN.")
    StateMachineRole.objects.update_or_create(state_machine=machine, defaults={"role_arn": role})


def _publish(version: StateMachineVersion, description: str | None) -> str:
    PublishedVersion.objects.get_or_create(
        version=version, defaults={"description": description or ""}
    )
    return version_arn(version.state_machine, version.number)


def _tags_in(data: dict[str, Any]) -> list[tuple[str, str]]:
    tags = data.get("tags", [])
    if not isinstance(tags, list) or len(tags) > 50:
        raise AwsError(
            "TooManyTags" if isinstance(tags, list) else "ValidationException",
            "tags must be a list of at most 50 {key, value} objects.",
        )
    read = []
    for tag in tags:
        if not isinstance(tag, dict):
            raise AwsError("ValidationException", "Each tag must be a {key, value} object.")
        key = text(tag, "key", required=True, limit=128)
        value = text(tag, "value", limit=256) or ""
        assert key is not None
        read.append((key, value))
    return read


def _tag(arn: str, tags: list[tuple[str, str]]) -> None:
    for key, value in tags:
        Tag.objects.update_or_create(resource_arn=arn, key=key, defaults={"value": value})
    if Tag.objects.filter(resource_arn=arn).count() > 50:
        raise AwsError("TooManyTags", "A resource may hold at most 50 tags.")


# --- State machines -----------------------------------------------------------------------


@operation
def create_state_machine(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    name = text(data, "name", required=True)
    kind = text(data, "type") or "STANDARD"
    if kind not in ("STANDARD", "EXPRESS"):
        raise AwsError("ValidationException", "type must be STANDARD or EXPRESS.")
    tags = _tags_in(data)
    with transaction.atomic():
        try:
            designer_actions.check_name(name)
            machine = designer_actions.create_state_machine(
                name, _definition(data), type=kind, owner=user
            )
        except ActionError as exc:
            raise from_action(exc) from None
        arn = machine_arn(machine)
        _tag(arn, tags)
        _store_role(machine, data)
        answer: dict[str, Any] = {"stateMachineArn": arn, "creationDate": machine.created_at}
        if flag(data, "publish"):
            description = text(data, "versionDescription", limit=256)
            answer["stateMachineVersionArn"] = _publish(machine.latest_version(), description)
    return answer


def _machine_or_version(
    user: Any, data: dict[str, Any], action: roles.Action
) -> tuple[StateMachine, StateMachineVersion, PublishedVersion | None]:
    parsed = parse_arn(data, "stateMachineArn", ["stateMachine", "version"])
    machine = machine_named(user, parsed, action, data["stateMachineArn"])
    if parsed.version is None:
        return machine, machine.latest_version(), None
    published = (
        PublishedVersion.objects.select_related("version")
        .filter(version__state_machine=machine, version__number=parsed.version)
        .first()
    )
    if published is None:
        raise AwsError(
            "StateMachineDoesNotExist", f"State Machine Does Not Exist: '{data['stateMachineArn']}'"
        )
    return machine, published.version, published


@operation
def describe_state_machine(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    machine, version, published = _machine_or_version(user, data, "view")
    answer = {
        "stateMachineArn": data["stateMachineArn"] if published else machine_arn(machine),
        "name": machine.name,
        "status": "ACTIVE",
        "definition": dump(version.definition),
        "roleArn": _role(machine),
        "type": machine.type,
        "creationDate": version.created_at if published else machine.created_at,
        "revisionId": str(version.number),
        "loggingConfiguration": {"level": "OFF", "includeExecutionData": False},
        "tracingConfiguration": {"enabled": False},
    }
    if published and published.description:
        answer["description"] = published.description
    return answer


@operation
def update_state_machine(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    parsed = parse_arn(data, "stateMachineArn", ["stateMachine"])
    machine = machine_named(user, parsed, "edit", data["stateMachineArn"])
    definition = _definition(data, required=False)
    publish = flag(data, "publish")
    description = text(data, "versionDescription", limit=256)
    if definition is None and text(data, "roleArn") is None and not publish:
        raise AwsError(
            "MissingRequiredParameter", "Give a definition or a roleArn to update, or publish."
        )
    if description and not publish:
        raise AwsError("ValidationException", "versionDescription needs publish=true.")
    with transaction.atomic():
        _store_role(machine, data)
        version = designer_actions.update_state_machine(machine, definition)
        answer: dict[str, Any] = {
            "updateDate": timezone.now(),
            "revisionId": str(version.number),
        }
        if publish:
            answer["stateMachineVersionArn"] = _publish(version, description)
    return answer


@operation
def delete_state_machine(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    parsed = parse_arn(data, "stateMachineArn", ["stateMachine"])
    try:
        machine = machine_named(user, parsed, "admin", data["stateMachineArn"])
    except AwsError as exc:
        if exc.code == "StateMachineDoesNotExist":
            return {}  # AWS: deleting what is not there succeeds
        raise
    designer_actions.delete_state_machine(machine)  # its tags go with it (awsapi.signals)
    return {}


@operation
def list_state_machines(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    machines, token = page(roles.machines_for(user, "view"), ["name"], data, "machines")
    return {
        "stateMachines": [
            {
                "stateMachineArn": machine_arn(m),
                "name": m.name,
                "type": m.type,
                "creationDate": m.created_at,
            }
            for m in machines
        ],
        **({"nextToken": token} if token else {}),
    }


@operation
def validate_state_machine_definition(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    raw = text(data, "definition", required=True)
    limit = data.get("maxResults", 100) or 100
    if not isinstance(limit, int) or not 0 < limit <= 100:
        raise AwsError("ValidationException", "maxResults must be from 0 to 100.")
    found = designer_actions.validate(raw)
    return {
        "result": "FAIL" if found else "OK",
        "diagnostics": [
            {
                "severity": "ERROR",
                "code": d.code,
                "message": d.message,
                **({"location": d.location} if d.location else {}),
            }
            for d in found[:limit]
        ],
        "truncated": len(found) > limit,
    }


# --- Versions -----------------------------------------------------------------------------


@operation
def publish_state_machine_version(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    parsed = parse_arn(data, "stateMachineArn", ["stateMachine"])
    machine = machine_named(user, parsed, "edit", data["stateMachineArn"])
    version = machine.latest_version()
    revision = text(data, "revisionId")
    if revision is not None and revision != str(version.number):
        raise AwsError(
            "ConflictException",
            f"revisionId {revision!r} is not the latest revision ({version.number}).",
        )
    arn = _publish(version, text(data, "description", limit=256))
    return {"creationDate": version.published.created_at, "stateMachineVersionArn": arn}


@operation
def list_state_machine_versions(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    parsed = parse_arn(data, "stateMachineArn", ["stateMachine"])
    machine = machine_named(user, parsed, "view", data["stateMachineArn"])
    rows = PublishedVersion.objects.filter(version__state_machine=machine).select_related("version")
    versions, token = page(rows, ["-version__number"], data, f"versions:{machine.pk}")
    return {
        "stateMachineVersions": [
            {
                "stateMachineVersionArn": version_arn(machine, p.version.number),
                "creationDate": p.created_at,
            }
            for p in versions
        ],
        **({"nextToken": token} if token else {}),
    }


@operation
def delete_state_machine_version(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    parsed = parse_arn(data, "stateMachineVersionArn", ["version"])
    try:
        machine = machine_named(user, parsed, "edit", data["stateMachineVersionArn"])
    except AwsError as exc:
        if exc.code == "StateMachineDoesNotExist":
            return {}
        raise
    number = int(parsed.qualifier)
    if any(
        r["version"] == number
        for alias in Alias.objects.filter(state_machine=machine)
        for r in alias.routing
    ):
        raise AwsError(
            "ConflictException",
            "An alias routes to this version: change or delete the alias first.",
        )
    PublishedVersion.objects.filter(version__state_machine=machine, version__number=number).delete()
    return {}


# --- Aliases ------------------------------------------------------------------------------

# AWS's CharacterRestrictedName: letters, digits, '-', '_', '.', and not digits alone (which
# would read as a version number in an ARN).
ALIAS_NAME = re.compile(r"^(?=.*[a-zA-Z_\-.])[a-zA-Z0-9_\-.]{1,80}$")


def _routing(user: Any, data: dict[str, Any]) -> tuple[StateMachine, list[dict[str, int]]]:
    """The machine and the routing of ``routingConfiguration``: one or two published versions
    of one machine, with whole weights that add up to 100."""
    routes = data.get("routingConfiguration")
    if not isinstance(routes, list) or not 1 <= len(routes) <= 2:
        raise AwsError("ValidationException", "routingConfiguration must list one or two versions.")
    machine: StateMachine | None = None
    routing = []
    for route in routes:
        if not isinstance(route, dict):
            raise AwsError("ValidationException", "Each route is {stateMachineVersionArn, weight}.")
        parsed = parse_arn(route, "stateMachineVersionArn", ["version"])
        found = machine_named(user, parsed, "edit", route["stateMachineVersionArn"])
        if machine is not None and found.pk != machine.pk:
            raise AwsError("ValidationException", "The versions of an alias are of one machine.")
        machine = found
        number = int(parsed.qualifier)
        if not PublishedVersion.objects.filter(
            version__state_machine=machine, version__number=number
        ).exists():
            raise AwsError(
                "ResourceNotFound", f"Version not found: '{route['stateMachineVersionArn']}'"
            )
        weight = route.get("weight")
        if not isinstance(weight, int) or isinstance(weight, bool) or not 0 <= weight <= 100:
            raise AwsError("ValidationException", "weight must be a whole number from 0 to 100.")
        routing.append({"version": number, "weight": weight})
    if sum(r["weight"] for r in routing) != 100 or len({r["version"] for r in routing}) < len(
        routing
    ):
        raise AwsError(
            "ValidationException", "The weights must add up to 100, over distinct versions."
        )
    assert machine is not None
    return machine, routing


def _routing_out(alias: Alias) -> list[dict[str, Any]]:
    return [
        {
            "stateMachineVersionArn": version_arn(alias.state_machine, r["version"]),
            "weight": r["weight"],
        }
        for r in alias.routing
    ]


def alias_arn(alias: Alias) -> str:
    return arns.alias(alias.state_machine.name, alias.name, *params.region_account())


def _alias_named(user: Any, data: dict[str, Any], action: roles.Action) -> Alias:
    parsed = parse_arn(data, "stateMachineAliasArn", ["alias"])
    arn = data["stateMachineAliasArn"]
    try:
        machine = machine_named(user, parsed, action, arn)
    except AwsError as exc:
        if exc.code != "StateMachineDoesNotExist":
            raise
        machine = None
    alias = Alias.objects.filter(state_machine=machine, name=parsed.qualifier).first()
    if alias is None:
        raise AwsError("ResourceNotFound", f"Resource not found: '{arn}'")
    return alias


@operation
def create_state_machine_alias(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    name = text(data, "name", required=True)
    if not ALIAS_NAME.match(name or ""):
        raise AwsError(
            "InvalidName",
            f"Invalid alias name {name!r}: letters, digits, '-', '_' and '.', not only digits.",
        )
    description = text(data, "description", limit=256) or ""
    machine, routing = _routing(user, data)
    with transaction.atomic():
        alias, made = Alias.objects.select_for_update().get_or_create(
            state_machine=machine,
            name=name,
            defaults={"description": description, "routing": routing},
        )
    if not made and (alias.routing, alias.description) != (routing, description):
        # AWS: the same request again is answered with the alias; a different one is refused.
        raise AwsError(
            "ConflictException", f"An alias named {name!r} already exists with another routing."
        )
    return {"stateMachineAliasArn": alias_arn(alias), "creationDate": alias.created_at}


@operation
def describe_state_machine_alias(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    alias = _alias_named(user, data, "view")
    return {
        "stateMachineAliasArn": alias_arn(alias),
        "name": alias.name,
        "description": alias.description,
        "routingConfiguration": _routing_out(alias),
        "creationDate": alias.created_at,
        "updateDate": alias.updated_at,
    }


@operation
def update_state_machine_alias(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    alias = _alias_named(user, data, "edit")
    description = text(data, "description", limit=256)
    if description is None and data.get("routingConfiguration") is None:
        raise AwsError("ValidationException", "Give a description or a routingConfiguration.")
    if data.get("routingConfiguration") is not None:
        machine, routing = _routing(user, data)
        if machine.pk != alias.state_machine_id:
            raise AwsError("ValidationException", "An alias routes to versions of its machine.")
        alias.routing = routing
    if description is not None:
        alias.description = description
    alias.save()
    return {"updateDate": alias.updated_at}


@operation
def delete_state_machine_alias(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    try:
        alias = _alias_named(user, data, "edit")
    except AwsError as exc:
        if exc.code == "ResourceNotFound":
            return {}
        raise
    alias.delete()
    return {}


@operation
def list_state_machine_aliases(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    parsed = parse_arn(data, "stateMachineArn", ["stateMachine"])
    machine = machine_named(user, parsed, "view", data["stateMachineArn"])
    rows = Alias.objects.filter(state_machine=machine).select_related("state_machine")
    aliases, token = page(rows, ["name"], data, f"aliases:{machine.pk}")
    return {
        "stateMachineAliases": [
            {"stateMachineAliasArn": alias_arn(a), "creationDate": a.created_at} for a in aliases
        ],
        **({"nextToken": token} if token else {}),
    }


def route(alias: Alias) -> StateMachineVersion:
    """The version a new execution of ``alias`` runs, drawn by the routing's weights."""
    numbers = [r["version"] for r in alias.routing]
    number = random.choices(numbers, weights=[r["weight"] for r in alias.routing])[0]
    return StateMachineVersion.objects.get(state_machine=alias.state_machine, number=number)


# --- Executions ---------------------------------------------------------------------------


def start(user: Any, data: dict[str, Any], sync: bool) -> Execution:
    """StartExecution and StartSyncExecution: on a machine, a version or an alias (routed by
    weight); the REST API starts through aliases with it too."""
    parsed = parse_arn(data, "stateMachineArn", ["stateMachine", "version", "alias"])
    alias_name = ""
    if parsed.kind == "alias":
        alias = _alias_named(user, {"stateMachineAliasArn": data["stateMachineArn"]}, "operate")
        version, alias_name = route(alias), alias.name
    else:
        _, version, found = _machine_or_version(user, data, "operate")
    through = parsed.kind != "stateMachine"
    machine = version.state_machine
    name = text(data, "name")
    value = json_text(data, "input", "InvalidExecutionInput")
    pinned = version if through else None
    try:
        if name is not None:
            designer_actions.check_name(name, "execution name")
        if sync:
            if machine.type != "EXPRESS":
                raise AwsError(
                    "StateMachineTypeNotSupported",
                    "This operation is not supported by this type of state machine: "
                    "StartSyncExecution runs EXPRESS state machines only.",
                )
            return executor_actions.run_sync_execution(
                machine, value, name=name, user=user, version=pinned
            )
        with transaction.atomic():
            execution, _ = executor_actions.start_execution_once(
                machine, value, name=name, user=user, version=pinned
            )
            if through:
                StartedThrough.objects.get_or_create(
                    execution=execution,
                    defaults={"version_number": version.number, "alias_name": alias_name},
                )
        return execution
    except ActionError as exc:
        raise from_action(exc) from None


@operation
def start_execution(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    execution = start(user, data, sync=False)
    return {"executionArn": execution_arn(execution), "startDate": execution.start_date}


@operation
def start_sync_execution(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    execution = start(user, data, sync=True)
    answer = _execution_shape(execution)
    answer.pop("redriveCount", None)
    answer["billingDetails"] = {"billedMemoryUsedInMB": 64, "billedDurationInMilliseconds": 100}
    return answer


def _execution_shape(execution: Execution) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "executionArn": execution_arn(execution),
        "stateMachineArn": machine_arn(execution.state_machine),
        "name": execution.name,
        "status": execution.status,
        "startDate": execution.start_date,
        "input": dump(execution.input),
        "inputDetails": {"included": True},
        "redriveCount": execution.redrive_count,
    }
    if execution.stop_date:
        answer["stopDate"] = execution.stop_date
    if execution.status == "SUCCEEDED":
        answer["output"] = dump(execution.output)
        answer["outputDetails"] = {"included": True}
    if execution.error:
        answer["error"] = execution.error
    if execution.cause:
        answer["cause"] = execution.cause
    return answer


@operation
def describe_execution(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    child = child_named(user, data)
    if child is not None:
        return _describe_child(child)
    execution = execution_named(user, data, "view")
    answer = _execution_shape(execution)
    answer.update(_through_arns(execution))
    refusal = executor_actions.redrive_refusal(execution, timezone.now())
    answer["redriveStatus"] = "NOT_REDRIVABLE" if refusal else "REDRIVABLE"
    if refusal:
        answer["redriveStatusReason"] = refusal
    date = redrive_date(execution)
    if date:
        answer["redriveDate"] = date
    return answer


@operation
def describe_state_machine_for_execution(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    child = child_named(user, data)
    if child is not None:
        return _child_workflow(child.map_run)
    execution = execution_named(user, data, "view")
    machine = execution.state_machine
    return {
        "stateMachineArn": machine_arn(machine),
        "name": machine.name,
        "definition": dump(execution.version.definition),
        "roleArn": _role(machine),
        "updateDate": execution.version.created_at,
        "revisionId": str(execution.version.number),
        "loggingConfiguration": {"level": "OFF", "includeExecutionData": False},
        "tracingConfiguration": {"enabled": False},
    }


def _child_workflow(run: MapRun) -> dict[str, Any]:
    """DescribeStateMachineForExecution of a child execution: its child workflow, the
    Distributed Map's ItemProcessor in the version the parent execution runs."""
    execution = run.execution
    workflow = arns.child_workflow(run.arn)
    label = workflow.rsplit("/", 1)[1]
    definition = asl_map_runs.child_definition(execution.version.definition, run.state_name, label)
    return {
        "stateMachineArn": workflow,
        "name": workflow.split(":")[6],
        "definition": dump(definition),
        "roleArn": _role(execution.state_machine),
        "updateDate": execution.version.created_at,
        "mapRunArn": run.arn,
        "label": label,
        "revisionId": str(execution.version.number),
        "loggingConfiguration": {"level": "OFF", "includeExecutionData": False},
        "tracingConfiguration": {"enabled": False},
    }


def _status_filter(data: dict[str, Any]) -> str | None:
    status = text(data, "statusFilter")
    if status is not None and status not in dict(STATUSES) and status != "PENDING_REDRIVE":
        raise AwsError("ValidationException", f"Invalid statusFilter: '{status}'.")
    return status


@operation
def list_executions(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The executions of a machine, or those started through one of its versions or aliases,
    newest first."""
    if data.get("mapRunArn") is not None:
        if data.get("stateMachineArn") is not None:
            raise AwsError(
                "ValidationException", "Give a stateMachineArn or a mapRunArn, not both."
            )
        return _map_run_executions(user, data)
    parsed = parse_arn(data, "stateMachineArn", ["stateMachine", "version", "alias"])
    if parsed.kind == "alias":
        alias = _alias_named(user, {"stateMachineAliasArn": data["stateMachineArn"]}, "view")
        machine = alias.state_machine
        through: dict[str, Any] = {"alias_name": alias.name}
    else:
        machine, version, _ = _machine_or_version(user, data, "view")
        through = (
            {"version_number": version.number, "alias_name": ""} if parsed.kind == "version" else {}
        )
    rows = Execution.objects.filter(state_machine=machine).select_related(
        "state_machine", "started_through"
    )
    if through:
        rows = rows.filter(**{f"started_through__{k}": v for k, v in through.items()})
    status = _status_filter(data)
    if status is not None:
        rows = rows.filter(status=status)
    rows = rows.defer("checkpoint", "input", "output")
    scope = f"executions:{machine.pk}:{sorted(through.items())}:{status or ''}"
    executions, token = page(rows, ["-start_date", "-id"], data, scope)
    items = []
    for execution in executions:
        item = {
            "executionArn": execution_arn(execution),
            "stateMachineArn": machine_arn(machine),
            "name": execution.name,
            "status": execution.status,
            "startDate": execution.start_date,
            "redriveCount": execution.redrive_count,
        }
        if execution.stop_date:
            item["stopDate"] = execution.stop_date
        item.update(_through_arns(execution))
        items.append(item)
    return {"executions": items, **({"nextToken": token} if token else {})}


def _through_arns(execution: Execution) -> dict[str, str]:
    """stateMachineVersionArn and stateMachineAliasArn of an execution started through them."""
    try:
        through = execution.started_through
    except StartedThrough.DoesNotExist:
        return {}
    machine = execution.state_machine
    arns_of = {"stateMachineVersionArn": version_arn(machine, through.version_number)}
    if through.alias_name:
        arns_of["stateMachineAliasArn"] = arns.alias(
            machine.name, through.alias_name, *params.region_account()
        )
    return arns_of


def _without_data(event: dict[str, Any]) -> dict[str, Any]:
    """includeExecutionData=false: the event without the inputs and outputs it carries."""
    for key, details in list(event.items()):
        if key.endswith("EventDetails") and isinstance(details, dict):
            event[key] = {k: v for k, v in details.items() if k not in ("input", "output")}
    return event


@operation
def get_execution_history(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The history of an execution, or of a Map Run's child execution (its own, which the
    parent's does not hold), by the same rules."""
    child = child_named(user, data)
    rows: QuerySet[HistoryEvent] | QuerySet[ChildHistoryEvent]
    if child is not None:
        rows, owner = ChildHistoryEvent.objects.filter(child=child), f"child:{child.pk}"
    else:
        execution = execution_named(user, data, "view")
        rows, owner = HistoryEvent.objects.filter(execution=execution), str(execution.pk)
    reverse = flag(data, "reverseOrder")
    with_data = data.get("includeExecutionData", True)
    if not isinstance(with_data, bool):
        raise AwsError("ValidationException", "includeExecutionData must be true or false.")
    scope = f"history:{owner}:{reverse}"
    events, token = page(rows, ["-event_id" if reverse else "event_id"], data, scope)
    shaped = [e.as_aws() if with_data else _without_data(e.as_aws()) for e in events]
    return {"events": shaped, **({"nextToken": token} if token else {})}


def _refuse_child(user: Any, data: dict[str, Any], code: str, action: str) -> None:
    """A Map Run's child execution is stopped and redriven only through its parent (AWS:
    "To redrive a workflow that includes a Distributed Map state whose Map Run failed, you
    must redrive the parent workflow", API_RedriveExecution.html): the refusal names it."""
    child = child_named(user, data)
    if child is not None:
        parent = execution_arn(child.map_run.execution)
        done = {"stop": "stopped", "redrive": "redriven"}[action]
        raise AwsError(
            code, f"A Map Run's child execution is not {done} on its own: {action} {parent}."
        )


@operation
def stop_execution(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    _refuse_child(user, data, "ValidationException", "stop")
    execution = execution_named(user, data, "operate")
    error, cause = text(data, "error", limit=256), text(data, "cause", limit=32768)
    if execution.status != "RUNNING":
        # AWS answers a stop of an ended execution with its stop date, changing nothing.
        return {"stopDate": execution.stop_date}
    try:
        stopped = executor_actions.stop_execution(execution, error, cause)
    except ActionError as exc:
        raise from_action(exc) from None
    return {"stopDate": stopped.stop_date or timezone.now()}


@operation
def redrive_execution(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    _refuse_child(user, data, "ExecutionNotRedrivable", "redrive")
    execution = execution_named(user, data, "operate")
    try:
        redriven = executor_actions.redrive_execution(execution)
    except ActionError as exc:
        raise from_action(exc) from None
    return {"redriveDate": redrive_date(redriven) or timezone.now()}


# --- Task tokens --------------------------------------------------------------------------

# An answer to a task that has already ended: AWS's TaskTimedOut ("the task token has either
# expired or the task associated with the token has already been closed").
_ENDED = {"ConflictException": "TaskTimedOut"}
# The form of the tokens we issue (uuid4().hex, once or twice: executor.runner and
# asl.interpreter). A token of this form that names no open task (it ended and its row is
# gone, or it was never ours to answer) is AWS's TaskTimedOut; any other text can never have
# been a token: InvalidToken.
ISSUED_TOKEN = re.compile(r"^[0-9a-f]{32}(?:[0-9a-f]{32})?$")


def _answer(
    answer: Callable[..., None], user: Any, data: dict[str, Any], *args: Any
) -> dict[str, Any]:
    token = text(data, "taskToken", required=True)
    try:
        answer(token, *args, user=user)
    except ActionError as exc:
        renames = dict(_ENDED)
        if exc.code == "InvalidToken" and ISSUED_TOKEN.match(token or ""):
            renames["InvalidToken"] = "TaskTimedOut"
        raise from_action(exc, renames) from None
    return {}


@operation
def send_task_success(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    if data.get("output") is None:
        raise AwsError("ValidationException", "output is required.")
    output = json_text(data, "output", "InvalidOutput")
    return _answer(pending.send_success, user, data, output)


@operation
def send_task_failure(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    error, cause = text(data, "error", limit=256), text(data, "cause", limit=32768)
    return _answer(pending.send_failure, user, data, error, cause)


@operation
def send_task_heartbeat(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    return _answer(pending.send_heartbeat, user, data)


# --- Activities ---------------------------------------------------------------------------


@operation
def create_activity(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    name = text(data, "name", required=True)
    try:
        designer_actions.check_name(name)
    except ActionError as exc:
        raise from_action(exc) from None
    tags = _tags_in(data)
    with transaction.atomic():
        try:
            # CreateActivity is idempotent on AWS: the same name gives back the same activity.
            with transaction.atomic():
                activity, _ = Activity.objects.get_or_create(name=name, defaults={"owner": user})
        except IntegrityError:  # created by a concurrent request
            activity = Activity.objects.get(name=name)
        _tag(activity_arn(activity.name), tags)
    return {"activityArn": activity_arn(activity.name), "creationDate": activity.created_at}


def activity_named(data: dict[str, Any]) -> Activity:
    parsed = parse_arn(data, "activityArn", ["activity"])
    activity = Activity.objects.filter(name=parsed.name).first() if params.ours(parsed) else None
    if activity is None:
        raise AwsError("ActivityDoesNotExist", f"Activity Does Not Exist: '{data['activityArn']}'")
    return activity


@operation
def describe_activity(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    activity = activity_named(data)
    return {
        "activityArn": activity_arn(activity.name),
        "name": activity.name,
        "creationDate": activity.created_at,
    }


def _may_change_activity(user: Any, activity: Activity) -> None:
    if not (user.is_superuser or activity.owner_id == user.pk):
        raise AwsError(
            "AccessDeniedException",
            f"Only the creator of activity {activity.name!r} may change it.",
        )


@operation
def delete_activity(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    try:
        activity = activity_named(data)
    except AwsError as exc:
        if exc.code == "ActivityDoesNotExist":
            return {}
        raise
    _may_change_activity(user, activity)
    activity.delete()  # its tags go with it (awsapi.signals)
    return {}


@operation
def list_activities(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    activities, token = page(Activity.objects.all(), ["name"], data, "activities")
    return {
        "activities": [
            {"activityArn": activity_arn(a.name), "name": a.name, "creationDate": a.created_at}
            for a in activities
        ],
        **({"nextToken": token} if token else {}),
    }


# GetActivityTask is a long poll: awsapi.views serves it without a thread (see there); this
# reads its request.
def activity_poll_request(data: dict[str, Any]) -> tuple[str, str]:
    activity = activity_named(data)
    worker = text(data, "workerName", limit=80) or ""
    return activity.name, worker


# --- TestState ----------------------------------------------------------------------------

# Inspection data AWS gives as structures or numbers; every other member is JSON text.
_INSPECTION_AS_IS = (
    "request",
    "response",
    "errorDetails",
    "toleratedFailureCount",
    "toleratedFailurePercentage",
    "maxConcurrency",
)


@operation
def test_state(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    """TestState on asl.test_state. A Task's work is taken from the mock only: nothing outside
    is called on behalf of a test (AWS would call the resource with the given role)."""
    definition = json_text(data, "definition", "InvalidDefinition")
    if data.get("definition") is None:
        raise AwsError("ValidationException", "definition is required.")
    try:
        result = asl.test_state(
            definition,
            json_text(data, "input", "InvalidExecutionInput"),
            inspection_level=text(data, "inspectionLevel") or "INFO",
            mock=data.get("mock"),
            variables=json_text(data, "variables", "ValidationException"),
            context=json_text(data, "context", "ValidationException"),
            state_name=text(data, "stateName"),
        )
    except asl.ValidationError as exc:
        first = exc.diagnostics[0] if exc.diagnostics else None
        raise AwsError(
            "InvalidDefinition",
            f"{first.location or '/'}: {first.message}" if first else "Invalid state.",
        ) from None
    answer: dict[str, Any] = {"status": result.status}
    if result.status in ("SUCCEEDED", "CAUGHT_ERROR"):
        answer["output"] = dump(result.output)
    for key, value in (
        ("error", result.error),
        ("cause", result.cause),
        ("nextState", result.next_state),
    ):
        if value is not None:
            answer[key] = value
    if result.inspection_data is not None:
        answer["inspectionData"] = {
            key: value if key in _INSPECTION_AS_IS else dump(value)
            for key, value in result.inspection_data.items()
        }
    return answer


# --- Tags ---------------------------------------------------------------------------------


def _tagged(user: Any, data: dict[str, Any], change: bool) -> str:
    """The ARN of a taggable resource ``user`` may see (and change, when ``change``)."""
    parsed = parse_arn(data, "resourceArn", ["stateMachine", "activity"])
    arn = data["resourceArn"]
    try:
        if parsed.kind == "activity":
            activity = activity_named({"activityArn": arn})
            if change:
                _may_change_activity(user, activity)
            return activity_arn(activity.name)
        machine = machine_named(user, parsed, "edit" if change else "view", arn)
    except AwsError as exc:
        if exc.code in ("ActivityDoesNotExist", "StateMachineDoesNotExist"):
            raise AwsError("ResourceNotFound", f"Resource not found: '{arn}'") from None
        raise
    return machine_arn(machine)


@operation
def tag_resource(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    arn = _tagged(user, data, change=True)
    with transaction.atomic():
        _tag(arn, _tags_in(data))
    return {}


@operation
def untag_resource(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    arn = _tagged(user, data, change=True)
    keys = data.get("tagKeys")
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise AwsError("ValidationException", "tagKeys must be a list of strings.")
    Tag.objects.filter(resource_arn=arn, key__in=[k for k in keys if storable(k)]).delete()
    return {}


@operation
def list_tags_for_resource(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    arn = _tagged(user, data, change=False)
    return {
        "tags": [{"key": t.key, "value": t.value} for t in Tag.objects.filter(resource_arn=arn)]
    }


# --- Map Runs -----------------------------------------------------------------------------
# https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html


# The parent execution's columns a Map Run's operations never read, and which may be large
# (the checkpoint holds a running Map's items): left unloaded.
_UNREAD = ("checkpoint", "input", "output")


def _map_run_named(user: Any, data: dict[str, Any], action: roles.Action) -> MapRun:
    parse_arn(data, "mapRunArn", ["mapRun"])
    arn = data["mapRunArn"]
    rows = MapRun.objects.select_related("execution__state_machine")
    run = rows.defer(*(f"execution__{name}" for name in _UNREAD)).filter(arn=arn).first()
    if run is None or not roles.may(user, "view", run.execution.state_machine):
        raise AwsError("ResourceNotFound", f"Resource not found: '{arn}'")
    if not roles.may(user, action, run.execution.state_machine):
        raise AwsError(
            "AccessDeniedException", roles.refuse(action, run.execution.state_machine).message
        )
    return run


@operation
def list_map_runs(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    execution = execution_named(user, data, "view")
    rows = MapRun.objects.filter(execution=execution)
    runs, token = page(rows, ["start_date", "id"], data, f"map-runs:{execution.pk}")
    return {
        "mapRuns": [
            {
                "executionArn": execution_arn(execution),
                "mapRunArn": run.arn,
                "stateMachineArn": arns.child_workflow(run.arn),
                "startDate": run.start_date,
                **({"stopDate": run.stop_date} if run.stop_date else {}),
            }
            for run in runs
        ],
        **({"nextToken": token} if token else {}),
    }


@operation
def describe_map_run(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    run = _map_run_named(user, data, "view")
    answer: dict[str, Any] = {
        "mapRunArn": run.arn,
        "executionArn": execution_arn(run.execution),
        "status": run.status,
        "startDate": run.start_date,
        "maxConcurrency": run.max_concurrency,
        "toleratedFailurePercentage": run.tolerated_failure_percentage or 0.0,
        "toleratedFailureCount": run.tolerated_failure_count or 0,
        "itemCounts": run.item_counts,
        "executionCounts": run.item_counts,  # one child workflow per item
        "redriveCount": 0,
    }
    if run.stop_date:
        answer["stopDate"] = run.stop_date
    return answer


@operation
def update_map_run(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    run = _map_run_named(user, data, "operate")
    concurrency = data.get("maxConcurrency")
    count = data.get("toleratedFailureCount")
    percentage = data.get("toleratedFailurePercentage")
    if concurrency is None and count is None and percentage is None:
        raise AwsError(
            "ValidationException",
            "Give maxConcurrency, toleratedFailureCount or toleratedFailurePercentage.",
        )
    for name, value in (("maxConcurrency", concurrency), ("toleratedFailureCount", count)):
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or value < 0
        ):
            raise AwsError(
                "ValidationException", f"{name} must be a whole number, 0 or more.", name
            )
    if percentage is not None and (
        not isinstance(percentage, int | float)
        or isinstance(percentage, bool)
        or not 0 <= percentage <= 100
    ):
        raise AwsError(
            "ValidationException",
            "toleratedFailurePercentage must be from 0 to 100.",
            "toleratedFailurePercentage",
        )
    try:
        map_runs.request_update(
            run, concurrency, count, None if percentage is None else float(percentage)
        )
    except ActionError as exc:
        # UpdateMapRun's modelled errors have no conflict: an ended run is a ValidationException.
        raise from_action(exc, {"ConflictException": "ValidationException"}) from None
    return {}


def _map_run_executions(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    """ListExecutions(mapRunArn): the Map Run's child executions, one per started item, in
    item order, a page of rows at a time (executor.models.MapRunChild)."""
    run = _map_run_named(user, data, "view")
    status = _status_filter(data)
    rows = MapRunChild.objects.filter(map_run=run).defer("input", "output")
    if status is not None:
        rows = rows.filter(status=status)
    children, token = page(rows, ["index"], data, f"map-run:{run.pk}:{status or ''}")
    return {
        "executions": [_child_listed(run, child) for child in children],
        **({"nextToken": token} if token else {}),
    }


def _child_listed(run: MapRun, child: MapRunChild) -> dict[str, Any]:
    arn, name = arns.child_execution(run.arn, child.index)
    item: dict[str, Any] = {
        "executionArn": arn,
        "stateMachineArn": arns.child_workflow(run.arn),
        "name": name,
        "status": child.status,
        "startDate": child.start_date,
        "mapRunArn": run.arn,
    }
    if child.stop_date:
        item["stopDate"] = child.stop_date
    return item


def child_named(user: Any, data: dict[str, Any]) -> MapRunChild | None:
    """The child execution of a Map Run that ``executionArn`` names, as its parent execution
    may be seen: one ``user`` may not view is answered exactly as a missing one. None when the
    ARN is no child execution's (machine names hold no '/', so no execution's ARN is one)."""
    parse_arn(data, "executionArn", ["execution"])
    arn = data["executionArn"]
    found = arns.map_run_of(arn)
    if found is None:
        return None
    run_arn, index = found
    child = (
        MapRunChild.objects.select_related(
            "map_run__execution__state_machine", "map_run__execution__version"
        )
        .defer(*(f"map_run__execution__{name}" for name in _UNREAD))
        .filter(map_run__arn=run_arn, index=index)
        .first()
    )
    # The parent's own rule (executor.lookup.visible_execution): its machine's view role.
    if child is None or not roles.may(user, "view", child.map_run.execution.state_machine):
        raise AwsError("ExecutionDoesNotExist", f"Execution Does Not Exist: '{arn}'")
    return child


def _describe_child(child: MapRunChild) -> dict[str, Any]:
    """DescribeExecution of a Map Run's child execution. It is redriven only with its Map
    Run, by a redrive of the parent execution (which reruns the items that did not succeed)."""
    run = child.map_run
    answer = _child_listed(run, child)
    answer.update(input=dump(child.input), inputDetails={"included": True}, redriveCount=0)
    if child.status == "SUCCEEDED":
        answer.update(output=dump(child.output), outputDetails={"included": True})
    if child.error:
        answer["error"] = child.error
    if child.cause:
        answer["cause"] = child.cause
    parent, now = run.execution, timezone.now()
    # A child that succeeded or runs is refused for its own status, as any execution is.
    refusal = asl_redrive.refusal(child.status, None, 0, now, True)
    if refusal is None:
        kept = executor_actions.redrive_point_kept(parent)
        refusal = executor_actions.redrive_refusal(parent, now, kept)
    answer["redriveStatus"] = "NOT_REDRIVABLE" if refusal else "REDRIVABLE_BY_MAP_RUN"
    if refusal:
        answer["redriveStatusReason"] = refusal
    return answer
