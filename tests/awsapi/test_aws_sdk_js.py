"""The AWS SDK for JavaScript v3 (npm @aws-sdk/client-sfn), unchanged but for its endpoint,
against a real server and worker: tests/awsapi/js/smoke.mjs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from awsapi.keys import create_access_key

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PROGRAM = Path(__file__).parent / "js"


def test_it_serves_the_javascript_sdk(web: str, user: Any, worker: Any) -> None:
    if not (PROGRAM / "node_modules" / "@aws-sdk" / "client-sfn").exists():
        pytest.fail("Install the SDK first: `cd tests/awsapi/js && npm ci` (`make test` does).")
    key, secret = create_access_key(user)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": "/nonexistent",
        "AWS_ENDPOINT_URL_SFN": web,
        "AWS_ACCESS_KEY_ID": key.access_key_id,
        "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    }

    node = shutil.which("node") or "node"
    result = subprocess.run(
        [node, "smoke.mjs"], cwd=PROGRAM, env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {
        "created": "arn:aws:states:us-east-1:123456789012:stateMachine:FromJs",
        "listed": ["FromJs"],
        "status": "SUCCEEDED",
        "output": {"greeting": "hi js"},
        "startDateIsDate": True,
        "missing": "StateMachineDoesNotExist",
    }
