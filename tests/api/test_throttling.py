"""Each user may make API_THROTTLE_USER requests; past that the API answers 429 with a code and
a Retry-After header, and other users are not held up. The count lives in a shared cache: in
production two web processes count the same requests.

The rates are read when a process starts, so each test starts real servers with a low one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests import servers

RATE = "5/minute"


def client(address: str, key: str) -> httpx.Client:
    return httpx.Client(
        base_url=f"http://{address}/api/v1/",
        headers={"Authorization": f"Token {key}"},
        timeout=30,
    )


def assert_throttled(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    body = response.json()
    assert body["code"] == "ThrottlingException"
    assert "throttled" in body["message"].lower()
    assert 0 < int(response.headers["Retry-After"]) <= 60


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """The embedded default (local-memory cache) with two users' keys."""
    env = servers.environment(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REDIS_URL=None,
        ADMIN_PASSWORD_FILE=str(tmp_path / "admin-password"),
        API_THROTTLE_USER=RATE,
    )
    servers.manage("migrate", "--verbosity", "0", env=env)
    servers.manage("bootstrap", env=env)
    servers.manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; User.objects.create(username='bob')",
        env=env,
    )
    keys = [servers.manage("createapikey", name, env=env).split()[-1] for name in ("admin", "bob")]
    port = servers.free_port()
    with servers.start_serve(port, env):
        yield f"127.0.0.1:{port}", keys[0], keys[1]


def test_it_throttles_a_user_past_the_rate_and_not_the_others(
    embedded: tuple[str, str, str],
) -> None:
    address, admin, bob = embedded
    with client(address, admin) as api, client(address, bob) as other:
        statuses = [api.get("state-machines/").status_code for _ in range(5)]
        assert statuses == [200] * 5
        assert_throttled(api.get("state-machines/"))
        assert_throttled(api.post("state-machines/", json={"name": "X", "definition": {}}))
        assert other.get("state-machines/").status_code == 200


@pytest.mark.integration
def test_it_counts_one_users_requests_across_web_processes_in_redis(
    transactional_db: None, test_database_url: str, user: Any, token: str
) -> None:
    from django.conf import settings
    from django.core.cache import cache

    from config.throttling import UserRateThrottle

    # A run before this one may have left a count for the same user id in the shared Redis.
    cache.delete(UserRateThrottle.cache_format % {"scope": "user", "ident": user.pk})
    env = servers.environment(
        DATABASE_URL=test_database_url, REDIS_URL=settings.REDIS_URL, API_THROTTLE_USER=RATE
    )
    ports = [servers.free_port(), servers.free_port()]
    with servers.start_daphne(ports[0], env), servers.start_daphne(ports[1], env):
        clients = [client(f"127.0.0.1:{port}", token) for port in ports]
        statuses = [clients[i % 2].get("state-machines/").status_code for i in range(5)]
        assert statuses == [200] * 5
        assert_throttled(clients[0].get("state-machines/"))
        assert_throttled(clients[1].get("state-machines/"))
        for api in clients:
            api.close()
