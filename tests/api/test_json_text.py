"""Where AWS's API takes JSON text, the REST API takes the text as the SDKs send it or the JSON
value itself, with the same meaning, under one rule (designer.json_text): a string is JSON
text; any other value is itself; a string value is sent as JSON text.

AWS's members are JSON text: StartExecution's and StartSyncExecution's input
(https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html,
https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartSyncExecution.html),
SendTaskSuccess's output
(https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html) and
TestState's definition, input and variables
(https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html); invalid
text is InvalidExecutionInput, InvalidOutput, InvalidDefinition.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from designer.actions import create_state_machine
from executor import runner
from executor.models import Execution, PendingTask
from tests.api.test_pending_tasks import APPROVAL

pytestmark = pytest.mark.django_db

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
# A value, and the text an SDK sends for it. A string value has no other form than its text:
# sent bare, a string is read as JSON text (so "42" could never mean the string "42").
SAME = [
    ({"a": 1}, '{"a": 1}'),
    ([1, "two"], '[1, "two"]'),
    (42, "42"),
    (True, "true"),
]
STRINGS = [
    ("hello", '"hello"'),
    ("42", '"42"'),
    ('{"a": 1}', '"{\\"a\\": 1}"'),  # a string holding JSON text is sent as text of a string
]


def post(api: Any, url: str, body: dict[str, Any]) -> Any:
    return api.post(url, body, format="json")


def test_a_start_means_the_same_by_value_and_by_text(api: Any, user: Any) -> None:
    create_state_machine("Orders", PASS, owner=user)
    url = "/api/v1/state-machines/Orders/executions/"
    for value, text in SAME:
        by_value = post(api, url, {"input": value})
        by_text = post(api, url, {"input": text})
        assert (by_value.status_code, by_text.status_code) == (201, 201), by_text.content
        assert by_value.json()["input"] == by_text.json()["input"] == value
        stored = Execution.objects.get(pk=by_text.json()["id"]).input
        assert stored == value and type(stored) is type(value)
    for value, text in STRINGS:
        by_text = post(api, url, {"input": text})
        assert by_text.status_code == 201, by_text.content
        assert Execution.objects.get(pk=by_text.json()["id"]).input == value


def test_a_string_that_is_not_json_text_is_refused_as_aws_refuses_it(api: Any, user: Any) -> None:
    create_state_machine("Orders", PASS, owner=user)
    for text in ("hello", "{oops", ""):
        response = post(api, "/api/v1/state-machines/Orders/executions/", {"input": text})
        assert response.status_code == 400, text
        body = response.json()
        assert (body["code"], body["field"]) == ("InvalidExecutionInput", "input")
        assert '"\\"hello\\""' in body["message"], "it says how to send a string value"
    assert not Execution.objects.exists()


def test_a_sync_start_reads_its_input_text(api: Any, user: Any) -> None:
    create_state_machine("Quick", PASS, type="EXPRESS", owner=user)
    url = "/api/v1/state-machines/Quick/sync-executions/"
    done = post(api, url, {"input": '{"a": [1, 2]}'})
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["output"]) == ("SUCCEEDED", {"a": [1, 2]})
    assert post(api, url, {"input": "[1,"}).json()["code"] == "InvalidExecutionInput"


def test_a_start_through_an_alias_reads_its_input_text(api: Any, user: Any) -> None:
    create_state_machine("Orders", PASS, owner=user)
    machine = "/api/v1/state-machines/Orders/"
    assert post(api, machine + "published-versions/", {}).status_code == 201
    made = post(
        api, machine + "aliases/", {"name": "live", "routing": [{"version": 1, "weight": 100}]}
    )
    assert made.status_code == 201, made.content
    for value, text in SAME + STRINGS:
        started = post(api, machine + "aliases/live/executions/", {"input": text})
        assert started.status_code == 201, started.content
        assert started.json()["input"] == value
    refused = post(api, machine + "aliases/live/executions/", {"input": "hello"})
    assert (refused.status_code, refused.json()["code"]) == (400, "InvalidExecutionInput")


def test_a_rerun_reads_its_input_text(api: Any, user: Any) -> None:
    create_state_machine("Orders", PASS, owner=user)
    first = post(api, "/api/v1/state-machines/Orders/executions/", {}).json()
    runner.advance(first["id"])
    url = f"/api/v1/executions/{first['id']}/rerun/"
    rerun = post(api, url, {"state": "P", "input": '{"again": true}'})
    assert rerun.status_code == 201, rerun.content
    assert rerun.json()["input"] == {"again": True}
    refused = post(api, url, {"state": "P", "input": "again"})
    assert (refused.status_code, refused.json()["field"]) == (400, "input")


@pytest.mark.parametrize(
    ("sent", "meant"),
    [*((value, value) for value, _ in SAME[:3]), *((text, value) for value, text in SAME[:3])]
    + [(text, value) for value, text in STRINGS],
)
def test_a_task_output_means_the_same_by_value_and_by_text(
    api: Any, user: Any, sent: Any, meant: Any
) -> None:
    create_state_machine("Approvals", APPROVAL, owner=user)
    started = post(api, "/api/v1/state-machines/Approvals/executions/", {})
    runner.advance(started.json()["id"])
    token = PendingTask.objects.get().token
    answered = post(api, "/api/v1/task-tokens/success/", {"taskToken": token, "output": sent})
    assert answered.status_code == 200, answered.content
    runner.advance(started.json()["id"])
    assert Execution.objects.get(pk=started.json()["id"]).output == {"decision": meant}


def test_a_task_output_that_is_not_json_text_is_invalid_output(api: Any, user: Any) -> None:
    create_state_machine("Approvals", APPROVAL, owner=user)
    started = post(api, "/api/v1/state-machines/Approvals/executions/", {})
    runner.advance(started.json()["id"])
    token = PendingTask.objects.get().token
    refused = post(api, "/api/v1/task-tokens/success/", {"taskToken": token, "output": "yes"})
    assert refused.status_code == 400
    assert (refused.json()["code"], refused.json()["field"]) == ("InvalidOutput", "output")
    assert PendingTask.objects.get().answered_at is None


def test_test_state_reads_input_and_variables_text_by_the_same_rule(api: Any) -> None:
    state = {
        "Type": "Pass",
        "QueryLanguage": "JSONata",
        "Output": "{% [$states.input, $v] %}",
        "End": True,
    }
    answers = [
        post(api, "/api/v1/test-state/", body).json()
        for body in (
            {"definition": state, "input": "hi", "variables": {"v": 1}},  # not JSON text
            {"definition": json.dumps(state), "input": '"hi"', "variables": '{"v": 1}'},
            {"definition": state, "input": '"hi"', "variables": {"v": 1}},
        )
    ]
    assert answers[0]["code"] == "InvalidExecutionInput" and answers[0]["field"] == "input"
    assert answers[1] == answers[2]
    assert answers[1]["output"] == ["hi", 1]


def test_the_sample_input_of_data_shapes_reads_text_too(api: Any, user: Any) -> None:
    create_state_machine("Orders", PASS, owner=user)
    url = "/api/v1/state-machines/Orders/data-shapes/"
    by_text = post(api, url, {"definition": PASS, "input": '"42"'})
    by_value = post(api, url, {"definition": PASS, "input": "42"})
    assert by_text.status_code == 200, by_text.content
    assert by_text.json()["states"] == {"P": "42"}
    assert by_value.json()["states"] == {"P": 42}


def test_the_openapi_schema_documents_the_rule_on_each_such_member(api: Any) -> None:
    schema = api.get("/api/v1/schema/?format=json").json()["components"]["schemas"]
    members = {
        "ExecutionIn": "input",
        "StartIn": "input",
        "RerunIn": "input",
        "SuccessIn": "output",
        "TestStateIn": "variables",
        "DataShapesIn": "input",
    }
    for component, member in members.items():
        assert (
            "a string is always read as JSON text"
            in (schema[component]["properties"][member]["description"])
        ), component
