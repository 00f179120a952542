"""Documented behaviours of data flow, Retry/Catch, Choice and Map, one rule a test.

Each test names the page that documents its rule: the Amazon States Language specification
(https://states-language.net/spec.html) or the AWS Step Functions developer guide
(https://docs.aws.amazon.com/step-functions/latest/dg/).
"""

from __future__ import annotations

from typing import Any

import pytest

import asl
from tests.asl.clock import VirtualClock

FN = "arn:aws:lambda:us-east-1:123456789012:function:"


class CustomError(Exception):
    pass


class OtherError(Exception):
    pass


def run(definition: dict[str, Any], data: Any = None, **functions: Any) -> asl.RunResult:
    return asl.run(
        definition, data if data is not None else {}, functions=functions, clock=VirtualClock()
    )


def one(state: dict[str, Any], **more: dict[str, Any]) -> dict[str, Any]:
    return {"StartAt": "S", "States": {"S": state, **more}}


def raising(kind: type[Exception], times: int = 1_000_000) -> Any:
    calls = {"n": 0}

    def handler(event: Any, context: Any) -> Any:
        calls["n"] += 1
        if calls["n"] <= times:
            raise kind("boom")
        return {"ok": calls["n"]}

    handler.calls = calls  # type: ignore[attr-defined]
    return handler


def events_of(result: asl.RunResult, event_type: str) -> list[dict[str, Any]]:
    return [e for e in result.events if e["type"] == event_type]


# -- InputPath, ResultPath, OutputPath ------------------------------------------------------


def test_input_path_null_gives_the_state_an_empty_object() -> None:
    # "If the value of InputPath is null, that means that the raw input is discarded, and the
    # effective input for the state is an empty JSON object, {}."
    # https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
    result = run(one({"Type": "Pass", "InputPath": None, "End": True}), {"a": 1})
    assert result.status == "SUCCEEDED"
    assert result.output == {}


def test_output_path_null_sends_an_empty_object_on() -> None:
    # "If the OutputPath has a value of null, that means the input and result are discarded,
    # and the effective output from the state is an empty JSON object, {}."
    # https://docs.aws.amazon.com/step-functions/latest/dg/input-output-outputpath.html
    result = run(one({"Type": "Pass", "Result": 5, "OutputPath": None, "End": True}), {"a": 1})
    assert result.output == {}


def test_result_path_null_discards_the_result_and_keeps_the_input() -> None:
    # "ResultPath: null ... discards the result and keeps the original input"
    # https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html
    result = run(one({"Type": "Pass", "Result": 5, "ResultPath": None, "End": True}), {"a": 1})
    assert result.output == {"a": 1}


def test_result_path_places_the_result_beside_the_input() -> None:
    # https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html
    state = {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.r.deep", "End": True}
    result = run(one(state), {"a": 1, "r": {"keep": True}})
    assert result.output == {"a": 1, "r": {"keep": True, "deep": {"x": 1}}}


def test_result_path_through_a_value_that_is_not_an_object_fails_the_state() -> None:
    # "If the interpreter attempts to ... insert a result ... under a field whose value is not
    # an object, the state fails with States.ResultPathMatchFailure"
    # https://states-language.net/spec.html#errors (States.ResultPathMatchFailure)
    state = {"Type": "Pass", "Result": 1, "ResultPath": "$.a.b", "End": True}
    result = run(one(state), {"a": "text"})
    assert result.status == "FAILED"
    assert result.error == "States.ResultPathMatchFailure"


def test_an_input_path_that_matches_nothing_is_a_runtime_error() -> None:
    # A path that selects nothing in InputPath fails with States.Runtime
    # https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
    result = run(one({"Type": "Pass", "InputPath": "$.missing", "End": True}), {"a": 1})
    assert result.status == "FAILED"
    assert result.error == "States.Runtime"
    assert "$.missing" in (result.cause or "")


def test_a_parameters_path_that_matches_nothing_fails_with_states_runtime() -> None:
    # The specification names States.ParameterPathFailure for this
    # (https://states-language.net/spec.html#appendix-a); AWS fails with States.Runtime and
    # "The JSONPath '$.nope' specified for the field 'x.$' could not be found in the input"
    # (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html:
    # States.Runtime "... such as attempting to apply InputPath or OutputPath on a null JSON
    # payload"). The engine follows AWS.
    state = {"Type": "Task", "Resource": FN + "f", "Parameters": {"x.$": "$.nope"}, "End": True}
    result = run(one(state), {"a": 1}, f=lambda e, c: e)
    assert result.status == "FAILED"
    assert result.error == "States.Runtime"
    assert "The JSONPath '$.nope' specified for the field 'x.$' could not be found" in str(
        result.cause
    )


def test_result_selector_shapes_the_result_before_result_path() -> None:
    # "ResultSelector ... manipulate a state's result before ResultPath is applied"
    # https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
    state = {
        "Type": "Task",
        "Resource": FN + "f",
        "ResultSelector": {"picked.$": "$.v"},
        "ResultPath": "$.out",
        "End": True,
    }
    result = run(one(state), {"v": 7}, f=lambda e, c: e)
    assert result.output == {"v": 7, "out": {"picked": 7}}


# -- Retry ----------------------------------------------------------------------------------


def test_retry_defaults_are_one_second_three_attempts_and_a_backoff_of_two() -> None:
    # IntervalSeconds default 1, MaxAttempts default 3, BackoffRate default 2.0
    # https://states-language.net/spec.html#retrying-after-error
    handler = raising(CustomError)
    state = {"Type": "Task", "Resource": FN + "f", "Retry": [{"ErrorEquals": ["CustomError"]}]}
    definition = one({**state, "End": True})
    c = VirtualClock()
    result = asl.run(definition, {}, functions={"f": handler}, clock=c)
    assert result.status == "FAILED"
    assert result.error == "CustomError"
    assert handler.calls["n"] == 4
    assert c.elapsed == pytest.approx(1 + 2 + 4)


def test_max_delay_seconds_caps_each_backoff_interval() -> None:
    # "MaxDelaySeconds ... sets the maximum value up to which a retry interval can increase"
    # https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
    handler = raising(CustomError)
    retry = {
        "ErrorEquals": ["States.ALL"],
        "IntervalSeconds": 2,
        "BackoffRate": 3,
        "MaxAttempts": 3,
        "MaxDelaySeconds": 10,
    }
    c = VirtualClock()
    definition = one({"Type": "Task", "Resource": FN + "f", "Retry": [retry], "End": True})
    asl.run(definition, {}, functions={"f": handler}, clock=c)
    assert c.elapsed == pytest.approx(2 + 6 + 10)


def test_full_jitter_waits_no_longer_than_the_backoff_interval() -> None:
    # "JitterStrategy FULL ... randomizes the delay between 0 and the computed interval"
    # https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
    retry = {
        "ErrorEquals": ["States.ALL"],
        "IntervalSeconds": 5,
        "MaxAttempts": 2,
        "JitterStrategy": "FULL",
    }
    definition = one({"Type": "Task", "Resource": FN + "f", "Retry": [retry], "End": True})
    for _ in range(20):
        c = VirtualClock()
        asl.run(definition, {}, functions={"f": raising(CustomError)}, clock=c)
        assert 0 <= c.elapsed <= 5 + 10


def test_max_attempts_zero_never_retries() -> None:
    # "A MaxAttempts value of zero is permitted and indicates that the error or errors should
    # never be retried." https://states-language.net/spec.html#retrying-after-error
    handler = raising(CustomError)
    retry = {"ErrorEquals": ["CustomError"], "MaxAttempts": 0}
    definition = one({"Type": "Task", "Resource": FN + "f", "Retry": [retry], "End": True})
    result = run(definition, f=handler)
    assert result.status == "FAILED"
    assert handler.calls["n"] == 1


def test_only_the_first_retrier_that_matches_applies() -> None:
    # "the interpreter scans through the Retriers and, when the Error Name appears in the value
    # of a Retrier's ErrorEquals field, implements the retry policy described in that Retrier"
    # https://states-language.net/spec.html#retrying-after-error
    handler = raising(CustomError)
    retry = [
        {"ErrorEquals": ["CustomError"], "MaxAttempts": 1},
        {"ErrorEquals": ["States.ALL"], "MaxAttempts": 5},
    ]
    definition = one({"Type": "Task", "Resource": FN + "f", "Retry": retry, "End": True})
    result = run(definition, f=handler)
    assert result.status == "FAILED"
    assert handler.calls["n"] == 2


def test_a_retried_task_that_then_succeeds_goes_on() -> None:
    # https://states-language.net/spec.html#retrying-after-error
    handler = raising(CustomError, times=2)
    retry = {"ErrorEquals": ["CustomError"], "MaxAttempts": 2}
    definition = one({"Type": "Task", "Resource": FN + "f", "Retry": [retry], "End": True})
    result = run(definition, f=handler)
    assert result.status == "SUCCEEDED"
    assert result.output == {"ok": 3}


# -- Catch ----------------------------------------------------------------------------------


def catching(*catchers: dict[str, Any]) -> dict[str, Any]:
    return one(
        {"Type": "Task", "Resource": FN + "f", "Catch": list(catchers), "End": True},
        A={"Type": "Pass", "Result": "A", "ResultPath": "$.went", "End": True},
        B={"Type": "Pass", "Result": "B", "ResultPath": "$.went", "End": True},
    )


def test_the_first_catcher_that_matches_wins() -> None:
    # "the interpreter scans through the Catchers in array order"
    # https://states-language.net/spec.html#fallback-states
    definition = catching(
        {"ErrorEquals": ["CustomError"], "Next": "A"},
        {"ErrorEquals": ["States.ALL"], "Next": "B"},
    )
    assert run(definition, f=raising(CustomError)).output["went"] == "A"
    assert run(definition, f=raising(OtherError)).output["went"] == "B"


def test_a_catcher_without_result_path_replaces_the_input_by_the_error_output() -> None:
    # "If the Catcher has no ResultPath field, the error output ... becomes the state's
    # output" (ResultPath defaults to $) https://states-language.net/spec.html#fallback-states
    definition = one(
        {
            "Type": "Task",
            "Resource": FN + "f",
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}],
            "End": True,
        },
        Done={"Type": "Succeed"},
    )
    result = run(definition, {"keep": 1}, f=raising(CustomError))
    assert result.status == "SUCCEEDED"
    assert set(result.output) == {"Error", "Cause"}
    assert result.output["Error"] == "CustomError"


def test_a_catcher_result_path_puts_the_error_output_beside_the_input() -> None:
    # "ResultPath ... determines what input the catcher sends to the state specified in Next"
    # https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
    definition = one(
        {
            "Type": "Task",
            "Resource": FN + "f",
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Done"}],
            "End": True,
        },
        Done={"Type": "Succeed"},
    )
    result = run(definition, {"keep": 1}, f=raising(CustomError))
    assert result.output["keep"] == 1
    assert result.output["err"]["Error"] == "CustomError"


def test_retry_runs_out_before_catch_applies() -> None:
    # "If a state has both Retry and Catch fields, Step Functions uses any appropriate
    # Retriers first. If the retry policy fails to resolve the error, Step Functions applies
    # the matching Catcher transition."
    # https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
    handler = raising(CustomError)
    definition = one(
        {
            "Type": "Task",
            "Resource": FN + "f",
            "Retry": [{"ErrorEquals": ["CustomError"], "MaxAttempts": 2, "IntervalSeconds": 1}],
            "Catch": [{"ErrorEquals": ["CustomError"], "Next": "Done"}],
            "End": True,
        },
        Done={"Type": "Succeed"},
    )
    result = run(definition, f=handler)
    assert result.status == "SUCCEEDED"
    assert handler.calls["n"] == 3


def test_a_fail_state_error_is_caught_by_an_enclosing_parallel() -> None:
    # A branch's failure is the Parallel state's failure, which its Catch can handle
    # https://states-language.net/spec.html#parallel-state
    definition = one(
        {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Mine", "Cause": "c"}}}
            ],
            "Catch": [{"ErrorEquals": ["Mine"], "Next": "Done"}],
            "End": True,
        },
        Done={"Type": "Succeed"},
    )
    result = run(definition)
    assert result.status == "SUCCEEDED"
    assert result.output == {"Error": "Mine", "Cause": "c"}


# -- Choice ---------------------------------------------------------------------------------


def choose(rule: dict[str, Any], data: Any) -> str:
    definition = {
        "StartAt": "C",
        "States": {
            "C": {"Type": "Choice", "Choices": [{**rule, "Next": "Yes"}], "Default": "No"},
            "Yes": {"Type": "Pass", "Result": "yes", "End": True},
            "No": {"Type": "Pass", "Result": "no", "End": True},
        },
    }
    result = run(definition, data)
    assert result.status == "SUCCEEDED", result.cause
    return str(result.output)


@pytest.mark.parametrize(
    ("rule", "data", "expected"),
    [
        # String comparisons are by code point: "B" (66) sorts before "a" (97).
        ({"Variable": "$.s", "StringLessThan": "a"}, {"s": "B"}, "yes"),
        ({"Variable": "$.s", "StringGreaterThanEquals": "ab"}, {"s": "ab"}, "yes"),
        ({"Variable": "$.s", "StringLessThan": "abc"}, {"s": "ab"}, "yes"),
        # Numbers compare by value: 1 and 1.0 are equal.
        ({"Variable": "$.n", "NumericEquals": 1}, {"n": 1.0}, "yes"),
        ({"Variable": "$.n", "NumericLessThanPath": "$.m"}, {"n": 1, "m": 2}, "yes"),
        # Timestamps compare as moments, whatever their offsets.
        (
            {"Variable": "$.t", "TimestampEquals": "2020-01-01T00:00:00Z"},
            {"t": "2020-01-01T01:00:00+01:00"},
            "yes",
        ),
        (
            {"Variable": "$.t", "TimestampLessThan": "2020-01-01T00:00:01Z"},
            {"t": "2020-01-01T00:00:00Z"},
            "yes",
        ),
        # A value of another type makes a comparison false, not an error.
        ({"Variable": "$.n", "StringEquals": "1"}, {"n": 1}, "no"),
        ({"Variable": "$.s", "NumericEquals": 1}, {"s": "1"}, "no"),
        ({"Variable": "$.s", "TimestampEquals": "2020-01-01T00:00:00Z"}, {"s": "soon"}, "no"),
        # Type tests.
        ({"Variable": "$.missing", "IsPresent": False}, {}, "yes"),
        ({"Variable": "$.n", "IsNull": True}, {"n": None}, "yes"),
        ({"Variable": "$.n", "IsNumeric": True}, {"n": 2.5}, "yes"),
        ({"Variable": "$.b", "IsBoolean": True}, {"b": False}, "yes"),
        ({"Variable": "$.t", "IsTimestamp": True}, {"t": "2020-01-01T00:00:00Z"}, "yes"),
        ({"Variable": "$.t", "IsTimestamp": True}, {"t": "2020-01-01"}, "no"),
        # StringMatches: * is any run of characters, \\* a literal star.
        ({"Variable": "$.s", "StringMatches": "log-*.txt"}, {"s": "log-2020.txt"}, "yes"),
        ({"Variable": "$.s", "StringMatches": "a\\*b"}, {"s": "a*b"}, "yes"),
        ({"Variable": "$.s", "StringMatches": "a\\*b"}, {"s": "axb"}, "no"),
        # Boolean operators.
        (
            {
                "And": [
                    {"Variable": "$.n", "NumericGreaterThan": 0},
                    {"Not": {"Variable": "$.n", "NumericEquals": 3}},
                ]
            },
            {"n": 2},
            "yes",
        ),
        (
            {"Or": [{"Variable": "$.n", "IsString": True}, {"Variable": "$.n", "IsNull": True}]},
            {"n": 1},
            "no",
        ),
    ],
)
def test_choice_rules_compare_as_the_specification_says(
    rule: dict[str, Any], data: Any, expected: str
) -> None:
    # https://states-language.net/spec.html#choice-state (comparison operators, and "a
    # comparison ... with a value of a different type is false"); StringMatches' escaping:
    # https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
    assert choose(rule, data) == expected


def test_a_choice_with_no_match_and_no_default_fails_with_no_choice_matched() -> None:
    # "If no Choice Rule matches and no Default is specified, the interpreter raises
    # States.NoChoiceMatched" https://states-language.net/spec.html#choice-state
    definition = one(
        {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "E"}]},
        E={"Type": "Succeed"},
    )
    result = run(definition, {"n": 2})
    assert result.status == "FAILED"
    assert result.error == "States.NoChoiceMatched"


# -- Map ------------------------------------------------------------------------------------


def inline_map(**fields: Any) -> dict[str, Any]:
    return one(
        {
            "Type": "Map",
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "I",
                "States": {"I": {"Type": "Pass", "End": True}},
            },
            "End": True,
            **fields,
        }
    )


def test_map_keeps_item_order_whatever_the_concurrency() -> None:
    # "the results of each iteration ... in the same order as the input array"
    # https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html
    result = run(inline_map(MaxConcurrency=2), [3, 1, 2, 5, 4])
    assert result.output == [3, 1, 2, 5, 4]


def test_map_item_selector_reads_the_item_and_its_index_from_the_context() -> None:
    # "$$.Map.Item.Value" and "$$.Map.Item.Index" in ItemSelector
    # https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemselector.html
    fields = {
        "ItemsPath": "$.xs",
        "ItemSelector": {"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index", "k.$": "$.k"},
    }
    result = run(inline_map(**fields), {"xs": ["a", "b"], "k": 9})
    assert result.output == [{"v": "a", "i": 0, "k": 9}, {"v": "b", "i": 1, "k": 9}]


def test_map_over_an_empty_array_outputs_an_empty_array() -> None:
    # https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html
    assert run(inline_map(), []).output == []


def test_map_items_path_to_something_not_an_array_fails_the_state() -> None:
    # "ItemsPath ... must select a JSON array"
    # https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemspath.html
    result = run(inline_map(ItemsPath="$.xs"), {"xs": {"not": "an array"}})
    assert result.status == "FAILED"
    assert result.error == "States.Runtime"


def test_a_distributed_map_without_item_reader_tolerates_failures_up_to_the_count() -> None:
    # "ToleratedFailureCount ... the maximum number of failed items before the Map Run fails"
    # https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
    # (without ItemReader a Distributed Map reads its items from the state input)
    def definition(count: int) -> dict[str, Any]:
        return one(
            {
                "Type": "Map",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "C",
                    "States": {
                        "C": {
                            "Type": "Choice",
                            "Choices": [{"Variable": "$", "NumericEquals": 0, "Next": "Bad"}],
                            "Default": "Good",
                        },
                        "Bad": {"Type": "Fail", "Error": "Zero"},
                        "Good": {"Type": "Succeed"},
                    },
                },
                "ToleratedFailureCount": count,
                "End": True,
            }
        )

    assert run(definition(2), [0, 1, 0, 2]).status == "SUCCEEDED"
    failed = run(definition(1), [0, 1, 0, 2])
    assert failed.status == "FAILED"
    assert failed.error == "States.ExceedToleratedFailureThreshold"


# -- the context object ---------------------------------------------------------------------

CONTEXT_PASS = one({"Type": "Pass", "Parameters": {"execution.$": "$$.Execution"}, "End": True})


def test_the_context_start_time_is_an_iso_8601_moment_with_milliseconds() -> None:
    # "StartTime: When the execution started" in ISO 8601 with milliseconds, e.g.
    # "2019-03-26T20:14:13.192Z"
    # https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html
    c = VirtualClock()
    result = asl.run(CONTEXT_PASS, {}, clock=c)
    assert result.output["execution"]["StartTime"] == "2025-03-01T12:00:00.000Z"


def test_a_standard_execution_reports_its_redrive_count_and_an_express_one_does_not() -> None:
    # "RedriveCount: The number of times this execution has been redriven"; redrive exists
    # for Standard workflows only ("Express workflows can't be redriven")
    # https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html
    # https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html
    standard = asl.run(CONTEXT_PASS, {}, clock=VirtualClock())
    assert standard.output["execution"]["RedriveCount"] == 0
    express = asl.run(
        CONTEXT_PASS, {}, clock=VirtualClock(), context=asl.ExecutionContext(redrive_count=None)
    )
    assert "RedriveCount" not in express.output["execution"]
    assert set(express.output["execution"]) == {"Id", "Input", "Name", "RoleArn", "StartTime"}
