"""The settings an operator deploys with: the README's production environment passes Django's
deployment check, production refuses to start without a secret key, the embedded default keeps
one of its own, every response carries a strict CSP, and celery beat leaves the checkout clean.

Each check runs `manage.py` (or celery) as a subprocess, so the settings are read from exactly
the environment given, as a deployment would read them.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import stat
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests import servers

README = servers.ROOT / "README.md"


def bare_environment(**variables: str) -> dict[str, str]:
    """Nothing of this process's settings: only what a shell needs, plus ``variables``."""
    return {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **variables}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [servers.PYTHON, "manage.py", *args],
        cwd=servers.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def readme_production_environment() -> dict[str, str]:
    """The variables the README's Production section exports, with a real key for its `...`."""
    section = README.read_text().split("## Production", 1)[1].split("\n## ", 1)[0]
    script = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert script is not None, "the Production section has no sh block"
    variables: dict[str, str] = {}
    for line in script.group(1).splitlines():
        if line.startswith("export "):
            for word in shlex.split(line.removeprefix("export "), comments=True):
                name, value = word.split("=", 1)
                variables[name] = value
    placeholders = [name for name, value in variables.items() if value == "..."]
    assert placeholders == ["SECRET_KEY"], placeholders
    variables["SECRET_KEY"] = secrets.token_urlsafe(50)
    return variables


def test_it_passes_the_deploy_check_with_the_readmes_production_settings() -> None:
    env = readme_production_environment()
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS"} <= env.keys()
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=bare_environment(**env))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "service",
    [
        {"DATABASE_URL": "postgres://statecraft@db.example.com/statecraft"},
        {"REDIS_URL": "redis://redis.example.com:6379/0"},
    ],
    ids=["postgresql", "redis"],
)
def test_it_refuses_to_start_in_production_without_a_secret_key(service: dict[str, str]) -> None:
    result = run_manage("check", env=bare_environment(**service))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Set SECRET_KEY" in result.stderr


def secret_key_of(directory: Path) -> str:
    env = bare_environment(DATABASE_URL=f"sqlite:///{directory / 'db.sqlite3'}")
    command = "from django.conf import settings; print(settings.SECRET_KEY)"
    result = run_manage("shell", "-c", command, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_it_makes_one_secret_key_per_embedded_install_and_keeps_it_beside_the_database(
    tmp_path: Path,
) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    key = secret_key_of(first)
    assert len(key) >= 50
    assert key != "---"
    assert secret_key_of(first) == key
    kept = first / ".secret-key"
    assert kept.read_text().strip() == key
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert secret_key_of(second) != key


def git_status() -> str:
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=servers.ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_it_leaves_no_untracked_files_when_celery_beat_runs_from_the_checkout() -> None:
    before = git_status()
    # As the README runs it: from the checkout, on the embedded default's settings.
    beat = servers.Process(
        "celery-beat",
        [str(servers.BIN / "celery"), "-A", "config", "beat", "--loglevel", "INFO"],
        bare_environment(PYTHONUNBUFFERED="1"),
    )
    try:
        beat.wait_for_log("beat: Starting", timeout=60)
        time.sleep(2)
        log = beat.log()
    finally:
        beat.stop()
    assert "Sending due task sweep" in log or "beat: Starting" in log
    assert git_status() == before


def https_response(path: str, **variables: str) -> dict[str, Any]:
    """The headers and cookies a request over HTTPS gets, in a process whose settings come
    from ``variables``."""
    command = (
        "import json; from django.test import Client; "
        f"r = Client().get({path!r}, secure=True); "
        "print(json.dumps({'headers': dict(r.headers.items()), "
        "'secure': {n: bool(c['secure']) for n, c in r.cookies.items()}}))"
    )
    env = bare_environment(ALLOWED_HOSTS="testserver", **variables)
    result = run_manage("shell", "-c", command, env=env)
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_it_sends_hsts_and_secure_cookies_only_behind_https(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    served = https_response("/accounts/login/", DATABASE_URL=database, HTTPS="true")
    assert served["headers"]["Strict-Transport-Security"].startswith("max-age=31536000")
    assert served["secure"] == {"csrftoken": True}
    plain = https_response("/accounts/login/", DATABASE_URL=database)
    assert "Strict-Transport-Security" not in plain["headers"]
    assert plain["secure"] == {"csrftoken": False}
    proxied = https_response(
        "/accounts/login/",
        DATABASE_URL=database,
        HTTPS="true",
        PROXY_SSL_HEADER="X-Forwarded-Proto",
    )
    assert "Strict-Transport-Security" in proxied["headers"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/api/v1/docs/", "/api/v1/redoc/", "/designer/X/"]
)
def test_it_sends_a_strict_content_security_policy_on_every_page(
    client: Any, user: Any, path: str
) -> None:
    client.force_login(user)
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in client.get(path).headers["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    if not path.startswith("/api/"):  # Swagger UI and Redoc write <style> elements
        assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["connect-src"].split() == ["'self'", "ws://testserver", "wss://testserver"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_it_serves_the_api_documentation_from_this_server_without_inline_scripts(
    client: Any, user: Any, path: str
) -> None:
    client.force_login(user)
    page = client.get(path).content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert sources
    assert all(source.startswith("/") and not source.startswith("//") for source in sources)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "an inline script"
    for source in sources:
        assert client.get(source).status_code == 200, source
