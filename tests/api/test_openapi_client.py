"""The OpenAPI schema is one a program can use: it validates (openapi-spec-validator), and a
client generated from it by openapi-python-client creates a machine, starts an execution and
reads it back from a real server, with nothing written by hand but the calls."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openapi_spec_validator import validate

from tests import servers

pytestmark = pytest.mark.integration

GENERATOR = Path(sys.executable).parent / "openapi-python-client"
PACKAGE = "statecraft_api_client"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    directory = tmp_path_factory.mktemp("openapi-client")
    env = servers.environment(
        DATABASE_URL=f"sqlite:///{directory / 'db.sqlite3'}",
        REDIS_URL=None,
        ADMIN_PASSWORD_FILE=str(directory / "admin-password"),
    )
    servers.manage("migrate", "--verbosity", "0", env=env)
    servers.manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; User.objects.create_user('carol')",
        env=env,
    )
    key = servers.manage("createapikey", "carol", env=env).strip().splitlines()[-1]
    port = servers.free_port()
    with servers.start_serve(port, env):
        yield f"http://127.0.0.1:{port}", key


@pytest.fixture(scope="module")
def schema(server: tuple[str, str]) -> dict[str, Any]:
    url, key = server
    response = httpx.get(
        f"{url}/api/v1/schema/?format=json", headers={"Authorization": f"Token {key}"}
    )
    assert response.status_code == 200
    return response.json()


def test_the_schema_validates_as_openapi_3(schema: dict[str, Any]) -> None:
    validate(schema)  # raises on the first violation of the OpenAPI 3 specification
    assert schema["openapi"].startswith("3.")


def test_a_generated_client_starts_and_reads_an_execution(
    server: tuple[str, str], schema: dict[str, Any], tmp_path: Path
) -> None:
    url, key = server
    (tmp_path / "schema.json").write_text(json.dumps(schema))
    generated = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            "schema.json",
            "--meta",
            "none",
            "--output-path",
            PACKAGE,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": f"{GENERATOR.parent}:/usr/bin:/bin"},
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        client_module = importlib.import_module(PACKAGE)
        machines = importlib.import_module(f"{PACKAGE}.api.state_machines")
        executions = importlib.import_module(f"{PACKAGE}.api.executions")
        models = importlib.import_module(f"{PACKAGE}.models")
        create = importlib.import_module(f"{machines.__name__}.state_machines_create")
        start = importlib.import_module(f"{machines.__name__}.state_machines_executions_create")
        read = importlib.import_module(f"{executions.__name__}.executions_retrieve")

        client = client_module.AuthenticatedClient(base_url=url, token=key, prefix="Token")
        definition = {
            "StartAt": "Greet",
            "States": {
                "Greet": {
                    "Type": "Pass",
                    "Parameters": {"greeting.$": "States.Format('Hello, {}', $.who)"},
                    "End": True,
                }
            },
        }
        created = create.sync_detailed(
            client=client, body=models.StateMachineIn(name="Generated", definition=definition)
        )
        assert created.status_code == 201, created.content
        started = start.sync_detailed(
            "Generated", client=client, body=models.ExecutionIn(input_={"who": "Ada"})
        )
        assert started.status_code == 201, started.content
        execution = started.parsed
        assert isinstance(execution, models.ExecutionShown)
        deadline = time.monotonic() + 30
        shown = read.sync(str(execution.id), client=client)
        while shown.status.value == "RUNNING" and time.monotonic() < deadline:
            time.sleep(0.1)
            shown = read.sync(str(execution.id), client=client)
        assert isinstance(shown, models.ExecutionDetail)
        assert shown.status.value == "SUCCEEDED"
        assert shown.output == {"greeting": "Hello, Ada"}
        assert shown.state_machine == "Generated"
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith(PACKAGE)]:
            del sys.modules[name]
