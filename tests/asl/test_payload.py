"""Payload templates (Parameters, ResultSelector, ItemSelector, Assign) for JSONPath states."""

from __future__ import annotations

import pytest

from asl.errors import ExpressionError, StatesError
from asl.payload import compile_payload

INPUT = {"order": {"id": "o-1", "items": [{"sku": "a"}, {"sku": "b"}]}, "who": "Ada"}
CONTEXT = {"Execution": {"Id": "arn:exec"}, "Map": {"Item": {"Index": 2}}}
VARIABLES = {"limit": 10}


def test_it_takes_dotted_dollar_keys_from_paths_and_copies_the_rest() -> None:
    template = {
        "id.$": "$.order.id",
        "skus.$": "$.order.items[*].sku",
        "execution.$": "$$.Execution.Id",
        "limit.$": "$limit",
        "whole.$": "$",
        "static": {"a": [1, "$.not.a.path"]},
        "plain": "$.order.id",
    }
    result = compile_payload(template, "Parameters").evaluate(INPUT, CONTEXT, VARIABLES)
    assert result == {
        "id": "o-1",
        "skus": ["a", "b"],
        "execution": "arn:exec",
        "limit": 10,
        "whole": INPUT,
        "static": {"a": [1, "$.not.a.path"]},
        "plain": "$.order.id",
    }


def test_it_evaluates_intrinsic_functions() -> None:
    template = {"greeting.$": "States.Format('Hi {}, index {}', $.who, $$.Map.Item.Index)"}
    result = compile_payload(template, "ItemSelector").evaluate(INPUT, CONTEXT, VARIABLES)
    assert result == {"greeting": "Hi Ada, index 2"}


def test_it_fills_nested_objects_and_objects_inside_arrays() -> None:
    template = {"outer": {"inner.$": "$.who", "list": [{"x.$": "$.order.id"}, 3, "y"]}}
    result = compile_payload(template, "Parameters").evaluate(INPUT, CONTEXT, VARIABLES)
    assert result == {"outer": {"inner": "Ada", "list": [{"x": "o-1"}, 3, "y"]}}


def test_it_keeps_the_template_order_of_fields() -> None:
    template = {"b": 1, "a.$": "$.who", "c": 2}
    result = compile_payload(template, "Parameters").evaluate(INPUT)
    assert list(result) == ["b", "a", "c"]


def test_it_returns_constant_templates_without_rebuilding_them() -> None:
    template = {"a": {"b": [1, 2]}}
    payload = compile_payload(template, "Parameters")
    assert payload.evaluate(INPUT) == template
    assert compile_payload("text", "Parameters").evaluate(INPUT) == "text"


def test_it_never_changes_the_template_or_the_input() -> None:
    template = {"x.$": "$.order", "k": {"v": 1}}
    payload = compile_payload(template, "Parameters")
    first = payload.evaluate(INPUT)
    assert first["x"] == INPUT["order"]
    assert template == {"x.$": "$.order", "k": {"v": 1}}
    assert payload.evaluate({"order": 5}) == {"x": 5, "k": {"v": 1}}


def test_it_reports_a_missing_path_with_aws_wording_and_the_input() -> None:
    payload = compile_payload({"nested": {"bar.$": "$.foo"}}, "Parameters")
    with pytest.raises(StatesError) as raised:
        payload.evaluate({"a": "é", "n": [1, 2]})
    assert raised.value.error == "States.Runtime"
    assert raised.value.cause == (
        "The JSONPath '$.foo' specified for the field 'bar.$' could not be found "
        'in the input \'{"a":"é","n":[1,2]}\''
    )


def test_it_reports_a_missing_context_path_against_the_context_object() -> None:
    payload = compile_payload({"id.$": "$$.Execution.Nope"}, "Parameters")
    with pytest.raises(StatesError) as raised:
        payload.evaluate({}, CONTEXT, None)
    assert "'$$.Execution.Nope'" in str(raised.value.cause)
    assert '"arn:exec"' in str(raised.value.cause)


def test_it_reports_a_missing_path_inside_an_intrinsic_call_for_its_field() -> None:
    payload = compile_payload({"x.$": "States.Array($.nope)"}, "Parameters")
    with pytest.raises(StatesError) as raised:
        payload.evaluate({})
    assert "'$.nope' specified for the field 'x.$'" in str(raised.value.cause)


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ({"a": {"b.$": 3}}, "Parameters/a/b.$: the value of a field ending in '.$'"),
        ({"a.$": "$."}, "Parameters/a.$: Invalid JSONPath '$.'"),
        ({"a.$": "States.Nope()"}, "Parameters/a.$: Invalid intrinsic function"),
        ({"a.$": "$.x", "a": 1}, "the field 'a' is given twice"),
        ({"list": [{"x.$": None}]}, "Parameters/list/0/x.$"),
    ],
)
def test_it_rejects_bad_templates_naming_the_field(template: object, message: str) -> None:
    with pytest.raises(ExpressionError) as raised:
        compile_payload(template, "Parameters")
    assert message in str(raised.value)
