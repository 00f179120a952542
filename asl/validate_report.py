"""Where validation collects its findings, and how it names the places they refer to.

Every check appends to one ``Report`` instead of raising, so a single pass can tell the
author about every problem at once.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from typing import Any

from asl.errors import Diagnostic

# Quoted names and values are cut so that a megabyte-long string cannot turn one
# diagnostic into a megabyte of text on the canvas.
_SHOWN_CHARS = 60


class Report:
    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def add(self, code: str, message: str, location: str) -> None:
        # Messages are built from phrases ("the item processor of state 'M'") that may also
        # stand mid-sentence; the sentence itself starts with a capital.
        self.diagnostics.append(Diagnostic(code, message[:1].upper() + message[1:], location))

    def warn(self, code: str, message: str, location: str) -> None:
        """Something AWS accepts at creation that fails when it runs."""
        self.diagnostics.append(
            Diagnostic(code, message[:1].upper() + message[1:], location, "warning")
        )

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


def pointer(base: str, *parts: object) -> str:
    """Extend a JSON pointer, escaping ``~`` and ``/`` as RFC 6901 requires."""
    for part in parts:
        text = part if isinstance(part, str) else quote(part).strip("'")
        text = text.replace("~", "~0").replace("/", "~1")
        base = f"{base}/{text}"
    return base


def show_number(value: int | float) -> str:
    # Python refuses to print integers of more than a few thousand digits.
    if isinstance(value, int) and abs(value) >= 10**18:
        return "a number with more than 18 digits"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e18 else f"{value:g}"
    return str(value)


def quote(value: Any) -> str:
    """A short, readable rendering of a name or value for use inside a message."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return show_number(value)
    text = value if isinstance(value, str) else kind_of(value)
    if len(text) > _SHOWN_CHARS:
        text = text[: _SHOWN_CHARS - 3] + "..."
    return f"'{text}'"


def kind_of(value: Any) -> str:
    """The JSON kind of a value, in words a non-programmer knows."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, float) and not math.isfinite(value):
        return "an infinite or undefined number, which JSON cannot hold"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "a value JSON cannot hold"


def report_unknown_fields(
    report: Report, value: dict[Any, Any], allowed: Collection[str], loc: str, label: str
) -> None:
    """One UNKNOWN_FIELD per field of ``value`` that is not in ``allowed``."""
    for key in value:
        if key not in allowed:
            report.add(
                "UNKNOWN_FIELD",
                f"{label} has a field {quote(key)} that it does not accept; it may only have "
                f"{', '.join(sorted(allowed))}.",
                pointer(loc, key),
            )
