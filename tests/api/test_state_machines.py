"""The state machine endpoints: create, read, list, store versions, validate, draw."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.executor.definitions import HELLO_DEFINITION, ORDER_DEFINITION

pytestmark = pytest.mark.django_db

MACHINES = "/api/v1/state-machines/"


def create(api: Any, name: str = "Orders", definition: Any = None, **extra: Any) -> Any:
    body = {"name": name, "definition": definition or ORDER_DEFINITION, **extra}
    return api.post(MACHINES, body, format="json")


def test_it_creates_a_state_machine(api: Any) -> None:
    response = create(api)
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Orders"
    assert body["type"] == "STANDARD"
    assert body["definition"] == ORDER_DEFINITION
    assert body["version"] == 1
    assert body["layout"] == {}
    assert {"created_at", "updated_at"} <= body.keys()


def test_it_creates_an_express_machine_with_its_layout(api: Any) -> None:
    layout = {"Hello": {"x": 10, "y": 20.5}}
    response = create(api, "Quick", HELLO_DEFINITION, type="EXPRESS", layout=layout)
    assert response.status_code == 201
    assert response.json()["type"] == "EXPRESS"
    assert response.json()["layout"] == layout


def test_it_refuses_a_duplicate_name_with_409(api: Any) -> None:
    assert create(api).status_code == 201
    response = create(api, definition=HELLO_DEFINITION)
    assert response.status_code == 409
    assert "already exists" in response.json()["message"]
    assert response.json()["field"] == "name"


def test_it_refuses_an_invalid_definition_naming_what_is_wrong(api: Any) -> None:
    broken = {"StartAt": "Missing", "States": {"Hello": {"Type": "Pass", "End": True}}}
    response = create(api, definition=broken)
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "definition"
    assert "Missing" in body["message"]
    assert body["diagnostics"], "every problem is listed"
    assert {"code", "message", "location"} <= body["diagnostics"][0].keys()
    assert any(d["location"] == "/StartAt" for d in body["diagnostics"])


def test_it_lists_every_problem_of_a_definition_in_diagnostics(api: Any) -> None:
    broken = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Next": "Nowhere"},
            "B": {"Type": "Teleport", "End": True},
        },
    }
    response = create(api, definition=broken)
    assert response.status_code == 400
    locations = [d["location"] for d in response.json()["diagnostics"]]
    assert any(loc.startswith("/States/A") for loc in locations)
    assert any(loc.startswith("/States/B") for loc in locations)


def test_it_accepts_a_definition_sent_as_json_text(api: Any) -> None:
    response = create(api, definition=json.dumps(ORDER_DEFINITION))
    assert response.status_code == 201
    assert response.json()["definition"] == ORDER_DEFINITION


def test_it_refuses_definition_text_that_is_not_json(api: Any) -> None:
    response = create(api, definition='{"StartAt": "A", ')
    assert response.status_code == 400
    assert response.json()["field"] == "definition"
    assert "not valid JSON" in response.json()["message"]


def test_it_answers_a_malformed_json_body_with_400(api: Any) -> None:
    response = api.post(
        MACHINES, '{"name": "Orders", "definition": {', content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["message"]


def test_it_refuses_a_body_that_is_not_an_object(api: Any) -> None:
    response = api.post(MACHINES, [1, 2, 3], format="json")
    assert response.status_code == 400
    assert "JSON object" in response.json()["message"]


def test_it_lists_the_machines_of_their_owner(api: Any, outsider_api: Any) -> None:
    create(api, "Orders")
    create(api, "Hello", HELLO_DEFINITION)
    create(outsider_api, "Secret", HELLO_DEFINITION)
    response = api.get(MACHINES)
    assert response.status_code == 200
    assert [m["name"] for m in response.json()["state_machines"]] == ["Hello", "Orders"]


def test_it_shows_one_machine(api: Any) -> None:
    create(api)
    response = api.get(f"{MACHINES}Orders/")
    assert response.status_code == 200
    assert response.json()["definition"] == ORDER_DEFINITION
    assert response.json()["version"] == 1


def test_it_answers_404_for_an_unknown_machine(api: Any) -> None:
    response = api.get(f"{MACHINES}Nothing/")
    assert response.status_code == 404
    assert response.json()["message"]


def test_it_stores_a_new_version_on_put(api: Any) -> None:
    create(api)
    response = api.put(f"{MACHINES}Orders/", {"definition": HELLO_DEFINITION}, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response.json()["definition"] == HELLO_DEFINITION
    assert api.get(f"{MACHINES}Orders/").json()["version"] == 2


def test_it_keeps_the_definition_when_only_the_layout_changes(api: Any) -> None:
    create(api)
    layout = {"Receive": {"x": 1, "y": 2}}
    response = api.put(f"{MACHINES}Orders/", {"layout": layout}, format="json")
    assert response.json()["version"] == 2
    assert response.json()["definition"] == ORDER_DEFINITION
    assert response.json()["layout"] == layout


def test_it_creates_no_version_when_nothing_changed(api: Any) -> None:
    create(api)
    response = api.put(f"{MACHINES}Orders/", {"definition": ORDER_DEFINITION}, format="json")
    assert response.json()["version"] == 1


def test_it_refuses_a_put_without_definition_or_layout(api: Any) -> None:
    create(api)
    response = api.put(f"{MACHINES}Orders/", {"name": "Other"}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "definition"


def test_it_refuses_an_invalid_new_version_and_keeps_the_old_one(api: Any) -> None:
    create(api)
    response = api.put(f"{MACHINES}Orders/", {"definition": {"StartAt": 1}}, format="json")
    assert response.status_code == 400
    assert response.json()["diagnostics"]
    assert api.get(f"{MACHINES}Orders/").json()["version"] == 1


def test_it_keeps_running_executions_on_their_version(api: Any) -> None:
    create(api)
    started = api.post(f"{MACHINES}Orders/executions/", {"input": {"quantity": 1}}, format="json")
    api.put(f"{MACHINES}Orders/", {"definition": HELLO_DEFINITION}, format="json")
    later = api.post(f"{MACHINES}Orders/executions/", {}, format="json")
    assert api.get(f"/api/v1/executions/{started.json()['id']}/").json()["version"] == 1
    assert api.get(f"/api/v1/executions/{later.json()['id']}/").json()["version"] == 2


def test_it_validates_a_definition_without_storing_it(api: Any) -> None:
    create(api)
    good = api.post(f"{MACHINES}Orders/validate/", {"definition": HELLO_DEFINITION}, format="json")
    assert good.json() == {"valid": True, "diagnostics": []}
    bad = api.post(
        f"{MACHINES}Orders/validate/", {"definition": {"States": {}}}, format="json"
    ).json()
    assert bad["valid"] is False
    assert bad["diagnostics"]
    assert api.get(f"{MACHINES}Orders/").json()["version"] == 1


def test_it_draws_the_machine_as_svg(api: Any) -> None:
    create(api)
    response = api.get(f"{MACHINES}Orders/graph.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert "<svg" in svg
    assert "Out of stock" in svg


def test_it_lays_out_every_top_level_state(api: Any) -> None:
    create(api)
    response = api.get(f"{MACHINES}Orders/layout/")
    assert response.status_code == 200
    nodes = response.json()["nodes"]
    assert set(nodes) == set(ORDER_DEFINITION["States"])
    for position in nodes.values():
        assert position["x"] >= 0 and position["y"] >= 0
    # The start state comes first from the top; the Choice's branches lie below it.
    assert nodes["Receive"]["y"] < nodes["In stock?"]["y"] < nodes["Pack"]["y"]


@pytest.mark.parametrize(
    ("refused", "suggestion"),
    [
        ("Order approval", "Order-approval"),
        ("  invoices / 2026 ", "invoices-2026"),
        ("über:größe", "über-größe"),
        ("x" * 81, "x" * 80),
    ],
)
def test_it_suggests_the_nearest_allowed_name_for_a_refused_one(
    api: Any, refused: str, suggestion: str
) -> None:
    """AWS allows 1-80 characters without whitespace, brackets, wildcards, punctuation such as
    " # % \\ ^ | ~ ` $ & , ; : / or control characters.
    https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html"""
    response = create(api, name=refused)
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("InvalidName", "name")
    assert response.json()["suggestion"] == suggestion
    assert repr(suggestion) in response.json()["message"]
    assert create(api, name=suggestion).status_code == 201, "the suggestion is allowed"
