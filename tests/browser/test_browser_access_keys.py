"""The access keys page in Chromium: a person makes a key, copies its secret (shown once),
uses it with boto3 against the same server, and revokes it."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from playwright.sync_api import Page, expect

from tests.browser.helpers import shoot

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/awsapi")


def client(url: str, key_id: str, secret: str) -> object:
    return boto3.client(
        "stepfunctions",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
        config=Config(retries={"total_max_attempts": 1}),
    )


def test_it_makes_uses_and_revokes_a_key(page: Page, server_url: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Access keys").click()
    expect(page.get_by_role("heading", name="Access keys")).to_be_visible()
    shoot(page, SHOTS, "access-keys-before", full_page=True)

    page.get_by_role("button", name="Create access key").click()
    card = page.get_by_role("status")
    expect(card).to_contain_text("shown only this once")
    key_id = card.locator("dd code").nth(0).inner_text()
    secret = card.locator("dd code").nth(1).inner_text()
    shoot(page, SHOTS, "access-keys-new", full_page=True)

    sfn = client(server_url, key_id, secret)
    assert sfn.list_state_machines()["stateMachines"] is not None  # type: ignore[attr-defined]

    page.goto("/access-keys/")
    expect(page.get_by_role("status")).to_have_count(0)
    assert secret not in page.content()
    row = page.get_by_role("row").filter(has_text=key_id)
    expect(row).to_contain_text("active")
    row.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("row").filter(has_text=key_id)).to_contain_text("revoked")
    shoot(page, SHOTS, "access-keys-revoked", full_page=True)

    with pytest.raises(ClientError) as refused:
        sfn.list_state_machines()  # type: ignore[attr-defined]
    assert refused.value.response["Error"]["Code"] == "UnrecognizedClientException"
