"""data-shapes/: the input each state would get on a run from a sample input (path picker).

The data flow is the engine's own (asl.test_state), so these follow the AWS pages on input and
output processing: https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from designer import data_shapes, roles
from designer.actions import create_state_machine

pytestmark = pytest.mark.django_db

URL = "/api/v1/state-machines/Shapes/data-shapes/"

FLOW = {
    "StartAt": "Pick customer",
    "States": {
        "Pick customer": {
            "Type": "Pass",
            "Parameters": {"who.$": "$.customer", "total.$": "$.amount"},
            "ResultPath": "$.picked",
            "Next": "Charge",
        },
        "Charge": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge",
            "ResultPath": "$.charge",
            "Next": "Big?",
        },
        "Big?": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.amount", "NumericGreaterThan": 1000, "Next": "Each line"}],
            "Default": "Small",
        },
        "Small": {"Type": "Succeed"},
        "Each line": {
            "Type": "Map",
            "ItemsPath": "$.lines",
            "ItemProcessor": {"StartAt": "Line", "States": {"Line": {"Type": "Pass", "End": True}}},
            "ResultPath": "$.lines_done",
            "Next": "Both",
        },
        "Both": {
            "Type": "Parallel",
            "Branches": [{"StartAt": "Left", "States": {"Left": {"Type": "Succeed"}}}],
            "End": True,
        },
    },
}

SAMPLE = {"customer": {"tier": "gold"}, "amount": 1500, "lines": [{"sku": "A"}, {"sku": "B"}]}


@pytest.fixture
def machine(user: Any) -> Any:
    return create_state_machine("Shapes", FLOW, owner=user)


def test_it_carries_the_sample_along_the_path_a_run_takes(api: Any, machine: Any) -> None:
    response = api.post(URL, {"definition": FLOW, "input": SAMPLE}, format="json")
    assert response.status_code == 200, response.json()
    states = response.json()["states"]
    assert states["Pick customer"] == SAMPLE
    picked = {**SAMPLE, "picked": {"who": {"tier": "gold"}, "total": 1500}}
    assert states["Charge"] == picked
    # The Task echoes its input as its result, placed by its ResultPath.
    assert states["Big?"] == {**picked, "charge": picked}
    assert states["Each line"] == states["Big?"]
    # 1500 > 1000: the rule's branch, not the Default.
    assert "Small" not in states
    assert states["/States/Each line/ItemProcessor/States/Line"] == {"sku": "A"}
    assert states["Both"]["lines_done"] == SAMPLE["lines"]
    assert states["/States/Both/Branches/0/States/Left"] == states["Both"]


def test_it_takes_the_definition_as_json_text_too(api: Any, machine: Any) -> None:
    response = api.post(URL, {"definition": json.dumps(FLOW), "input": SAMPLE}, format="json")
    assert response.status_code == 200
    assert response.json()["states"]["Pick customer"] == SAMPLE


def test_it_follows_the_default_when_no_rule_matches(api: Any, machine: Any) -> None:
    response = api.post(URL, {"definition": FLOW, "input": {**SAMPLE, "amount": 5}}, format="json")
    assert response.status_code == 200
    assert set(response.json()["states"]) == {"Pick customer", "Charge", "Big?", "Small"}


def test_it_stops_where_a_state_fails(api: Any, machine: Any) -> None:
    # No $.customer: the Pass's Parameters fail, so nothing after it is reached.
    response = api.post(URL, {"definition": FLOW, "input": {"amount": 1}}, format="json")
    assert response.status_code == 200
    assert response.json()["states"] == {"Pick customer": {"amount": 1}}


def test_it_visits_a_loop_once(api: Any, user: Any) -> None:
    loop = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Next": "Again?"},
            "Again?": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.n", "NumericGreaterThan": 5, "Next": "Done"}],
                "Default": "A",
            },
            "Done": {"Type": "Succeed"},
        },
    }
    create_state_machine("Shapes", loop, owner=user)
    response = api.post(URL, {"definition": loop, "input": {"n": 1}}, format="json")
    assert response.status_code == 200
    assert response.json()["states"] == {"A": {"n": 1}, "Again?": {"n": 1}}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"input": {}}, "definition"),
        ({"definition": "not JSON", "input": {}}, "definition"),
        ({"definition": "[1]", "input": {}}, "definition"),
        ({"definition": FLOW}, "input"),
        ({"definition": FLOW, "input": "x" * 300_000}, "input"),
        ({"definition": FLOW, "input": "bad\u0000"}, "input"),
    ],
)
def test_it_refuses_bad_input_with_a_4xx(
    api: Any, machine: Any, payload: dict[str, Any], field: str
) -> None:
    response = api.post(URL, payload, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert response.json()["message"]


def test_a_draft_shows_its_data_up_to_the_state_that_cannot_run_yet(api: Any, machine: Any) -> None:
    # A rule just added has no target yet: the draft is invalid, yet the path picker still
    # needs the data at the Choice to choose what the rule compares.
    draft = {
        "StartAt": "Prepare",
        "States": {
            "Prepare": {"Type": "Pass", "Parameters": {"n.$": "$.amount"}, "Next": "Decide"},
            "Decide": {"Type": "Choice", "Choices": [{"Variable": "$", "StringEquals": ""}]},
        },
    }
    response = api.post(URL, {"definition": draft, "input": SAMPLE}, format="json")
    assert response.status_code == 200
    assert response.json()["states"] == {"Prepare": SAMPLE, "Decide": {"n": 1500}}


def test_it_uses_the_machines_query_language(api: Any, machine: Any) -> None:
    jsonata = {
        "QueryLanguage": "JSONata",
        "StartAt": "Double",
        "States": {
            "Double": {
                "Type": "Pass",
                "Output": {"twice": "{% $states.input.amount * 2 %}"},
                "Next": "End",
            },
            "End": {"Type": "Succeed"},
        },
    }
    response = api.post(URL, {"definition": jsonata, "input": SAMPLE}, format="json")
    assert response.status_code == 200
    assert response.json()["states"]["End"] == {"twice": 3000}


def test_the_answer_stays_small_when_a_big_sample_meets_many_states(api: Any, user: Any) -> None:
    # 30 states, each given a 200 kB input: the answer stops short of 30 copies (6 MB).
    names = [f"S{i}" for i in range(30)]
    states: dict[str, Any] = {
        n: {"Type": "Pass", "Next": names[i + 1]} for i, n in enumerate(names[:-1])
    }
    states[names[-1]] = {"Type": "Succeed"}
    chain = {"StartAt": "S0", "States": states}
    create_state_machine("Shapes", chain, owner=user)
    big = {"text": "x" * 200_000}
    response = api.post(URL, {"definition": chain, "input": big}, format="json")
    assert response.status_code == 200
    reached = response.json()["states"]
    assert 0 < len(reached) < 30
    assert len(response.content) <= data_shapes.MAX_ANSWER_BYTES + 1_000


def test_a_state_that_is_not_an_object_ends_the_path_without_a_500(api: Any, machine: Any) -> None:
    odd = {"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": 5}}
    response = api.post(URL, {"definition": odd, "input": {}}, format="json")
    assert response.status_code == 200
    assert response.json()["states"] == {"A": {}}


def test_a_viewer_may_ask_and_an_outsider_learns_nothing(
    outsider_api: Any, outsider: Any, machine: Any
) -> None:
    body = {"definition": FLOW, "input": SAMPLE}
    assert outsider_api.post(URL, body, format="json").status_code == 404
    roles.grant("viewer", user=outsider, machine=machine)
    assert outsider_api.post(URL, body, format="json").status_code == 200


# Variables: each state's Assign sets them for the states after it; a Map's inner states see
# those of the enclosing scope, and what they assign stays inside.
# https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
VARIABLES = {
    "StartAt": "Keep",
    "States": {
        "Keep": {
            "Type": "Pass",
            "Assign": {"who.$": "$.customer", "count": 1},
            "Next": "Bump",
        },
        "Bump": {
            "Type": "Pass",
            "QueryLanguage": "JSONata",
            "Assign": {"count": "{% $count + 1 %}"},
            "Next": "Each",
        },
        "Each": {
            "Type": "Map",
            "ItemsPath": "$.lines",
            "ItemProcessor": {
                "StartAt": "Line",
                "States": {
                    "Line": {"Type": "Pass", "Assign": {"inner": 1}, "Next": "After"},
                    "After": {"Type": "Succeed"},
                },
            },
            "Next": "Use",
        },
        "Use": {"Type": "Pass", "Parameters": {"n.$": "$count"}, "End": True},
    },
}


def test_it_carries_the_variables_each_state_assigns(api: Any, machine: Any) -> None:
    response = api.post(URL, {"definition": VARIABLES, "input": SAMPLE}, format="json")
    assert response.status_code == 200, response.json()
    answer = response.json()
    scoped = answer["variables"]
    assert "Keep" not in scoped  # nothing is assigned before the first state
    assert scoped["Bump"] == {"who": {"tier": "gold"}, "count": 1}
    assert scoped["Each"] == {"who": {"tier": "gold"}, "count": 2}
    inner = "/States/Each/ItemProcessor/States"
    assert scoped[f"{inner}/Line"] == scoped["Each"]
    assert scoped[f"{inner}/After"] == {**scoped["Each"], "inner": 1}
    # The Map's inner Assign does not leak out of the iteration.
    assert scoped["Use"] == scoped["Each"]
    # A state reading a variable runs in the walk: the path goes on past it.
    assert "Use" in answer["states"]
