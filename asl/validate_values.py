"""Checks for plain field values: whole numbers, numbers, text, choices from a list, and
timestamps, each optionally replaced by a JSONata expression in JSONata states."""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from datetime import datetime
from typing import Any

from asl.validate_expressions import JSONATA, check_jsonata, is_jsonata
from asl.validate_report import Report, kind_of, quote, show_number

# RFC 3339 with an uppercase T and Z, as the Amazon States Language requires.
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", re.ASCII)


def is_int(value: Any) -> bool:
    # JSON has no separate booleans-as-numbers; Python's bool is an int subclass.
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value)


def _range_words(minimum: float | None, maximum: float | None) -> str:
    """The range a value must lie in, with a leading space, or nothing for no limit."""
    if minimum is not None and maximum is not None:
        return f" from {show_number(minimum)} to {show_number(maximum)}"
    if minimum is not None:
        return f" of at least {show_number(minimum)}"
    if maximum is not None:
        return f" of at most {show_number(maximum)}"
    return ""


def _jsonata_instead(report: Report, value: Any, loc: str, what: str, language: str) -> bool:
    """In JSONata states most value fields may hold an expression computed at run time."""
    if language == JSONATA and is_jsonata(value):
        check_jsonata(report, value, loc, what)
        return True
    return False


def check_int(
    report: Report,
    value: Any,
    loc: str,
    what: str,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    language: str = "",
) -> bool:
    """True when ``value`` is a literal whole number within range."""
    if _jsonata_instead(report, value, loc, what, language):
        return False
    words = _range_words(minimum, maximum)
    if not is_int(value):
        report.add(
            "INVALID_TYPE",
            f"{what} must be a whole number{words}, not {kind_of(value)}.",
            loc,
        )
        return False
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        report.add(
            "OUT_OF_RANGE", f"{what} must be a whole number{words}, not {show_number(value)}.", loc
        )
        return False
    return True


def check_number(
    report: Report,
    value: Any,
    loc: str,
    what: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    language: str = "",
) -> bool:
    if _jsonata_instead(report, value, loc, what, language):
        return False
    words = _range_words(minimum, maximum)
    if not is_number(value):
        report.add("INVALID_TYPE", f"{what} must be a number{words}, not {kind_of(value)}.", loc)
        return False
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        report.add(
            "OUT_OF_RANGE", f"{what} must be a number{words}, not {show_number(value)}.", loc
        )
        return False
    return True


def check_string(
    report: Report,
    value: Any,
    loc: str,
    what: str,
    *,
    language: str = "",
    non_empty: bool = False,
) -> bool:
    if _jsonata_instead(report, value, loc, what, language):
        return False
    if not isinstance(value, str):
        report.add("INVALID_TYPE", f"{what} must be text, not {kind_of(value)}.", loc)
        return False
    if non_empty and not value:
        report.add("EMPTY_VALUE", f"{what} must not be empty.", loc)
        return False
    return True


def check_bool(report: Report, value: Any, loc: str, what: str) -> bool:
    if not isinstance(value, bool):
        report.add("INVALID_TYPE", f"{what} must be true or false, not {kind_of(value)}.", loc)
        return False
    return True


def check_enum(report: Report, value: Any, loc: str, what: str, allowed: Collection[str]) -> bool:
    if isinstance(value, str) and value in allowed:
        return True
    choices = ", ".join(sorted(allowed))
    shown = quote(value) if isinstance(value, str) else kind_of(value)
    report.add("INVALID_VALUE", f"{what} must be one of {choices}, not {shown}.", loc)
    return False


def is_timestamp(value: str) -> bool:
    if _TIMESTAMP.fullmatch(value) is None:
        return False
    try:
        # fromisoformat accepts at most 6 fractional digits; AWS accepts nanoseconds.
        datetime.fromisoformat(re.sub(r"\.\d+", "", value).replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def check_timestamp(report: Report, value: Any, loc: str, what: str, *, language: str = "") -> None:
    if not check_string(report, value, loc, what, language=language):
        return
    if not is_timestamp(value):
        report.add(
            "INVALID_TIMESTAMP",
            f"{what} must be a date and time such as '2026-03-14T01:59:00Z', not {quote(value)}.",
            loc,
        )
