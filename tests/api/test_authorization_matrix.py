"""Who gets what: every kind of caller against every endpoint, page and WebSocket.

The table is ROWS: one row per entry point, saying what each level of access gets (a status
code, or for a WebSocket "accepted" or its close code). A caller's level on the machine
"Orders" follows from who they are (SUBJECTS): roles granted on every machine, on Orders, on
another machine only, or to a group they are in; Orders' owner; a superuser; an inactive
user holding the admin role everywhere; nobody at all.

Each cell runs on the same world (alice's machines, runs and a grant), its changes rolled
back before the next one. Every 404 must be the very answer the caller gets once the machine
is gone: someone without access learns nothing, not even that a name or run exists.

To add an endpoint, add a row.
"""

from __future__ import annotations

import importlib
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from config.asgi import application
from designer import roles
from designer.actions import create_state_machine
from designer.models import StateMachine
from executor import runner
from executor.actions import start_execution
from executor.models import Execution, PendingTask
from tests.conftest import token_for
from tests.executor.definitions import HELLO_DEFINITION, ORDER_DEFINITION

# The levels of access a caller can have on Orders, from none at all to everything.
LEVELS = ("anonymous", "inactive", "none", "view", "operate", "edit", "admin")
ROLE_LEVEL = {"viewer": "view", "operator": "operate", "editor": "edit", "admin": "admin"}


def needs(action: str | None, ok: Any) -> dict[str, Any]:
    """The outcomes of an entry point that needs ``action`` on the machine and answers ``ok``:
    401 without a (working) key, the 404 of a missing machine without view, 403 with view
    but not ``action``. ``action`` None: any signed-in user gets ``ok``."""
    outcomes: dict[str, Any] = {"anonymous": 401, "inactive": 401}
    for level in LEVELS[2:]:
        if action is None or LEVELS.index(level) >= LEVELS.index(action):
            outcomes[level] = ok
        else:
            outcomes[level] = 404 if level == "none" else 403
    return outcomes


def page(ok: int, action: str | None = "view") -> dict[str, Any]:
    """Pages send whoever is not signed in to the login page, and 404 those without view."""
    return {**needs(action, ok), "anonymous": 302, "inactive": 302}


def socket(action: str = "view") -> dict[str, Any]:
    outcomes = needs(action, "accepted")
    return {**outcomes, "anonymous": 4401, "inactive": 4401, "none": 4404}


def answer_token(ok: int) -> dict[str, Any]:
    """Task-token answers: without view, the very refusal of an unknown token (400)."""
    return {**needs("operate", ok), "none": 400}


def task_or_nothing(status: int, content: bytes) -> Any:
    """An activity poll answers 200 either way: with a task, or with none to hand out."""
    if status != 200:
        return status
    return "task" if json.loads(content)["taskToken"] else "nothing"


@dataclass(frozen=True)
class Row:
    method: str  # an HTTP method, "page" (a GET with the session) or "ws"
    # {machine}, {express}, {run}, {failed}, {grant}, {token} are filled from the world, in
    # the path and in the body's text values
    path: str
    outcomes: dict[str, Any]
    body: dict[str, Any] = field(default_factory=dict)
    # What of the response the table states: its status code unless said otherwise.
    read: Callable[[int, bytes], Any] = lambda status, content: status

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


ROWS = [
    Row("GET", "/api/v1/state-machines/", needs(None, 200)),
    Row("POST", "/api/v1/state-machines/", needs(None, 201), {"definition": HELLO_DEFINITION}),
    Row("GET", "/api/v1/state-machines/{machine}/", needs("view", 200)),
    Row(
        "PUT",
        "/api/v1/state-machines/{machine}/",
        needs("edit", 200),
        {"definition": HELLO_DEFINITION},
    ),
    Row("GET", "/api/v1/state-machines/{machine}/draft/", needs("edit", 200)),
    Row(
        "PUT",
        "/api/v1/state-machines/{machine}/draft/",
        needs("edit", 200),
        {"definition": HELLO_DEFINITION, "revision": 0},
    ),
    Row("DELETE", "/api/v1/state-machines/{machine}/draft/", needs("edit", 204)),
    Row(
        "POST",
        "/api/v1/state-machines/{machine}/validate/",
        needs("view", 200),
        {"definition": HELLO_DEFINITION},
    ),
    Row(
        "POST",
        "/api/v1/state-machines/{machine}/read-file/",
        needs("edit", 200),
        {"text": "StartAt: A\nStates:\n  A:\n    Type: Succeed\n", "filename": "a.yaml"},
    ),
    Row("GET", "/api/v1/state-machines/{machine}/layout/", needs("view", 200)),
    Row(
        "POST",
        "/api/v1/state-machines/{machine}/layout/",
        needs("view", 200),
        {"definition": HELLO_DEFINITION},
    ),
    Row(
        "POST",
        "/api/v1/state-machines/{machine}/data-shapes/",
        needs("view", 200),
        {"definition": HELLO_DEFINITION, "input": {}},
    ),
    Row("GET", "/api/v1/state-machines/{machine}/graph.svg", needs("view", 200)),
    Row("GET", "/api/v1/state-machines/{machine}/versions/", needs("view", 200)),
    Row("GET", "/api/v1/state-machines/{machine}/versions/1/", needs("view", 200)),
    Row("GET", "/api/v1/state-machines/{machine}/heat-map/", needs("view", 200)),
    Row("GET", "/api/v1/state-machines/{machine}/aliases/", needs("view", 200)),
    Row("GET", "/api/v1/state-machines/{machine}/published-versions/", needs("view", 200)),
    Row("GET", "/api/v1/state-machines/{machine}/tags/", needs("view", 200)),
    Row("GET", "/api/v1/state-machines/{machine}/executions/", needs("view", 200)),
    Row("POST", "/api/v1/state-machines/{machine}/executions/", needs("operate", 201)),
    Row("POST", "/api/v1/state-machines/{express}/sync-executions/", needs("operate", 200)),
    Row("GET", "/api/v1/state-machines/{machine}/approver-groups/", needs("edit", 200)),
    Row("GET", "/api/v1/state-machines/{machine}/grants/", needs("admin", 200)),
    Row(
        "POST",
        "/api/v1/state-machines/{machine}/grants/",
        needs("admin", 201),
        {"role": "operator", "user": "newcomer"},
    ),
    Row("DELETE", "/api/v1/state-machines/{machine}/grants/{grant}/", needs("admin", 204)),
    Row("GET", "/api/v1/executions/{run}/", needs("view", 200)),
    Row("GET", "/api/v1/executions/{run}/history/", needs("view", 200)),
    Row("GET", "/api/v1/executions/{run}/pending-tasks/", needs("view", 200)),
    Row("GET", "/api/v1/executions/{run}/map-iterations/", needs("view", 200)),
    Row("GET", "/api/v1/executions/{run}/graph-status/", needs("view", 200)),
    Row("GET", "/api/v1/executions/{run}/choice-traces/", needs("view", 200)),
    Row("GET", "/api/v1/executions/{run}/task-answers/", needs("view", 200)),
    Row("GET", "/api/v1/executions/{run}/map-runs/", needs("view", 200)),
    Row("GET", "/api/v1/state-machines/{machine}/executions/waiting/", needs("view", 200)),
    Row("GET", "/api/v1/executions/{run}/state-visits/?state=Receive", needs("view", 200)),
    Row("POST", "/api/v1/executions/{failed}/rerun/", needs("operate", 201), {"state": "Receive"}),
    Row("POST", "/api/v1/executions/{run}/stop/", needs("operate", 200)),
    Row("POST", "/api/v1/executions/{failed}/redrive/", needs("operate", 200)),
    Row(
        "POST",
        "/api/v1/task-tokens/success/",
        answer_token(200),
        {"taskToken": "{token}", "output": {"approved": True}},
    ),
    Row(
        "POST",
        "/api/v1/task-tokens/failure/",
        answer_token(200),
        {"taskToken": "{token}", "error": "Rejected"},
    ),
    Row("POST", "/api/v1/task-tokens/heartbeat/", answer_token(200), {"taskToken": "{token}"}),
    Row(
        "POST",
        "/api/v1/activities/Review/tasks/",
        {
            **needs("operate", "task"),
            # Without the operator role there is simply nothing for this poller.
            "none": "nothing",
            "view": "nothing",
        },
        {"wait": 0},
        read=task_or_nothing,
    ),
    Row("page", "/", page(200, None)),
    Row("page", "/designer/{machine}/", page(200)),
    Row("page", "/executions/{run}/", page(200)),
    Row("ws", "/ws/executions/{run}/", socket()),
    Row("ws", "/ws/state-machines/{machine}/", socket()),
]


@dataclass(frozen=True)
class Subject:
    name: str
    level: str
    # Sets the subject up in the world; None: the anonymous caller.
    setup: Callable[[User, World], None] | None = None


@dataclass
class World:
    alice: User
    machine: StateMachine
    express: StateMachine
    elsewhere: StateMachine
    approvals: StateMachine
    run: Execution
    failed: Execution
    grant_id: int
    token: str

    @property
    def granted(self) -> tuple[StateMachine, ...]:
        """The machines a grant "on the machine" covers: Orders and its companions."""
        return (self.machine, self.express, self.approvals)

    def fill(self, text: str) -> str:
        return text.format(
            machine=self.machine.name,
            express=self.express.name,
            run=self.run.pk,
            failed=self.failed.pk,
            grant=self.grant_id,
            token=self.token,
        )

    def path(self, row: Row) -> str:
        return self.fill(row.path)

    def body(self, row: Row) -> dict[str, Any]:
        return {k: self.fill(v) if isinstance(v, str) else v for k, v in row.body.items()}


def nothing(user: User, world: World) -> None:
    pass


def owner(user: User, world: World) -> None:
    for machine in world.granted:
        machine.owner = user
        machine.save(update_fields=["owner"])


def superuser(user: User, world: World) -> None:
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])


def inactive_admin(user: User, world: World) -> None:
    roles.grant("admin", user=user)
    user.is_active = False
    user.save(update_fields=["is_active"])


def old_view_permission(user: User, world: World) -> None:
    """Before roles this permission meant full access; migrating makes it a viewer's."""
    user.user_permissions.add(Permission.objects.get(codename="view_statemachine"))
    migration = importlib.import_module("designer.migrations.0002_role_grants")
    migration.view_permission_to_global_viewers(apps, None)


def granted(role: str, where: str) -> Callable[[User, World], None]:
    def setup(user: User, world: World) -> None:
        if where == "everywhere":
            roles.grant(role, user=user)
        elif where == "elsewhere":
            roles.grant(role, user=user, machine=world.elsewhere)
        else:
            holder: dict[str, Any] = {"user": user}
            if where == "by group":
                group = Group.objects.create(name=f"{role}s")
                user.groups.add(group)
                holder = {"group": group}
            for machine in world.granted:
                roles.grant(role, machine=machine, **holder)

    return setup


SUBJECTS = [
    Subject("anonymous", "anonymous"),
    Subject("inactive admin", "inactive", inactive_admin),
    Subject("stranger", "none", nothing),
    Subject("owner", "admin", owner),
    Subject("superuser", "admin", superuser),
    Subject("holder of the old view permission", "view", old_view_permission),
    *(
        Subject(
            f"{role} {where}",
            "none" if where == "elsewhere" else ROLE_LEVEL[role],
            granted(role, where),
        )
        for role, where in itertools.product(
            ROLE_LEVEL, ("everywhere", "on the machine", "elsewhere", "by group")
        )
    ),
]


def make_world() -> World:
    alice = User.objects.create_user("alice")
    bob = User.objects.create_user("bob")
    User.objects.create_user("newcomer")
    bystander = User.objects.create_user("bystander")
    machine = create_state_machine("Orders", ORDER_DEFINITION, owner=alice)
    express = create_state_machine("Quick", HELLO_DEFINITION, type="EXPRESS", owner=alice)
    elsewhere = create_state_machine("Elsewhere", HELLO_DEFINITION, owner=bob)
    run = start_execution(machine, {"quantity": 1}, name="waiting", user=alice)
    runner.advance(run.pk)  # up to its Wait
    failed = start_execution(machine, {"quantity": 99}, name="refused", user=alice)
    runner.advance(failed.pk)
    grant, _ = roles.grant("viewer", user=bystander, machine=machine)
    approvals = create_state_machine("Approvals", APPROVALS_DEFINITION, owner=alice)
    waiting = start_execution(approvals, {"order": 7}, name="asking", user=alice)
    runner.advance(waiting.pk)  # up to its callback and its activity task
    token = PendingTask.objects.get(execution=waiting, kind="callback").token
    return World(alice, machine, express, elsewhere, approvals, run, failed, grant.pk, token)


# A run that waits for a person (a task token) and for an activity worker at once.
APPROVALS_DEFINITION = {
    "StartAt": "Both",
    "States": {
        "Both": {
            "Type": "Parallel",
            "End": True,
            "Branches": [
                {
                    "StartAt": "Approve",
                    "States": {
                        "Approve": {
                            "Type": "Task",
                            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                            "Parameters": {"MessageBody.$": "$$.Task.Token"},
                            "End": True,
                        }
                    },
                },
                {
                    "StartAt": "Review",
                    "States": {
                        "Review": {
                            "Type": "Task",
                            "Resource": "arn:aws:states:us-east-1:123456789012:activity:Review",
                            "End": True,
                        }
                    },
                },
            ],
        }
    },
}


def subject_user(subject: Subject, world: World) -> User | None:
    if subject.setup is None:
        return None
    user = User.objects.create_user(subject.name.replace(" ", "-"))
    subject.setup(user, world)
    return user


def http_outcome(row: Row, user: User | None, world: World) -> tuple[int, Any]:
    if row.method == "page":
        browser = Client()
        if user is not None:
            browser.force_login(user)
        response = browser.get(world.path(row))
        return row.read(response.status_code, response.content), response.content
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    body = world.body(row)
    if row.method == "POST" and row.path == "/api/v1/state-machines/":
        body = {**body, "name": f"New-{user.pk if user else 0}"}
    response = getattr(client, row.method.lower())(world.path(row), body, format="json")
    return row.read(response.status_code, response.content), response.content


HTTP_ROWS = [row for row in ROWS if row.method != "ws"]
SOCKET_ROWS = [row for row in ROWS if row.method == "ws"]


@pytest.mark.django_db
@pytest.mark.parametrize("row", HTTP_ROWS, ids=str)
def test_it_gives_every_caller_exactly_the_outcome_in_the_table(row: Row) -> None:
    world = make_world()
    wrong = []
    for subject in SUBJECTS:
        expected = row.outcomes[subject.level]
        with transaction.atomic():
            user = subject_user(subject, world)
            status, content = http_outcome(row, user, world)
            if status != expected:
                wrong.append(f"{subject.name}: {status} {content[:200]!r}, not {expected}")
            elif status == 404 or (subject.level == "none" and status in (400, "nothing")):
                # What the caller would get if the machines and their runs did not exist.
                granted = [machine.pk for machine in world.granted]
                Execution.objects.filter(state_machine__in=granted).delete()
                StateMachine.objects.filter(pk__in=granted).delete()
                missing = http_outcome(row, user, world)
                if missing != (status, content):
                    wrong.append(f"{subject.name}: {content!r}, where none: {missing[1]!r}")
            transaction.set_rollback(True)
    assert wrong == []


async def socket_outcome(path: str, user: User | None) -> Any:
    query = f"?token={await database_sync_to_async(token_for)(user)}" if user else ""
    communicator = WebsocketCommunicator(application, path + query, [(b"host", b"127.0.0.1")])
    connected, code = await communicator.connect(5)
    if not connected:
        return code
    # A machine's stream stays open and quiet until a run changes; a run's sends its history.
    if await communicator.receive_nothing(0.3):
        outcome: Any = "accepted"
    else:
        message = await communicator.receive_output(5)
        outcome = "accepted" if message["type"] == "websocket.send" else message.get("code")
    await communicator.disconnect()
    return outcome


@pytest.fixture
def world_committed(transactional_db: None) -> Iterator[World]:
    """Consumers read the database from other threads: the world must be committed."""
    yield make_world()


@pytest.mark.parametrize("row", SOCKET_ROWS, ids=str)
async def test_it_accepts_or_closes_every_websocket_exactly_as_the_table_says(
    row: Row, world_committed: World
) -> None:
    world = world_committed
    wrong = []
    for subject in SUBJECTS:
        expected = row.outcomes[subject.level]
        user = await database_sync_to_async(subject_user)(subject, world)
        outcome = await socket_outcome(world.path(row), user)
        if outcome != expected:
            wrong.append(f"{subject.name}: {outcome}, not {expected}")
    assert wrong == []
