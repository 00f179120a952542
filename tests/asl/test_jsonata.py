"""JSONata expressions and templates as JSONata states evaluate them."""

from __future__ import annotations

import hashlib
import re
import time
from typing import Any

import pytest

from asl.errors import ExpressionError, StatesError
from asl.jsonata import compile_expression, compile_template, expression_text, has_type

BINDINGS: dict[str, Any] = {
    "states": {
        "input": {"name": "Ada", "nums": [1, 2, 3], "nothing": None, "price": 2.5, "two": 2.0},
        "context": {"Execution": {"Name": "run-1"}},
    },
    "limit": 10,
    "flags": {"on": True},
}


def value(text: str, bindings: dict[str, Any] = BINDINGS) -> Any:
    return compile_expression(text, "Output").evaluate(bindings)


def failure(text: str, field: str = "Output/result") -> str:
    with pytest.raises(StatesError) as raised:
        compile_expression(text, field).evaluate(BINDINGS)
    assert raised.value.error == "States.QueryEvaluationError"
    return str(raised.value.cause)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$states.input.name", "Ada"),
        ("$states.input.nums", [1, 2, 3]),
        ("$states.input.nums[0]", 1),
        ("$states.input.nums[$ > 1]", [2, 3]),
        ("$sum($states.input.nums) + $limit", 16),
        ("$states.context.Execution.Name", "run-1"),
        ("$flags.on", True),
        ("$states.input.nothing", None),
        ("$states.input.nothing = null", True),
        ("{'k': $states.input.name, 'n': null}", {"k": "Ada", "n": None}),
        ("[1, null, 'x']", [1, None, "x"]),
        ("'Hello ' & $states.input.name", "Hello Ada"),
        ("$states.input.price * 2", 5),
        ("$states.input.price / 2", 1.25),
        ("$string($states.input.two)", "2"),
        ("($x := 3; $x * $x)", 9),
        ("$exists($states.input.missing)", False),
    ],
)
def test_it_evaluates_expressions_to_plain_json(text: str, expected: Any) -> None:
    result = value(text)
    assert result == expected
    assert type(result) is type(expected)


def test_it_returns_ints_for_integral_numbers_and_plain_lists() -> None:
    result = value("[$states.input.price * 2, 1.5]")
    assert result == [5, 1.5]
    assert type(result) is list
    assert type(result[0]) is int


def test_it_never_changes_the_bindings_it_was_given() -> None:
    bindings = {"states": {"input": {"a": None, "xs": [1]}}}
    compile_expression("$states.input.xs[0] + 1").evaluate(bindings)
    assert bindings == {"states": {"input": {"a": None, "xs": [1]}}}


def test_it_reports_undefined_results_with_aws_wording() -> None:
    assert failure("$doesNotExist") == (
        "The JSONata expression '$doesNotExist' specified for the field 'Output/result' "
        "returned nothing (undefined)."
    )
    assert "returned nothing" in failure("$states.input.nums[$ > 5]")


def test_it_reports_evaluation_errors_with_the_jsonata_code() -> None:
    assert failure("$randomSeeded(1)") == (
        "The JSONata expression '$randomSeeded(1)' specified for the field 'Output/result' "
        "threw an error during evaluation. T1006: Attempted to invoke a non-function"
    )
    assert failure("$error('boom')").endswith("threw an error during evaluation. D3137: boom")
    assert "threw an error during evaluation." in failure("1 + 'a'")


def test_it_reports_function_results_as_unsupported() -> None:
    assert failure("$fn := function($x){$x}", "Items").endswith(
        "specified for the field 'Items' returned an unsupported result type."
    )


def test_it_checks_the_type_of_a_result_when_a_field_needs_one() -> None:
    items = compile_expression("'string'", "Items")
    with pytest.raises(StatesError) as raised:
        items.evaluate_typed(BINDINGS, "array")
    assert raised.value.cause == (
        "The JSONata expression ''string'' specified for the field 'Items' returned an "
        "unexpected result type. Expected 'array', but was 'string' for value: \"string\""
    )
    assert compile_expression("null", "Items").check_type(None, "null") is None
    with pytest.raises(StatesError, match="Expected 'array', but was 'null' for value: null"):
        compile_expression("null", "Items").evaluate_typed(BINDINGS, "array")
    assert compile_expression("[1]", "Items").evaluate_typed(BINDINGS, "array") == [1]
    assert compile_expression("3", "MaxConcurrency").evaluate_typed(BINDINGS, "integer") == 3
    with pytest.raises(StatesError, match="Expected 'integer'"):
        compile_expression("2.5", "MaxConcurrency").evaluate_typed(BINDINGS, "integer")


def test_it_partitions_arrays() -> None:
    assert value("$partition([1, 2, 3, 4, 5], 2)") == [[1, 2], [3, 4], [5]]
    assert value("$partition([0], 1)") == [[0]]
    assert value("$partition([0, 1, 2], 3)") == [[0, 1, 2]]
    assert value("$partition([], 3)") == []
    assert "$partition" in failure("$partition([1], 0)")


def test_it_partitions_a_single_value_as_an_array_of_one() -> None:
    # A filter that keeps one item yields that item, not an array of one (JSONata sequences,
    # https://docs.jsonata.org/predicate#singleton-array-and-value-equivalence); an array
    # parameter takes a single value as an array of one
    # (https://docs.jsonata.org/embedding-extending#function-signature-syntax).
    assert value("[1, 2, 5][$ > 4]") == 5
    assert value("$partition([1, 2, 5][$ > 4], 2)") == [[5]]
    assert value("$partition('ab', 1)") == [["ab"]]
    assert "$partition" in failure("$partition($nothing, 2)")


def test_it_makes_inclusive_ranges() -> None:
    assert value("$range(0, 10, 2)") == [0, 2, 4, 6, 8, 10]
    assert value("$range(3, 1, -1)") == [3, 2, 1]
    assert value("$range(1, 1, 1)") == [1]
    assert "1000 items" in failure("$range(1, 1001, 1)")
    assert "step must not be 0" in failure("$range(1, 2, 0)")


def test_it_hashes_strings() -> None:
    assert value("$hash('Ada', 'SHA-256')") == hashlib.sha256(b"Ada").hexdigest()
    assert value("$hash('Ada', 'MD5')") == hashlib.md5(b"Ada").hexdigest()
    assert "algorithm must be one of" in failure("$hash('Ada', 'SHA-2')")


def test_it_draws_random_numbers_repeatably_for_a_seed() -> None:
    unseeded = value("$random()")
    assert 0 <= unseeded < 1
    assert value("$random(7)") == value("$random(7)")
    assert value("$random(7)") != value("$random(8)")


def test_it_generates_uuids_and_parses_json_text() -> None:
    assert re.fullmatch(r"[0-9a-f-]{36}", value("$uuid()"))
    assert value("$parse('{\"a\": [1, null]}')") == {"a": [1, None]}
    assert "not valid JSON" in failure("$parse('{')")


def test_it_refuses_eval_as_aws_does() -> None:
    assert "$eval is not supported" in failure("$eval('1')")


def test_it_rejects_invalid_expressions_at_compile_time_naming_the_field() -> None:
    with pytest.raises(ExpressionError) as raised:
        compile_expression("(1 +", "Output/x")
    assert str(raised.value).startswith("Output/x: the JSONata expression '(1 +' is not valid")


def test_it_fills_templates_and_leaves_other_strings_alone() -> None:
    template = compile_template(
        {
            "who": "{% $states.input.name %}",
            "literal": "{ not an expression }",
            "partial": "x {% 1 %}",
            "list": [1, "{% $limit %}", {"deep": "{% $states.input.nums[1] %}"}],
            "constant": {"a": 1},
        },
        "Output",
    )
    assert template.evaluate(BINDINGS) == {
        "who": "Ada",
        "literal": "{ not an expression }",
        "partial": "x {% 1 %}",
        "list": [1, 10, {"deep": 2}],
        "constant": {"a": 1},
    }
    assert not template.is_constant


def test_it_names_nested_fields_in_template_errors() -> None:
    template = compile_template({"result": {"inner": "{% $nope %}"}}, "Output")
    with pytest.raises(StatesError) as raised:
        template.evaluate(BINDINGS)
    assert "specified for the field 'Output/result/inner' returned nothing" in str(
        raised.value.cause
    )


def test_it_keeps_constant_templates_constant() -> None:
    template = compile_template({"a": [1, "b"]}, "Arguments")
    assert template.is_constant
    assert template.evaluate(BINDINGS) == {"a": [1, "b"]}


def test_it_checks_the_type_of_a_whole_field_template() -> None:
    assert compile_template("{% $states.input.nums %}", "Items").evaluate_typed(
        BINDINGS, "array"
    ) == [1, 2, 3]
    with pytest.raises(StatesError, match="for the field 'Items' returned an unexpected"):
        compile_template("{% true %}", "Items").evaluate_typed(BINDINGS, "array")
    with pytest.raises(StatesError, match="The field 'Items' must be of type 'array'"):
        compile_template({"a": 1}, "Items").evaluate_typed(BINDINGS, "array")


def test_it_rejects_an_empty_expression() -> None:
    with pytest.raises(ExpressionError, match="Output/x: the JSONata expression is empty"):
        compile_template({"x": "{%  %}"}, "Output")


def test_it_recognises_only_whole_string_expressions() -> None:
    assert expression_text("{% $x %}") == "$x"
    assert expression_text(" {% $x %}") is None
    assert expression_text("{% $x") is None
    assert expression_text(3) is None


def test_it_gives_now_the_time_of_evaluation_not_of_compilation() -> None:
    expression = compile_expression("$millis()", "Output")
    time.sleep(0.01)
    before = round(time.time() * 1000)
    assert expression.evaluate(BINDINGS) >= before


def test_it_reports_numbers_json_cannot_hold_as_out_of_range() -> None:
    assert "D1001: Number out of range" in failure("1e308 * 10")


def test_it_stops_an_expression_that_loops_forever() -> None:
    endless = compile_expression("($f := function($x){$f($x)}; $f(1))", "Output", 0.2)
    started = time.monotonic()
    with pytest.raises(StatesError, match="Expression evaluation timeout"):
        endless.evaluate(BINDINGS)
    assert time.monotonic() - started < 5


def test_it_counts_only_integral_numbers_as_integers() -> None:
    assert has_type(3, "integer")
    assert has_type(3.0, "integer")
    assert not has_type(3.5, "integer")
    assert not has_type(True, "integer")
    assert has_type([], "array")
    assert not has_type({}, "array")
