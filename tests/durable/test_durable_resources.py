"""Task resources and the control endpoints, used over REST as programs and people use them,
against real worker, beat and Daphne processes."""

from __future__ import annotations

import contextlib
import http.server
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests import servers
from tests.durable.conftest import Deployment, create_machine, describe, history, start, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ACCOUNT = "us-east-1:123456789012"
ALLOWED_HOST = "127.0.0.1"
# The one port of it that HTTP tasks may call (the allow-list names scheme, host and port).
ALLOWED_PORT = servers.free_port()
ALLOWED_ORIGIN = f"http://{ALLOWED_HOST}:{ALLOWED_PORT}"
# Loopback too, so the test can listen there, but not on the allow-list.
FORBIDDEN_HOST = "127.0.0.2"


def finished(api: httpx.Client, execution_id: str, timeout: float = 20) -> dict[str, Any]:
    return dict(
        wait_for(
            lambda: (found := describe(api, execution_id))["status"] != "RUNNING" and found,
            f"execution {execution_id} finished",
            timeout,
        )
    )


def pending_token(execution_id: str, state: str, timeout: float = 20) -> str:
    """The task token, as the operator view shows it to a person who approves."""
    from executor.models import PendingTask

    def token() -> str | None:
        return (
            PendingTask.objects.filter(execution_id=execution_id, state_name=state)
            .values_list("token", flat=True)
            .first()
        )

    return str(wait_for(token, f"a task token for {state}", timeout))


def types(events: list[dict[str, Any]]) -> list[str]:
    return [e["type"] for e in events]


@pytest.fixture
def api(deployment: Deployment) -> httpx.Client:
    allowed = {
        "HTTP_TASK_ALLOWED_HOSTS": ALLOWED_ORIGIN,
        "CELERY_SEND_TASK_ALLOWED": "team.tasks.scale",
    }
    deployment.worker(concurrency=2, **allowed)
    deployment.beat()
    return deployment.web(**allowed)


def test_it_resumes_a_wait_for_task_token_state_when_the_token_the_function_got_succeeds(
    api: httpx.Client, tmp_path: Path
) -> None:
    inbox = tmp_path / "approver-inbox"
    create_machine(
        api,
        "Approval",
        {
            "StartAt": "Ask",
            "States": {
                "Ask": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                    "Parameters": {
                        "FunctionName": "hand-over-token",
                        "Payload": {"token.$": "$$.Task.Token", "inbox.$": "$.inbox"},
                    },
                    "ResultPath": "$.answer",
                    "Next": "Done",
                },
                "Done": {"Type": "Succeed"},
            },
        },
    )
    execution_id = start(api, "Approval", {"inbox": str(inbox)})
    token = wait_for(lambda: inbox.exists() and inbox.read_text(), "the token handed over", 20)
    time.sleep(0.5)
    assert describe(api, execution_id)["status"] == "RUNNING", "it did not wait for the token"

    answered = api.post("task-tokens/success/", json={"taskToken": token, "output": {"ok": 1}})

    assert answered.status_code == 200, answered.text
    found = finished(api, execution_id)
    assert found["status"] == "SUCCEEDED"
    assert found["output"] == {"inbox": str(inbox), "answer": {"ok": 1}}
    again = api.post("task-tokens/success/", json={"taskToken": token, "output": {}})
    assert again.status_code == 400 and "taskToken" in again.text


def test_it_fails_a_task_whose_heartbeats_stop_with_states_heartbeat_timeout(
    api: httpx.Client,
) -> None:
    create_machine(
        api,
        "Heartbeats",
        {
            "StartAt": "Work",
            "States": {
                "Work": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                    "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
                    "HeartbeatSeconds": 1,
                    "TimeoutSeconds": 60,
                    "End": True,
                }
            },
        },
    )
    execution_id = start(api, "Heartbeats")
    token = pending_token(execution_id, "Work")
    # Heartbeats every half second keep it alive well past its one-second heartbeat.
    began = time.monotonic()
    while time.monotonic() - began < 3:
        beat = api.post("task-tokens/heartbeat/", json={"taskToken": token})
        assert beat.status_code == 200, beat.text
        time.sleep(0.5)
    assert describe(api, execution_id)["status"] == "RUNNING"
    stopped_beating = time.monotonic()

    found = finished(api, execution_id)

    assert time.monotonic() - stopped_beating < 4
    assert (found["status"], found["error"]) == ("FAILED", "States.HeartbeatTimeout")
    assert "TaskTimedOut" in types(history(api, execution_id))


def activity_worker(api: httpx.Client, activity: str, stop: threading.Event) -> None:
    """An external worker: long-polls for tasks over HTTP and answers each with its token."""
    while not stop.is_set():
        polled = api.post(f"activities/{activity}/tasks/", json={"workerName": "w1", "wait": 1})
        polled.raise_for_status()
        task = polled.json()
        if task["taskToken"] is None:
            continue
        total = sum(task["input"]["numbers"])
        api.post(
            "task-tokens/success/", json={"taskToken": task["taskToken"], "output": {"sum": total}}
        ).raise_for_status()


def test_it_hands_activity_tasks_to_an_external_worker_polling_over_http(
    api: httpx.Client, deployment: Deployment
) -> None:
    create_machine(
        api,
        "Summing",
        {
            "StartAt": "Sum",
            "States": {
                "Sum": {
                    "Type": "Task",
                    "Resource": f"arn:aws:states:{ACCOUNT}:activity:adder",
                    "End": True,
                }
            },
        },
    )
    stop = threading.Event()
    with httpx.Client(base_url=api.base_url, headers=api.headers, timeout=30) as own_client:
        poller = threading.Thread(target=activity_worker, args=(own_client, "adder", stop))
        poller.start()
        try:
            runs = {start(api, "Summing", {"numbers": list(range(n))}): n for n in (3, 5, 10)}
            for execution_id, n in runs.items():
                found = finished(api, execution_id)
                assert (found["status"], found["output"]) == (
                    "SUCCEEDED",
                    {"sum": n * (n - 1) // 2},
                )
                assert types(history(api, execution_id)) == [
                    "ExecutionStarted",
                    "TaskStateEntered",
                    "ActivityScheduled",
                    "ActivityStarted",
                    "ActivitySucceeded",
                    "TaskStateExited",
                    "ExecutionSucceeded",
                ]
        finally:
            stop.set()
            poller.join(10)


def test_it_stops_an_execution_as_aws_does_cancelling_its_tasks_and_children(
    api: httpx.Client,
) -> None:
    waiting_branch = {
        "StartAt": "Wait for approval",
        "States": {
            "Wait for approval": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
                "End": True,
            }
        },
    }
    sleeping_branch = {
        "StartAt": "Sleep",
        "States": {"Sleep": {"Type": "Wait", "Seconds": 3600, "End": True}},
    }
    create_machine(
        api,
        "Stoppable",
        {
            "StartAt": "Both",
            "States": {
                "Both": {
                    "Type": "Parallel",
                    "Branches": [waiting_branch, sleeping_branch],
                    "End": True,
                }
            },
        },
    )
    execution_id = start(api, "Stoppable")
    token = pending_token(execution_id, "Wait for approval")

    stopped = api.post(
        f"executions/{execution_id}/stop/", json={"error": "Operator", "cause": "Not needed."}
    )

    assert stopped.status_code == 200, stopped.text
    assert stopped.json()["status"] == "ABORTED"
    events = history(api, execution_id)
    assert events[-1]["type"] == "ExecutionAborted"
    assert events[-1]["executionAbortedEventDetails"] == {
        "error": "Operator",
        "cause": "Not needed.",
    }
    # Both branches' states were aborted with it.
    assert {"TaskStateAborted", "WaitStateAborted"} <= set(types(events)), types(events)
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    # Its task is cancelled: the token is no longer accepted.
    late = api.post("task-tokens/success/", json={"taskToken": token, "output": {}})
    assert late.status_code == 400, late.text
    # Its children are stopped: nothing happens to it afterwards, and it cannot be stopped twice.
    time.sleep(1.5)
    assert history(api, execution_id) == events
    assert api.post(f"executions/{execution_id}/stop/", json={}).status_code == 409


class Recorder:
    """A listening socket that counts the connections made to it."""

    def __init__(self, host: str) -> None:
        self.sock = socket.socket()
        self.sock.bind((host, 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.accept, daemon=True)
        self.thread.start()

    def accept(self) -> None:
        while not self.stop.is_set():
            with contextlib.suppress(TimeoutError):
                connection, _ = self.sock.accept()
                self.connections += 1
                connection.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(2)
        self.sock.close()


class Answering(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        reply = json.dumps({"received": body, "path": self.path}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def local_server() -> Iterator[int]:
    server = http.server.ThreadingHTTPServer((ALLOWED_HOST, ALLOWED_PORT), Answering)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def http_machine(api: httpx.Client, name: str) -> None:
    create_machine(
        api,
        name,
        {
            "StartAt": "Call",
            "States": {
                "Call": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::http:invoke",
                    "Parameters": {
                        "ApiEndpoint.$": "$.url",
                        "Method": "POST",
                        "RequestBody": {"order": 7},
                    },
                    "End": True,
                }
            },
        },
    )


def test_it_refuses_an_http_task_to_a_host_off_the_allow_list_without_connecting(
    api: httpx.Client,
) -> None:
    recorder = Recorder(FORBIDDEN_HOST)
    try:
        http_machine(api, "Forbidden")
        execution_id = start(api, "Forbidden", {"url": f"http://{FORBIDDEN_HOST}:{recorder.port}/"})
        found = finished(api, execution_id)
    finally:
        recorder.close()
    assert (found["status"], found["error"]) == ("FAILED", "States.Http.Socket")
    assert FORBIDDEN_HOST in found["cause"] and "HTTP_TASK_ALLOWED_HOSTS" in found["cause"]
    assert recorder.connections == 0


def test_it_calls_an_allowed_host_in_an_http_task(api: httpx.Client) -> None:
    with local_server() as port:
        http_machine(api, "Allowed")
        execution_id = start(api, "Allowed", {"url": f"http://{ALLOWED_HOST}:{port}/orders"})
        found = finished(api, execution_id)
    assert found["status"] == "SUCCEEDED", found
    assert found["output"]["StatusCode"] == 201
    assert found["output"]["ResponseBody"] == {"received": {"order": 7}, "path": "/orders"}


def test_it_runs_a_plain_celery_task_by_name_and_resumes_with_its_result(
    api: httpx.Client,
) -> None:
    create_machine(
        api,
        "Scaling",
        {
            "StartAt": "Scale",
            "States": {
                "Scale": {
                    "Type": "Task",
                    "Resource": "celery:send_task",
                    "Parameters": {
                        "Task": "team.tasks.scale",
                        "Args.$": "States.Array($.values)",
                        "Kwargs": {"factor": 10},
                        "Queue": "team",
                    },
                    "ResultPath": "$.result",
                    "End": True,
                }
            },
        },
    )
    execution_id = start(api, "Scaling", {"values": [1, 2, 3]})
    found = finished(api, execution_id)
    assert found["status"] == "SUCCEEDED", found
    assert found["output"] == {"values": [1, 2, 3], "result": {"scaled": [10, 20, 30]}}


def test_it_returns_the_output_of_a_synchronous_express_execution(api: httpx.Client) -> None:
    create_machine(
        api,
        "Quote",
        {
            "StartAt": "Price",
            "States": {
                "Price": {
                    "Type": "Task",
                    "Resource": f"arn:aws:lambda:{ACCOUNT}:function:square",
                    "InputPath": "$.amount",
                    "ResultPath": "$.squared",
                    "Next": "Settle",
                },
                "Settle": {"Type": "Wait", "Seconds": 1, "Next": "Done"},
                "Done": {"Type": "Pass", "End": True},
            },
        },
        type="EXPRESS",
    )
    began = time.monotonic()
    response = api.post("state-machines/Quote/sync-executions/", json={"input": {"amount": 12}})
    assert response.status_code == 200, response.text
    assert 1 <= time.monotonic() - began < 5
    found = response.json()
    assert (found["status"], found["output"]) == ("SUCCEEDED", {"amount": 12, "squared": 144})


def test_it_redrives_a_failed_execution_from_the_state_that_failed(
    api: httpx.Client, tmp_path: Path
) -> None:
    flag = tmp_path / "fixed"
    create_machine(
        api,
        "Flaky",
        {
            "StartAt": "Before",
            "States": {
                "Before": {"Type": "Pass", "Result": {"flag": str(flag)}, "Next": "Fragile"},
                "Fragile": {
                    "Type": "Task",
                    "Resource": f"arn:aws:lambda:{ACCOUNT}:function:fail-unless-file",
                    "End": True,
                },
            },
        },
    )
    execution_id = start(api, "Flaky")
    assert finished(api, execution_id)["status"] == "FAILED"
    flag.write_text("fixed")

    redriven = api.post(f"executions/{execution_id}/redrive/", json={})

    assert redriven.status_code == 200, redriven.text
    found = finished(api, execution_id)
    assert (found["status"], found["output"]) == ("SUCCEEDED", {"fixed": True})
    events = types(history(api, execution_id))
    assert events.count("ExecutionRedriven") == 1
    assert events.count("PassStateEntered") == 1, "the state that succeeded ran again"
