"""The home page's form for a new state machine: a template to start from, and the nearest
allowed name when the one typed is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from designer import gallery
from designer.models import StateMachine

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_shows_every_template_with_its_description(browser: Client) -> None:
    page = browser.get("/").content.decode()
    for template in gallery.templates():
        assert f'value="{template.id}"' in page
        assert template.title in page


def test_it_creates_a_machine_from_the_chosen_template(browser: Client) -> None:
    response = browser.post("/", {"name": "Fan", "type": "STANDARD", "template": "fan-out-map"})
    assert response.status_code == 302
    chosen = gallery.template("fan-out-map")
    assert chosen is not None
    assert StateMachine.objects.get(name="Fan").latest_version().definition == chosen.definition


def test_it_fills_in_the_nearest_allowed_name_and_keeps_the_template(browser: Client) -> None:
    response = browser.post("/", {"name": "Order approval", "template": "saga"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Order-approval"' in page
    assert "Try &#x27;Order-approval&#x27;" in page
    assert 'value="saga" form="new-machine" checked' in page
    assert not StateMachine.objects.exists()
