"""What AWS accepts at CreateStateMachine is accepted here too; what AWS accepts but fails when
it runs is accepted with a warning, and fails as AWS does when it runs.

Each test names the page that documents the rule it checks.
"""

from __future__ import annotations

from typing import Any

import pytest

import asl
from asl.jsonpath import compile_path, compile_reference_path
from asl.validate import diagnose, validate

# Jayway JsonPath, the library AWS follows for JSONPath ("Paths" in
# https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html):
# its grammar is in PathCompiler and FilterCompiler (github.com/json-path/JsonPath).
JAYWAY = "https://github.com/json-path/JsonPath"
ITEMS = [{"x": 1, "a": "A1", "b": "B1"}, {"x": -1, "a": "A2", "b": "B2"}]


def pass_with(parameters: Any) -> dict[str, Any]:
    return {
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "Parameters": parameters, "End": True}},
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$.[0]", ITEMS[0]),
        ("$.[1].a", "A2"),
        ("$.[?(@.x > 0)]", [ITEMS[0]]),
        ("$.[*].['a','b']", [{"a": "A1", "b": "B1"}, {"a": "A2", "b": "B2"}]),
        ("$.[*].a", ["A1", "A2"]),
    ],
)
def test_it_reads_a_dot_before_a_bracket_as_jayway_does(text: str, expected: Any) -> None:
    # Jayway's PathCompiler.readDotToken reads the token after '.' like any other token, so
    # '$.[0]' is '$[0]' (JAYWAY).
    assert compile_path(text).evaluate(ITEMS) == expected


def test_it_reads_a_dot_before_a_bracket_inside_a_path() -> None:
    # JAYWAY: '$.a.[0]' is '$.a[0]'; it is definite, so it also works as a ResultPath.
    assert compile_path("$.a.[0]").evaluate({"a": [7, 8]}) == 7
    assert compile_reference_path("$.a.[1]").assign({"a": [7, 8]}, 9) == {"a": [7, 9]}


def test_it_still_refuses_three_dots() -> None:
    # JAYWAY: readDotToken fails on a '.' right after '..'.
    assert validate(pass_with({"v.$": "$...a"}))


@pytest.mark.parametrize("text", ["$.a ", "$.a\n", "$.a\t "])
def test_it_ignores_blanks_after_a_path(text: str) -> None:
    # JAYWAY: PathCompiler.compile trims the path before reading it.
    assert compile_path(text).evaluate({"a": 5}) == 5
    assert validate(pass_with({"v.$": text})) == []


def test_a_definition_with_dotted_brackets_runs_to_the_end() -> None:
    # JAYWAY; the Parameters rule: https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
    result = asl.run(pass_with({"first.$": "$.[0].a", "names.$": "$.[*].['a']"}), ITEMS)
    assert (result.status, result.output) == ("SUCCEEDED", {"first": "A1", "names": ["A1", "A2"]})


def test_it_accepts_a_bare_word_in_a_filter_with_a_warning() -> None:
    # AWS accepts '[?(@.code==es)]' at creation; Jayway's FilterCompiler.readLiteral reads a
    # bare word as a number and fails when the path is compiled, which AWS does when the state
    # runs (JAYWAY). The designer shows the warning.
    definition = pass_with({"v.$": "$[?(@.code==es)]"})
    assert validate(definition) == []
    [warning] = diagnose(definition)
    assert (warning.code, warning.severity, warning.location) == (
        "PATH_FAILS_AT_RUN_TIME",
        "warning",
        "/States/P/Parameters/v.$",
    )
    asl.parse(definition)  # a warning does not stop a parse


def test_a_bare_word_in_a_filter_fails_with_states_runtime_when_it_runs() -> None:
    # JAYWAY, and the States.Runtime error for a path that cannot be evaluated:
    # https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Pass",
                "Parameters": {"v.$": "$[?(@.code==es)]"},
                "End": True,
            }
        },
    }
    result = asl.run(definition, [{"code": "es"}])
    assert result.status == "FAILED"
    assert result.error == "States.Runtime"
    assert "$[?(@.code==es)]" in (result.cause or "")


def test_it_accepts_and_runs_parameters_given_as_an_array() -> None:
    # The specification calls Parameters a JSON object
    # (https://states-language.net/spec.html#parameters) but AWS deploys definitions whose
    # Parameters is an array: it is a payload template, in which every 'key.$' field of an
    # object is replaced (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html).
    definition = pass_with([{"id.$": "$.id"}, "plain", 3])
    assert validate(definition) == []
    result = asl.run(definition, {"id": 7})
    assert (result.status, result.output) == ("SUCCEEDED", [{"id": 7}, "plain", 3])


def test_it_still_refuses_parameters_that_are_neither_object_nor_array() -> None:
    # https://states-language.net/spec.html#parameters
    assert {d.code for d in validate(pass_with("text"))} == {"INVALID_TYPE"}


def test_result_selector_must_still_be_an_object() -> None:
    # https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html#input-output-resultselector
    state = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}
    definition = {"StartAt": "T", "States": {"T": {**state, "ResultSelector": [1]}}}
    assert {d.code for d in validate(definition)} == {"INVALID_TYPE"}


# -- EXPRESS workflows ---------------------------------------------------------------------
# "Express Workflows only support Request Response integrations":
# https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html; nor do they
# support activities: https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html
REFUSED_IN_EXPRESS = [
    "arn:aws:states:::lambda:invoke.waitForTaskToken",
    "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "arn:aws:states:::ecs:runTask.sync",
    "arn:aws:states:::states:startExecution.sync:2",
    "arn:aws:states:us-east-1:123456789012:activity:approve",
]


def task(resource: str) -> dict[str, Any]:
    return {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": resource, "End": True}}}


@pytest.mark.parametrize("resource", REFUSED_IN_EXPRESS)
def test_an_express_machine_refuses_callbacks_jobs_and_activities(resource: str) -> None:
    [problem] = validate(task(resource), "EXPRESS")
    assert (problem.code, problem.location) == ("NOT_IN_EXPRESS", "/States/T/Resource")
    with pytest.raises(asl.ValidationError):
        asl.parse(task(resource), "EXPRESS")


@pytest.mark.parametrize("resource", REFUSED_IN_EXPRESS)
def test_a_standard_machine_accepts_them(resource: str) -> None:
    assert validate(task(resource), "STANDARD") == []
    assert validate(task(resource)) == []


def test_an_express_machine_accepts_request_response_calls() -> None:
    for resource in (
        "arn:aws:states:::lambda:invoke",
        "arn:aws:lambda:us-east-1:123456789012:function:f",
        "arn:aws:states:::aws-sdk:s3:listBuckets",
    ):
        assert validate(task(resource), "EXPRESS") == []


def test_an_express_machine_refuses_them_inside_parallel_and_inline_map() -> None:
    branch = task("arn:aws:states:::lambda:invoke.waitForTaskToken")
    processor = {"StartAt": "U", "States": {"U": branch["States"]["T"]}}
    definition = {
        "StartAt": "Both",
        "States": {
            "Both": {"Type": "Parallel", "Branches": [branch], "Next": "Each"},
            "Each": {"Type": "Map", "ItemProcessor": processor, "End": True},
        },
    }
    found = {(d.code, d.location) for d in validate(definition, "EXPRESS")}
    assert found == {
        ("NOT_IN_EXPRESS", "/States/Both/Branches/0/States/T/Resource"),
        ("NOT_IN_EXPRESS", "/States/Each/ItemProcessor/States/U/Resource"),
    }


def test_a_distributed_map_with_express_children_refuses_them_in_any_machine() -> None:
    # A Distributed Map's child workflows run with ProcessorConfig.ExecutionType:
    # https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
    def distributed(execution_type: str) -> dict[str, Any]:
        return {
            "StartAt": "Each",
            "States": {
                "Each": {
                    "Type": "Map",
                    "ItemProcessor": {
                        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": execution_type},
                        "StartAt": "U",
                        "States": {
                            "U": {
                                "Type": "Task",
                                "Resource": "arn:aws:states:::ecs:runTask.sync",
                                "End": True,
                            }
                        },
                    },
                    "End": True,
                }
            },
        }

    assert [d.code for d in validate(distributed("EXPRESS"), "STANDARD")] == ["NOT_IN_EXPRESS"]
    assert validate(distributed("STANDARD"), "STANDARD") == []


def test_input_result_and_output_paths_take_the_jayway_forms_too() -> None:
    # JAYWAY (trimmed paths, a dot before a bracket), in the data-flow fields:
    # https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Pass",
                "InputPath": "$.a ",
                "ResultPath": "$.r ",
                "OutputPath": "$.r ",
                "Next": "C",
            },
            "C": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.[0] ", "NumericEquals": 1, "Next": "Yes"}],
                "Default": "No",
            },
            "Yes": {"Type": "Succeed"},
            "No": {"Type": "Fail"},
        },
    }
    assert validate(definition) == []
    result = asl.run(definition, {"a": [1]})
    assert (result.status, result.output) == ("SUCCEEDED", [1])


@pytest.mark.parametrize(
    "text", ["$.jobs.sum()", "$.jobs.max()", "$.jobs.avg()", "$.o.keys()", "$.jobs.concat(1)"]
)
def test_jayway_functions_other_than_length_are_accepted_but_never_found(text: str) -> None:
    # AWS accepts '$.Jobs.sum()' and fails at run time: "The JSONPath '$.Jobs.sum()'
    # specified for the field 'Jobs.$' could not be found in the input ..."
    # (https://repost.aws/questions/QUYiQKP0XfThWEc_ahsMnLOA); Jayway's functions: JAYWAY.
    definition = pass_with({"v.$": text})
    assert validate(definition) == []
    assert [d.code for d in diagnose(definition)] == ["PATH_FAILS_AT_RUN_TIME"]
    data = {"jobs": [0, 1], "o": {"a": 1}}
    result = asl.run(definition, data)
    assert (result.status, result.error) == ("FAILED", "States.Runtime")
    assert result.cause == (
        "An error occurred while executing the state 'P' (entered at the event id #2). "
        f"The JSONPath '{text}' specified for the field 'v.$' could not be found in the input "
        '\'{"jobs":[0,1],"o":{"a":1}}\''
    )


def test_length_is_evaluated() -> None:
    # JAYWAY's length(), which Step Functions evaluates.
    result = asl.run(pass_with({"n.$": "$.jobs.length()"}), {"jobs": [0, 1, 2]})
    assert result.output == {"n": 3}


def test_a_function_must_end_the_path() -> None:
    # JAYWAY: "Function of path must be at end of path".
    assert [d.code for d in validate(pass_with({"v.$": "$.jobs.sum().x"}))] == ["INVALID_PATH"]


def items_path(path: str) -> dict[str, Any]:
    processor = {"StartAt": "X", "States": {"X": {"Type": "Pass", "End": True}}}
    map_state = {"Type": "Map", "ItemsPath": path, "ItemProcessor": processor, "End": True}
    return {"StartAt": "M", "States": {"M": map_state}}


# "A reference path ... $.jar[?(@.a >= 5)] => [{"a": 5}, {"a": 7}]"; "Functions such as
# length() aren't supported. Lexical operators, which are non-symbolic, such as subsetof
# aren't supported. Filtering by regular expression or by referencing another value in the
# JSON structure isn't supported":
# https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html
def test_items_path_may_filter_as_the_reference_path_example_does() -> None:
    definition = items_path("$.jar[?(@.a >= 5)]")
    assert validate(definition) == []
    jar = [{"a": 1}, {"a": 5}, {"a": 2}, {"a": 7}, {"a": 3}]
    result = asl.run(definition, {"jar": jar})
    assert (result.status, result.output) == ("SUCCEEDED", [{"a": 5}, {"a": 7}])


@pytest.mark.parametrize(
    ("path", "what"),
    [
        ("$.jar.length()", "a function"),
        ("$.jar[?(@.a subsetof [1])]", "the word operator subsetof"),
        ("$.jar[?(@.name =~ /a.*/)]", "a filter by regular expression"),
        ("$.jar[?(@.a > $.min)]", "a filter that refers to another value"),
    ],
)
def test_items_path_refuses_what_a_reference_path_cannot_use(path: str, what: str) -> None:
    [problem] = validate(items_path(path))
    assert (problem.code, problem.location) == ("INVALID_REFERENCE_PATH", "/States/M/ItemsPath")
    assert what in problem.message
