"""asl.test_state: one state evaluated like AWS's TestState API."""

from __future__ import annotations

import pytest

import asl

FAILING_TASK = {
    "Type": "Task",
    "Resource": "arn:aws:states:::lambda:invoke",
    "Parameters": {"FunctionName": "f", "Payload.$": "$"},
    "End": True,
}
ERROR = {"errorOutput": {"error": "Oops", "cause": "mocked"}}


def test_it_reports_the_data_flow_of_a_pass_state_at_debug_level() -> None:
    state = {
        "Type": "Pass",
        "InputPath": "$.in",
        "Parameters": {"v.$": "$.v"},
        "ResultPath": "$.out",
        "End": True,
    }
    result = asl.test_state(state, {"in": {"v": 1}}, inspection_level="DEBUG")
    assert result.status == "SUCCEEDED"
    assert result.output == {"in": {"v": 1}, "out": {"v": 1}}
    assert result.inspection_data == {
        "input": {"in": {"v": 1}},
        "afterInputPath": {"v": 1},
        "afterParameters": {"v": 1},
        "afterResultSelector": {"v": 1},
        "afterResultPath": {"in": {"v": 1}, "out": {"v": 1}},
    }


def test_it_returns_no_inspection_data_at_info_level() -> None:
    result = asl.test_state({"Type": "Pass", "End": True}, {"a": 1})
    assert (result.status, result.output, result.inspection_data) == ("SUCCEEDED", {"a": 1}, None)


def test_it_names_the_state_a_choice_would_go_to() -> None:
    state = {
        "Type": "Choice",
        "Choices": [{"Variable": "$.n", "NumericGreaterThan": 5, "Next": "Big"}],
        "Default": "Small",
    }
    assert asl.test_state(state, {"n": 9}).next_state == "Big"
    assert asl.test_state(state, {"n": 1}).next_state == "Small"


def test_it_evaluates_a_named_state_of_a_whole_definition() -> None:
    definition = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Result": "from A", "Next": "B"},
            "B": {"Type": "Succeed"},
        },
    }
    result = asl.test_state(definition, {}, state_name="A")
    assert (result.output, result.next_state) == ("from A", "B")


def test_it_rejects_a_state_that_is_not_valid_asl() -> None:
    with pytest.raises(asl.ValidationError) as raised:
        asl.test_state({"Type": "Bogus", "End": True}, {})
    assert raised.value.diagnostics[0].location.endswith("/Type")


def test_it_takes_a_task_result_from_the_mock() -> None:
    result = asl.test_state(FAILING_TASK, {"x": 1}, mock={"result": '{"mocked": true}'})
    assert (result.status, result.output) == ("SUCCEEDED", {"mocked": True})


def test_it_fails_with_the_mocked_error_when_nothing_handles_it() -> None:
    result = asl.test_state(FAILING_TASK, {}, mock=ERROR)
    assert (result.status, result.error, result.cause) == ("FAILED", "Oops", "mocked")


def test_it_reports_a_caught_error_and_the_catcher_s_next_state() -> None:
    state = {**FAILING_TASK, "Catch": [{"ErrorEquals": ["Oops"], "Next": "Recover"}]}
    result = asl.test_state(state, {}, mock=ERROR)
    assert (result.status, result.next_state) == ("CAUGHT_ERROR", "Recover")
    assert result.output == {"Error": "Oops", "Cause": "mocked"}


def test_it_reports_an_error_a_retrier_would_retry_as_retriable() -> None:
    state = {**FAILING_TASK, "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}]}
    result = asl.test_state(state, {}, mock=ERROR, inspection_level="DEBUG")
    assert (result.status, result.error) == ("RETRIABLE", "Oops")
    assert result.inspection_data is not None
    assert result.inspection_data["errorDetails"]["retryIndex"] == 0


def test_it_uses_the_given_variables_and_context() -> None:
    state = {
        "Type": "Pass",
        "Parameters": {"v.$": "$limit", "name.$": "$$.Execution.Name"},
        "End": True,
    }
    result = asl.test_state(
        state, {}, variables={"limit": 3}, context={"Execution": {"Name": "run-1"}}
    )
    assert result.output == {"v": 3, "name": "run-1"}


MAP = {
    "Type": "Map",
    "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
    "End": True,
}


@pytest.mark.parametrize(
    "state",
    [
        MAP,
        {"Type": "Parallel", "Branches": [MAP["ItemProcessor"]], "End": True},
        {"Type": "Task", "Resource": "arn:aws:states:us-east-1:1:activity:review", "End": True},
        {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": "f", "Payload": {"token.$": "$$.Task.Token"}},
            "End": True,
        },
        {
            "Type": "Task",
            "Resource": "arn:aws:states:::states:startExecution.sync:2",
            "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:1:stateMachine:x"},
            "End": True,
        },
    ],
)
def test_it_runs_map_parallel_activities_and_waiting_integrations_only_with_a_mock(
    state: dict[str, object],
) -> None:
    """ "TestState only supports the following when a mock is specified: Activity tasks, .sync
    or .waitForTaskToken service integration patterns, Parallel, or Map states."
    https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html"""
    with pytest.raises(asl.ValidationError) as refused:
        asl.test_state(state, [1, 2])
    assert [(d.code, d.location) for d in refused.value.diagnostics] == [
        ("INVALID_TEST_STATE", "/mock")
    ]
    mocked = asl.test_state(state, [1, 2], mock={"result": "[3]"})
    assert (mocked.status, mocked.output) == ("SUCCEEDED", [3])
