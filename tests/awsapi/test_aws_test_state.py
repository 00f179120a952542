"""TestState over the AWS protocol, with boto3
(https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html)."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sync_sfn(make_client: Any, user: Any) -> Any:
    # TestState is served at sync-states.REGION.amazonaws.com on AWS: no prefix locally.
    return make_client(user, inject_host_prefix=False)


def test_it_tests_a_pass_state_with_inspection_data(sync_sfn: Any) -> None:
    state = {
        "Type": "Pass",
        "InputPath": "$.order",
        "Parameters": {"total.$": "$.price"},
        "ResultPath": "$.bill",
        "Next": "Ship",
    }

    tested = sync_sfn.test_state(
        definition=json.dumps(state),
        input=json.dumps({"order": {"price": 5}}),
        inspectionLevel="DEBUG",
    )

    assert tested["status"] == "SUCCEEDED"
    assert tested["nextState"] == "Ship"
    # ResultPath writes into the state's raw input, not what InputPath selected (ASL spec).
    assert json.loads(tested["output"]) == {"order": {"price": 5}, "bill": {"total": 5}}
    assert json.loads(tested["inspectionData"]["afterInputPath"]) == {"price": 5}
    assert json.loads(tested["inspectionData"]["afterParameters"]) == {"total": 5}


def test_it_tests_a_task_with_a_mocked_error_caught(sync_sfn: Any) -> None:
    state = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "charge"},
        "Catch": [{"ErrorEquals": ["Declined"], "Next": "Sorry"}],
        "End": True,
    }

    tested = sync_sfn.test_state(
        definition=json.dumps(state),
        input="{}",
        mock={"errorOutput": {"error": "Declined", "cause": "no money"}},
    )

    assert tested["status"] == "CAUGHT_ERROR"
    assert tested["nextState"] == "Sorry"
    assert (tested["error"], tested["cause"]) == ("Declined", "no money")


def test_it_refuses_an_invalid_state(sync_sfn: Any) -> None:
    with pytest.raises(sync_sfn.exceptions.InvalidDefinition):
        sync_sfn.test_state(definition=json.dumps({"Type": "Nope"}), input="{}")
