"""Tidy layout on a draft: POST a definition to layout/ and get a box for every state."""

from __future__ import annotations

from typing import Any

import pytest

from tests.executor.definitions import HELLO_DEFINITION

pytestmark = pytest.mark.django_db

DRAFT = {
    "StartAt": "Each: item",
    "States": {
        "Each: item": {
            "Type": "Map",
            "ItemProcessor": {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass"}}},
        },
        "Unreached": {"Type": "Task"},
    },
}


@pytest.fixture
def machine(api: Any) -> str:
    response = api.post(
        "/api/v1/state-machines/", {"name": "Drafty", "definition": HELLO_DEFINITION}, format="json"
    )
    assert response.status_code == 201
    return "/api/v1/state-machines/Drafty/layout/"


def test_it_lays_out_a_draft_that_is_not_valid_yet(api: Any, machine: str) -> None:
    response = api.post(machine, {"definition": DRAFT}, format="json")
    assert response.status_code == 200
    assert set(response.json()["nodes"]) == {
        "Each: item",
        "Unreached",
        "/States/Each: item/ItemProcessor/States/Inner",
    }


def test_it_still_lays_out_the_saved_version_on_get(api: Any, machine: str) -> None:
    assert set(api.get(machine).json()["nodes"]) == set(HELLO_DEFINITION["States"])


@pytest.mark.parametrize("definition", [None, "text", [1], 5])
def test_it_refuses_a_draft_that_is_not_an_object(api: Any, machine: str, definition: Any) -> None:
    response = api.post(machine, {"definition": definition}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "definition"


def test_it_lets_no_outsider_lay_out_a_draft(outsider_api: Any, machine: str) -> None:
    assert outsider_api.post(machine, {"definition": DRAFT}, format="json").status_code == 404
