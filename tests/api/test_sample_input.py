"""sample-input/: a machine's sample input, kept on the server once for everyone who edits it
(issue 9: "It starts from a sample input (given once per machine, or taken from a past run)")."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from designer import roles
from designer.models import StateMachine
from tests.conftest import client_for
from tests.executor.definitions import HELLO_DEFINITION

pytestmark = pytest.mark.django_db

URL = "/api/v1/state-machines/Sampled/sample-input/"
ORDER = {"order": {"id": "A-42", "total": 19.5, "lines": [{"sku": "X", "qty": 2}]}}


@pytest.fixture
def machine(api: Any, user: Any) -> StateMachine:
    response = api.post(
        "/api/v1/state-machines/",
        {"name": "Sampled", "definition": HELLO_DEFINITION},
        format="json",
    )
    assert response.status_code == 201
    return StateMachine.objects.get(name="Sampled")


def put(client: APIClient, body: Any) -> Any:
    return client.put(URL, body, format="json")


def test_a_machine_has_no_sample_until_one_is_given(api: Any, machine: StateMachine) -> None:
    response = api.get(URL)
    assert response.status_code == 200
    assert response.json() == {"input": None}


def test_a_sample_is_kept_for_every_editor_until_removed(
    api: Any, machine: StateMachine, django_user_model: Any
) -> None:
    saved = put(api, {"input": ORDER})
    assert saved.status_code == 200, saved.json()
    assert saved.json() == {"input": ORDER}

    # Another editor sees the same sample: it is the machine's, not one browser's.
    bob = django_user_model.objects.create_user("bob")
    roles.grant("editor", user=bob, machine=machine)
    assert client_for(bob).get(URL).json() == {"input": ORDER}

    # Any JSON value a run could start with, not only objects.
    assert put(client_for(bob), {"input": [1, "two"]}).json() == {"input": [1, "two"]}
    assert api.get(URL).json() == {"input": [1, "two"]}

    assert api.delete(URL).status_code == 204
    assert api.get(URL).json() == {"input": None}


def test_storing_a_sample_makes_no_version_and_leaves_the_machine_as_it_was(
    api: Any, machine: StateMachine
) -> None:
    before = api.get("/api/v1/state-machines/Sampled/").json()
    assert put(api, {"input": ORDER}).status_code == 200
    after = api.get("/api/v1/state-machines/Sampled/").json()
    assert after["version"] == before["version"] == 1
    assert after["updated_at"] == before["updated_at"]


def test_a_viewer_reads_the_sample_but_may_not_change_it(
    api: Any, machine: StateMachine, django_user_model: Any
) -> None:
    assert put(api, {"input": ORDER}).status_code == 200
    viewer = django_user_model.objects.create_user("vera")
    roles.grant("viewer", user=viewer, machine=machine)
    as_viewer = client_for(viewer)
    assert as_viewer.get(URL).json() == {"input": ORDER}
    refused = put(as_viewer, {"input": {"mine": True}})
    assert refused.status_code == 403
    assert refused.json()["code"] == "AccessDeniedException"
    assert as_viewer.delete(URL).status_code == 403
    assert api.get(URL).json() == {"input": ORDER}


def test_an_outsider_gets_the_404_of_a_machine_that_does_not_exist(
    api: Any, outsider_api: Any, machine: StateMachine
) -> None:
    assert put(api, {"input": ORDER}).status_code == 200
    missing = "/api/v1/state-machines/No-such-machine/sample-input/"
    for method, body in (("get", None), ("put", {"input": {"x": 1}}), ("delete", None)):
        theirs = getattr(outsider_api, method)(URL, body, format="json")
        nobodys = getattr(outsider_api, method)(missing, body, format="json")
        assert theirs.status_code == nobodys.status_code == 404
        assert theirs.json()["code"] == nobodys.json()["code"] == "StateMachineDoesNotExist"
        assert "Sampled" in theirs.json()["message"]
    # Nothing the outsider sent was kept.
    assert api.get(URL).json() == {"input": ORDER}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "input"),
        ({"input": None}, "input"),
        ({"input": {"note": "nul \u0000 here"}}, "input"),
        (["not", "an", "object"], None),
    ],
)
def test_bad_samples_are_refused_with_the_field_at_fault(
    api: Any, machine: StateMachine, body: Any, field: str | None
) -> None:
    response = put(api, body)
    assert response.status_code == 400, response.json()
    answer = response.json()
    assert answer["code"] == "ValidationException"
    assert answer["message"]
    assert answer.get("field") == field
    assert api.get(URL).json() == {"input": None}


def test_a_lone_surrogate_no_database_can_keep_is_refused(api: Any, machine: StateMachine) -> None:
    # Sent as JSON text: the escape is legal JSON, its character has no UTF-8 form.
    response = api.put(URL, '{"input": {"note": "\\ud800"}}', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "input"
    assert api.get(URL).json() == {"input": None}


def test_a_body_that_is_not_json_is_a_400_naming_the_body(api: Any, machine: StateMachine) -> None:
    response = api.put(URL, '{"input": {', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "SerializationException"
    assert response.json()["field"] == "body"


def test_a_sample_larger_than_a_runs_input_may_be_is_refused(
    api: Any, machine: StateMachine
) -> None:
    big = {"text": "x" * settings.PAYLOAD_LIMIT_BYTES}
    response = put(api, {"input": big})
    assert response.status_code == 400, response.status_code
    assert response.json()["field"] == "input"
    assert str(settings.PAYLOAD_LIMIT_BYTES) in response.json()["message"]
    assert api.get(URL).json() == {"input": None}
    # Just under the limit is kept.
    fits = {"text": "x" * (settings.PAYLOAD_LIMIT_BYTES - 100)}
    assert put(api, {"input": fits}).status_code == 200
