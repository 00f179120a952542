"""validate(): one test per rule of the Amazon States Language it enforces."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest

import asl.validate
from asl.errors import Diagnostic
from asl.validate import validate


def machine(states: dict[str, Any], start: str | None = None, **top: Any) -> dict[str, Any]:
    return {"StartAt": start or next(iter(states)), "States": states, **top}


def single(state: dict[str, Any], **top: Any) -> dict[str, Any]:
    """A machine made of one state called S."""
    return machine({"S": state}, **top)


def jsonata(state: dict[str, Any]) -> dict[str, Any]:
    return single(state, QueryLanguage="JSONata")


def found(definition: Any) -> set[tuple[str, str]]:
    return {(d.code, d.location) for d in validate(definition)}


def only(definition: Any) -> Diagnostic:
    diagnostics = validate(definition)
    assert len(diagnostics) == 1, diagnostics
    return diagnostics[0]


PASS_END = {"Type": "Pass", "End": True}
INLINE_PROCESSOR = {"StartAt": "Inner", "States": {"Inner": PASS_END}}
DISTRIBUTED_PROCESSOR = {
    **INLINE_PROCESSOR,
    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
}


# --- the state machine itself ---------------------------------------------------------


def test_it_accepts_a_minimal_machine() -> None:
    assert validate(single(PASS_END)) == []


@pytest.mark.parametrize("definition", [None, [], "text", 3, True])
def test_it_rejects_a_definition_that_is_not_an_object(definition: Any) -> None:
    assert found(definition) == {("INVALID_TYPE", "")}


def test_it_requires_start_at_and_states() -> None:
    assert found({}) == {("MISSING_FIELD", "/StartAt"), ("MISSING_FIELD", "/States")}


def test_it_reports_a_start_at_that_names_no_state() -> None:
    diagnostic = only(machine({"A": PASS_END}, start="B"))
    assert (diagnostic.code, diagnostic.location) == ("UNKNOWN_STATE", "/StartAt")
    assert diagnostic.message == "The state machine starts at 'B', which does not exist."


def test_it_rejects_empty_states() -> None:
    assert ("EMPTY_VALUE", "/States") in found({"StartAt": "A", "States": {}})


def test_it_rejects_unknown_top_level_fields() -> None:
    assert found(single(PASS_END, Extra=1)) == {("UNKNOWN_FIELD", "/Extra")}


@pytest.mark.parametrize(
    ("value", "code"),
    [(0, "OUT_OF_RANGE"), (-5, "OUT_OF_RANGE"), (1.5, "INVALID_TYPE"), (True, "INVALID_TYPE")],
)
def test_it_requires_the_machine_timeout_to_be_a_positive_whole_number(
    value: Any, code: str
) -> None:
    assert found(single(PASS_END, TimeoutSeconds=value)) == {(code, "/TimeoutSeconds")}


def test_it_rejects_an_unknown_query_language() -> None:
    assert found(single(PASS_END, QueryLanguage="XPath")) == {("INVALID_VALUE", "/QueryLanguage")}


def test_it_rejects_a_version_that_is_not_text() -> None:
    assert found(single(PASS_END, Version=1)) == {("INVALID_TYPE", "/Version")}


# --- states, names and transitions ------------------------------------------------------


def test_it_rejects_a_state_that_is_not_an_object() -> None:
    assert ("INVALID_TYPE", "/States/S") in found(single([]))  # type: ignore[arg-type]


def test_it_requires_every_state_to_have_a_known_type() -> None:
    assert found(single({"End": True})) == {("MISSING_FIELD", "/States/S/Type")}
    assert found(single({"Type": "Pas", "End": True})) == {("INVALID_STATE_TYPE", "/States/S/Type")}


def test_it_says_which_state_goes_to_a_state_that_does_not_exist() -> None:
    definition = machine(
        {"Approve": {"Type": "Pass", "Next": "Shipp"}, "Ship": {"Type": "Succeed"}}
    )
    diagnostics = validate(definition)
    assert diagnostics[0].code == "UNKNOWN_STATE"
    assert diagnostics[0].location == "/States/Approve/Next"
    assert diagnostics[0].message.startswith(
        "State 'Approve' goes to 'Shipp', which does not exist."
    )
    assert "Did you mean 'Ship'?" in diagnostics[0].message


def test_it_escapes_slashes_and_tildes_of_state_names_in_locations() -> None:
    definition = machine({"a/b~c": {"Type": "Pass", "Next": "nowhere"}})
    assert found(definition) == {("UNKNOWN_STATE", "/States/a~1b~0c/Next")}


def test_it_reports_states_nothing_goes_to() -> None:
    definition = machine({"A": PASS_END, "Orphan": PASS_END})
    assert found(definition) == {("UNREACHABLE_STATE", "/States/Orphan")}


def test_it_counts_catch_and_default_targets_as_reachable() -> None:
    definition = machine(
        {
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Recover"}],
                "Next": "C",
            },
            "C": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.a", "IsNull": True, "Next": "Recover"}],
                "Default": "End",
            },
            "Recover": PASS_END,
            "End": {"Type": "Succeed"},
        }
    )
    assert validate(definition) == []


def test_it_limits_state_names_to_80_characters() -> None:
    assert validate(machine({"n" * 80: PASS_END})) == []
    assert found(machine({"n" * 81: PASS_END})) == {("STATE_NAME_TOO_LONG", "/States/" + "n" * 81)}


def test_it_rejects_an_empty_state_name() -> None:
    assert ("INVALID_STATE_NAME", "/States/") in found(machine({"": PASS_END}, start="x"))


def test_it_rejects_the_same_state_name_in_two_branches() -> None:
    branch = {"StartAt": "Same", "States": {"Same": PASS_END}}
    definition = single(
        {"Type": "Parallel", "Branches": [branch, copy.deepcopy(branch)], "End": True}
    )
    assert found(definition) == {("DUPLICATE_STATE_NAME", "/States/S/Branches/1/States/Same")}


def test_it_requires_next_or_end() -> None:
    assert found(single({"Type": "Pass"})) == {("MISSING_TRANSITION", "/States/S/Next")}
    assert found(single({"Type": "Pass", "End": False})) == {
        ("MISSING_TRANSITION", "/States/S/Next")
    }


def test_it_rejects_next_together_with_end() -> None:
    definition = machine({"A": {"Type": "Pass", "Next": "B", "End": True}, "B": PASS_END})
    assert found(definition) == {("CONFLICTING_TRANSITION", "/States/A/End")}


def test_it_requires_end_to_be_true_or_false() -> None:
    assert ("INVALID_TYPE", "/States/S/End") in found(single({"Type": "Pass", "End": "yes"}))


@pytest.mark.parametrize("state_type", ["Succeed", "Fail"])
@pytest.mark.parametrize("field", ["Next", "End"])
def test_it_rejects_transitions_on_states_that_end_the_run(state_type: str, field: str) -> None:
    definition = single({"Type": state_type, field: True if field == "End" else "S"})
    assert found(definition) == {("TRANSITION_NOT_ALLOWED", f"/States/S/{field}")}


def test_it_rejects_end_on_a_choice_state() -> None:
    definition = single(
        {
            "Type": "Choice",
            "Choices": [{"Variable": "$.a", "IsPresent": True, "Next": "S"}],
            "End": True,
        }
    )
    assert ("TRANSITION_NOT_ALLOWED", "/States/S/End") in found(definition)


def test_it_reports_a_machine_that_can_never_finish() -> None:
    definition = machine({"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}})
    assert found(definition) == {("NO_TERMINAL_STATE", "/States")}


def test_it_rejects_unknown_fields_and_suggests_the_closest_one() -> None:
    diagnostic = only(single({"Type": "Pass", "End": True, "Resul": 1}))
    assert (diagnostic.code, diagnostic.location) == ("UNKNOWN_FIELD", "/States/S/Resul")
    assert diagnostic.message.endswith("Did you mean Result?")


def test_it_rejects_a_comment_that_is_not_text() -> None:
    assert found(single({**PASS_END, "Comment": 5})) == {("INVALID_TYPE", "/States/S/Comment")}


# --- query languages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "field", ["Parameters", "InputPath", "OutputPath", "ResultPath", "ResultSelector"]
)
def test_it_rejects_jsonpath_fields_in_jsonata_states(field: str) -> None:
    state = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True, field: "$"}
    diagnostic = only(jsonata(state))
    assert (diagnostic.code, diagnostic.location) == (
        "FIELD_NOT_IN_QUERY_LANGUAGE",
        f"/States/S/{field}",
    )


@pytest.mark.parametrize("field", ["Arguments", "Output"])
def test_it_rejects_jsonata_fields_in_jsonpath_states(field: str) -> None:
    state = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True, field: {}}
    assert found(single(state)) == {("FIELD_NOT_IN_QUERY_LANGUAGE", f"/States/S/{field}")}


def test_it_tells_what_to_use_instead_of_a_field_of_the_other_language() -> None:
    diagnostic = only(jsonata({**PASS_END, "Parameters": {}}))
    assert "Use Arguments instead." in diagnostic.message


def test_it_lets_one_state_use_jsonata_in_a_jsonpath_machine() -> None:
    state = {**PASS_END, "QueryLanguage": "JSONata", "Output": "{% $states.input %}"}
    assert validate(single(state)) == []


def test_it_rejects_a_jsonpath_state_in_a_jsonata_machine() -> None:
    state = {**PASS_END, "QueryLanguage": "JSONPath"}
    assert found(jsonata(state)) == {("QUERY_LANGUAGE_CONFLICT", "/States/S/QueryLanguage")}


# --- Task -------------------------------------------------------------------------------


def task(**fields: Any) -> dict[str, Any]:
    return {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True, **fields}


def test_it_requires_a_task_resource_that_is_a_uri() -> None:
    assert found(single({"Type": "Task", "End": True})) == {("MISSING_FIELD", "/States/S/Resource")}
    assert found(single(task(Resource="my function"))) == {
        ("INVALID_RESOURCE", "/States/S/Resource")
    }


@pytest.mark.parametrize(
    ("value", "code"), [(0, "OUT_OF_RANGE"), (100_000_000, "OUT_OF_RANGE"), ("5", "INVALID_TYPE")]
)
def test_it_requires_a_task_timeout_of_at_least_one_second(value: Any, code: str) -> None:
    assert found(single(task(TimeoutSeconds=value))) == {(code, "/States/S/TimeoutSeconds")}


def test_it_requires_the_heartbeat_to_come_before_the_timeout() -> None:
    assert validate(single(task(TimeoutSeconds=10, HeartbeatSeconds=9))) == []
    assert found(single(task(TimeoutSeconds=10, HeartbeatSeconds=10))) == {
        ("HEARTBEAT_NOT_BELOW_TIMEOUT", "/States/S/HeartbeatSeconds")
    }


def test_it_rejects_a_timeout_given_both_literally_and_by_path() -> None:
    definition = single(task(TimeoutSeconds=10, TimeoutSecondsPath="$.t"))
    assert found(definition) == {("CONFLICTING_FIELDS", "/States/S/TimeoutSecondsPath")}


def test_it_accepts_a_jsonata_timeout_and_checks_its_expression() -> None:
    assert validate(jsonata(task(TimeoutSeconds="{% $states.input.t %}"))) == []
    assert found(jsonata(task(TimeoutSeconds="{% ( %}"))) == {
        ("INVALID_JSONATA", "/States/S/TimeoutSeconds")
    }


def test_it_requires_credentials_to_be_an_object() -> None:
    assert found(single(task(Credentials="role"))) == {("INVALID_TYPE", "/States/S/Credentials")}


# --- paths, intrinsics, JSONata and variables ---------------------------------------------


def test_it_reports_malformed_paths_in_dollar_fields() -> None:
    definition = single(task(Parameters={"nested": [{"a.$": "$..["}], "b.$": "name"}))
    assert found(definition) == {
        ("INVALID_PATH", "/States/S/Parameters/nested/0/a.$"),
        ("INVALID_PATH", "/States/S/Parameters/b.$"),
    }


def test_it_requires_dollar_fields_to_hold_text() -> None:
    assert found(single(task(Parameters={"a.$": 3}))) == {
        ("INVALID_TYPE", "/States/S/Parameters/a.$")
    }


def test_it_reports_malformed_intrinsic_function_calls() -> None:
    definition = single(task(ResultSelector={"a.$": "States.Format('{}', $.a"}))
    assert found(definition) == {("INVALID_INTRINSIC", "/States/S/ResultSelector/a.$")}


def test_it_accepts_context_variable_and_intrinsic_values_in_dollar_fields() -> None:
    parameters = {
        "a.$": "$$.Execution.Id",
        "b.$": "$total",
        "c.$": "States.Format('{} {}', $.a, $$.State.Name)",
        "d.$": "$.items[?(@.price > 10)]",
    }
    assert validate(single(task(Parameters=parameters))) == []


@pytest.mark.parametrize("path", ["$$.Execution", "$total", "$.items[*]", "items"])
def test_it_requires_result_path_to_point_into_the_state_data(path: str) -> None:
    codes = {
        code
        for code, location in found(single(task(ResultPath=path)))
        if location == "/States/S/ResultPath"
    }
    assert codes & {"INVALID_REFERENCE_PATH", "INVALID_PATH"}


def test_it_accepts_null_for_input_output_and_result_paths() -> None:
    assert (
        validate(single({**PASS_END, "InputPath": None, "OutputPath": None, "ResultPath": None}))
        == []
    )


def test_it_reports_malformed_jsonata_anywhere_in_output() -> None:
    definition = jsonata({**PASS_END, "Output": {"rows": ["{% $states.input.( %}"]}})
    assert found(definition) == {("INVALID_JSONATA", "/States/S/Output/rows/0")}


@pytest.mark.parametrize("name", ["1st", "has space", "states", ""])
def test_it_rejects_invalid_variable_names(name: str) -> None:
    assert found(single({**PASS_END, "Assign": {name: 1}})) == {
        ("INVALID_VARIABLE_NAME", f"/States/S/Assign/{name}")
    }


def test_it_checks_paths_assigned_to_variables_in_jsonpath() -> None:
    assert (
        validate(single({**PASS_END, "Assign": {"total.$": "$.total", "_n": {"x.$": "$.x"}}})) == []
    )
    assert found(single({**PASS_END, "Assign": {"total.$": "total"}})) == {
        ("INVALID_PATH", "/States/S/Assign/total.$")
    }


# --- Retry and Catch ------------------------------------------------------------------------


def test_it_requires_a_non_empty_error_equals() -> None:
    definition = single(task(Retry=[{}, {"ErrorEquals": []}]))
    assert found(definition) == {
        ("MISSING_FIELD", "/States/S/Retry/0/ErrorEquals"),
        ("EMPTY_VALUE", "/States/S/Retry/1/ErrorEquals"),
    }


def test_it_requires_states_all_alone_and_last() -> None:
    definition = single(
        task(Retry=[{"ErrorEquals": ["States.ALL", "Custom"]}, {"ErrorEquals": ["Other"]}])
    )
    assert found(definition) == {
        ("STATES_ALL_NOT_ALONE", "/States/S/Retry/0/ErrorEquals"),
        ("STATES_ALL_NOT_LAST", "/States/S/Retry/0/ErrorEquals"),
    }


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("BackoffRate", 0.5, "OUT_OF_RANGE"),
        ("MaxAttempts", -1, "OUT_OF_RANGE"),
        ("IntervalSeconds", 0, "OUT_OF_RANGE"),
        ("MaxDelaySeconds", 0, "OUT_OF_RANGE"),
        ("JitterStrategy", "SOME", "INVALID_VALUE"),
        ("MaxAttempts", "3", "INVALID_TYPE"),
        ("Bogus", 1, "UNKNOWN_FIELD"),
    ],
)
def test_it_checks_retrier_fields(field: str, value: Any, code: str) -> None:
    definition = single(task(Retry=[{"ErrorEquals": ["States.Timeout"], field: value}]))
    assert found(definition) == {(code, f"/States/S/Retry/0/{field}")}


def test_it_accepts_a_backoff_rate_of_exactly_one() -> None:
    assert (
        validate(single(task(Retry=[{"ErrorEquals": ["E"], "BackoffRate": 1, "MaxAttempts": 0}])))
        == []
    )


def test_it_requires_each_catcher_to_go_to_an_existing_state() -> None:
    definition = single(
        task(Catch=[{"ErrorEquals": ["E"]}, {"ErrorEquals": ["F"], "Next": "Gone"}])
    )
    assert found(definition) == {
        ("MISSING_FIELD", "/States/S/Catch/0/Next"),
        ("UNKNOWN_STATE", "/States/S/Catch/1/Next"),
    }


def test_it_uses_the_catcher_fields_of_the_state_query_language() -> None:
    catch = [{"ErrorEquals": ["E"], "Next": "S", "ResultPath": "$.e"}]
    assert found(jsonata(task(Catch=catch))) == {("UNKNOWN_FIELD", "/States/S/Catch/0/ResultPath")}


# --- Choice --------------------------------------------------------------------------------


def choice(*rules: Any, **fields: Any) -> dict[str, Any]:
    states = {"C": {"Type": "Choice", "Choices": list(rules), **fields}, "S": PASS_END}
    return machine(states, start="C")


def rule(**fields: Any) -> dict[str, Any]:
    return {"Variable": "$.a", "Next": "S", **fields}


def test_it_accepts_every_comparison_operator_with_a_matching_value() -> None:
    rules = [
        rule(StringEquals="x"),
        rule(StringLessThanEqualsPath="$.b"),
        rule(StringMatches="a*"),
        rule(NumericGreaterThan=1.5),
        rule(NumericEqualsPath="$$.Map.Item.Index"),
        rule(BooleanEquals=False),
        rule(TimestampLessThan="2026-01-01T00:00:00.123456789+02:00"),
        rule(IsNull=True),
        rule(IsPresent=False),
        rule(IsTimestamp=True),
    ]
    assert validate(choice(*rules)) == []


def test_it_requires_choices() -> None:
    assert found(machine({"C": {"Type": "Choice"}})) == {("MISSING_FIELD", "/States/C/Choices")}
    assert ("EMPTY_VALUE", "/States/C/Choices") in found(choice(Default="S"))


def test_it_requires_each_top_rule_to_have_next() -> None:
    definition = choice({"Variable": "$.a", "IsNull": True}, Default="S")
    assert found(definition) == {("MISSING_FIELD", "/States/C/Choices/0/Next")}


def test_it_requires_exactly_one_comparison() -> None:
    assert found(choice(rule())) == {("MISSING_COMPARISON", "/States/C/Choices/0")}
    assert found(choice(rule(IsNull=True, IsString=True))) == {
        ("MULTIPLE_COMPARISONS", "/States/C/Choices/0/IsString")
    }


def test_it_requires_a_variable_for_a_comparison() -> None:
    definition = choice({"StringEquals": "x", "Next": "S"})
    assert found(definition) == {("MISSING_FIELD", "/States/C/Choices/0/Variable")}


@pytest.mark.parametrize(
    ("operator", "value", "code"),
    [
        ("StringEquals", 1, "INVALID_TYPE"),
        ("NumericEquals", "1", "INVALID_TYPE"),
        ("BooleanEquals", "true", "INVALID_TYPE"),
        ("TimestampEquals", "2026-01-01", "INVALID_TIMESTAMP"),
        ("StringEqualsPath", "b", "INVALID_PATH"),
        ("IsNull", "yes", "INVALID_TYPE"),
    ],
)
def test_it_checks_the_value_of_each_comparison(operator: str, value: Any, code: str) -> None:
    assert found(choice(rule(**{operator: value}))) == {(code, f"/States/C/Choices/0/{operator}")}


def test_it_checks_and_or_not_shapes() -> None:
    definition = choice(
        {"And": [], "Next": "S"},
        {"Or": {"Variable": "$.a"}, "Next": "S"},
        {"Not": [rule(IsNull=True)], "Next": "S"},
    )
    assert found(definition) == {
        ("EMPTY_VALUE", "/States/C/Choices/0/And"),
        ("INVALID_TYPE", "/States/C/Choices/1/Or"),
        ("INVALID_TYPE", "/States/C/Choices/2/Not"),
    }


def test_it_rejects_a_rule_that_mixes_and_with_a_comparison() -> None:
    definition = choice(
        {"And": [{"Variable": "$.a", "IsNull": True}], "Variable": "$.b", "Next": "S"}
    )
    assert found(definition) == {("CONFLICTING_FIELDS", "/States/C/Choices/0/Variable")}


def test_it_rejects_next_inside_nested_rules() -> None:
    definition = choice({"Not": rule(IsNull=True), "Next": "S"})
    assert found(definition) == {("NESTED_RULE_FIELD", "/States/C/Choices/0/Not/Next")}


def test_it_checks_nested_rules_at_their_location() -> None:
    definition = choice({"Or": [{"Variable": "$.a", "NumericEquals": "x"}], "Next": "S"})
    assert found(definition) == {("INVALID_TYPE", "/States/C/Choices/0/Or/0/NumericEquals")}


def test_it_requires_the_default_to_exist() -> None:
    assert found(choice(rule(IsNull=True), Default="Gone")) == {
        ("UNKNOWN_STATE", "/States/C/Default")
    }


def test_it_requires_a_jsonata_condition_instead_of_a_variable() -> None:
    states = {"C": {"Type": "Choice", "Choices": [rule(IsNull=True)]}, "S": PASS_END}
    assert found(machine(states, start="C", QueryLanguage="JSONata")) == {
        ("FIELD_NOT_IN_QUERY_LANGUAGE", "/States/C/Choices/0/Variable"),
        ("FIELD_NOT_IN_QUERY_LANGUAGE", "/States/C/Choices/0/IsNull"),
        ("MISSING_FIELD", "/States/C/Choices/0/Condition"),
    }


def test_it_requires_a_jsonata_condition_to_be_an_expression() -> None:
    states = {
        "C": {
            "Type": "Choice",
            "Choices": [{"Condition": "$.ok", "Next": "S"}, {"Condition": "{% ) %}", "Next": "S"}],
        },
        "S": PASS_END,
    }
    assert found(machine(states, start="C", QueryLanguage="JSONata")) == {
        ("INVALID_JSONATA", "/States/C/Choices/0/Condition"),
        ("INVALID_JSONATA", "/States/C/Choices/1/Condition"),
    }


def test_it_refuses_rules_nested_too_deep_without_failing() -> None:
    nested: dict[str, Any] = rule(IsNull=True)
    del nested["Next"]
    for _ in range(3000):
        nested = {"Not": nested}
    assert ("TOO_DEEP", "/States/C/Choices/0" + "/Not" * 51) in found(
        choice({**nested, "Next": "S"})
    )


# --- Wait, Fail, Succeed ---------------------------------------------------------------------


def wait(**fields: Any) -> dict[str, Any]:
    return single({"Type": "Wait", "End": True, **fields})


def test_it_requires_exactly_one_wait_duration() -> None:
    assert found(wait()) == {("MISSING_FIELD", "/States/S/Seconds")}
    assert found(wait(Seconds=1, TimestampPath="$.t")) == {
        ("CONFLICTING_FIELDS", "/States/S/TimestampPath")
    }


def test_it_accepts_waiting_zero_seconds_but_not_less() -> None:
    assert validate(wait(Seconds=0)) == []
    assert found(wait(Seconds=-1)) == {("OUT_OF_RANGE", "/States/S/Seconds")}


@pytest.mark.parametrize(
    "stamp", ["2026-03-14t01:59:00Z", "2026-03-14T01:59:00", "2026-02-30T00:00:00Z", "March 14"]
)
def test_it_requires_rfc3339_timestamps_with_uppercase_t_and_z(stamp: str) -> None:
    assert found(wait(Timestamp=stamp)) == {("INVALID_TIMESTAMP", "/States/S/Timestamp")}


def test_it_rejects_error_and_error_path_together() -> None:
    definition = single({"Type": "Fail", "Error": "E", "ErrorPath": "$.e"})
    assert found(definition) == {("CONFLICTING_FIELDS", "/States/S/ErrorPath")}


def test_it_accepts_an_intrinsic_function_as_cause_path() -> None:
    assert validate(single({"Type": "Fail", "CausePath": "States.Format('{}', $.c)"})) == []


def test_it_rejects_error_path_in_a_jsonata_fail_state() -> None:
    assert found(jsonata({"Type": "Fail", "ErrorPath": "$.e"})) == {
        ("FIELD_NOT_IN_QUERY_LANGUAGE", "/States/S/ErrorPath")
    }


# --- Parallel ----------------------------------------------------------------------------------


def parallel(*branches: Any) -> dict[str, Any]:
    return single({"Type": "Parallel", "Branches": list(branches), "End": True})


def test_it_requires_branches() -> None:
    assert found(single({"Type": "Parallel", "End": True})) == {
        ("MISSING_FIELD", "/States/S/Branches")
    }
    assert found(parallel()) == {("EMPTY_VALUE", "/States/S/Branches")}


def test_it_checks_each_branch_as_a_machine_of_its_own() -> None:
    definition = parallel(
        {"StartAt": "A", "States": {"A": PASS_END}},
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "Next": "Nope"}}, "Version": "1"},
        "not a branch",
    )
    assert found(definition) == {
        ("UNKNOWN_STATE", "/States/S/Branches/1/States/B/Next"),
        ("UNKNOWN_FIELD", "/States/S/Branches/1/Version"),
        ("INVALID_TYPE", "/States/S/Branches/2"),
    }


def test_it_does_not_let_a_branch_go_to_a_state_outside_it() -> None:
    branch = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "S"}, "B": PASS_END}}
    codes = found(parallel(branch))
    assert ("TRANSITION_OUT_OF_SCOPE", "/States/S/Branches/0/States/A/Next") in codes


# --- Map -----------------------------------------------------------------------------------------


def map_state(**fields: Any) -> dict[str, Any]:
    return single({"Type": "Map", "End": True, "ItemProcessor": INLINE_PROCESSOR, **fields})


def test_it_requires_an_item_processor_but_not_both_names_of_it() -> None:
    assert found(single({"Type": "Map", "End": True})) == {
        ("MISSING_FIELD", "/States/S/ItemProcessor")
    }
    assert validate(single({"Type": "Map", "End": True, "Iterator": INLINE_PROCESSOR})) == []
    assert ("CONFLICTING_FIELDS", "/States/S/Iterator") in found(
        map_state(Iterator=INLINE_PROCESSOR)
    )


def test_it_checks_the_item_processor_states_at_their_location() -> None:
    processor = {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "Next": "Outer"}}}
    definition = machine(
        {"M": {"Type": "Map", "ItemProcessor": processor, "Next": "Outer"}, "Outer": PASS_END}
    )
    assert ("TRANSITION_OUT_OF_SCOPE", "/States/M/ItemProcessor/States/Inner/Next") in found(
        definition
    )


def test_it_checks_the_processor_mode() -> None:
    processor = {**INLINE_PROCESSOR, "ProcessorConfig": {"Mode": "FAST"}}
    assert found(map_state(ItemProcessor=processor)) == {
        ("INVALID_VALUE", "/States/S/ItemProcessor/ProcessorConfig/Mode")
    }
    processor = {**INLINE_PROCESSOR, "ProcessorConfig": {"Mode": "DISTRIBUTED"}}
    assert found(map_state(ItemProcessor=processor)) == {
        ("MISSING_FIELD", "/States/S/ItemProcessor/ProcessorConfig/ExecutionType")
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ItemReader", {"Resource": "arn:aws:states:::s3:getObject"}),
        ("ItemBatcher", {"MaxItemsPerBatch": 5}),
        ("ResultWriter", {"WriterConfig": {"OutputType": "JSON"}}),
        ("ToleratedFailureCount", 1),
        ("Label", "Batch"),
    ],
)
def test_it_keeps_distributed_map_fields_out_of_inline_maps(field: str, value: Any) -> None:
    assert found(map_state(**{field: value})) == {("DISTRIBUTED_ONLY_FIELD", f"/States/S/{field}")}
    assert validate(map_state(ItemProcessor=DISTRIBUTED_PROCESSOR, **{field: value})) == []


def distributed(**fields: Any) -> dict[str, Any]:
    return map_state(ItemProcessor=DISTRIBUTED_PROCESSOR, **fields)


def test_it_checks_the_item_reader() -> None:
    reader = {"ReaderConfig": {"InputType": "XML", "CSVHeaderLocation": "GIVEN", "MaxItems": -1}}
    assert found(distributed(ItemReader=reader)) == {
        ("MISSING_FIELD", "/States/S/ItemReader/Resource"),
        ("INVALID_VALUE", "/States/S/ItemReader/ReaderConfig/InputType"),
        ("MISSING_FIELD", "/States/S/ItemReader/ReaderConfig/CSVHeaders"),
        ("OUT_OF_RANGE", "/States/S/ItemReader/ReaderConfig/MaxItems"),
    }


def test_it_checks_the_item_batcher() -> None:
    assert found(distributed(ItemBatcher={})) == {("MISSING_FIELD", "/States/S/ItemBatcher")}
    assert found(distributed(ItemBatcher={"MaxInputBytesPerBatch": 300_000})) == {
        ("OUT_OF_RANGE", "/States/S/ItemBatcher/MaxInputBytesPerBatch")
    }


def test_it_checks_the_result_writer() -> None:
    assert found(distributed(ResultWriter={})) == {("EMPTY_VALUE", "/States/S/ResultWriter")}
    writer = {
        "Resource": "arn:aws:states:::s3:putObject",
        "WriterConfig": {"Transformation": "ZIP"},
    }
    assert found(distributed(ResultWriter=writer)) == {
        ("MISSING_FIELD", "/States/S/ResultWriter/Parameters"),
        ("INVALID_VALUE", "/States/S/ResultWriter/WriterConfig/Transformation"),
    }


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("MaxConcurrency", -1, "OUT_OF_RANGE"),
        ("ToleratedFailurePercentage", 100.5, "OUT_OF_RANGE"),
        ("ToleratedFailureCount", 1.5, "INVALID_TYPE"),
        ("Label", "has space", "INVALID_LABEL"),
        # A reference path cannot use a function (amazon-states-language-paths.html); it
        # may filter, and so select several items.
        ("ItemsPath", "$.items.length()", "INVALID_REFERENCE_PATH"),
    ],
)
def test_it_checks_map_limits_and_names(field: str, value: Any, code: str) -> None:
    assert found(distributed(**{field: value})) == {(code, f"/States/S/{field}")}


def test_it_rejects_map_limits_given_both_literally_and_by_path() -> None:
    definition = distributed(
        MaxConcurrency=1,
        MaxConcurrencyPath="$.c",
        ItemReader={
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"MaxItems": 1, "MaxItemsPath": "$.m"},
        },
        ItemBatcher={"MaxItemsPerBatch": 1, "MaxItemsPerBatchPath": "$.b"},
    )
    assert found(definition) == {
        ("CONFLICTING_FIELDS", "/States/S/MaxConcurrencyPath"),
        ("CONFLICTING_FIELDS", "/States/S/ItemReader/ReaderConfig/MaxItemsPath"),
        ("CONFLICTING_FIELDS", "/States/S/ItemBatcher/MaxItemsPerBatchPath"),
    }


def test_it_requires_jsonata_items_to_be_a_list_or_an_expression() -> None:
    state = {"Type": "Map", "End": True, "ItemProcessor": INLINE_PROCESSOR}
    assert validate(jsonata({**state, "Items": [1, 2]})) == []
    assert found(jsonata({**state, "Items": "$.items"})) == {("INVALID_TYPE", "/States/S/Items")}


# --- robustness and speed --------------------------------------------------------------------------


def test_it_refuses_machines_nested_too_deep_without_failing() -> None:
    definition = single(PASS_END)
    for _ in range(200):
        definition = single({"Type": "Parallel", "Branches": [definition], "End": True})
    codes = {code for code, _ in found(definition)}
    assert "TOO_DEEP" in codes


def test_it_walks_deeply_nested_templates_without_failing() -> None:
    template: Any = {"leaf.$": "$..["}
    for _ in range(100_000):
        template = {"x": template}
    diagnostics = validate(single(task(Parameters=template)))
    assert [d.code for d in diagnostics] == ["INVALID_PATH"]


def test_it_keeps_messages_short_for_huge_values() -> None:
    name = "n" * 1_000_000
    diagnostic = only(machine({name: PASS_END}))
    assert diagnostic.code == "STATE_NAME_TOO_LONG"
    assert len(diagnostic.message) < 200


def test_it_keeps_messages_short_for_huge_broken_expressions() -> None:
    expression = "{% " + "(" * 20_000 + " %}"
    diagnostic = only(jsonata({**PASS_END, "Output": expression}))
    assert diagnostic.code == "INVALID_JSONATA"
    assert len(diagnostic.message) < 400


def test_it_reports_huge_and_non_finite_numbers() -> None:
    assert found(single(task(TimeoutSeconds=10**5000))) == {
        ("OUT_OF_RANGE", "/States/S/TimeoutSeconds")
    }
    definition = single(task(Retry=[{"ErrorEquals": ["E"], "BackoffRate": float("nan")}]))
    diagnostic = only(definition)
    assert (diagnostic.code, diagnostic.location) == (
        "INVALID_TYPE",
        "/States/S/Retry/0/BackoffRate",
    )
    assert "infinite or undefined" in diagnostic.message


def test_it_reports_field_names_that_are_not_text() -> None:
    state: dict[Any, Any] = {**PASS_END, 7: "x"}
    assert ("INVALID_TYPE", "/States/S/7") in found(single(state))
    assert ("INVALID_STATE_NAME", "/States/7") in found({"StartAt": "A", "States": {7: PASS_END}})


class _Exploding(dict):  # type: ignore[type-arg]
    """A mapping that fails when walked, standing in for any fault met mid-validation."""

    def items(self) -> Any:
        raise RuntimeError("boom")


def test_it_turns_a_fault_met_while_checking_into_a_diagnostic() -> None:
    definition = machine({"A": {"Type": "Pass", "End": True, "Parameters": _Exploding(a=1)}})
    assert [d.code for d in validate(definition)] == ["INTERNAL_ERROR"]


def test_it_reports_every_problem_at_once() -> None:
    definition = machine(
        {
            "A": {"Type": "Task", "Next": "Gone"},
            "B": {"Type": "Wait", "End": True},
            "C": {"Type": "Fail", "Next": "A"},
        }
    )
    assert found(definition) == {
        ("MISSING_FIELD", "/States/A/Resource"),
        ("UNKNOWN_STATE", "/States/A/Next"),
        ("MISSING_FIELD", "/States/B/Seconds"),
        ("TRANSITION_NOT_ALLOWED", "/States/C/Next"),
        ("UNREACHABLE_STATE", "/States/B"),
        ("UNREACHABLE_STATE", "/States/C"),
    }


def big_definition(count: int) -> dict[str, Any]:
    states: dict[str, Any] = {}
    for index in range(count):
        following = f"S{index + 1}" if index + 1 < count else "Done"
        kind = index % 4
        if kind == 0:
            states[f"S{index}"] = task(
                Parameters={
                    "id.$": f"$.orders[{index}].id",
                    "note.$": "States.Format('n {}', $.n)",
                },
                ResultPath=f"$.r{index}",
                Retry=[{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 2}],
                Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Done"}],
                End=None,
                Next=following,
            )
            del states[f"S{index}"]["End"]
        elif kind == 1:
            states[f"S{index}"] = {
                "Type": "Choice",
                "Choices": [
                    {"Variable": f"$.r{index - 1}", "NumericGreaterThan": index, "Next": following}
                ],
                "Default": following,
            }
        elif kind == 2:
            states[f"S{index}"] = {"Type": "Wait", "SecondsPath": "$.delay", "Next": following}
        else:
            states[f"S{index}"] = {
                "Type": "Pass",
                "Result": {"n": index},
                "ResultPath": "$.p",
                "Next": following,
            }
    states["Done"] = {"Type": "Succeed"}
    return machine(states, start="S0")


def test_it_accepts_a_200_state_definition() -> None:
    assert validate(big_definition(200)) == []


def test_it_documents_every_code_it_can_report() -> None:
    # Codes appear as the first argument of report.add(...) or in a `code = "..."` choice.
    sources = Path(asl.validate.__file__).parent.glob("validate*.py")
    used = {
        code
        for source in sources
        for code in re.findall(r'(?:\.add\(\s*|code = )"([A-Z]+(?:_[A-Z]+)+)"', source.read_text())
    }
    assert used, "no codes found"
    assert used <= set(re.findall(r"``([A-Z_]+)``", asl.validate.__doc__ or ""))
