"""Schemathesis against a real server: every operation of the OpenAPI schema the server serves,
fed generated valid and invalid requests for a bounded time. No answer may be a 5xx, and every
answer must be one the schema documents: its status, its content type and its body.

The server is the embedded default started as `make run` starts it (`manage.py serve`, its
worker in a thread), on SQLite and, when DATABASE_URL names PostgreSQL (`make test`), on a
PostgreSQL database of its own too: NUL bytes and lone surrogates fail differently there.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import dj_database_url
import httpx
import psycopg
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core import NOT_SET
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import servers
from tests.executor.definitions import APPROVAL, HELLO_DEFINITION, ORDER_DEFINITION

pytestmark = pytest.mark.integration

# The budget: examples per operation and generation mode (valid and invalid requests), on
# top of Schemathesis's coverage cases: about 800 requests to 19 operations per database,
# under a minute each on a 2-core machine.
MAX_EXAMPLES = 20
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
ACTIVITY = "schemathesis-activity"
ACTIVITY_MACHINE: dict[str, Any] = {
    "StartAt": "Work",
    "States": {
        "Work": {
            "Type": "Task",
            "Resource": f"arn:aws:states:us-east-1:123456789012:activity:{ACTIVITY}",
            "End": True,
        }
    },
}
# A long poll that waits a minute proves no more than one that waits a moment; the run has a
# time budget.
LONGEST_POLL = 0.5


@dataclass
class Server:
    """A running server, its user's key, and the resources seeded for the requests to reach."""

    address: str
    key: str
    process: servers.Process
    machines: list[str] = field(default_factory=list)
    executions: list[str] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    sent: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


@contextlib.contextmanager
def own_postgres_database(name: str) -> Iterator[str | None]:
    """A fresh PostgreSQL database on the server DATABASE_URL names, dropped afterwards; None
    without one. Not the test database: the server's commits would outlive every test."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield None
        return
    config = dj_database_url.parse(url)
    maintenance = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"] or "postgres",
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**maintenance) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(**maintenance) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed(server: Server) -> None:
    """A user's machines, some runs, and tasks waiting for answers."""
    with httpx.Client(
        base_url=f"http://{server.address}/api/v1/",
        headers={"Authorization": f"Token {server.key}"},
        timeout=30,
    ) as http:
        for name, definition, kind in (
            ("Orders", ORDER_DEFINITION, "STANDARD"),
            ("Approvals", APPROVAL, "STANDARD"),
            ("Activities", ACTIVITY_MACHINE, "STANDARD"),
            ("Hello", HELLO_DEFINITION, "EXPRESS"),
        ):
            created = http.post(
                "state-machines/", json={"name": name, "definition": definition, "type": kind}
            )
            assert created.status_code == 201, created.text
            server.machines.append(name)
        for machine, run_input in (
            ("Orders", {"quantity": 1}),
            ("Orders", {"quantity": 99}),
            ("Approvals", {}),
            ("Approvals", {}),
            ("Activities", {"job": 1}),
        ):
            started = http.post(f"state-machines/{machine}/executions/", json={"input": run_input})
            assert started.status_code == 201, started.text
            server.executions.append(started.json()["id"])
        deadline = time.monotonic() + 30
        while len(server.tokens) < 2 and time.monotonic() < deadline:
            server.tokens = [
                task["task_token"]
                for execution_id in server.executions
                for task in http.get(f"executions/{execution_id}/pending-tasks/").json()[
                    "pending_tasks"
                ]
                if task["kind"] == "callback"
            ]
            time.sleep(0.1)
        assert len(server.tokens) == 2, server.process.log_tail()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    directory: Path = tmp_path_factory.mktemp("schemathesis")
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            database_url = f"sqlite:///{directory / 'db.sqlite3'}"
        else:
            postgres = stack.enter_context(
                own_postgres_database(f"statecraft_schemathesis_{os.getpid()}")
            )
            if postgres is None:
                pytest.skip("needs DATABASE_URL (PostgreSQL), as `make test` sets it")
            database_url = postgres
        env = servers.environment(
            DATABASE_URL=database_url,
            ADMIN_PASSWORD_FILE=str(directory / "admin-password"),
            # A generated PUT may give the EXPRESS machine a definition that waits for a
            # person: a synchronous run of it then waits this long (300 s by default).
            SYNC_EXECUTION_TIMEOUT_SECONDS="3",
        )
        servers.manage("migrate", "--verbosity", "0", env=env)
        servers.manage(
            "shell",
            "-c",
            "from django.contrib.auth.models import User; User.objects.create_user('alice')",
            env=env,
        )
        key = servers.manage("createapikey", "alice", env=env).strip().splitlines()[-1]
        port = servers.free_port()
        process = stack.enter_context(servers.start_serve(port, env))
        running = Server(f"127.0.0.1:{port}", key, process)
        seed(running)
        yield running
        # Shown even when the run passes and pytest captures the output.
        capture = request.config.pluginmanager.get_plugin("capturemanager")
        with capture.global_and_fixture_disabled():
            print(
                f"\nSchemathesis on {request.param}: {running.sent} requests, "
                f"statuses {dict(sorted(running.statuses.items()))}"
            )


def known(values: list[str], key: str) -> st.SearchStrategy[dict[str, str]]:
    return st.sampled_from(values).map(lambda value: {key: value})


def overriding(
    generated: st.SearchStrategy[dict[str, Any]], known: st.SearchStrategy[dict[str, str]]
) -> st.SearchStrategy[dict[str, Any]]:
    """Generated path parameters with some replaced by known ones; the others (a grant's id
    beside a machine's name) stay as generated."""
    # Schemathesis wraps what it generates (GeneratedValue): the parameters are its value.
    return st.tuples(generated, known).map(
        lambda pair: {**getattr(pair[0], "value", pair[0]), **pair[1]}
    )


@pytest.fixture(scope="module")
def api_schema(server: Server) -> Any:
    config = SchemathesisConfig.from_dict(
        {
            "headers": {"Authorization": f"Token {server.key}"},
            "request-timeout": 30,
            "generation": {"mode": "all", "max-examples": MAX_EXAMPLES},
        }
    )
    schema = schemathesis.openapi.from_url(
        f"http://{server.address}/api/v1/schema/?format=json", config=config
    )
    schema.config.update(base_url=f"http://{server.address}")

    # Random names and ids reach nothing but 404s: half the requests name what exists.
    @schema.hook
    def before_generate_path_parameters(context: Any, strategy: Any) -> Any:
        path = context.operation.path
        if context.operation.method.upper() == "DELETE" and path in (
            "/api/v1/state-machines/{name}/",
            "/api/v1/activities/{name}/",
        ):
            # Deleting a seeded machine or activity would leave the rest of the run only 404s.
            return strategy
        if "{name}" in path and "activities" not in path:
            return st.one_of(strategy, overriding(strategy, known(server.machines, "name")))
        if "{name}" in path:
            return st.one_of(strategy, overriding(strategy, st.just({"name": ACTIVITY})))
        if "{execution_id}" in path:
            return st.one_of(
                strategy, overriding(strategy, known(server.executions, "execution_id"))
            )
        return strategy

    # Random definitions are never valid ASL and random tokens were never issued: generated
    # bodies get some fields the server knows, and strings that have broken servers before.
    @schema.hook
    def flatmap_body(context: Any, body: Any) -> Any:
        fields = meaningful_fields(context.operation.label, server)
        if fields is None or not isinstance(body, dict):
            return st.just(body)
        some_or_all = st.fixed_dictionaries({}, optional=fields) | st.fixed_dictionaries(fields)
        return some_or_all.map(lambda known: {**body, **known})

    # PostgreSQL refuses U+0000 even in a query's parameters, where generated values lack it.
    @schema.hook
    def flatmap_query(context: Any, query: Any) -> Any:
        names = [parameter.name for parameter in context.operation.query]
        if not names or not isinstance(query, dict):
            return st.just(query)
        nul = st.sampled_from(["\x00", "RUNNING\x00", "1\x00"])
        return st.just(query) | st.fixed_dictionaries({}, optional=dict.fromkeys(names, nul)).map(
            lambda hostile: {**query, **hostile}
        )

    return schema


DEFINITIONS = [ORDER_DEFINITION, HELLO_DEFINITION, APPROVAL, ACTIVITY_MACHINE]
# A lone surrogate and U+0000: JSON can carry both, and neither database stores them.
HOSTILE = st.sampled_from(["\ud800", "a\udfffb", "\x00", "nul\x00nul"])
NAMES = st.from_regex(r"\A[A-Za-z0-9_.+=@!()-]{1,80}\Z") | HOSTILE
DEFINITION = st.sampled_from(DEFINITIONS) | st.sampled_from(DEFINITIONS).map(json.dumps)
LAYOUT = st.sampled_from([{}, {"Receive": {"x": 10, "y": 20}}, {"\ud800": {"x": 1, "y": 2}}])
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | HOSTILE,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text() | HOSTILE, inner, max_size=3),
    max_leaves=8,
)


def meaningful_fields(operation: str, server: Server) -> dict[str, Any] | None:
    """Strategies for the body fields of ``operation`` that random data never gets right."""
    definitions = {"definition": DEFINITION}
    runs = {"name": NAMES, "input": JSON}
    return {
        "POST /api/v1/state-machines/": {
            "name": NAMES,
            "type": st.sampled_from(["STANDARD", "EXPRESS"]),
            "layout": LAYOUT,
            **definitions,
        },
        "PUT /api/v1/state-machines/{name}/": {**definitions, "layout": LAYOUT},
        "PUT /api/v1/state-machines/{name}/draft/": {
            # A draft may be anything that is still work: invalid ASL, or half-typed text.
            "definition": DEFINITION | JSON,
            "layout": LAYOUT,
            "revision": st.integers(min_value=0, max_value=3),
        },
        "POST /api/v1/state-machines/{name}/validate/": definitions,
        "POST /api/v1/state-machines/{name}/data-shapes/": {**definitions, "input": JSON},
        "PUT /api/v1/state-machines/{name}/sample-input/": {"input": JSON},
        "POST /api/v1/state-machines/{name}/executions/": runs,
        "POST /api/v1/state-machines/{name}/sync-executions/": runs,
        "POST /api/v1/executions/{execution_id}/stop/": {"error": NAMES, "cause": NAMES},
        "POST /api/v1/task-tokens/success/": {
            "taskToken": st.sampled_from(server.tokens),
            "output": JSON,
        },
        "POST /api/v1/task-tokens/failure/": {
            "taskToken": st.sampled_from(server.tokens),
            "error": NAMES,
            "cause": NAMES,
        },
        "POST /api/v1/task-tokens/heartbeat/": {"taskToken": st.sampled_from(server.tokens)},
        "POST /api/v1/activities/{name}/tasks/": {"workerName": NAMES},
    }.get(operation)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    deadline=None,
    # The server is slower than Hypothesis expects of a function, and most invalid requests
    # are filtered by design; neither is a fault of the API.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_it_answers_every_request_as_its_schema_says(case: Any, server: Server) -> None:
    if case.path.endswith("/tasks/"):
        if case.body is NOT_SET:  # the API's default wait: a minute
            case.body, case.media_type = {}, "application/json"
        wait = case.body.get("wait", 60) if isinstance(case.body, dict) else None
        if isinstance(wait, int | float) and not isinstance(wait, bool) and 0 <= wait <= 60:
            case.body["wait"] = min(wait, LONGEST_POLL)
    response = case.call()
    server.sent += 1
    server.statuses[response.status_code] = server.statuses.get(response.status_code, 0) + 1
    try:
        case.validate_response(response, checks=CHECKS)
    except Exception:
        print(server.process.log_tail(3000))
        raise


def test_it_stored_nothing_that_cannot_be_read_back(server: Server) -> None:
    """After the fuzzing, every list and every seeded run still reads (a stored lone
    surrogate once broke a machine's list for everyone)."""
    with httpx.Client(
        base_url=f"http://{server.address}/api/v1/",
        headers={"Authorization": f"Token {server.key}"},
        timeout=30,
    ) as http:
        listed = http.get("state-machines/")
        assert listed.status_code == 200, server.process.log_tail()
        for machine in listed.json()["state_machines"]:
            sample = http.get(f"state-machines/{quote(machine['name'])}/sample-input/")
            assert sample.status_code == 200, (machine, sample.text)
            runs = http.get(f"state-machines/{quote(machine['name'])}/executions/")
            assert runs.status_code == 200, (machine, runs.text)
            for run in runs.json()["executions"]:
                history = http.get(f"executions/{run['id']}/history/")
                assert history.status_code == 200, (run, history.text)


def test_it_reached_the_api_rather_than_its_refusals(server: Server) -> None:
    """A run that only met 404s or the throttle would pass and prove nothing."""
    assert server.sent > 300
    assert server.statuses.get(429, 0) < server.sent / 10, server.statuses
    assert server.statuses.get(200, 0) + server.statuses.get(201, 0) > server.sent / 10
    assert server.statuses.get(201, 0) > 0, "no request created anything"


def test_it_documents_every_route_of_the_api(api_schema: Any) -> None:
    """Schemathesis tests only what the schema names: a route it leaves out goes untested."""
    from awsapi import rest_urls as awsapi_urls
    from designer import api_urls as designer_urls
    from executor import api_urls as executor_urls

    routes = {
        "/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        for pattern in [
            *designer_urls.urlpatterns,
            *executor_urls.urlpatterns,
            *awsapi_urls.urlpatterns,
        ]
    }
    documented = set(api_schema.raw_schema["paths"]) - {"/api/v1/schema/"}
    assert documented == routes
