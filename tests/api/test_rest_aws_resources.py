"""The REST API has what the AWS API has: delete, published versions, aliases (and starts
routed by their weights), tags, activities, lookup by ARN, and cursor pages on its lists
(https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachineAlias.html,
API_TagResource.html, API_CreateActivity.html)."""

from __future__ import annotations

from typing import Any

import pytest

from designer import roles
from executor.models import Execution
from tests.executor.definitions import HELLO_DEFINITION, ORDER_DEFINITION

pytestmark = pytest.mark.django_db

MACHINE = "/api/v1/state-machines/Orders/"
ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:Orders"


def refused(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    assert body["code"] == code and body["message"], body
    return body


def two_published(api: Any, make_machine: Any) -> None:
    """Orders with versions 1 and 2 published."""
    make_machine("Orders", ORDER_DEFINITION)
    assert api.post(MACHINE + "published-versions/", {}, format="json").status_code == 201
    saved = api.put(MACHINE, {"definition": HELLO_DEFINITION}, format="json")
    assert saved.status_code == 200
    second = api.post(MACHINE + "published-versions/", {"revision": 2}, format="json")
    assert second.status_code == 201 and second.json()["version"] == 2


def test_it_deletes_a_machine_with_its_tags(api: Any, make_machine: Any) -> None:
    make_machine("Orders", ORDER_DEFINITION)
    assert api.post(MACHINE + "tags/", {"tags": {"team": "billing"}}, format="json").json() == {
        "tags": {"team": "billing"}
    }
    assert api.delete(MACHINE).status_code == 204
    refused(api.get(MACHINE), 404, "StateMachineDoesNotExist")
    refused(api.delete(MACHINE), 404, "StateMachineDoesNotExist")
    make_machine("Orders", ORDER_DEFINITION)
    assert api.get(MACHINE + "tags/").json() == {"tags": {}}


def test_only_an_admin_deletes_and_a_stranger_learns_nothing(
    api: Any, outsider_api: Any, outsider: Any, make_machine: Any
) -> None:
    machine = make_machine("Orders", ORDER_DEFINITION)
    missing = refused(
        outsider_api.delete("/api/v1/state-machines/Nothing/"), 404, "StateMachineDoesNotExist"
    )
    hidden = refused(outsider_api.delete(MACHINE), 404, "StateMachineDoesNotExist")
    assert hidden["message"].replace("Orders", "Nothing") == missing["message"]
    assert set(hidden) == set(missing)
    roles.grant("editor", user=outsider, machine=machine)
    refused(outsider_api.delete(MACHINE), 403, "AccessDeniedException")
    assert api.get(MACHINE).status_code == 200


def test_aliases_route_starts_by_weight(api: Any, make_machine: Any) -> None:
    two_published(api, make_machine)
    made = api.post(
        MACHINE + "aliases/",
        {"name": "prod", "description": "live", "routing": [{"version": 1, "weight": 100}]},
        format="json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["arn"] == ARN + ":prod"
    assert made.json()["routing"] == [{"version": 1, "weight": 100}]

    started = api.post(MACHINE + "aliases/prod/executions/", {"input": {"a": 1}}, format="json")
    assert started.status_code == 201, started.content
    assert started.json()["version"] == 1 and started.json()["input"] == {"a": 1}

    changed = api.put(
        MACHINE + "aliases/prod/",
        {"routing": [{"version": 1, "weight": 50}, {"version": 2, "weight": 50}]},
        format="json",
    )
    assert changed.status_code == 200 and changed.json()["description"] == "live"
    ran = {
        api.post(MACHINE + "aliases/prod/executions/", {}, format="json").json()["version"]
        for _ in range(40)
    }
    assert ran == {1, 2}  # each has a 1 in 2**40 chance of never being drawn

    listing = api.get(MACHINE + "aliases/").json()
    assert [a["name"] for a in listing["aliases"]] == ["prod"] and listing["next_cursor"] is None
    # A routed version cannot be unpublished while the alias routes to it.
    refused(api.delete(MACHINE + "published-versions/2/"), 409, "ConflictException")
    assert api.delete(MACHINE + "aliases/prod/").status_code == 204
    refused(api.get(MACHINE + "aliases/prod/"), 404, "ResourceNotFound")
    assert api.delete(MACHINE + "published-versions/2/").status_code == 204
    assert [v["version"] for v in api.get(MACHINE + "published-versions/").json()["versions"]] == [
        1
    ]


def test_alias_refusals_name_their_field(api: Any, make_machine: Any) -> None:
    two_published(api, make_machine)
    bad = refused(
        api.post(
            MACHINE + "aliases/",
            {"name": "prod", "routing": [{"version": 1, "weight": 60}]},
            format="json",
        ),
        400,
        "ValidationException",
    )
    assert "100" in bad["message"]
    refused(
        api.post(
            MACHINE + "aliases/",
            {"name": "123", "routing": [{"version": 1, "weight": 100}]},
            format="json",
        ),
        400,
        "InvalidName",
    )
    refused(
        api.post(
            MACHINE + "aliases/",
            {"name": "p", "routing": [{"version": 9, "weight": 100}]},
            format="json",
        ),
        404,
        "ResourceNotFound",
    )
    assert (
        refused(
            api.post(MACHINE + "aliases/", {"name": "p", "routing": "all"}, format="json"),
            400,
            "ValidationException",
        )["field"]
        == "routing"
    )


def test_tags_are_added_listed_and_removed(api: Any, outsider_api: Any, make_machine: Any) -> None:
    make_machine("Orders", ORDER_DEFINITION)
    api.post(MACHINE + "tags/", {"tags": {"team": "billing", "tier": "1"}}, format="json")
    assert api.delete(MACHINE + "tags/?key=tier").json() == {"tags": {"team": "billing"}}
    assert api.get(MACHINE + "tags/").json() == {"tags": {"team": "billing"}}
    refused(api.delete(MACHINE + "tags/"), 400, "ValidationException")
    refused(outsider_api.get(MACHINE + "tags/"), 404, "ResourceNotFound")


def test_activities_are_made_paged_read_and_deleted(api: Any, outsider_api: Any) -> None:
    for name in ("a-one", "a-two", "a-three"):
        made = api.post("/api/v1/activities/", {"name": name, "tags": {"k": "v"}}, format="json")
        assert made.status_code == 201
        assert made.json()["arn"] == f"arn:aws:states:us-east-1:123456789012:activity:{name}"
    first = api.get("/api/v1/activities/?limit=2").json()
    assert [a["name"] for a in first["activities"]] == ["a-one", "a-three"]
    rest = api.get(f"/api/v1/activities/?limit=2&cursor={first['next_cursor']}").json()
    assert [a["name"] for a in rest["activities"]] == ["a-two"] and rest["next_cursor"] is None
    assert api.get("/api/v1/activities/a-two/tags/").json() == {"tags": {"k": "v"}}
    refused(outsider_api.delete("/api/v1/activities/a-two/"), 403, "AccessDeniedException")
    assert api.delete("/api/v1/activities/a-two/").status_code == 204
    refused(api.get("/api/v1/activities/a-two/"), 404, "ActivityDoesNotExist")
    bad = refused(api.get("/api/v1/activities/?cursor=forged"), 400, "InvalidToken")
    assert bad["field"] == "cursor"


def test_machines_and_executions_are_found_by_arn(
    api: Any, outsider_api: Any, make_machine: Any
) -> None:
    make_machine("Orders", ORDER_DEFINITION)
    assert api.get(f"/api/v1/state-machines/{ARN}/").json()["name"] == "Orders"
    run = api.post(MACHINE + "executions/", {"name": "first"}, format="json").json()
    execution_arn = "arn:aws:states:us-east-1:123456789012:execution:Orders:first"
    assert api.get(f"/api/v1/executions/{execution_arn}/").json()["id"] == run["id"]
    assert api.get(MACHINE + "executions/first/").json()["id"] == run["id"]
    refused(outsider_api.get(MACHINE + "executions/first/"), 404, "ExecutionDoesNotExist")
    refused(api.get(MACHINE + "executions/second/"), 404, "ExecutionDoesNotExist")
    refused(outsider_api.get(f"/api/v1/executions/{execution_arn}/"), 404, "ExecutionDoesNotExist")
    refused(outsider_api.get(f"/api/v1/state-machines/{ARN}/"), 404, "StateMachineDoesNotExist")
    other_account = execution_arn.replace("123456789012", "999999999999")
    refused(api.get(f"/api/v1/executions/{other_account}/"), 404, "ExecutionDoesNotExist")


def test_the_machine_list_pages_with_an_opaque_cursor(api: Any, make_machine: Any) -> None:
    for name in ("m1", "m2", "m3", "m4", "m5"):
        make_machine(name, HELLO_DEFINITION)
    seen, cursor = [], ""
    while True:
        page = api.get(f"/api/v1/state-machines/?limit=2{cursor}").json()
        seen += [m["name"] for m in page["state_machines"]]
        if page["next_cursor"] is None:
            break
        cursor = f"&cursor={page['next_cursor']}"
    assert seen == ["m1", "m2", "m3", "m4", "m5"]
    # A cursor of another list is not this one's.
    for name in ("x", "y"):
        api.post("/api/v1/activities/", {"name": name}, format="json")
    activities_cursor = api.get("/api/v1/activities/?limit=1").json()["next_cursor"]
    refused(api.get(f"/api/v1/state-machines/?cursor={activities_cursor}"), 400, "InvalidToken")
    refused(api.get("/api/v1/state-machines/?limit=5000"), 400, "ValidationException")
    assert Execution.objects.count() == 0
