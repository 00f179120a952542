"""Roles: who holds them, how they are granted and revoked, and what they cost."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from designer import roles
from designer.models import RoleGrant, StateMachine
from executor import runner
from tests.conftest import token_for
from tests.executor.definitions import APPROVAL, HELLO_DEFINITION

pytestmark = pytest.mark.django_db


def client_of(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def test_it_lists_thousands_of_machines_with_one_query(user: Any, outsider: Any) -> None:
    StateMachine.objects.bulk_create(
        StateMachine(name=f"M{i:04}", owner=user if i % 3 == 0 else None) for i in range(3000)
    )
    machines = {m.name: m for m in StateMachine.objects.all()}
    team = Group.objects.create(name="team")
    outsider.groups.add(team)
    roles.grant("viewer", user=outsider, machine=machines["M0001"])
    roles.grant("operator", group=team, machine=machines["M0002"])
    roles.grant("editor", group=team, machine=machines["M0004"])
    roles.grant("admin", user=user, machine=machines["M0005"])

    with CaptureQueriesContext(connection) as queries:
        viewable = list(roles.machines_for(outsider, "view").values_list("name", flat=True))
        operable = list(roles.machines_for(outsider, "operate").values_list("name", flat=True))
        editable = list(roles.machines_for(outsider, "edit").values_list("name", flat=True))
        owned = roles.machines_for(user, "admin").count()
    assert len(queries) == 4
    assert viewable == ["M0001", "M0002", "M0004"]
    assert operable == ["M0002", "M0004"]
    assert editable == ["M0004"]
    assert owned == 1000 + 1

    roles.grant("viewer", group=team)  # every machine
    assert roles.machines_for(outsider, "view").count() == 3000
    assert roles.machines_for(outsider, "operate").count() == 2


def test_it_gives_inactive_users_nothing_not_even_their_own_machines(
    user: Any, make_machine: Any
) -> None:
    machine = make_machine()
    roles.grant("admin", user=user)
    user.is_active = False
    user.save()
    assert [a for a in roles.ACTIONS if roles.may(user, a, machine)] == []
    assert list(roles.machines_for(user, "view")) == []


def test_it_lets_superusers_do_everything(django_user_model: Any, make_machine: Any) -> None:
    machine = make_machine()
    root = django_user_model.objects.create_superuser("root")
    assert roles.permissions(root, machine) == ["view", "operate", "edit", "admin"]
    assert list(roles.machines_for(root, "admin")) == [machine]


def test_it_refuses_a_grant_to_both_or_neither_a_user_and_a_group(user: Any) -> None:
    group = Group.objects.create(name="team")
    for holder in ({"user": user, "group": group}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            RoleGrant.objects.create(role="viewer", **holder)


def test_it_shows_task_tokens_only_to_those_who_may_operate_the_run(
    api: Any, make_machine: Any, outsider: Any
) -> None:
    machine = make_machine("Approvals", APPROVAL)
    started = api.post("/api/v1/state-machines/Approvals/executions/", {}, format="json").json()
    runner.advance(started["id"])
    url = f"/api/v1/executions/{started['id']}/pending-tasks/"

    roles.grant("viewer", user=outsider, machine=machine)
    seen = client_of(outsider).get(url).json()["pending_tasks"]
    assert [(t["kind"], t["state_name"]) for t in seen] == [("callback", "Approve")]
    assert "task_token" not in seen[0]

    roles.grant("operator", user=outsider, machine=machine)
    operated = client_of(outsider).get(url).json()["pending_tasks"]
    assert operated[0]["task_token"] == api.get(url).json()["pending_tasks"][0]["task_token"]


def test_it_refuses_a_viewer_with_a_403_that_names_the_role_needed(
    outsider: Any, make_machine: Any
) -> None:
    roles.grant("viewer", user=outsider, machine=make_machine())
    response = client_of(outsider).put(
        "/api/v1/state-machines/Orders/", {"definition": HELLO_DEFINITION}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["message"] == (
        "You may not edit the state machine 'Orders': that needs the editor role on it."
    )


def test_it_tells_the_ui_what_the_caller_may_do(api: Any, outsider: Any, make_machine: Any) -> None:
    machine = make_machine()
    assert api.get("/api/v1/state-machines/Orders/").json()["permissions"] == [
        "view",
        "operate",
        "edit",
        "admin",
    ]
    roles.grant("operator", user=outsider, machine=machine)
    shown = client_of(outsider).get("/api/v1/state-machines/Orders/").json()
    assert shown["permissions"] == ["view", "operate"]


def test_it_lets_a_machines_admin_grant_list_and_revoke_roles_on_it(
    api: Any, user: Any, outsider: Any, make_machine: Any
) -> None:
    make_machine()
    url = "/api/v1/state-machines/Orders/grants/"
    granted = api.post(url, {"role": "operator", "user": "mallory"}, format="json")
    assert granted.status_code == 201, granted.content
    assert (granted.json()["role"], granted.json()["user"]) == ("operator", "mallory")
    again = api.post(url, {"role": "operator", "user": "mallory"}, format="json")
    assert (again.status_code, again.json()["id"]) == (200, granted.json()["id"])

    mallory = client_of(outsider)
    started = mallory.post("/api/v1/state-machines/Orders/executions/", {}, format="json")
    assert started.status_code == 201
    assert mallory.get(url).status_code == 403  # an operator, not an admin

    listed = api.get(url).json()["grants"]
    assert [(g["role"], g["user"], g["group"]) for g in listed] == [("operator", "mallory", None)]
    assert api.delete(f"{url}{granted.json()['id']}/").status_code == 204
    assert mallory.post("/api/v1/state-machines/Orders/executions/", {}).status_code == 404
    assert api.delete(f"{url}{granted.json()['id']}/").status_code == 404


def test_it_grants_roles_to_groups_over_rest(api: Any, outsider: Any, make_machine: Any) -> None:
    make_machine()
    outsider.groups.add(Group.objects.create(name="night-shift"))
    response = api.post(
        "/api/v1/state-machines/Orders/grants/",
        {"role": "editor", "group": "night-shift"},
        format="json",
    )
    assert response.status_code == 201
    assert (
        client_of(outsider)
        .put("/api/v1/state-machines/Orders/", {"definition": HELLO_DEFINITION}, format="json")
        .status_code
        == 200
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"role": "owner", "user": "mallory"}, "role"),
        ({"user": "mallory"}, "role"),
        ({"role": "viewer"}, "user"),
        ({"role": "viewer", "user": "mallory", "group": "team"}, "user"),
        ({"role": "viewer", "user": "nobody"}, "user"),
        ({"role": "viewer", "user": 7}, "user"),
        ({"role": "viewer", "group": "no-such-group"}, "group"),
    ],
)
def test_it_refuses_a_bad_grant_with_a_400_naming_the_field(
    api: Any, outsider: Any, make_machine: Any, body: dict[str, Any], field: str
) -> None:
    make_machine()
    response = api.post("/api/v1/state-machines/Orders/grants/", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field
    assert RoleGrant.objects.count() == 0


def test_it_keeps_grants_on_every_machine_and_on_others_out_of_reach_of_a_machines_admin(
    api: Any, user: Any, outsider: Any, make_machine: Any, django_user_model: Any
) -> None:
    make_machine()
    bob = django_user_model.objects.create_user("bob")
    elsewhere = StateMachine.objects.create(name="Elsewhere", owner=bob)
    everywhere, _ = roles.grant("viewer", user=outsider)
    theirs, _ = roles.grant("viewer", user=outsider, machine=elsewhere)
    for grant in (everywhere, theirs):
        url = f"/api/v1/state-machines/Orders/grants/{grant.pk}/"
        assert api.delete(url).status_code == 404
    assert api.get("/api/v1/state-machines/Orders/grants/").json()["grants"] == []
    assert RoleGrant.objects.count() == 2


def test_it_grants_and_revokes_roles_with_the_grantrole_command(
    outsider: Any, make_machine: Any
) -> None:
    machine = make_machine()
    out = StringIO()
    call_command("grantrole", "operator", "--user", "mallory", "--machine", "Orders", stdout=out)
    assert "Granted the operator role on the state machine 'Orders'" in out.getvalue()
    assert roles.permissions(User.objects.get(pk=outsider.pk), machine) == ["view", "operate"]

    team = Group.objects.create(name="team")
    call_command("grantrole", "viewer", "--group", "team", stdout=out)
    assert RoleGrant.objects.filter(group=team, state_machine=None, role="viewer").exists()

    call_command(
        "grantrole", "operator", "--user", "mallory", "--machine", "Orders", "--revoke", stdout=out
    )
    assert roles.permissions(User.objects.get(pk=outsider.pk), machine) == []
    with pytest.raises(CommandError, match="holds no operator role"):
        call_command("grantrole", "operator", "--user", "mallory", "--revoke", stdout=out)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["viewer", "--user", "nobody"], "No user named 'nobody'"),
        (["viewer", "--group", "nobody"], "No group named 'nobody'"),
        (["viewer", "--user", "mallory", "--machine", "Nope"], "No state machine named 'Nope'"),
    ],
)
def test_it_refuses_a_grantrole_naming_what_does_not_exist(
    outsider: Any, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("grantrole", *args, stdout=StringIO())


def test_it_lets_superusers_manage_grants_in_the_django_admin(
    django_user_model: Any, outsider: Any, make_machine: Any
) -> None:
    roles.grant("viewer", user=outsider, machine=make_machine())
    browser = Client()
    browser.force_login(django_user_model.objects.create_superuser("root"))
    page = browser.get("/admin/designer/rolegrant/")
    assert page.status_code == 200
    assert b"viewer on Orders for user mallory" in page.content
