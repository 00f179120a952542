"""asl.choice_trace: each Choice rule explained with the values it compared, reaching the same
decision as the interpreter.

Follows the Choice state of https://states-language.net/#choice-state (rules tried in order,
the first match wins, else Default; And/Or/Not; ...Path comparands) and the AWS developer
guide's JSONata Condition (https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html).
"""

from __future__ import annotations

from typing import Any

import asl
from asl.choice_trace import trace

ORDER: dict[str, Any] = {
    "Type": "Choice",
    "Choices": [
        {"Variable": "$.amount", "NumericGreaterThan": 1000, "Next": "Review"},
        {
            "And": [
                {"Variable": "$.country", "StringEquals": "FR"},
                {"Not": {"Variable": "$.express", "BooleanEquals": True}},
            ],
            "Next": "Ship slowly",
        },
        {"Variable": "$.limit", "NumericGreaterThanPath": "$.amount", "Next": "Ship"},
    ],
    "Default": "Hold",
}


def machine_of(state: dict[str, Any]) -> dict[str, Any]:
    nexts = {rule["Next"] for rule in state["Choices"]} | {state["Default"]}
    return {"StartAt": "Pick", "States": {"Pick": state, **{n: {"Type": "Succeed"} for n in nexts}}}


def taken_by_interpreter(state: dict[str, Any], data: Any) -> str:
    result = asl.run(asl.parse(machine_of(state)), data)
    entered = [e for e in result.events if e["type"] == "SucceedStateEntered"]
    return str(entered[0]["stateEnteredEventDetails"]["name"])


def test_it_shows_the_actual_value_beside_each_comparison() -> None:
    explained = trace(ORDER, {"amount": 5000})
    first = explained["rules"][0]
    assert (first["variable"], first["actual"], first["symbol"], first["expected"]) == (
        "$.amount",
        5000,
        ">",
        1000,
    )
    assert first["result"] is True
    assert (explained["matched"], explained["next"]) == (0, "Review")


def test_it_takes_the_first_rule_that_matches_as_the_interpreter_does() -> None:
    for data in (
        {"amount": 5000},
        {"amount": 10, "country": "FR", "express": False},
        {"amount": 10, "country": "FR", "express": True, "limit": 50},
        {"amount": 10, "country": "DE", "express": True, "limit": 5},
    ):
        assert trace(ORDER, data)["next"] == taken_by_interpreter(ORDER, data), data


def test_it_explains_and_or_not_and_marks_what_aws_never_evaluated() -> None:
    explained = trace(ORDER, {"amount": 10, "country": "DE", "express": True, "limit": 50})
    both = explained["rules"][1]
    assert both["operator"] == "And" and both["result"] is False
    country, not_express = both["rules"]
    assert (country["actual"], country["result"]) == ("DE", False)
    assert not_express.get("skipped") is True  # And stops at the first false rule
    path_rule = explained["rules"][2]
    assert (path_rule["expected_path"], path_rule["expected"]) == ("$.amount", 10)
    assert (explained["matched"], explained["next"]) == (2, "Ship")


def test_it_says_when_a_variable_names_nothing_and_falls_to_the_default() -> None:
    state = {
        "Type": "Choice",
        "Choices": [{"Variable": "$.missing", "IsPresent": True, "Next": "Yes"}],
        "Default": "No",
    }
    explained = trace(state, {"other": 1})
    assert explained["rules"][0]["actual_found"] is False
    assert explained["rules"][0]["result"] is False
    assert (explained["matched"], explained["next"]) == (None, "No")
    assert taken_by_interpreter(state, {"other": 1}) == "No"


def test_it_reads_the_input_after_input_path() -> None:
    state = {
        "Type": "Choice",
        "InputPath": "$.order",
        "Choices": [{"Variable": "$.total", "NumericLessThan": 10, "Next": "Cheap"}],
        "Default": "Dear",
    }
    explained = trace(state, {"order": {"total": 3}})
    assert explained["rules"][0]["actual"] == 3
    assert explained["next"] == "Cheap" == taken_by_interpreter(state, {"order": {"total": 3}})


def test_it_evaluates_jsonata_conditions() -> None:
    state = {
        "Type": "Choice",
        "QueryLanguage": "JSONata",
        "Choices": [{"Condition": "{% $states.input.amount > 1000 %}", "Next": "Big"}],
        "Default": "Small",
    }
    assert trace(state, {"amount": 5000})["next"] == "Big"
    small = trace(state, {"amount": 5})
    assert small["rules"][0]["condition"] == "{% $states.input.amount > 1000 %}"
    assert (small["rules"][0]["result"], small["next"]) == (False, "Small")
