"""`/` is still the home page for people: the AWS protocol takes only POSTs carrying
X-Amz-Target, and the new-machine form keeps its CSRF check."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from designer.models import StateMachine

pytestmark = pytest.mark.django_db


def test_it_creates_a_machine_from_the_home_page_form_with_its_csrf_token(user: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get("/")
    token = page.cookies["csrftoken"].value

    refused = client.post("/", {"name": "NoToken"})
    made = client.post("/", {"name": "Made", "csrfmiddlewaretoken": token})

    assert page.status_code == 200
    assert refused.status_code == 403
    assert made.status_code == 302 and made["Location"] == "/designer/Made/"
    assert list(StateMachine.objects.values_list("name", flat=True)) == ["Made"]


def test_it_answers_a_post_with_aws_target_but_no_signature_as_aws_does(user: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)  # a session is no credential for the AWS protocol

    answer = client.post(
        "/",
        "{}",
        content_type="application/x-amz-json-1.0",
        headers={"X-Amz-Target": "AWSStepFunctions.ListStateMachines"},
    )

    assert answer.status_code == 403
    assert answer["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"
    assert json.loads(answer.content)["__type"].endswith("#MissingAuthenticationTokenException")
