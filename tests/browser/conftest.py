"""A real Statecraft server, started as `make run` starts it, and a logged-in Chromium page.

The server runs the embedded default (SQLite in a temporary directory, the in-process worker,
the in-memory channel layer); the browser is Debian's /usr/bin/chromium, driven by Playwright.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.browser.helpers import api_call, sign_in
from tests.servers import ROOT, Process, environment, free_port, manage, start_serve

CHROMIUM = Path("/usr/bin/chromium")
USERNAME = "designer"
PASSWORD = "a long browser test password"
# The environment of the session's server, for tests that set up more users with manage.py.
SERVER_ENV: dict[str, str] = {}


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not (ROOT / "static" / "app" / "main.js").exists():
        pytest.fail("static/app/main.js is missing: build the front end first (`make frontend`).")
    directory = tmp_path_factory.mktemp("statecraft-browser")
    env = environment(
        DATABASE_URL=f"sqlite:///{directory}/db.sqlite3",
        REDIS_URL=None,
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )
    manage("migrate", "--verbosity", "0", env=env)
    manage("createsuperuser", "--noinput", "--username", USERNAME, "--email", "", env=env)
    SERVER_ENV.update(env)
    port = free_port()
    process: Process = start_serve(port, env)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.stop()


@pytest.fixture(scope="session")
def server_env(server_url: str) -> dict[str, str]:
    """The environment of the session's server: manage.py commands run with it reach its
    database (to make more users, grant roles)."""
    return SERVER_ENV


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.skip(
            "needs Debian's chromium at /usr/bin/chromium (bin/ensure-services installs it)"
        )
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, server_url: str) -> Iterator[Page]:
    """A fresh browser context, logged in through the login form as a person would."""
    context = browser.new_context(base_url=server_url, viewport={"width": 1440, "height": 900})
    yield sign_in(context, USERNAME, PASSWORD)
    context.close()


@pytest.fixture
def create_machine(page: Page) -> Callable[[dict[str, Any]], str]:
    """Creates a state machine under a fresh name over REST and returns the name."""

    def create(definition: dict[str, Any]) -> str:
        name = f"Machine-{uuid.uuid4().hex[:8]}"
        api_call(page, "POST", "/api/v1/state-machines/", {"name": name, "definition": definition})
        return name

    return create


@pytest.fixture
def other_user(
    browser: Browser, server_url: str, server_env: dict[str, str]
) -> Iterator[Callable[[str], Page]]:
    """Signs in another person (made with manage.py on the test server) in a new context."""
    contexts = []

    def signed_in(username: str) -> Page:
        manage(
            "shell",
            "-c",
            "from django.contrib.auth.models import User; "
            f"User.objects.filter(username='{username}').exists() or "
            f"User.objects.create_user('{username}', password='{PASSWORD}')",
            env=server_env,
        )
        context = browser.new_context(base_url=server_url, viewport={"width": 1440, "height": 900})
        contexts.append(context)
        return sign_in(context, username, PASSWORD)

    yield signed_in
    for context in contexts:
        context.close()
