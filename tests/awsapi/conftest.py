"""boto3 itself against a real Daphne and a real `celery -A config worker`, on PostgreSQL and
Redis: the AWS SDK's own serializer, signer and parser, as an AWS program uses them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from django.conf import settings

from tests import servers

# GetActivityTask waits this long on the test server before an empty answer (AWS: 60 s).
POLL_SECONDS = 2


@pytest.fixture(scope="module")
def web(test_database_url: str) -> Iterator[str]:
    port = servers.free_port()
    env = servers.environment(
        DATABASE_URL=test_database_url,
        REDIS_URL=settings.REDIS_URL,
        AWS_ACTIVITY_POLL_SECONDS=str(POLL_SECONDS),
        API_THROTTLE_USER="100000/second",
    )
    with servers.start_daphne(port, env):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def worker(test_database_url: str) -> Iterator[servers.Process]:
    env = servers.environment(DATABASE_URL=test_database_url, REDIS_URL=settings.REDIS_URL)
    with servers.start_celery_worker(env, concurrency=2) as process:
        yield process


def client_for(web: str, key_id: str, secret: str, **config: Any) -> Any:
    return boto3.client(
        "stepfunctions",
        endpoint_url=web,
        region_name="us-east-1",
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
        # One try: a refusal must reach the test as it came, not after botocore's retries.
        config=Config(retries={"total_max_attempts": 1}, **config),
    )


@pytest.fixture
def make_client(web: str) -> Callable[..., Any]:
    """A boto3 client signing with a new access key of ``user``."""
    from awsapi.keys import create_access_key

    def make(user: Any, **config: Any) -> Any:
        key, secret = create_access_key(user)
        return client_for(web, key.access_key_id, secret, **config)

    return make


@pytest.fixture
def sfn(make_client: Callable[..., Any], user: Any) -> Any:
    """alice's client."""
    return make_client(user)


@pytest.fixture
def outsider_sfn(make_client: Callable[..., Any], outsider: Any) -> Any:
    """mallory's client: she holds no role on alice's machines."""
    return make_client(outsider)
