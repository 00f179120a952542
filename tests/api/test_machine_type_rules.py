"""The designer checks a definition for its machine's type, and shows what AWS accepts but
fails when it runs as a warning that does not stop a save.

EXPRESS workflows only support request-response integrations:
https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.executor.definitions import HELLO_DEFINITION

pytestmark = pytest.mark.django_db

MACHINES = "/api/v1/state-machines/"

CALLBACK = {
    "StartAt": "Ask",
    "States": {
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "https://sqs.example/q", "MessageBody.$": "$$.Task.Token"},
            "End": True,
        }
    },
}
# Accepted at creation by AWS; the filter's bare word fails when the state runs.
BARE_WORD = {
    "StartAt": "Pick",
    "States": {"Pick": {"Type": "Pass", "Parameters": {"es.$": "$[?(@.code==es)]"}, "End": True}},
}


def create(api: Any, name: str, definition: Any, type: str) -> Any:
    body = {"name": name, "definition": definition, "type": type}
    return api.post(MACHINES, body, format="json")


def test_an_express_machine_refuses_a_callback_task(api: Any) -> None:
    response = create(api, "Quick", CALLBACK, "EXPRESS")
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "definition"
    assert [(d["code"], d["location"]) for d in body["diagnostics"]] == [
        ("NOT_IN_EXPRESS", "/States/Ask/Resource")
    ]


def test_a_standard_machine_takes_the_same_callback_task(api: Any) -> None:
    assert create(api, "Slow", CALLBACK, "STANDARD").status_code == 201


def test_an_express_machine_refuses_a_callback_task_in_a_new_version(api: Any) -> None:
    assert create(api, "Quick", HELLO_DEFINITION, "EXPRESS").status_code == 201
    response = api.put(f"{MACHINES}Quick/", {"definition": CALLBACK}, format="json")
    assert response.status_code == 400
    assert response.json()["diagnostics"][0]["code"] == "NOT_IN_EXPRESS"


def test_validate_checks_for_the_machine_s_type(api: Any) -> None:
    assert create(api, "Quick", HELLO_DEFINITION, "EXPRESS").status_code == 201
    response = api.post(f"{MACHINES}Quick/validate/", {"definition": CALLBACK}, format="json")
    assert response.status_code == 200
    assert response.json()["valid"] is False
    assert response.json()["diagnostics"][0]["severity"] == "error"


def test_a_warning_is_shown_but_does_not_stop_a_save(api: Any) -> None:
    assert create(api, "Pick", BARE_WORD, "STANDARD").status_code == 201
    response = api.post(f"{MACHINES}Pick/validate/", {"definition": BARE_WORD}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is True
    [warning] = body["diagnostics"]
    assert (warning["code"], warning["severity"], warning["location"]) == (
        "PATH_FAILS_AT_RUN_TIME",
        "warning",
        "/States/Pick/Parameters/es.$",
    )
