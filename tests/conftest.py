"""Fixtures shared by the Django-side suites: users, API clients, state machines, services."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.executor.definitions import ORDER_DEFINITION


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Engineers and CI share one PostgreSQL server: give each test run its own database so
    two runs never create or drop each other's."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if "postgresql" in database["ENGINE"]:
        base = database.get("TEST", {}).get("NAME") or f"test_{database['NAME']}"
        database.setdefault("TEST", {})["NAME"] = f"{base}_{os.getpid()}"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None) -> Iterator[None]:
    """pytest-django's test database, plus a cleanup before it is dropped: channels runs
    queries in asgiref's executor thread, whose connection outlives the tests and would make
    DROP DATABASE fail (a warning only, leaving a database behind on every run)."""
    yield
    from asgiref.sync import sync_to_async
    from django.db import connections

    # A new loop and no outer async_to_sync: the call runs in that same executor thread.
    asyncio.run(sync_to_async(connections.close_all)())


@pytest.fixture(autouse=True)
def fresh_machine_cache() -> Iterator[None]:
    """The runner keeps parsed machines by version id, which is right while ids are never
    reused. SQLite reuses them after the rollback that ends each test (its AUTOINCREMENT
    counter is rolled back too), so without this a test could run another test's machine."""
    yield
    from executor.runner import machine_for

    machine_for.cache_clear()


@pytest.fixture(autouse=True)
def fresh_local_cache() -> Iterator[None]:
    """The API's rate counts live in the cache, keyed by user id. On SQLite ids come back after
    each test's rollback, so without this one test's requests would count against the next's.
    (Redis is shared with other processes and is left alone: PostgreSQL never reuses an id.)"""
    yield
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()


@pytest.fixture(scope="session")
def production_services() -> None:
    """The integration suites run on the production parts; without them there is nothing to
    integrate with (`make test` always provides them)."""
    from django.conf import settings

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"] or not settings.REDIS_URL:
        pytest.skip("needs DATABASE_URL (PostgreSQL) and REDIS_URL, as `make test` sets them")


@pytest.fixture(scope="session")
def test_database_url(production_services: None, django_db_setup: None) -> str:
    """A URL for other processes to reach the test database pytest-django created."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    credentials = database.get("USER") or "postgres"
    if database.get("PASSWORD"):
        credentials += f":{database['PASSWORD']}"
    return f"postgres://{credentials}@{host}:{port}/{database['NAME']}"


@pytest.fixture
def user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("alice")


@pytest.fixture
def outsider(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("mallory")


def token_for(user: Any) -> str:
    from rest_framework.authtoken.models import Token

    return str(Token.objects.get_or_create(user=user)[0].key)


@pytest.fixture
def token(user: Any) -> str:
    return token_for(user)


def client_for(user: Any) -> Any:
    """A program calling the API with ``user``'s key."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


@pytest.fixture
def api(user: Any) -> Any:
    """A program calling the API with alice's key."""
    return client_for(user)


@pytest.fixture
def outsider_token(outsider: Any) -> str:
    return token_for(outsider)


@pytest.fixture
def outsider_api(outsider: Any) -> Any:
    return client_for(outsider)


@pytest.fixture
def anonymous() -> Any:
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def make_machine(user: Any) -> Callable[..., Any]:
    """Creates alice's state machines through the same action the API uses."""
    from designer.actions import create_state_machine

    def make(name: str = "Orders", definition: dict[str, Any] | None = None) -> Any:
        return create_state_machine(name, definition or ORDER_DEFINITION, owner=user)

    return make
