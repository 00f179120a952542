"""TestState: what each inspection level returns, with a mocked result or a mocked error.

The API: https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html;
inspectionData: https://docs.aws.amazon.com/step-functions/latest/apireference/API_InspectionData.html;
errorDetails: https://docs.aws.amazon.com/step-functions/latest/apireference/API_InspectionErrorDetails.html;
the guide: https://docs.aws.amazon.com/step-functions/latest/dg/test-state-isolation.html
"""

from __future__ import annotations

from typing import Any

import pytest

import asl

TASK: dict[str, Any] = {
    "Type": "Task",
    "Resource": "arn:aws:states:::lambda:invoke",
    "InputPath": "$.order",
    "Parameters": {"FunctionName": "price", "Payload.$": "$"},
    "ResultSelector": {"price.$": "$.Payload.price"},
    "ResultPath": "$.priced",
    "Next": "Ship",
}
RESULT = '{"Payload": {"price": 12}}'
INPUT = {"order": {"id": 3}}


@pytest.mark.parametrize("level", ["DEBUG", "TRACE"])
def test_debug_and_trace_show_every_step_of_the_data_flow(level: str) -> None:
    result = asl.test_state(TASK, INPUT, inspection_level=level, mock={"result": RESULT})
    assert (result.status, result.next_state) == ("SUCCEEDED", "Ship")
    # ResultPath places the result in the state's input, not in InputPath's selection:
    # https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html
    assert result.output == {"order": {"id": 3}, "priced": {"price": 12}}
    data = result.inspection_data
    assert data is not None
    assert data["input"] == INPUT
    assert data["afterInputPath"] == {"id": 3}
    assert data["afterParameters"] == {"FunctionName": "price", "Payload": {"id": 3}}
    assert data["result"] == {"Payload": {"price": 12}}
    assert data["afterResultSelector"] == {"price": 12}
    assert data["afterResultPath"] == {"order": {"id": 3}, "priced": {"price": 12}}


def test_info_shows_the_outcome_without_inspection_data() -> None:
    result = asl.test_state(TASK, INPUT, inspection_level="INFO", mock={"result": RESULT})
    assert (result.status, result.output, result.inspection_data) == (
        "SUCCEEDED",
        {"order": {"id": 3}, "priced": {"price": 12}},
        None,
    )


def test_a_mocked_error_a_retrier_matches_is_retriable_with_an_integer_backoff() -> None:
    # retryBackoffIntervalSeconds is an Integer (API_InspectionErrorDetails).
    state = {**TASK, "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 3, "BackoffRate": 1.5}]}
    result = asl.test_state(
        state,
        INPUT,
        inspection_level="DEBUG",
        mock={"errorOutput": {"error": "Busy", "cause": "try later"}},
    )
    assert (result.status, result.error, result.cause, result.next_state) == (
        "RETRIABLE",
        "Busy",
        "try later",
        None,
    )
    assert result.inspection_data is not None
    details = result.inspection_data["errorDetails"]
    assert details == {
        "error": "Busy",
        "cause": "try later",
        "retryIndex": 0,
        "retryBackoffIntervalSeconds": 3,
    }
    assert type(details["retryBackoffIntervalSeconds"]) is int


def test_a_mocked_error_a_catcher_matches_is_caught_and_goes_to_its_next() -> None:
    state = {
        **TASK,
        "Catch": [
            {"ErrorEquals": ["Other"], "Next": "Never"},
            {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Recover"},
        ],
    }
    result = asl.test_state(
        state,
        INPUT,
        inspection_level="DEBUG",
        mock={"errorOutput": {"error": "Broken", "cause": "no price"}},
    )
    assert (result.status, result.next_state) == ("CAUGHT_ERROR", "Recover")
    assert result.output == {**INPUT, "error": {"Error": "Broken", "Cause": "no price"}}
    assert result.inspection_data is not None
    assert result.inspection_data["errorDetails"]["catchIndex"] == 1


def test_a_mocked_error_nothing_handles_fails_the_state() -> None:
    result = asl.test_state(
        TASK, INPUT, inspection_level="INFO", mock={"errorOutput": {"error": "E", "cause": "c"}}
    )
    assert (result.status, result.error, result.cause, result.next_state) == (
        "FAILED",
        "E",
        "c",
        None,
    )


def test_states_runtime_is_not_caught_by_states_all_in_test_state_either() -> None:
    # https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html:
    # States.ALL cannot catch States.Runtime. The mocked result has no Payload, so the
    # ResultSelector's path fails.
    state = {**TASK, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Recover"}]}
    result = asl.test_state(state, INPUT, inspection_level="INFO", mock={"result": "{}"})
    assert (result.status, result.error) == ("FAILED", "States.Runtime")
