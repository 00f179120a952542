"""The groups the Approval step's form offers as who may answer (its ApproverGroup).

Group names are not public: an editor is offered the groups they are in and those holding a
role on the machine (or on every machine), never every group of the instance; a superuser,
who sees them all in the admin, gets them all. Who may call it is in the authorization
matrix too (tests/api/test_authorization_matrix.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from designer import roles
from tests.conftest import token_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/state-machines/{}/approver-groups/"


def client_of(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


@pytest.fixture
def world(user: Any, outsider: Any, make_machine: Any, django_user_model: Any) -> dict[str, Any]:
    """Orders (alice's) and Other; groups with and without roles, and one nobody may name."""
    orders = make_machine("Orders")
    other = make_machine("Other")
    groups = {
        name: Group.objects.create(name=name)
        for name in ("finance", "ops", "auditors", "everyone-viewers", "elsewhere", "secret-board")
    }
    editor = django_user_model.objects.create_user("ed")
    editor.groups.add(groups["ops"])
    roles.grant("editor", user=editor, machine=orders)
    roles.grant("operator", group=groups["finance"], machine=orders)
    roles.grant("viewer", group=groups["finance"], machine=orders)  # the highest role counts
    roles.grant("viewer", group=groups["auditors"], machine=orders)
    roles.grant("viewer", group=groups["everyone-viewers"])  # every machine
    roles.grant("admin", group=groups["elsewhere"], machine=other)
    return {"orders": orders, "editor": editor, "groups": groups}


def test_an_editor_is_offered_their_groups_and_those_with_a_role_here_never_the_rest(
    world: dict[str, Any],
) -> None:
    response = client_of(world["editor"]).get(URL.format("Orders"))
    assert response.status_code == 200
    assert response.json() == {
        "groups": [
            {"name": "auditors", "member": False, "role": "viewer"},
            {"name": "everyone-viewers", "member": False, "role": "viewer"},
            {"name": "finance", "member": False, "role": "operator"},
            {"name": "ops", "member": True, "role": None},
        ]
    }
    text = response.content.decode()
    # A role on another machine, or no role at all, keeps a group's name unsaid.
    assert "elsewhere" not in text and "secret-board" not in text


def test_the_owner_is_offered_the_same_and_a_superuser_every_group(
    world: dict[str, Any], user: Any, django_user_model: Any
) -> None:
    owned = client_of(user).get(URL.format("Orders")).json()["groups"]
    assert [g["name"] for g in owned] == ["auditors", "everyone-viewers", "finance"]

    root = django_user_model.objects.create_superuser("root")
    root.groups.add(world["groups"]["secret-board"])
    every = client_of(root).get(URL.format("Orders")).json()["groups"]
    assert [g["name"] for g in every] == [
        "auditors",
        "elsewhere",
        "everyone-viewers",
        "finance",
        "ops",
        "secret-board",
    ]
    # "elsewhere" is admin of Other, not of Orders.
    assert {g["name"]: g["role"] for g in every}["elsewhere"] is None
    assert {g["name"]: g["member"] for g in every}["secret-board"] is True


def test_a_viewer_is_refused_naming_the_role_and_an_outsider_gets_the_404_of_no_machine(
    world: dict[str, Any], outsider: Any, django_user_model: Any
) -> None:
    viewer = django_user_model.objects.create_user("vera")
    viewer.groups.add(world["groups"]["auditors"])  # a viewer through its group
    refused = client_of(viewer).get(URL.format("Orders"))
    assert refused.status_code == 403
    assert "editor role" in refused.json()["message"]
    assert "groups" not in refused.json()

    stranger = client_of(outsider)
    hidden = stranger.get(URL.format("Orders"))
    missing = stranger.get(URL.format("NoSuchMachine"))
    assert hidden.status_code == missing.status_code == 404
    assert set(hidden.json()) == {"code", "message"}
    assert hidden.json()["code"] == missing.json()["code"]
    assert hidden.json()["message"].replace("Orders", "X") == missing.json()["message"].replace(
        "NoSuchMachine", "X"
    )
    assert APIClient().get(URL.format("Orders")).status_code == 401


def test_it_costs_the_same_few_queries_whatever_the_number_of_groups(
    world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    for i in range(200):
        group = Group.objects.create(name=f"team-{i:03}")
        roles.grant("operator", group=group, machine=world["orders"])
    with django_assert_max_num_queries(12):
        groups = client_of(world["editor"]).get(URL.format("Orders")).json()["groups"]
    assert len(groups) == 204
