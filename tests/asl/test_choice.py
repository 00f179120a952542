"""Choice rules: every comparison operator, type tests, wildcards, timestamps and logic."""

from __future__ import annotations

from typing import Any

import pytest

from asl.choice import compile_rule, parse_timestamp
from asl.errors import ExpressionError, StatesError

INPUT: dict[str, Any] = {
    "s": "banana",
    "n": 5,
    "f": 5.0,
    "b": True,
    "z": None,
    "t": "2024-03-01T10:00:00Z",
    "t_plus": "2024-03-01T11:00:00.000+01:00",
    "later": "2024-03-01T10:00:00.5Z",
    "list": [1],
    "obj": {},
    "other_s": "cherry",
    "other_n": 7,
}
CONTEXT = {"Execution": {"Name": "run-1"}}
VARIABLES = {"threshold": 5}


def holds(rule: dict[str, Any], data: object = INPUT) -> bool:
    return compile_rule(rule)(data, CONTEXT, VARIABLES)


@pytest.mark.parametrize(
    ("operator", "value", "expected"),
    [
        ("StringEquals", "banana", True),
        ("StringEquals", "Banana", False),
        ("StringLessThan", "cherry", True),
        ("StringLessThan", "banana", False),
        ("StringLessThanEquals", "banana", True),
        ("StringGreaterThan", "apple", True),
        ("StringGreaterThanEquals", "banana", True),
        ("StringGreaterThanEquals", "bananas", False),
    ],
)
def test_it_compares_strings(operator: str, value: str, expected: bool) -> None:
    assert holds({"Variable": "$.s", operator: value}) is expected


@pytest.mark.parametrize(
    ("operator", "value", "expected"),
    [
        ("NumericEquals", 5, True),
        ("NumericEquals", 5.0, True),
        ("NumericEquals", 5.5, False),
        ("NumericLessThan", 6, True),
        ("NumericLessThan", 5, False),
        ("NumericLessThanEquals", 5, True),
        ("NumericGreaterThan", 4.99, True),
        ("NumericGreaterThanEquals", 5, True),
        ("NumericGreaterThanEquals", 6, False),
    ],
)
def test_it_compares_numbers(operator: str, value: float, expected: bool) -> None:
    assert holds({"Variable": "$.n", operator: value}) is expected
    assert holds({"Variable": "$.f", operator: value}) is expected


@pytest.mark.parametrize(
    ("operator", "value", "expected"),
    [
        ("TimestampEquals", "2024-03-01T10:00:00Z", True),
        ("TimestampEquals", "2024-03-01T10:00:00.000+00:00", True),
        ("TimestampLessThan", "2024-03-01T10:00:00.001Z", True),
        ("TimestampLessThan", "2024-03-01T10:00:00Z", False),
        ("TimestampLessThanEquals", "2024-03-01T11:00:00+01:00", True),
        ("TimestampGreaterThan", "2024-03-01T09:59:59Z", True),
        ("TimestampGreaterThanEquals", "2024-03-01T12:00:00+02:00", True),
        ("TimestampGreaterThanEquals", "2024-03-01T10:00:00-00:01", False),
    ],
)
def test_it_compares_timestamps_across_offsets(operator: str, value: str, expected: bool) -> None:
    assert holds({"Variable": "$.t", operator: value}) is expected


def test_it_compares_booleans() -> None:
    assert holds({"Variable": "$.b", "BooleanEquals": True})
    assert not holds({"Variable": "$.b", "BooleanEquals": False})


@pytest.mark.parametrize(
    "rule",
    [
        {"Variable": "$.n", "StringEquals": "5"},
        {"Variable": "$.s", "NumericEquals": 5},
        {"Variable": "$.b", "NumericEquals": 1},
        {"Variable": "$.n", "BooleanEquals": True},
        {"Variable": "$.z", "StringEquals": "null"},
        {"Variable": "$.list", "NumericEquals": 1},
        {"Variable": "$.obj", "StringLessThan": "z"},
        {"Variable": "$.s", "TimestampEquals": "2024-03-01T10:00:00Z"},
        {"Variable": "$.n", "TimestampLessThan": "2024-03-01T10:00:00Z"},
        {"Variable": "$.s", "NumericGreaterThanPath": "$.n"},
    ],
)
def test_it_treats_a_type_mismatch_as_false(rule: dict[str, Any]) -> None:
    assert holds(rule) is False


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"Variable": "$.s", "StringLessThanPath": "$.other_s"}, True),
        ({"Variable": "$.n", "NumericLessThanPath": "$.other_n"}, True),
        ({"Variable": "$.n", "NumericEqualsPath": "$threshold"}, True),
        ({"Variable": "$.b", "BooleanEqualsPath": "$.b"}, True),
        ({"Variable": "$.t", "TimestampLessThanPath": "$.later"}, True),
        ({"Variable": "$.t", "TimestampEqualsPath": "$.t_plus"}, True),
        ({"Variable": "$$.Execution.Name", "StringEqualsPath": "$.s"}, False),
    ],
)
def test_it_compares_against_other_paths(rule: dict[str, Any], expected: bool) -> None:
    assert holds(rule) is expected


@pytest.mark.parametrize(
    ("field", "operator", "expected"),
    [
        ("z", "IsNull", True),
        ("s", "IsNull", False),
        ("n", "IsNumeric", True),
        ("b", "IsNumeric", False),
        ("s", "IsString", True),
        ("t", "IsString", True),
        ("b", "IsBoolean", True),
        ("n", "IsBoolean", False),
        ("t", "IsTimestamp", True),
        ("t_plus", "IsTimestamp", True),
        ("s", "IsTimestamp", False),
        ("n", "IsPresent", True),
        ("absent", "IsPresent", False),
    ],
)
def test_it_tests_types_and_presence(field: str, operator: str, expected: bool) -> None:
    assert holds({"Variable": f"$.{field}", operator: True}) is expected
    assert holds({"Variable": f"$.{field}", operator: False}) is (not expected)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("banana", True),
        ("b*", True),
        ("*ana", True),
        ("b*n*a", True),
        ("*", True),
        ("ban", False),
        ("B*", False),
        ("b\\*", False),
    ],
)
def test_it_matches_wildcards(pattern: str, expected: bool) -> None:
    assert holds({"Variable": "$.s", "StringMatches": pattern}) is expected


def test_it_matches_an_escaped_asterisk_literally() -> None:
    data = {"s": "log-*.txt"}
    assert holds({"Variable": "$.s", "StringMatches": "log-\\*.txt"}, data)
    assert not holds({"Variable": "$.s", "StringMatches": "log-\\*.txt"}, {"s": "log-1.txt"})
    assert holds({"Variable": "$.s", "StringMatches": "a\\\\b"}, {"s": "a\\b"})
    assert not holds({"Variable": "$.n", "StringMatches": "*"})


def test_it_combines_rules_with_and_or_not() -> None:
    yes = {"Variable": "$.n", "NumericEquals": 5}
    no = {"Variable": "$.s", "StringEquals": "kiwi"}
    assert holds({"And": [yes, yes]})
    assert not holds({"And": [yes, no]})
    assert holds({"Or": [no, yes]})
    assert not holds({"Or": [no, no]})
    assert holds({"Not": no})
    assert holds({"And": [{"Not": no}, {"Or": [no, {"Not": {"Not": yes}}]}], "Next": "X"})


def test_it_does_not_evaluate_the_rest_once_the_answer_is_known() -> None:
    missing = {"Variable": "$.absent", "NumericEquals": 1}
    assert holds({"Or": [{"Variable": "$.n", "NumericEquals": 5}, missing]})
    assert not holds({"And": [{"Variable": "$.n", "NumericEquals": 0}, missing]})


@pytest.mark.parametrize(
    "rule",
    [
        {"Variable": "$.absent", "StringEquals": "x"},
        {"Variable": "$.absent", "IsNull": True},
        {"Variable": "$.s", "StringEqualsPath": "$.absent"},
    ],
)
def test_it_fails_on_a_missing_variable_like_aws(rule: dict[str, Any]) -> None:
    with pytest.raises(StatesError) as raised:
        holds(rule)
    assert raised.value.error == "States.Runtime"
    assert raised.value.cause == (
        "Invalid path '$.absent': The choice state's condition path references an invalid value."
    )


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"Variable": "$.s", "StringEquals": 1}, "StringEquals must be a string, not 1"),
        ({"Variable": "$.s", "NumericEquals": "1"}, 'NumericEquals must be a number, not "1"'),
        ({"Variable": "$.s", "BooleanEquals": "true"}, "BooleanEquals must be a boolean"),
        (
            {"Variable": "$.s", "TimestampEquals": "2024-01-01"},
            "TimestampEquals must be a timestamp",
        ),
        ({"Variable": "$.s", "IsNull": 1}, "IsNull must be a boolean"),
        ({"Variable": "$.s", "StringEqualsPath": 3}, "StringEqualsPath must be a path string"),
        ({"Variable": "$.", "IsNull": True}, "/Variable: Invalid JSONPath"),
        ({"Variable": "$.s"}, "exactly one comparison operator (found none)"),
        ({"Variable": "$.s", "IsNull": True, "IsString": True}, "found IsNull, IsString"),
        ({"StringEquals": "x"}, "StringEquals needs a Variable"),
        ({"And": []}, "And must be a non-empty array"),
        ({"Or": {"Variable": "$.s", "IsNull": True}}, "Or must be a non-empty array"),
        ({"Variable": "$.s", "Not": {"Variable": "$.s", "IsNull": True}}, "Not cannot have"),
        ({"Variable": "$.s", "Bogus": 1}, "unknown field 'Bogus'"),
        ({"And": [3]}, "/And/0: a choice rule must be an object"),
    ],
)
def test_it_rejects_malformed_rules_naming_the_operator(rule: Any, message: str) -> None:
    with pytest.raises(ExpressionError) as raised:
        compile_rule(rule, "/States/Pick/Choices/0")
    assert message in str(raised.value)
    assert str(raised.value).startswith("/States/Pick/Choices/0")


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("2016-03-14T01:59:00Z", True),
        ("2016-03-14T01:59:00.123456789Z", True),
        ("2016-03-14T01:59:00+05:30", True),
        ("2016-03-14t01:59:00z", True),
        ("2016-03-14T01:59:00", False),
        ("2016-03-14", False),
        ("2016-02-30T00:00:00Z", False),
        ("2016-03-14T25:00:00Z", False),
        ("2016-03-14 01:59:00Z", False),
        (20160314, False),
    ],
)
def test_it_parses_rfc3339_timestamps_only(text: object, valid: bool) -> None:
    assert (parse_timestamp(text) is not None) is valid


def test_it_keeps_sub_microsecond_precision_when_comparing_timestamps() -> None:
    rule = {"Variable": "$.t", "TimestampLessThan": "2024-01-01T00:00:00.0000001Z"}
    assert holds(rule, {"t": "2024-01-01T00:00:00Z"})
    assert not holds(rule, {"t": "2024-01-01T00:00:00.00000010Z"})


def test_it_words_errors_without_a_location_when_none_is_given() -> None:
    with pytest.raises(ExpressionError) as raised:
        compile_rule({"Variable": "$.s"})
    assert str(raised.value) == "a choice rule needs exactly one comparison operator (found none)"
    with pytest.raises(ExpressionError) as raised:
        compile_rule({"And": [{"Variable": "$.s", "StringEquals": 1}]})
    assert str(raised.value) == "And/0/StringEquals must be a string, not 1"
