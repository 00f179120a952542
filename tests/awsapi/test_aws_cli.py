"""The AWS CLI (PyPI awscli), unchanged but for --endpoint-url, against a real server: a
deployment script's steps and a listing, with the credentials in the environment as the CLI's
documentation sets them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from awsapi.keys import create_access_key
from tests.awsapi.helpers import HELLO

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# Installed beside the interpreter running the tests (requirements-dev.txt pins it).
AWS = Path(sys.executable).parent / "aws"


def aws(web: str, key: Any, secret: str, *args: str) -> Any:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": "/nonexistent",
        "AWS_ACCESS_KEY_ID": key.access_key_id,
        "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    }
    result = subprocess.run(
        [str(AWS), "stepfunctions", *args, "--endpoint-url", web, "--output", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result


def test_it_serves_the_aws_cli(web: str, user: Any) -> None:
    key, secret = create_access_key(user)

    created = aws(
        web,
        key,
        secret,
        "create-state-machine",
        "--name",
        "Cli",
        "--definition",
        json.dumps(HELLO),
        "--role-arn",
        "arn:aws:iam::123456789012:role/r",
        "--publish",
    )
    listed = aws(web, key, secret, "list-state-machines")
    wrong = aws(web, key, secret + "x", "list-state-machines")

    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["stateMachineVersionArn"].endswith(":stateMachine:Cli:1")
    assert listed.returncode == 0, listed.stderr
    assert [m["name"] for m in json.loads(listed.stdout)["stateMachines"]] == ["Cli"]
    assert wrong.returncode != 0
    assert "InvalidSignatureException" in wrong.stderr
