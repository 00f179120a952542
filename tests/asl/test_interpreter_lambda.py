"""Lambda's presentation of results and errors (asl.runner.invoke_function)."""

from __future__ import annotations

import json
from typing import Any

from asl.interpreter import Invoke
from asl.runner import invoke_function
from tests.asl.clock import VirtualClock

FUNCTION_ARN = "arn:aws:lambda:eu-west-1:111122223333:function:shout"
SERVICE = "arn:aws:states:::lambda:invoke"


def shout(event: Any, context: Any) -> Any:
    return {"said": str(event).upper()}


class OrderRejected(Exception):
    pass


def reject(event: Any, context: Any) -> Any:
    raise OrderRejected("no stock")


def invoke(resource: str, payload: Any, **fields: Any) -> Invoke:
    return Invoke("i1", "State", resource, payload, **fields)


def test_it_returns_a_function_s_value_as_the_task_result() -> None:
    answer = invoke_function(shout, "shout", invoke(FUNCTION_ARN, "hi"))
    assert answer == {"result": {"said": "HI"}}


def test_it_wraps_the_value_in_an_invoke_response_for_lambda_invoke() -> None:
    request = invoke(SERVICE, {"FunctionName": "shout", "Payload": "hi"})
    result = invoke_function(shout, "shout", request)["result"]
    assert result["Payload"] == {"said": "HI"}
    assert (result["StatusCode"], result["ExecutedVersion"]) == (200, "$LATEST")
    headers = result["SdkHttpMetadata"]["HttpHeaders"]
    assert headers["Content-Length"] == str(len(json.dumps({"said": "HI"})))
    assert result["SdkHttpMetadata"]["AllHttpHeaders"]["Content-Type"] == ["application/json"]


def test_it_reports_a_raised_exception_as_a_lambda_function_error() -> None:
    answer = invoke_function(reject, "reject", invoke(FUNCTION_ARN, {}))
    assert answer["error"] == "OrderRejected"
    cause = json.loads(answer["cause"])
    assert (cause["errorType"], cause["errorMessage"]) == ("OrderRejected", "no stock")
    assert cause["stackTrace"]


def test_it_reports_a_missing_function_as_resource_not_found_with_its_arn() -> None:
    answer = invoke_function(None, "shout", invoke(FUNCTION_ARN, {}))
    assert answer["error"] == "Lambda.ResourceNotFoundException"
    assert answer["cause"].startswith(
        "Function not found: arn:aws:lambda:eu-west-1:111122223333:function:shout:$LATEST "
        "(Service: AWSLambda; Status Code: 404;"
    )


def test_it_times_a_call_out_when_it_outlasts_timeout_seconds() -> None:
    clock = VirtualClock()

    def slow(event: Any, context: Any) -> Any:
        clock.sleep(11)
        return event

    answer = invoke_function(
        slow, "slow", invoke(FUNCTION_ARN, {}, timeout_seconds=10), clock=clock
    )
    assert answer == {"error": "States.Timeout", "cause": None}
    quick = invoke_function(slow, "slow", invoke(FUNCTION_ARN, 1, timeout_seconds=12), clock=clock)
    assert quick == {"result": 1}
