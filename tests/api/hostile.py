"""Values no client should send, and the check that the API refuses them clearly."""

from __future__ import annotations

from typing import Any


def nested(depth: int, leaf: Any = 1) -> Any:
    value = leaf
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


# A value of every JSON type, at sizes and in alphabets a form would never send.
GARBAGE: list[Any] = [
    None,
    True,
    0,
    -1,
    1.5,
    10**40,
    "",
    " ",
    "x" * 100_000,
    "Überprüfung-名前-🚀",
    "\x00\x01",
    "../../etc/passwd",
    [],
    [None, {}],
    {},
    {"$ref": "#"},
    nested(60),
]


def short(value: Any) -> str:
    """A test id that fits on a line, whatever the value."""
    return ascii(value)[:30]


def assert_refused_clearly(response: Any) -> None:
    assert response.status_code < 500
    if response.status_code >= 400:
        assert isinstance(response.json().get("message"), str) and response.json()["message"]
