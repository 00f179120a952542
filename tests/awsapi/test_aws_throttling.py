"""A key's requests count against its user's API_THROTTLE_USER, the same budget as the REST
API's; past it the AWS protocol answers ThrottlingException, which the SDKs back off from."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError
from django.conf import settings
from django.core.cache import cache

from awsapi.keys import create_access_key
from config.throttling import AnonRateThrottle, UserRateThrottle
from tests import servers
from tests.awsapi.conftest import client_for
from tests.conftest import token_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PER_MINUTE = 5
ANON_PER_MINUTE = 3


@pytest.fixture(autouse=True)
def fresh_counts(user: Any) -> None:
    """The rates are counted in Redis, which outlives a test database: another run's user of
    the same id, or another test's refused requests from this address, must not count."""
    cache.delete(UserRateThrottle.cache_format % {"scope": "user", "ident": user.pk})
    cache.delete(AnonRateThrottle.cache_format % {"scope": "anon", "ident": "127.0.0.1"})


@pytest.fixture
def tight_web(test_database_url: str) -> Iterator[str]:
    port = servers.free_port()
    env = servers.environment(
        DATABASE_URL=test_database_url,
        REDIS_URL=settings.REDIS_URL,
        API_THROTTLE_USER=f"{PER_MINUTE}/minute",
        API_THROTTLE_ANON=f"{ANON_PER_MINUTE}/minute",
    )
    with servers.start_daphne(port, env):
        yield f"http://127.0.0.1:{port}"


def test_it_throttles_a_key_with_its_users_rest_budget(tight_web: str, user: Any) -> None:
    key, secret = create_access_key(user)
    sfn = client_for(tight_web, key.access_key_id, secret)
    rest = httpx.Client(
        base_url=f"{tight_web}/api/v1/", headers={"Authorization": f"Token {token_for(user)}"}
    )

    # Part of the budget over REST, the rest over the AWS protocol: one count.
    assert rest.get("state-machines/").status_code == 200
    for _ in range(PER_MINUTE - 1):
        sfn.list_state_machines()
    with pytest.raises(ClientError) as refused:
        sfn.list_state_machines()

    assert refused.value.response["Error"]["Code"] == "ThrottlingException"
    assert rest.get("state-machines/").status_code == 429


def test_it_throttles_refused_signatures_by_address_not_good_ones(
    tight_web: str, user: Any
) -> None:
    key, secret = create_access_key(user)
    forger = client_for(tight_web, key.access_key_id, "not the secret")

    codes = []
    for _ in range(ANON_PER_MINUTE + 1):
        with pytest.raises(ClientError) as refused:
            forger.list_state_machines()
        codes.append(refused.value.response["Error"]["Code"])

    assert codes == ["InvalidSignatureException"] * ANON_PER_MINUTE + ["ThrottlingException"]
    # The key's holder, from the same address, is not held back by the forger.
    assert client_for(tight_web, key.access_key_id, secret).list_state_machines() is not None
