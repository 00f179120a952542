"""Who may use the API: keys, sessions, owners, and everyone else."""

from __future__ import annotations

import importlib
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from designer import roles
from designer.models import RoleGrant
from executor.actions import start_execution
from tests.conftest import token_for
from tests.executor.definitions import HELLO_DEFINITION

pytestmark = pytest.mark.django_db


def key_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def start_order(machine: Any) -> Any:
    return start_execution(machine, {"quantity": 1}, user=machine.owner)


def test_it_refuses_anonymous_requests(anonymous: Any, make_machine: Any) -> None:
    machine = make_machine()
    execution = start_order(machine)
    for method, url in [
        ("get", "/api/v1/state-machines/"),
        ("post", "/api/v1/state-machines/"),
        ("get", "/api/v1/state-machines/Orders/"),
        ("get", "/api/v1/state-machines/Orders/graph.svg"),
        ("post", "/api/v1/state-machines/Orders/executions/"),
        ("get", f"/api/v1/executions/{execution.pk}/"),
        ("get", f"/api/v1/executions/{execution.pk}/history/"),
        ("delete", "/api/v1/state-machines/Orders/"),
        ("get", "/api/v1/state-machines/Orders/aliases/"),
        ("get", "/api/v1/state-machines/Orders/tags/"),
        ("get", f"/api/v1/state-machines/Orders/executions/{execution.name}/"),
        ("get", f"/api/v1/executions/{execution.pk}/map-runs/"),
    ]:
        response = getattr(anonymous, method)(url, {}, format="json")
        assert response.status_code in (401, 403), (method, url, response.status_code)


def test_it_refuses_an_unknown_key(make_machine: Any) -> None:
    make_machine()
    response = key_client("0" * 40).get("/api/v1/state-machines/")
    assert response.status_code == 401


def test_it_accepts_a_session_login(user: Any, make_machine: Any) -> None:
    make_machine()
    client = APIClient()
    client.force_login(user)
    response = client.get("/api/v1/state-machines/Orders/")
    assert response.status_code == 200


def test_it_hides_other_peoples_machines_and_executions_as_not_found(
    outsider_api: Any, make_machine: Any
) -> None:
    machine = make_machine()
    execution = start_order(machine)
    for method, url in [
        ("get", "/api/v1/state-machines/Orders/"),
        ("put", "/api/v1/state-machines/Orders/"),
        ("get", "/api/v1/state-machines/Orders/layout/"),
        ("get", "/api/v1/state-machines/Orders/graph.svg"),
        ("post", "/api/v1/state-machines/Orders/validate/"),
        ("get", "/api/v1/state-machines/Orders/executions/"),
        ("post", "/api/v1/state-machines/Orders/executions/"),
        ("get", f"/api/v1/executions/{execution.pk}/"),
        ("get", f"/api/v1/executions/{execution.pk}/history/"),
        ("delete", "/api/v1/state-machines/Orders/"),
        ("get", "/api/v1/state-machines/Orders/aliases/"),
        ("get", "/api/v1/state-machines/Orders/tags/"),
        ("get", f"/api/v1/state-machines/Orders/executions/{execution.name}/"),
        ("get", f"/api/v1/executions/{execution.pk}/map-runs/"),
    ]:
        body = {"definition": HELLO_DEFINITION}
        response = getattr(outsider_api, method)(url, body, format="json")
        assert response.status_code == 404, (method, url, response.status_code)
    listed = outsider_api.get("/api/v1/state-machines/").json()
    assert listed == {"state_machines": [], "next_cursor": None}


def test_it_turns_holders_of_the_old_view_permission_into_viewers_of_every_machine(
    outsider: Any, make_machine: Any
) -> None:
    """Before roles, designer.view_statemachine meant "sees and runs every machine": its
    holders, directly or through a group, become viewers of every machine, and no more."""
    make_machine()
    permission = Permission.objects.get(codename="view_statemachine")
    outsider.user_permissions.add(permission)
    team = Group.objects.create(name="team")
    team.permissions.add(permission)
    carol = User.objects.create_user("carol")
    carol.groups.add(team)
    User.objects.create_user("dave")  # holds nothing, gets nothing

    migration = importlib.import_module("designer.migrations.0002_role_grants")
    migration.view_permission_to_global_viewers(apps, None)

    grants = RoleGrant.objects.values_list("role", "user__username", "group__name", "state_machine")
    assert sorted(grants, key=str) == sorted(
        [("viewer", "mallory", None, None), ("viewer", None, "team", None)], key=str
    )
    for name in ("mallory", "carol"):
        client = key_client(token_for(User.objects.get(username=name)))
        assert client.get("/api/v1/state-machines/Orders/").status_code == 200
        assert (
            client.put(
                "/api/v1/state-machines/Orders/", {"definition": HELLO_DEFINITION}, format="json"
            ).status_code
            == 403
        )
        assert (
            client.post("/api/v1/state-machines/Orders/executions/", {}, format="json").status_code
            == 403
        )
    dave = key_client(token_for(User.objects.get(username="dave")))
    assert dave.get("/api/v1/state-machines/Orders/").status_code == 404


def test_it_lets_a_viewer_of_every_machine_list_them_all(
    outsider: Any, outsider_api: Any, make_machine: Any
) -> None:
    make_machine()
    make_machine("Refunds")
    roles.grant("viewer", user=outsider)
    response = outsider_api.get("/api/v1/state-machines/Orders/")
    assert response.status_code == 200
    assert response.json()["permissions"] == ["view"]
    names = [
        m["name"] for m in outsider_api.get("/api/v1/state-machines/").json()["state_machines"]
    ]
    assert names == ["Orders", "Refunds"]


def test_it_prints_a_working_api_key_as_the_last_line(user: Any, make_machine: Any) -> None:
    make_machine()
    out = StringIO()
    call_command("createapikey", user.username, stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    response = key_client(key).get("/api/v1/state-machines/Orders/")
    assert response.status_code == 200


def test_it_revokes_the_previous_key_when_printing_a_new_one(user: Any) -> None:
    keys = []
    for _ in range(2):
        out = StringIO()
        call_command("createapikey", user.username, stdout=out)
        keys.append(out.getvalue().strip().splitlines()[-1])
    assert keys[0] != keys[1]
    assert key_client(keys[0]).get("/api/v1/state-machines/").status_code == 401
    assert key_client(keys[1]).get("/api/v1/state-machines/").status_code == 200


def test_it_refuses_to_print_a_key_for_an_unknown_user() -> None:
    with pytest.raises(CommandError, match="nobody"):
        call_command("createapikey", "nobody", stdout=StringIO())
