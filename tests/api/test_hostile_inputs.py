"""Whatever a client sends, the answer is a clear 4xx naming the problem, never a 500.

Django's test client re-raises an exception a view lets escape, so a crash fails these tests
with its traceback rather than as a bare status code.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.api.hostile import GARBAGE, assert_refused_clearly, nested, short
from tests.executor.definitions import HELLO_DEFINITION, ORDER_DEFINITION

pytestmark = pytest.mark.django_db


# Definitions that are objects but wrong in every way a hand-written or generated one can be.
BAD_DEFINITIONS: list[Any] = [
    *GARBAGE,
    {"StartAt": None, "States": None},
    {"StartAt": "A", "States": []},
    {"StartAt": "A", "States": {"A": None}},
    {"StartAt": "A", "States": {"A": {"Type": None}}},
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": ["B"]}}},
    {"StartAt": "A", "States": {"A": {"Type": "Choice", "Choices": "all"}}},
    {"StartAt": "A", "States": {"A": {"Type": "Choice", "Choices": [None, 1, {"Next": 5}]}}},
    {"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": "soon", "End": True}}},
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True, "InputPath": "$[[["}}},
    {"StartAt": "A", "States": {"A": {"Type": "Map", "ItemProcessor": [], "End": True}}},
    {"StartAt": "A", "States": {"A": {"Type": "Parallel", "Branches": [{}], "End": True}}},
    {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": {}, "Retry": "x"}}},
    # Parameters may be an array, as on AWS; a deeply nested value where a path belongs is not.
    {
        "StartAt": "A",
        "States": {"A": {"Type": "Pass", "Parameters": {"deep.$": nested(60)}, "End": True}},
    },
    {"StartAt": "x" * 10_000, "States": {"x" * 10_000: {"Type": "Succeed"}}},
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}, "TimeoutSeconds": -5},
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}, "QueryLanguage": 7},
]


@pytest.mark.parametrize("name", GARBAGE, ids=short)
def test_it_refuses_a_bad_machine_name_clearly(api: Any, name: Any) -> None:
    response = api.post(
        "/api/v1/state-machines/", {"name": name, "definition": HELLO_DEFINITION}, format="json"
    )
    assert_refused_clearly(response)
    if response.status_code == 201:
        # Only a real name gets through, and the machine is then reachable under it.
        assert isinstance(name, str)
        assert api.get(f"/api/v1/state-machines/{name}/").json()["name"] == name
    else:
        assert response.json()["field"] == "name"


@pytest.mark.parametrize("definition", BAD_DEFINITIONS, ids=short)
def test_it_refuses_a_bad_definition_clearly(api: Any, definition: Any) -> None:
    response = api.post(
        "/api/v1/state-machines/", {"name": "Bad", "definition": definition}, format="json"
    )
    assert response.status_code == 400
    assert_refused_clearly(response)
    assert response.json()["field"] == "definition"


@pytest.mark.parametrize("definition", BAD_DEFINITIONS, ids=short)
def test_it_diagnoses_a_bad_definition_on_validate(
    api: Any, make_machine: Any, definition: Any
) -> None:
    make_machine()
    response = api.post(
        "/api/v1/state-machines/Orders/validate/", {"definition": definition}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["valid"] is False
    assert response.json()["diagnostics"]


@pytest.mark.parametrize("value", GARBAGE, ids=short)
def test_it_refuses_a_bad_type_clearly(api: Any, value: Any) -> None:
    body = {"name": "Typed", "definition": HELLO_DEFINITION, "type": value}
    response = api.post("/api/v1/state-machines/", body, format="json")
    assert response.status_code == 400
    assert_refused_clearly(response)
    assert response.json()["field"] == "type"


@pytest.mark.parametrize("value", GARBAGE, ids=short)
def test_it_refuses_a_bad_layout_clearly(api: Any, value: Any) -> None:
    body = {"name": "Laid-out", "definition": HELLO_DEFINITION, "layout": value}
    response = api.post("/api/v1/state-machines/", body, format="json")
    assert_refused_clearly(response)
    if value is None or value == {}:
        # No layout, or an empty one: the canvas places the states itself.
        assert response.status_code == 201
    else:
        assert response.status_code == 400
        assert response.json()["field"] == "layout"


@pytest.mark.parametrize("value", GARBAGE, ids=short)
def test_it_refuses_a_bad_update_clearly(api: Any, make_machine: Any, value: Any) -> None:
    make_machine()
    for body in ({"definition": value}, {"layout": value}, {"definition": value, "layout": value}):
        response = api.put("/api/v1/state-machines/Orders/", body, format="json")
        assert_refused_clearly(response)
    assert api.get("/api/v1/state-machines/Orders/").json()["definition"] == ORDER_DEFINITION


def is_json_text(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("value", GARBAGE, ids=short)
def test_it_handles_any_execution_name_and_input(api: Any, make_machine: Any, value: Any) -> None:
    make_machine()
    url = "/api/v1/state-machines/Orders/executions/"
    response = api.post(url, {"name": value}, format="json")
    assert_refused_clearly(response)
    if response.status_code != 201:
        assert response.json()["field"] == "name"
    # Any JSON value is a valid input, it is the workflow's business what it accepts; only
    # the character U+0000 cannot be stored. A string is JSON text (designer.json_text): one
    # that is not is refused, as AWS refuses it; any value is accepted as its JSON text.
    for sent in (value, json.dumps(value)):
        response = api.post(url, {"input": sent}, format="json")
        if "\\u0000" in json.dumps(value) or (isinstance(sent, str) and not is_json_text(sent)):
            assert response.status_code == 400
            assert response.json()["field"] == "input"
        else:
            assert response.status_code == 201


def test_it_refuses_the_character_nul_wherever_it_would_be_stored(
    api: Any, make_machine: Any
) -> None:
    make_machine()
    with_nul = {**HELLO_DEFINITION, "Comment": "a\x00b"}
    for url, body, field in [
        ("/api/v1/state-machines/", {"name": "Nul", "definition": with_nul}, "definition"),
        ("/api/v1/state-machines/Orders/", {"definition": with_nul}, "definition"),
        ("/api/v1/state-machines/Orders/", {"layout": {"a\x00": {"x": 1, "y": 2}}}, "layout"),
        ("/api/v1/state-machines/Orders/executions/", {"input": {"k\x00": 1}}, "input"),
    ]:
        response = api.generic(
            "PUT" if url.endswith("Orders/") else "POST",
            url,
            json.dumps(body),
            content_type="application/json",
        )
        assert response.status_code == 400, url
        assert response.json()["field"] == field


@pytest.mark.parametrize(
    "raw",
    [
        b"null",
        b"[]",
        b'"text"',
        b"12",
        b"\xff\xfe\x00",
        b'{"name": ',
        b'{"name": "A", "definition": NaN}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"name": "Deep", "definition": ' + b'{"a":' * 50_000 + b"1" + b"}" * 50_001,
    ],
    ids=short,
)
def test_it_refuses_a_body_that_is_not_a_json_object(
    api: Any, make_machine: Any, raw: bytes
) -> None:
    make_machine()
    for method, url in [
        ("post", "/api/v1/state-machines/"),
        ("put", "/api/v1/state-machines/Orders/"),
        ("post", "/api/v1/state-machines/Orders/validate/"),
        ("post", "/api/v1/state-machines/Orders/executions/"),
    ]:
        response = getattr(api, method)(url, raw, content_type="application/json")
        assert response.status_code == 400, (method, url)
        assert_refused_clearly(response)


def test_it_names_the_definition_when_its_json_text_is_nested_too_deeply(
    api: Any, make_machine: Any
) -> None:
    make_machine()
    text = "[" * 50_000 + "]" * 50_000
    created = api.post(
        "/api/v1/state-machines/", {"name": "Deep", "definition": text}, format="json"
    )
    assert created.status_code == 400
    assert created.json()["field"] == "definition"
    checked = api.post(
        "/api/v1/state-machines/Orders/validate/", {"definition": text}, format="json"
    ).json()
    assert checked["valid"] is False
    assert checked["diagnostics"]


def test_it_refuses_a_form_encoded_body_clearly(api: Any) -> None:
    response = api.post("/api/v1/state-machines/", {"name": "Form", "definition": "x"})
    assert_refused_clearly(response)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/state-machines/" + "x" * 5000 + "/",
        "/api/v1/state-machines/%00/",
        "/api/v1/state-machines/%F0%9F%9A%80/graph.svg",
        "/api/v1/executions/%00/",
        "/api/v1/executions/" + "f" * 5000 + "/history/",
        "/api/v1/executions/00000000-0000-0000-0000-000000000000/history/?after=99999999999999999999",
    ],
)
def test_it_answers_404_for_any_unknown_path(api: Any, path: str) -> None:
    response = api.get(path)
    assert response.status_code == 404
