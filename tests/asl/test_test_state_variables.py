"""TestState with workflow variables: the variables given are in scope inside the state, and
DEBUG/TRACE report the variables after the state's Assign.

TestState's ``variables`` (JSON text of the variables in scope):
https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html;
inspectionData.variables, "the set of workflow variables after execution of the state":
https://docs.aws.amazon.com/step-functions/latest/apireference/API_InspectionData.html;
Assign and its evaluation (all of a state's assignments read the values the variables had on
entering it; in JSONPath ``$`` is the state's raw result, or the error output in a Catch):
https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
"""

from __future__ import annotations

from typing import Any

import pytest

import asl

LAMBDA = "arn:aws:states:::lambda:invoke"


def debug(state: dict[str, Any], input: Any, **kw: Any) -> asl.TestStateResult:
    return asl.test_state(state, input, inspection_level="DEBUG", **kw)


def test_given_variables_are_read_by_jsonpath_and_kept_in_the_report() -> None:
    state = {"Type": "Pass", "Parameters": {"limit.$": "$limit"}, "Next": "N"}
    result = debug(state, {}, variables={"limit": 3})
    assert result.output == {"limit": 3}
    assert result.inspection_data is not None
    assert result.inspection_data["variables"] == {"limit": 3}


def test_given_variables_are_read_by_jsonata() -> None:
    state = {
        "Type": "Pass",
        "QueryLanguage": "JSONata",
        "Output": {"twice": "{% $limit * 2 %}"},
        "Next": "N",
    }
    assert debug(state, {}, variables={"limit": 3}).output == {"twice": 6}


def test_jsonpath_assign_sees_the_raw_result_and_the_old_values() -> None:
    state = {
        "Type": "Task",
        "Resource": LAMBDA,
        "ResultSelector": {"price.$": "$.Payload.price"},
        "Assign": {"raw.$": "$", "before.$": "$count", "count": 2},
        "Next": "N",
    }
    result = debug(
        state, {"id": 1}, mock={"result": '{"Payload": {"price": 9}}'}, variables={"count": 1}
    )
    assert result.output == {"price": 9}
    assert result.inspection_data is not None
    # Assign reads the result before ResultSelector, and $count as it was on entry.
    assert result.inspection_data["variables"] == {
        "count": 2,
        "raw": {"Payload": {"price": 9}},
        "before": 1,
    }


def test_jsonata_assign_reads_the_values_on_entry_not_the_new_ones() -> None:
    state = {
        "Type": "Pass",
        "QueryLanguage": "JSONata",
        "Output": {"seen": "{% $x %}"},
        "Assign": {"x": "{% $x + 1 %}", "y": "{% $x %}", "got": "{% $states.input.a %}"},
        "Next": "N",
    }
    result = debug(state, {"a": "A"}, variables={"x": 1})
    # Output too sees the old value: the new ones exist only after the state.
    assert result.output == {"seen": 1}
    assert result.inspection_data is not None
    assert result.inspection_data["variables"] == {"x": 2, "y": 1, "got": "A"}


def test_a_jsonata_task_assigns_from_its_result() -> None:
    state = {
        "Type": "Task",
        "QueryLanguage": "JSONata",
        "Resource": LAMBDA,
        "Arguments": {"FunctionName": "f", "Payload": "{% $who %}"},
        "Assign": {"answer": "{% $states.result.Payload %}"},
        "Next": "N",
    }
    result = debug(state, {}, variables={"who": "ann"}, mock={"result": '{"Payload": 42}'})
    assert result.inspection_data is not None
    assert result.inspection_data["afterArguments"] == {"FunctionName": "f", "Payload": "ann"}
    assert result.inspection_data["variables"] == {"who": "ann", "answer": 42}


def test_a_choice_rule_assigns_and_matches_on_a_variable() -> None:
    state = {
        "Type": "Choice",
        "Choices": [
            {"Variable": "$tier", "StringEquals": "gold", "Assign": {"hit.$": "$.a"}, "Next": "A"}
        ],
        "Default": "B",
    }
    result = debug(state, {"a": 5}, variables={"tier": "gold"})
    assert result.next_state == "A"
    assert result.inspection_data is not None
    assert result.inspection_data["variables"] == {"tier": "gold", "hit": 5}


def test_a_catcher_assigns_from_the_error_output_and_the_state_s_assign_is_not_applied() -> None:
    state = {
        "Type": "Task",
        "Resource": LAMBDA,
        "Assign": {"done": True},
        "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"why.$": "$.Error"}, "Next": "H"}],
        "Next": "N",
    }
    result = debug(state, {}, mock={"errorOutput": {"error": "Boom", "cause": "c"}})
    assert (result.status, result.next_state) == ("CAUGHT_ERROR", "H")
    assert result.inspection_data is not None
    assert result.inspection_data["variables"] == {"why": "Boom"}


def test_no_variables_member_without_variables_and_none_at_info() -> None:
    # The recorded AWS answers for states without variables have no variables member.
    plain = debug({"Type": "Pass", "Next": "N"}, {})
    assert plain.inspection_data is not None
    assert "variables" not in plain.inspection_data
    info = asl.test_state({"Type": "Pass", "Assign": {"a": 1}, "Next": "N"}, {})
    assert info.inspection_data is None


@pytest.mark.parametrize(
    "state",
    [
        {"Type": "Pass", "Parameters": {"v.$": "$missing"}, "Next": "N"},
        {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $missing %}", "Next": "N"},
    ],
)
def test_a_variable_not_in_scope_fails_the_state(state: dict[str, Any]) -> None:
    result = debug(state, {}, variables={"other": 1})
    assert result.status == "FAILED"
    assert result.inspection_data is not None
    assert result.inspection_data["variables"] == {"other": 1}
