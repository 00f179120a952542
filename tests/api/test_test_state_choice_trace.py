"""POST /api/v1/test-state/ with Statecraft's ``explainChoice``: a Choice's answer also says
which rule matched, with the values each rule compared (asl.choice_trace), so the designer's
simulator can show why it went where it went. Everything AWS's TestState answers stays as it is.

https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html
https://states-language.net/#choice-state
"""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db

TEST_STATE = "/api/v1/test-state/"

ROUTE: dict[str, Any] = {
    "StartAt": "Route",
    "States": {
        "Route": {
            "Type": "Choice",
            "InputPath": "$.order",
            "Choices": [
                {"Variable": "$.amount", "NumericGreaterThan": 1000, "Next": "Big"},
                {"Variable": "$.amount", "NumericGreaterThan": 100, "Next": "Medium"},
            ],
            "Default": "Small",
        },
        "Big": {"Type": "Succeed"},
        "Medium": {"Type": "Succeed"},
        "Small": {"Type": "Succeed"},
    },
}


def evaluate(api: Any, **body: Any) -> dict[str, Any]:
    response = api.post(TEST_STATE, {"inspectionLevel": "DEBUG", **body}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def test_it_says_which_rule_matched_and_what_it_compared(api: Any) -> None:
    body = {"definition": ROUTE, "stateName": "Route", "input": {"order": {"amount": 500}}}
    answer = evaluate(api, **body, explainChoice=True)
    trace = answer["choiceTrace"]
    assert trace["matched"] == 1
    assert trace["next"] == answer["nextState"] == "Medium"
    # The rules read the input after InputPath, as the state does.
    assert [(r["result"], r["actual"], r["next"]) for r in trace["rules"]] == [
        (False, 500, "Big"),
        (True, 500, "Medium"),
    ]
    # AWS's part of the answer is the same as without the explanation.
    plain = evaluate(api, **body)
    assert "choiceTrace" not in plain
    assert {k: v for k, v in answer.items() if k != "choiceTrace"} == plain


def test_it_explains_the_default_when_no_rule_matches(api: Any) -> None:
    answer = evaluate(
        api, definition=ROUTE, stateName="Route", input={"order": {"amount": 5}}, explainChoice=True
    )
    assert answer["choiceTrace"]["matched"] is None
    assert answer["choiceTrace"]["next"] == answer["nextState"] == "Small"


def test_it_explains_a_lone_state_and_jsonata_conditions(api: Any) -> None:
    lone = {
        "Type": "Choice",
        "QueryLanguage": "JSONata",
        "Choices": [{"Condition": "{% $states.input.vip %}", "Next": "Fast"}],
        "Default": "Slow",
    }
    answer = evaluate(api, definition=lone, input={"vip": True}, explainChoice=True)
    assert answer["choiceTrace"]["matched"] == 0
    assert answer["choiceTrace"]["next"] == answer["nextState"] == "Fast"


def test_it_has_nothing_to_explain_for_other_states(api: Any) -> None:
    answer = evaluate(api, definition=ROUTE, stateName="Big", input={}, explainChoice=True)
    assert answer["choiceTrace"] is None


def test_it_refuses_an_explain_choice_that_is_not_a_boolean(api: Any) -> None:
    response = api.post(
        TEST_STATE,
        {"definition": ROUTE, "stateName": "Route", "explainChoice": "yes"},
        format="json",
    )
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == "explainChoice"
