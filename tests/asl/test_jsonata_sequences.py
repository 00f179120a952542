"""JSONata sequences as JSONata states see them, and the Map fields JSONata accepts inline.

Each test names the page its rule comes from: the JSONata documentation
(https://docs.jsonata.org/) or the AWS Step Functions developer guide
(https://docs.aws.amazon.com/step-functions/latest/dg/).
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

import asl
from asl.errors import StatesError
from asl.jsonata import compile_expression
from tests.asl.clock import VirtualClock

INPUT: dict[str, Any] = {
    "xs": [1, 2, 3],
    "one": [7],
    "dup": [1, 1],
    "objs": [{"a": 1}, {"a": 2}],
    "same": [{"a": 1}, {"a": 1}],
}
BINDINGS: dict[str, Any] = {"states": {"input": INPUT}}
PROCESSOR = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
PREFIX = "An error occurred while executing the state 'S' (entered at the event id #2). "


def value(text: str) -> Any:
    return compile_expression(text, "Output").evaluate(BINDINGS)


def failure(text: str, field: str = "Output") -> str:
    with pytest.raises(StatesError) as raised:
        compile_expression(text, field).evaluate(BINDINGS)
    assert raised.value.error == "States.QueryEvaluationError"
    return str(raised.value.cause)


def run(states: dict[str, Any], data: Any) -> asl.RunResult:
    definition = {"QueryLanguage": "JSONata", "StartAt": "S", "States": states}
    return asl.run(definition, data, clock=VirtualClock())


def mapping(**fields: Any) -> dict[str, Any]:
    return {"S": {"Type": "Map", "ItemProcessor": PROCESSOR, "End": True, **fields}}


# -- Sequences: one value is not an array of one; none is undefined --------------------------


def test_a_filter_that_keeps_one_item_is_that_item_and_brackets_keep_the_array() -> None:
    # "Within a JSONata expression ... a sequence containing a single value is considered
    # equivalent to that value"; "[] ... ensures the result is an array, even if it has a
    # single value" (https://docs.jsonata.org/predicate#singleton-array-and-value-equivalence).
    assert value("$states.input.xs[$ > 2]") == 3
    assert value("$states.input.xs[$ > 2][]") == [3]
    assert value("$states.input.objs[a = 1].a") == 1
    assert value("$states.input.objs[a = 1].a[]") == [1]


def test_an_array_in_the_input_stays_an_array_even_of_one() -> None:
    # A path that ends at an array value selects the array
    # (https://docs.jsonata.org/simple#navigating-json-arrays): only sequences the path builds
    # collapse.
    assert value("$states.input.one") == [7]
    assert value("$states.input.objs.a") == [1, 2]


def test_an_empty_sequence_is_undefined_and_fails_the_field() -> None:
    # "The JSONata expression ... returned nothing (undefined)": a field must have a value
    # (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html); a filter
    # that keeps nothing gives an empty sequence, which is undefined
    # (https://docs.jsonata.org/predicate).
    assert failure("$states.input.xs[$ > 5]", "Output/result") == (
        "The JSONata expression '$states.input.xs[$ > 5]' specified for the field "
        "'Output/result' returned nothing (undefined)."
    )


def test_count_and_exists_see_an_empty_sequence_as_nothing() -> None:
    # "$count(array) Returns the number of items in the array parameter. If the array
    # parameter is not an array, but rather a value of another JSON type, then the parameter
    # is treated as a singleton array containing that value"
    # (https://docs.jsonata.org/aggregation-functions#count);
    # "$exists(arg) Returns Boolean true if the arg expression evaluates to a value"
    # (https://docs.jsonata.org/object-functions#exists).
    assert value("$count($states.input.xs[$ > 5])") == 0
    assert value("$count($states.input.xs[$ > 2])") == 1
    assert value("$count('x')") == 1
    assert value("$exists($states.input.xs[$ > 5])") is False
    assert value("$exists(null)") is True


def test_an_array_constructor_drops_undefined_values() -> None:
    # Array and object constructors leave out what evaluates to undefined
    # (https://docs.jsonata.org/construction).
    assert value("[1, $states.input.missing, 3]") == [1, 3]
    assert value("{'a': $states.input.missing, 'b': 2}") == {"b": 2}


# -- $distinct returns an array ---------------------------------------------------------------


def test_distinct_of_an_array_is_an_array_even_when_one_value_is_left() -> None:
    # "$distinct(array) Returns an array containing all the values from the array parameter,
    # but with any duplicates removed" (https://docs.jsonata.org/array-functions#distinct).
    assert value("$distinct([1, 1])") == [1]
    assert value("$distinct($states.input.dup)") == [1]
    assert value("$distinct([[1], [1]])") == [[1]]
    assert value("$distinct($states.input.same)") == [{"a": 1}]
    assert value("$distinct([3, 1, 3, 2])") == [3, 1, 2]


def test_distinct_compares_values_by_json_type() -> None:
    # Values are duplicates when they are deep-equal JSON values: true is not 1, 1.0 is 1, and
    # objects are equal whatever their key order (https://docs.jsonata.org/array-functions).
    result = value(
        "$distinct([1, true, 1.0, 'a', 'a', null, null, {'a': 1, 'b': 2}, {'b': 2, 'a': 1}])"
    )
    assert result == [1, True, "a", None, {"a": 1, "b": 2}]
    assert [type(item) for item in result[:2]] == [int, bool]


def test_distinct_of_a_sequence_still_collapses_to_one_value() -> None:
    # A sequence the path builds is still a sequence: one value left is that value
    # (https://docs.jsonata.org/predicate#singleton-array-and-value-equivalence).
    assert value("$distinct($states.input.same.a)") == 1
    assert value("$distinct($states.input.objs.a)") == [1, 2]


# -- The functions Step Functions adds ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "position", "name"),
    [
        ("$uuid(1)", 1, "uuid"),
        ("$random(1, 2)", 2, "random"),
        ("$parse('1', 2)", 2, "parse"),
        ("$hash('a', 'MD5', 'x')", 3, "hash"),
        ("$partition([1], 1, 1)", 3, "partition"),
        ("$range(1, 2, 1, 1)", 4, "range"),
    ],
)
def test_the_added_functions_refuse_extra_arguments_as_jsonata_does(
    text: str, position: int, name: str
) -> None:
    # $partition(array, chunkSize), $range(start, end, step), $hash(data, algorithm),
    # $random([seed]), $uuid(), $parse(jsonString)
    # (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html); a call
    # that does not match a function's signature is JSONata's T0410
    # (https://docs.jsonata.org/embedding-extending#function-signature-syntax).
    assert failure(text) == (
        f"The JSONata expression '{text}' specified for the field 'Output' threw an error "
        f'during evaluation. T0410: Argument {position} of function "{name}" does not match '
        "function signature"
    )


def test_the_added_functions_take_a_filtered_value_as_jsonata_values() -> None:
    # A filter that keeps one string is that string, so it hashes and parses as one
    # (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html,
    # https://docs.jsonata.org/predicate#singleton-array-and-value-equivalence).
    bindings = {"states": {"input": {"texts": ["[1]", "{}"]}}}
    parsed = compile_expression("$parse($states.input.texts[$ = '[1]'])", "Output")
    assert parsed.evaluate(bindings) == [1]
    hashed = compile_expression("$hash($states.input.texts[$ = '{}'], 'MD5')", "Output")
    assert hashed.evaluate(bindings) == hashlib.md5(b"{}").hexdigest()


# -- In a running machine: Items, Condition, Assign, Output --------------------------------


def test_items_that_filter_to_one_value_are_not_an_array() -> None:
    # Items must evaluate to an array; one value left by a filter is a number, not an array
    # of one (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html,
    # https://docs.jsonata.org/predicate#singleton-array-and-value-equivalence).
    result = run(mapping(Items="{% $states.input.xs[$ > 2] %}"), {"xs": [1, 2, 3]})
    assert (result.status, result.error) == ("FAILED", "States.QueryEvaluationError")
    assert result.cause == PREFIX + (
        "The JSONata expression '$states.input.xs[$ > 2]' specified for the field 'Items' "
        "returned an unexpected result type. Expected 'array', but was 'number' for value: 3"
    )
    kept = run(mapping(Items="{% $states.input.xs[$ > 2][] %}"), {"xs": [1, 2, 3]})
    assert (kept.status, kept.output) == ("SUCCEEDED", [3])


def test_items_that_filter_to_nothing_return_nothing() -> None:
    # (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html)
    result = run(mapping(Items="{% $states.input.xs[$ > 5] %}"), {"xs": [1, 2, 3]})
    assert result.cause == PREFIX + (
        "The JSONata expression '$states.input.xs[$ > 5]' specified for the field 'Items' "
        "returned nothing (undefined)."
    )


def test_a_condition_must_be_a_boolean_and_defined() -> None:
    # "Condition ... a JSONata expression that evaluates to true or false"
    # (https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html).
    states = {
        "S": {
            "Type": "Choice",
            "Choices": [{"Condition": "{% $states.input.xs[$ > 2] %}", "Next": "E"}],
            "Default": "E",
        },
        "E": {"Type": "Succeed"},
    }
    result = run(states, {"xs": [1, 2, 3]})
    assert (result.status, result.error) == ("FAILED", "States.QueryEvaluationError")
    assert result.cause == PREFIX + (
        "The JSONata expression '$states.input.xs[$ > 2]' specified for the field 'Condition' "
        "returned an unexpected result type. Expected 'boolean', but was 'number' for value: 3"
    )
    result = run(states, {"xs": []})
    assert result.cause == PREFIX + (
        "The JSONata expression '$states.input.xs[$ > 2]' specified for the field 'Condition' "
        "returned nothing (undefined)."
    )


def test_assign_keeps_the_value_a_filter_leaves() -> None:
    # Assign evaluates each variable's expression; a variable holds the JSON value
    # (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html).
    states = {
        "S": {"Type": "Pass", "Assign": {"v": "{% $states.input.xs[$ > 2] %}"}, "Next": "T"},
        "T": {"Type": "Pass", "Output": "{% [$v, $count($v)] %}", "End": True},
    }
    result = run(states, {"xs": [1, 2, 3]})
    assert (result.status, result.output) == ("SUCCEEDED", [3, 1])
    states["S"]["Assign"] = {"v": "{% $states.input.xs[$ > 5] %}"}
    failed = run(states, {"xs": [1, 2, 3]})
    assert failed.cause == PREFIX + (
        "The JSONata expression '$states.input.xs[$ > 5]' specified for the field 'Assign/v' "
        "returned nothing (undefined)."
    )


def test_map_output_reads_the_results_as_a_sequence() -> None:
    # $states.result is the Map's array of results in Output
    # (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html); a filter
    # over it that keeps one result is that result.
    result = run(
        mapping(Items="{% $states.input.xs %}", Output="{% $states.result[$ > 1] %}"),
        {"xs": [1, 2]},
    )
    assert (result.status, result.output) == ("SUCCEEDED", 2)
