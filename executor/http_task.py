"""`arn:aws:states:::http:invoke`: an HTTP call made by a worker, as AWS's HTTP Task does.

Only origins listed in settings.HTTP_TASK_ALLOWED_HOSTS may be called, each entry a scheme,
host and port (`https://api.example.com`, `http://localhost:8080`, `https://*.example.com`;
the port defaults from the scheme). A URL passes only when all three match an entry, and
then only if its host resolves to a public address: a name that resolves to loopback, a
private network, link-local (169.254.169.254) or reserved space is refused, unless the entry
itself names such a host (an IP literal or `localhost`). The name is resolved once and the
connection goes to exactly that address (the name travels in the Host header and TLS SNI),
so a DNS answer that changes between the check and the call cannot slip through.

Redirects are never followed: a 3xx is the task's result, so the workflow decides (and its
next call is checked against the list again).

Credentials never appear in a definition: `Authentication.ConnectionArn` (AWS's field, e.g.
`arn:aws:events:us-east-1:123456789012:connection/billing/...`, or just `billing`) names a
connection of settings.HTTP_TASK_CONNECTIONS, whose headers are added to the request. A
connection belongs to the state machines it lists and to the one origin it names: another
machine's run cannot use it, and no run can send its credentials anywhere else.

A refused origin, a closed port and an unreachable host all give the same error and cause,
so the task cannot be used to probe which ports are open. Responses are cut off at
HTTP_TASK_MAX_RESPONSE_BYTES and calls at HTTP_TASK_TIMEOUT_SECONDS.
"""

from __future__ import annotations

import ipaddress
import json
import re
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.conf import settings

METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"}
DEFAULT_PORTS = {"http": 80, "https": 443}


class HttpTaskError(Exception):
    def __init__(self, error: str, cause: str) -> None:
        super().__init__(cause)
        self.error = error
        self.cause = cause


@dataclass(frozen=True)
class Origin:
    scheme: str
    host: str  # lower case; "*.example.com" for any subdomain
    port: int

    @classmethod
    def parse(cls, text: str) -> Origin | None:
        # An entry without a scheme is taken as https, the safe reading of a bare host.
        parts = urlsplit(text.strip() if "://" in text else f"https://{text.strip()}")
        try:
            port = parts.port
        except ValueError:
            return None
        if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
            return None
        return cls(parts.scheme, parts.hostname.rstrip("."), port or DEFAULT_PORTS[parts.scheme])

    def matches(self, other: Origin) -> bool:
        if (self.scheme, self.port) != (other.scheme, other.port):
            return False
        if self.host.startswith("*."):
            return other.host.endswith(self.host[1:])
        return other.host == self.host

    @property
    def names_internal_host(self) -> bool:
        """Whether the administrator named an internal host on purpose (an address or
        localhost), rather than a name that happens to resolve inside the network."""
        return self.host == "localhost" or _ip_literal(self.host) is not None


def _ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def allowed_entry(origin: Origin) -> Origin | None:
    for text in settings.HTTP_TASK_ALLOWED_HOSTS:
        entry = Origin.parse(text)
        if entry is not None and entry.matches(origin):
            return entry
    return None


def unreachable(origin: Origin) -> HttpTaskError:
    """One error for every way of not reaching an origin, so none tells them apart."""
    return HttpTaskError(
        "States.Http.Socket",
        f"Statecraft did not reach {origin.scheme}://{origin.host}:{origin.port}: it is not "
        "allowed by HTTP_TASK_ALLOWED_HOSTS (scheme, host and port, resolving to a public "
        "address), or nothing accepted the connection there.",
    )


def checked_address(origin: Origin) -> str:
    """The one address the call may connect to: resolved once, and refused when the origin
    is off the list or resolves somewhere the list did not mean."""
    entry = allowed_entry(origin)
    if entry is None:
        raise unreachable(origin)
    try:
        found = socket.getaddrinfo(origin.host, origin.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise unreachable(origin) from None
    address = str(found[0][4][0]) if found else ""
    ip = _ip_literal(address)
    if ip is None or (not ip.is_global and not entry.names_internal_host):
        raise unreachable(origin)
    return address


CONNECTION_ARN = re.compile(r"^arn:aws[a-z-]*:events:[^:]*:[^:]*:connection/([^/]+)(?:/.*)?$")


def connection_headers(params: dict[str, Any], origin: Origin, machine: str) -> dict[str, str]:
    """The headers of the connection the task names (none when it names none)."""
    authentication = params.get("Authentication")
    if authentication is None:
        return {}
    arn = authentication.get("ConnectionArn") if isinstance(authentication, dict) else None
    if not isinstance(arn, str) or not arn:
        raise HttpTaskError(
            "States.Runtime", "Authentication must be an object with a ConnectionArn."
        )
    match = CONNECTION_ARN.match(arn)
    name = match.group(1) if match else arn
    connection = settings.HTTP_TASK_CONNECTIONS.get(name)
    # One answer for "no such connection" and "not this machine's": names cannot be probed.
    if not isinstance(connection, dict) or machine not in connection.get("Machines", []):
        raise HttpTaskError(
            "States.Runtime",
            f"There is no connection '{name}' for this state machine in HTTP_TASK_CONNECTIONS.",
        )
    allowed = Origin.parse(str(connection.get("Origin", "")))
    if allowed is None or not allowed.matches(origin):
        raise HttpTaskError(
            "States.Runtime",
            f"The connection '{name}' may only be used to call {connection.get('Origin')!r}.",
        )
    headers = connection.get("Headers") or {}
    return {str(k): str(v) for k, v in headers.items()} if isinstance(headers, dict) else {}


def build_request(params: Any, machine: str = "") -> tuple[httpx.Request, Origin]:
    if not isinstance(params, dict):
        raise HttpTaskError("States.Runtime", "The HTTP Task's Parameters must be an object.")
    endpoint = params.get("ApiEndpoint")
    if not isinstance(endpoint, str) or not endpoint:
        raise HttpTaskError("States.Runtime", "The HTTP Task needs an ApiEndpoint (a URL).")
    invalid = HttpTaskError(
        "States.Runtime", f"ApiEndpoint must be a valid http(s) URL with a host: {endpoint!r}"
    )
    try:
        url = urlsplit(endpoint)
        port = url.port
    except ValueError:
        raise invalid from None
    if url.scheme not in DEFAULT_PORTS or not url.hostname:
        raise invalid
    origin = Origin(url.scheme, url.hostname.rstrip("."), port or DEFAULT_PORTS[url.scheme])
    method = str(params.get("Method", "GET")).upper()
    if method not in METHODS:
        raise HttpTaskError("States.Runtime", f"Method must be one of {sorted(METHODS)}.")
    headers = params.get("Headers") or {}
    query = params.get("QueryParameters") or {}
    if not isinstance(headers, dict) or not isinstance(query, dict):
        raise HttpTaskError("States.Runtime", "Headers and QueryParameters must be objects.")
    body = params.get("RequestBody")
    content: bytes | None = None
    if body is not None:
        content = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        headers = {"Content-Type": "application/json", **headers}
    # The connection's headers win: a definition cannot replace the credentials it names.
    headers = {**headers, **connection_headers(params, origin, machine)}
    try:
        request = httpx.Request(
            method,
            endpoint,
            params={k: str(v) for k, v in query.items()},
            headers={str(k): str(v) for k, v in headers.items()},
            content=content,
        )
    except (httpx.InvalidURL, ValueError, TypeError, UnicodeError) as exc:
        raise HttpTaskError("States.Runtime", f"{invalid.cause} ({exc})") from None
    return request, origin


def pin(request: httpx.Request, origin: Origin, address: str) -> None:
    """Sends the request to ``address``; the Host header (set from the URL) and the TLS
    server name keep naming the host, so virtual hosts and certificates work as before."""
    request.url = request.url.copy_with(host=address)
    if origin.scheme == "https":
        request.extensions = {**request.extensions, "sni_hostname": origin.host}


def invoke(params: Any, machine: str = "") -> dict[str, Any]:
    """The task's outcome: {"result": ...} or {"error": ..., "cause": ...}; ``machine`` is
    the name of the state machine whose run calls (the connections it may use)."""
    origin: Origin | None = None
    try:
        request, origin = build_request(params, machine)
        pin(request, origin, checked_address(origin))
        limit = settings.HTTP_TASK_MAX_RESPONSE_BYTES
        # No proxies from the environment: the connection must go to the checked address.
        with httpx.Client(timeout=settings.HTTP_TASK_TIMEOUT_SECONDS, trust_env=False) as client:
            response = client.send(request, stream=True, follow_redirects=False)
            try:
                raw = b""
                for chunk in response.iter_bytes():
                    raw += chunk
                    if len(raw) > limit:
                        raise HttpTaskError(
                            "States.DataLimitExceeded",
                            f"The response of {origin.host} is larger than {limit} bytes.",
                        )
            finally:
                response.close()
    except HttpTaskError as exc:
        return {"error": exc.error, "cause": exc.cause}
    except (httpx.ConnectError, httpx.ConnectTimeout):
        assert origin is not None
        refused = unreachable(origin)
        return {"error": refused.error, "cause": refused.cause}
    except httpx.TimeoutException:
        return {"error": "States.Timeout", "cause": "The HTTP call timed out."}
    except httpx.HTTPError as exc:
        return {"error": "States.Http.Socket", "cause": str(exc) or type(exc).__name__}
    except httpx.InvalidURL as exc:
        return {"error": "States.Runtime", "cause": f"ApiEndpoint is not a valid URL: {exc}"}
    text = raw.decode(response.encoding or "utf-8", errors="replace")
    try:
        body: Any = json.loads(text) if text else ""
    except ValueError:
        body = text
    result = {
        "Headers": {k: [v] for k, v in response.headers.items()},
        "ResponseBody": body,
        "StatusCode": response.status_code,
        "StatusText": response.reason_phrase,
    }
    if response.status_code >= 400:
        return {
            "error": f"States.Http.StatusCode.{response.status_code}",
            "cause": json.dumps(result),
        }
    return {"result": result}
