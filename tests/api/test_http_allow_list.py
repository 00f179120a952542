"""The HTTP Task's allow-list against real sockets: local servers on 127.0.0.1 ports, the
worker's own code (http_task.invoke) making the calls."""

from __future__ import annotations

import contextlib
import http.server
import json
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from executor import http_task
from tests import servers


class Server:
    """An HTTP server on 127.0.0.1 that records the requests it gets; `redirect_to` makes it
    answer every request with a 302 there."""

    def __init__(self, redirect_to: str | None = None, port: int = 0) -> None:
        self.requests: list[dict[str, Any]] = []
        recorded, redirect = self.requests, redirect_to

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                recorded.append({"path": self.path, "host": self.headers["Host"]})
                if self.headers["Authorization"]:
                    recorded[-1]["authorization"] = self.headers["Authorization"]
                if redirect:
                    self.send_response(302)
                    self.send_header("Location", redirect)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                reply = json.dumps({"path": self.path}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.http = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.http.server_address[1]
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()


@contextlib.contextmanager
def serving(redirect_to: str | None = None, port: int = 0) -> Iterator[Server]:
    server = Server(redirect_to, port)
    try:
        yield server
    finally:
        server.close()


def call(url: str) -> dict[str, Any]:
    return http_task.invoke({"ApiEndpoint": url, "Method": "GET"})


def loopback_name() -> str:
    """A name other than localhost that resolves to loopback on this machine (its own host
    name, as /etc/hosts usually has it)."""
    name = socket.gethostname()
    assert name != "localhost" and socket.gethostbyname(name).startswith("127."), (
        f"the host name {name!r} should resolve to loopback for this test"
    )
    return name


def test_it_calls_a_url_whose_scheme_host_and_port_are_allowed(settings: Any) -> None:
    with serving() as server:
        settings.HTTP_TASK_ALLOWED_HOSTS = [f"http://127.0.0.1:{server.port}"]
        outcome = call(f"http://127.0.0.1:{server.port}/orders")
    assert outcome["result"]["StatusCode"] == 200
    assert outcome["result"]["ResponseBody"] == {"path": "/orders"}


def test_it_refuses_another_port_of_an_allowed_host_without_connecting(settings: Any) -> None:
    with serving() as allowed, serving() as other:
        settings.HTTP_TASK_ALLOWED_HOSTS = [f"http://127.0.0.1:{allowed.port}"]
        outcome = call(f"http://127.0.0.1:{other.port}/secret")
    assert outcome["error"] == "States.Http.Socket"
    assert other.requests == []


def test_it_refuses_a_scheme_the_entry_does_not_name(settings: Any) -> None:
    with serving() as server:
        settings.HTTP_TASK_ALLOWED_HOSTS = [f"https://127.0.0.1:{server.port}"]
        outcome = call(f"http://127.0.0.1:{server.port}/")
    assert outcome["error"] == "States.Http.Socket"
    assert server.requests == []


def test_it_takes_the_port_of_an_entry_without_one_from_its_scheme(settings: Any) -> None:
    with serving() as server:
        settings.HTTP_TASK_ALLOWED_HOSTS = ["http://127.0.0.1"]
        refused = call(f"http://127.0.0.1:{server.port}/")
    assert refused["error"] == "States.Http.Socket"
    assert server.requests == []
    assert http_task.Origin.parse("http://127.0.0.1") == http_task.Origin("http", "127.0.0.1", 80)
    assert http_task.Origin.parse("https://api.example.com") == http_task.Origin(
        "https", "api.example.com", 443
    )


def test_it_gives_a_refused_port_and_a_closed_port_the_same_error_and_cause(
    settings: Any,
) -> None:
    closed = servers.free_port()
    with serving() as server:
        settings.HTTP_TASK_ALLOWED_HOSTS = [f"http://127.0.0.1:{closed}"]
        refused = call(f"http://127.0.0.1:{server.port}/")
        unanswered = call(f"http://127.0.0.1:{closed}/")
    assert server.requests == []
    assert refused["error"] == unanswered["error"] == "States.Http.Socket"
    assert refused["cause"].replace(str(server.port), "PORT") == unanswered["cause"].replace(
        str(closed), "PORT"
    )


def test_it_refuses_a_name_entry_that_resolves_to_loopback(settings: Any) -> None:
    name = loopback_name()
    with serving() as server:
        settings.HTTP_TASK_ALLOWED_HOSTS = [f"http://{name}:{server.port}"]
        outcome = call(f"http://{name}:{server.port}/")
    assert outcome["error"] == "States.Http.Socket"
    assert server.requests == []


def test_it_calls_localhost_when_the_entry_names_localhost_and_sends_the_name_as_host(
    settings: Any,
) -> None:
    with serving() as server:
        settings.HTTP_TASK_ALLOWED_HOSTS = [f"http://localhost:{server.port}"]
        outcome = call(f"http://localhost:{server.port}/by-name")
    assert outcome["result"]["StatusCode"] == 200
    assert server.requests == [{"path": "/by-name", "host": f"localhost:{server.port}"}]


def test_it_does_not_take_an_ip_entry_for_a_name_that_resolves_to_it(settings: Any) -> None:
    with serving() as server:
        settings.HTTP_TASK_ALLOWED_HOSTS = [f"http://127.0.0.1:{server.port}"]
        outcome = call(f"http://localhost:{server.port}/")
    assert outcome["error"] == "States.Http.Socket"
    assert server.requests == []


def test_it_lets_a_wildcard_entry_match_subdomains_only(settings: Any) -> None:
    settings.HTTP_TASK_ALLOWED_HOSTS = ["https://*.example.com"]
    assert http_task.allowed_entry(http_task.Origin("https", "a.b.example.com", 443))
    assert not http_task.allowed_entry(http_task.Origin("https", "example.com.evil.net", 443))
    assert not http_task.allowed_entry(http_task.Origin("https", "evilexample.com", 443))
    assert not http_task.allowed_entry(http_task.Origin("https", "a.example.com", 8443))


def test_it_returns_a_redirect_to_a_port_off_the_list_without_following_it(
    settings: Any,
) -> None:
    with serving() as target, serving(f"http://127.0.0.1:{target.port}/inside") as server:
        settings.HTTP_TASK_ALLOWED_HOSTS = [f"http://127.0.0.1:{server.port}"]
        outcome = call(f"http://127.0.0.1:{server.port}/start")
    assert outcome["result"]["StatusCode"] == 302
    assert outcome["result"]["Headers"]["location"] == [f"http://127.0.0.1:{target.port}/inside"]
    assert target.requests == []


def test_it_fails_an_endpoint_with_a_tab_as_a_runtime_error(settings: Any) -> None:
    settings.HTTP_TASK_ALLOWED_HOSTS = ["http://127.0.0.1:9"]
    outcome = call("http://127.0.0.1:9/a\tb")
    assert outcome["error"] == "States.Runtime"
    assert "ApiEndpoint" in outcome["cause"]


@pytest.mark.parametrize("entry", ["ftp://127.0.0.1", "http://", "http://127.0.0.1:99999"])
def test_it_ignores_an_entry_that_names_no_origin(settings: Any, entry: str) -> None:
    settings.HTTP_TASK_ALLOWED_HOSTS = [entry]
    assert http_task.Origin.parse(entry) is None


def test_it_connects_to_the_address_it_checked_when_the_name_later_resolves_elsewhere(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the first answer passes the check, later ones point elsewhere (here
    127.0.0.2, where nothing listens). The call must go where the check looked."""
    real = socket.getaddrinfo
    answers = iter(["127.0.0.1"])

    def rebinding(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "localhost":
            host = next(answers, "127.0.0.2")
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with serving() as server:
        settings.HTTP_TASK_ALLOWED_HOSTS = [f"http://localhost:{server.port}"]
        outcome = call(f"http://localhost:{server.port}/pinned")
    assert outcome.get("result", {}).get("StatusCode") == 200, outcome
    assert server.requests == [{"path": "/pinned", "host": f"localhost:{server.port}"}]


def connection(port: int) -> dict[str, Any]:
    return {
        "Origin": f"http://127.0.0.1:{port}",
        "Machines": ["Billing"],
        "Headers": {"Authorization": "Bearer s3cret"},
    }


def with_connection(url: str, arn: str, **more: Any) -> dict[str, Any]:
    return {"ApiEndpoint": url, "Authentication": {"ConnectionArn": arn}, **more}


ARN = "arn:aws:events:us-east-1:123456789012:connection/billing/0d4e-11ef"


def test_it_adds_the_credentials_of_a_connection_that_the_machine_may_use(
    settings: Any,
) -> None:
    with serving() as server:
        settings.HTTP_TASK_ALLOWED_HOSTS = [f"http://127.0.0.1:{server.port}"]
        settings.HTTP_TASK_CONNECTIONS = {"billing": connection(server.port)}
        url = f"http://127.0.0.1:{server.port}/charge"
        # The definition's own Authorization header cannot replace the connection's.
        outcome = http_task.invoke(
            with_connection(url, ARN, Headers={"Authorization": "Bearer mine"}), "Billing"
        )
    assert outcome["result"]["StatusCode"] == 200
    assert server.requests[0]["authorization"] == "Bearer s3cret"


def test_it_refuses_another_machines_connection_like_an_unknown_one(settings: Any) -> None:
    with serving() as server:
        settings.HTTP_TASK_ALLOWED_HOSTS = [f"http://127.0.0.1:{server.port}"]
        settings.HTTP_TASK_CONNECTIONS = {"billing": connection(server.port)}
        url = f"http://127.0.0.1:{server.port}/charge"
        strangers = http_task.invoke(with_connection(url, ARN), "Other")
        unknown = http_task.invoke(with_connection(url, ARN.replace("billing", "nothing")), "Other")
    assert server.requests == []
    assert strangers["error"] == unknown["error"] == "States.Runtime"
    assert strangers["cause"].replace("billing", "NAME") == unknown["cause"].replace(
        "nothing", "NAME"
    )


def test_it_sends_a_connections_credentials_only_to_its_own_origin(settings: Any) -> None:
    with serving() as own, serving() as elsewhere:
        settings.HTTP_TASK_ALLOWED_HOSTS = [
            f"http://127.0.0.1:{own.port}",
            f"http://127.0.0.1:{elsewhere.port}",
        ]
        settings.HTTP_TASK_CONNECTIONS = {"billing": connection(own.port)}
        outcome = http_task.invoke(
            with_connection(f"http://127.0.0.1:{elsewhere.port}/steal", "billing"), "Billing"
        )
    assert outcome["error"] == "States.Runtime" and "may only be used" in outcome["cause"]
    assert elsewhere.requests == []
