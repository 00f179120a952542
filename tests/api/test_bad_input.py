"""Every bad input is a 4xx with a machine-readable code and the field at fault, and nothing
unreadable is stored: lone surrogates, invalid UTF-8, NULs, oversize bodies and definitions.

These run on SQLite (plain pytest) and on PostgreSQL (DATABASE_URL set): the two databases
fail differently on such text, and neither may be reached with it.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from django.test import override_settings

from designer.models import StateMachine, StateMachineVersion
from executor import runner
from executor.models import Execution, PendingTask
from tests.api.test_pending_tasks import APPROVAL
from tests.executor.definitions import HELLO_DEFINITION

pytestmark = pytest.mark.django_db

# JSON text for a lone surrogate: it parses into a Python str that has no UTF-8 encoding.
SURROGATE = '"\\ud800"'
HELLO = json.dumps(HELLO_DEFINITION)


def send(api: Any, method: str, url: str, text: str | bytes) -> Any:
    return api.generic(method, url, text, content_type="application/json")


def assert_refused(response: Any, status: int, code: str, field: str | None) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert isinstance(body["message"], str) and body["message"]
    # One shape for every refusal: nothing but code, message and (when one is at fault) field,
    # besides a definition's diagnostics and a name's suggestion.
    assert set(body) - {"diagnostics", "suggestion"} <= {"code", "message", "field"}, body
    assert body["code"] == code
    assert body.get("field") == field


def assert_every_machine_readable(api: Any) -> None:
    """What is stored can be read back: the list and each machine, through the API."""
    listed = api.get("/api/v1/state-machines/")
    assert listed.status_code == 200
    for machine in listed.json()["state_machines"]:
        assert api.get(f"/api/v1/state-machines/{machine['name']}/").status_code == 200
    for execution in Execution.objects.all():
        assert api.get(f"/api/v1/executions/{execution.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        (f'{{"name": {SURROGATE}, "definition": {HELLO}}}', "InvalidName", "name"),
        (f'{{"name": "A{SURROGATE[1:]}, "definition": {HELLO}}}', "InvalidName", "name"),
        (
            '{"name": "S", "definition": {"Comment": "\\udfff", "StartAt": "A", '
            '"States": {"A": {"Type": "Pass", "End": true}}}}',
            "InvalidDefinition",
            "definition",
        ),
        (
            '{"name": "S", "definition": {"StartAt": "A", '
            '"States": {"A": {"Type": "Pass", "End": true, "Result": {"\\ud83d": 1}}}}}',
            "InvalidDefinition",
            "definition",
        ),
        (
            f'{{"name": "S", "definition": {json.dumps(HELLO)[:-1]}\\ud800"}}',
            "InvalidDefinition",
            "definition",
        ),
        (
            f'{{"name": "S", "definition": {HELLO}, "layout": {{"\\ud800": {{"x": 1, "y": 2}}}}}}',
            "ValidationException",
            "layout",
        ),
    ],
    ids=["name", "name-suffix", "comment", "key", "definition-text", "layout"],
)
def test_it_refuses_a_lone_surrogate_in_a_new_machine_and_stores_nothing(
    api: Any, body: str, code: str, field: str
) -> None:
    assert_refused(send(api, "POST", "/api/v1/state-machines/", body), 400, code, field)
    assert not StateMachine.objects.exists()
    assert_every_machine_readable(api)


def test_it_refuses_a_lone_surrogate_in_a_new_version_and_keeps_the_old_one(
    api: Any, make_machine: Any
) -> None:
    make_machine()
    url = "/api/v1/state-machines/Orders/"
    for body, code, field in [
        ('{"definition": {"Comment": "\\ud800", "StartAt": "A", "States": {"A": '
         '{"Type": "Succeed"}}}}', "InvalidDefinition", "definition"),
        ('{"layout": {"A": {"x": 1, "y": 2, "\\udc00": 3}}}', "ValidationException", "layout"),
    ]:  # fmt: skip
        assert_refused(send(api, "PUT", url, body), 400, code, field)
    assert StateMachineVersion.objects.count() == 1
    assert_every_machine_readable(api)


def test_it_refuses_a_lone_surrogate_in_an_execution_and_stores_nothing(
    api: Any, make_machine: Any
) -> None:
    make_machine()
    url = "/api/v1/state-machines/Orders/executions/"
    for body, code, field in [
        (f'{{"input": {{"who": {SURROGATE}}}}}', "InvalidExecutionInput", "input"),
        (f'{{"input": {{{SURROGATE}: 1}}}}', "InvalidExecutionInput", "input"),
        (f'{{"input": {SURROGATE}}}', "InvalidExecutionInput", "input"),
        (f'{{"name": {SURROGATE}}}', "InvalidName", "name"),
    ]:
        assert_refused(send(api, "POST", url, body), 400, code, field)
    assert not Execution.objects.exists()
    assert_every_machine_readable(api)


def test_it_refuses_a_lone_surrogate_in_a_task_answer_and_keeps_the_task_waiting(
    api: Any, make_machine: Any
) -> None:
    make_machine("Approvals", APPROVAL)
    started = api.post("/api/v1/state-machines/Approvals/executions/", {}, format="json")
    runner.advance(started.json()["id"])
    token = PendingTask.objects.get().token
    for url, body, field in [
        ("success", f'{{"taskToken": "{token}", "output": {{"a": {SURROGATE}}}}}', "output"),
        ("failure", f'{{"taskToken": "{token}", "error": {SURROGATE}}}', "error"),
        ("failure", f'{{"taskToken": "{token}", "cause": {SURROGATE}}}', "cause"),
        ("success", f'{{"taskToken": {SURROGATE}, "output": 1}}', "taskToken"),
        ("heartbeat", f'{{"taskToken": "{token}{SURROGATE[1:]}}}', "taskToken"),
    ]:
        response = send(api, "POST", f"/api/v1/task-tokens/{url}/", body)
        assert response.status_code == 400, (url, body, response.content)
        assert response.json()["field"] == field
        assert response.json()["code"]
    assert PendingTask.objects.get().answered_at is None
    assert_every_machine_readable(api)


def test_it_refuses_a_lone_surrogate_in_a_stop_request(api: Any, make_machine: Any) -> None:
    make_machine("Approvals", APPROVAL)
    started = api.post("/api/v1/state-machines/Approvals/executions/", {}, format="json")
    execution_id = started.json()["id"]
    runner.advance(execution_id)
    for field in ("error", "cause"):
        response = send(
            api, "POST", f"/api/v1/executions/{execution_id}/stop/", f'{{"{field}": {SURROGATE}}}'
        )
        assert_refused(response, 400, "ValidationException", field)
    assert Execution.objects.get(pk=execution_id).status == "RUNNING"
    assert_every_machine_readable(api)


@pytest.mark.parametrize(
    "raw",
    [b'{"name": "\xff", "definition": {}}', b'{"name": "\xed\xa0\x80"}', b"\xc3(", b"\x80"],
    ids=["ff", "encoded-surrogate", "truncated", "continuation"],
)
def test_it_refuses_a_body_that_is_not_utf8_naming_the_body(api: Any, raw: bytes) -> None:
    response = send(api, "POST", "/api/v1/state-machines/", raw)
    assert_refused(response, 400, "SerializationException", "body")
    assert not StateMachine.objects.exists()


def test_it_names_the_code_of_each_refusal(api: Any, anonymous: Any, make_machine: Any) -> None:
    make_machine()
    created = {"name": "Orders", "definition": HELLO_DEFINITION}
    assert_refused(
        api.post("/api/v1/state-machines/", created, format="json"),
        409,
        "StateMachineAlreadyExists",
        "name",
    )
    bad = {"name": "Bad", "definition": {"StartAt": "Nowhere", "States": {}}}
    assert_refused(
        api.post("/api/v1/state-machines/", bad, format="json"),
        400,
        "InvalidDefinition",
        "definition",
    )
    url = "/api/v1/state-machines/Orders/executions/"
    assert api.post(url, {"name": "once"}, format="json").status_code == 201
    # The same name with other input (the same input answers with the running execution).
    assert_refused(
        api.post(url, {"name": "once", "input": {"other": 1}}, format="json"),
        409,
        "ExecutionAlreadyExists",
        "name",
    )
    assert_refused(
        api.post(url, {"input": {"a\x00": 1}}, format="json"), 400, "InvalidExecutionInput", "input"
    )
    assert_refused(
        api.get("/api/v1/state-machines/Missing/"), 404, "StateMachineDoesNotExist", None
    )
    assert_refused(
        api.get("/api/v1/executions/00000000-0000-0000-0000-000000000000/"),
        404,
        "ExecutionDoesNotExist",
        None,
    )
    assert_refused(
        anonymous.get("/api/v1/state-machines/"), 401, "MissingAuthenticationTokenException", None
    )
    assert_refused(api.patch("/api/v1/state-machines/Orders/"), 405, "MethodNotAllowed", None)
    assert_refused(api.get("/api/v1/no-such-thing/"), 404, "ResourceNotFound", None)
    assert_refused(
        send(api, "POST", "/api/v1/state-machines/", b'{"name": '),
        400,
        "SerializationException",
        "body",
    )
    assert_refused(
        api.generic("POST", "/api/v1/state-machines/", b"x", content_type="text/csv"),
        415,
        "UnsupportedMediaType",
        "body",
    )


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_it_refuses_an_oversize_body_with_413_before_parsing_it(api: Any) -> None:
    # Not even JSON: a body past the limit is refused for its size before anyone parses it.
    response = send(api, "POST", "/api/v1/state-machines/", b"{" * 10_001)
    assert_refused(response, 413, "PayloadTooLarge", "body")
    within = json.dumps({"name": "Small", "definition": HELLO_DEFINITION}).encode()
    assert send(api, "POST", "/api/v1/state-machines/", within).status_code == 201


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_it_stops_reading_a_body_sent_without_a_length_once_it_passes_the_limit() -> None:
    """Through the ASGI application Daphne serves: a chunked body (no Content-Length) of a
    thousand 1 kB chunks is cut off after the limit, and answered 413."""
    from config.asgi import application

    chunks = [b"x" * 1000] * 1000
    read: list[int] = []
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        read.append(1)
        return {"type": "http.request", "body": chunks[len(read) - 1], "more_body": True}

    async def send_message(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/state-machines/",
        "raw_path": b"/api/v1/state-machines/",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    asyncio.run(application(scope, receive, send_message))
    assert sent[0]["status"] == 413
    assert json.loads(sent[1]["body"])["code"] == "PayloadTooLarge"
    assert len(read) <= 11


def padded_definition(size: int) -> dict[str, Any]:
    """A valid definition whose compact JSON text is exactly ``size`` bytes of UTF-8."""
    definition = {**HELLO_DEFINITION, "Comment": ""}
    base = len(json.dumps(definition, separators=(",", ":"), ensure_ascii=False).encode())
    # "é" is two bytes of UTF-8: the limit counts bytes, not characters.
    definition["Comment"] = "é" * ((size - base) // 2) + "x" * ((size - base) % 2)
    assert len(json.dumps(definition, separators=(",", ":"), ensure_ascii=False).encode()) == size
    return definition


def test_it_refuses_a_definition_over_1_mb_as_aws_does(api: Any) -> None:
    """AWS Step Functions service quotas, "Maximum state machine definition size: 1 MB", a
    hard quota: https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html"""
    limit = 1024 * 1024
    for definition in (
        padded_definition(limit + 1),
        json.dumps(padded_definition(limit + 1), separators=(",", ":"), ensure_ascii=False),
        padded_definition(50 * limit // 20),  # 2.5 MB, as the probe sent 50 MB
    ):
        body = {"name": "Big", "definition": definition}
        response = api.post("/api/v1/state-machines/", body, format="json")
        if response.status_code == 413:  # the whole body is over the request limit
            assert_refused(response, 413, "PayloadTooLarge", "body")
        else:
            assert_refused(response, 400, "InvalidDefinition", "definition")
    assert not StateMachine.objects.exists()
    at_limit = {"name": "Big", "definition": padded_definition(limit)}
    assert api.post("/api/v1/state-machines/", at_limit, format="json").status_code == 201
    update = {"definition": padded_definition(limit + 1)}
    assert_refused(
        api.put("/api/v1/state-machines/Big/", update, format="json"),
        400,
        "InvalidDefinition",
        "definition",
    )


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/state-machines/%ED%A0%80/",
        "/api/v1/state-machines/%ED%A0%80/executions/",
        "/api/v1/state-machines/%00/executions/",
        "/api/v1/state-machines/%FF/validate/",
        "/api/v1/executions/%ED%A0%80/",
        "/api/v1/executions/%00/stop/",
        "/api/v1/activities/%ED%A0%80/tasks/",
        "/api/v1/activities/%00/tasks/",
        "/designer/%ED%A0%80/",
        "/designer/%00/",
        "/executions/%ED%A0%80/",
        "/executions/%00/",
        "/api/v1/state-machines/Orders/executions/?status=%00",
        "/api/v1/executions/%00/history/?after=%00",
    ],
)
def test_it_answers_4xx_for_an_unreadable_name_in_a_url(
    api: Any, user: Any, make_machine: Any, path: str
) -> None:
    from django.test import Client

    make_machine()
    signed_in = Client()
    signed_in.force_login(user)
    client = api if path.startswith("/api/") else signed_in
    for method in ("GET", "POST", "PUT"):
        response = client.generic(method, path, b"{}", content_type="application/json")
        assert 400 <= response.status_code < 500, (method, path, response.status_code)
