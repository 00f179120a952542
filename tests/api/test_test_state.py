"""POST /api/v1/test-state/: AWS's TestState over REST, answering as asl.test_state does.

https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import asl

pytestmark = pytest.mark.django_db

TEST_STATE = "/api/v1/test-state/"
# The conformance runner's recorded TestState cases, where this checkout sits beside them.
SHARED_CASES = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "cases.jsonl"


def recorded_cases() -> list[dict[str, Any]]:
    """The recorded cases that need no Lambda stand-in (this server serves its own functions)."""
    if not SHARED_CASES.exists():
        return []
    cases = [json.loads(line) for line in SHARED_CASES.read_text().splitlines() if line]
    return [
        case
        for case in cases
        if case["kind"] == "test_state"
        and (not case.get("lambdas") or (case.get("test_state") or {}).get("mock"))
    ]


OWN_CASES: list[dict[str, Any]] = [
    {
        "definition": {
            "Type": "Pass",
            "InputPath": "$.order",
            "Parameters": {"id.$": "$.id", "total.$": "States.MathAdd($.a, $.b)"},
            "ResultPath": "$.summary",
            "Next": "Ship",
        },
        "input": {"order": {"id": "o-1", "a": 2, "b": 3}},
        "test_state": {"inspectionLevel": "DEBUG"},
    },
    {
        "definition": {
            "StartAt": "Route",
            "States": {
                "Route": {
                    "Type": "Choice",
                    "Choices": [
                        {"Variable": "$.amount", "NumericGreaterThan": 1000, "Next": "Big"}
                    ],
                    "Default": "Small",
                },
                "Big": {"Type": "Succeed"},
                "Small": {"Type": "Succeed"},
            },
        },
        "input": {"amount": 5000},
        "test_state": {"stateName": "Route", "inspectionLevel": "INFO"},
    },
    {
        "definition": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "charge", "Payload.$": "$"},
            "Retry": [{"ErrorEquals": ["Timeout"], "MaxAttempts": 2}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Refund", "ResultPath": "$.err"}],
            "End": True,
        },
        "input": {"amount": 5},
        "test_state": {
            "inspectionLevel": "TRACE",
            "mock": {"errorOutput": {"error": "CardDeclined", "cause": "insufficient funds"}},
        },
    },
]


def as_sdk_sends(case: dict[str, Any]) -> dict[str, Any]:
    """The request as an AWS SDK sends it: definition, input, variables, context as JSON text."""
    options = case.get("test_state") or {}
    request: dict[str, Any] = {
        "definition": json.dumps(case["definition"]),
        "input": json.dumps(case["input"]),
    }
    for field in ("inspectionLevel", "mock", "stateName"):
        if options.get(field) is not None:
            request[field] = options[field]
    for field in ("variables", "context"):
        if options.get(field) is not None:
            request[field] = json.dumps(options[field])
    return request


def engine_answer(case: dict[str, Any]) -> dict[str, Any]:
    options = case.get("test_state") or {}
    result = asl.test_state(
        case["definition"],
        case["input"],
        inspection_level=options.get("inspectionLevel") or "INFO",
        mock=options.get("mock"),
        variables=options.get("variables"),
        context=options.get("context"),
        state_name=options.get("stateName"),
    )
    return {
        "status": result.status,
        "output": result.output,
        "error": result.error,
        "cause": result.cause,
        "nextState": result.next_state,
        "inspectionData": result.inspection_data,
    }


# What differs from one evaluation to the next: request ids, times and the names TestState
# makes up for the machine and execution around the state.
VOLATILE = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"
    r"|TestStateMachine-[0-9a-f]{8}"
)


def comparable(answer: dict[str, Any]) -> Any:
    return json.loads(VOLATILE.sub("*", json.dumps(answer, sort_keys=True, default=str)))


@pytest.mark.parametrize(
    "case", OWN_CASES + recorded_cases(), ids=lambda case: case.get("id", "own")[-60:]
)
def test_it_answers_as_asl_test_state_does(api: Any, case: dict[str, Any]) -> None:
    response = api.post(TEST_STATE, as_sdk_sends(case), format="json")
    assert response.status_code == 200, response.json()
    assert comparable(response.json()) == comparable(engine_answer(case))


def test_it_reports_the_data_flow_step_by_step(api: Any) -> None:
    response = api.post(TEST_STATE, as_sdk_sends(OWN_CASES[0]), format="json")
    answer = response.json()
    assert answer["status"] == "SUCCEEDED"
    assert answer["nextState"] == "Ship"
    assert answer["inspectionData"]["afterInputPath"] == {"id": "o-1", "a": 2, "b": 3}
    assert answer["inspectionData"]["afterParameters"] == {"id": "o-1", "total": 5}
    assert answer["output"]["summary"] == {"id": "o-1", "total": 5}


def test_it_takes_json_values_where_aws_takes_text(api: Any) -> None:
    """The REST API takes the JSON value itself as well as its text, with the same meaning."""
    as_values = {"definition": {"Type": "Pass", "End": True}, "input": {"a": [1, 2]}}
    as_text = {k: json.dumps(v) for k, v in as_values.items()}
    answers = [api.post(TEST_STATE, body, format="json").json() for body in (as_values, as_text)]
    assert answers[0] == answers[1]
    assert answers[0]["output"] == {"a": [1, 2]}


def test_it_serves_lambda_resources_with_the_registered_functions(api: Any) -> None:
    task = {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:echo", "End": True}
    response = api.post(TEST_STATE, {"definition": task, "input": {"hi": 1}}, format="json")
    assert (response.json()["status"], response.json()["output"]) == ("SUCCEEDED", {"hi": 1})


@pytest.mark.parametrize(
    ("request_body", "field"),
    [
        ({"definition": "{not json"}, "definition"),
        ({"definition": {"Type": "Pass", "End": True}, "input": "{oops"}, "input"),
        ({"definition": {"Type": "Nope"}}, "definition"),
        (
            {"definition": {"Type": "Pass", "End": True}, "inspectionLevel": "ALL"},
            "inspectionLevel",
        ),
        ({"definition": {"Type": "Pass", "End": True}, "variables": "[1]"}, "variables"),
        ({"definition": {"Type": "Pass", "End": True}, "stateName": 5}, "stateName"),
        (
            {
                "definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}},
                "stateName": "B",
            },
            "stateName",
        ),
        (
            {
                "definition": {
                    "Type": "Map",
                    "ItemProcessor": {
                        "StartAt": "P",
                        "States": {"P": {"Type": "Pass", "End": True}},
                    },
                    "End": True,
                }
            },
            "mock",
        ),
        ({"definition": {"Type": "Pass", "End": True}, "mock": "yes"}, "mock"),
    ],
)
def test_it_refuses_bad_input_naming_the_field(
    api: Any, request_body: dict[str, Any], field: str
) -> None:
    response = api.post(TEST_STATE, request_body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == field
    # TestState's modelled errors (API_TestState.html, Errors).
    assert response.json()["code"] in (
        "InvalidDefinition",
        "InvalidExecutionInput",
        "ValidationException",
    )


def test_it_needs_a_signed_in_caller(anonymous: Any) -> None:
    response = anonymous.post(
        TEST_STATE, {"definition": {"Type": "Pass", "End": True}}, format="json"
    )
    assert response.status_code == 401
