"""Search inside executions' input by a JSONPath and a value (`$.customer.id` = `42`), with
nothing to declare first.

Only a subset of JSONPath has one answer per document and so can be compared with a value:
member names (`.name`, `['name']`) and array indexes (`[0]`). Wildcards, filters, slices and
recursive descent are refused, naming the field, rather than half-supported.

On PostgreSQL the comparison is a containment (`input @> '{"customer": {"id": 42}}'`), which
the GIN index of the executions' input answers, narrowed by the exact path (`input #>
'{customer,id}'`) where an array index makes containment looser than the path; a rare value's
few runs are then named by id (see RARE). On SQLite Django's key lookups read json_extract.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.fields.json import KeyTransform

from designer.actions import ActionError
from executor.models import Execution

MAX_DEPTH = 32
# One step of the path: .name, ['name'], ["name"] or [index].
_STEP = re.compile(
    r"""\.(?P<name>[A-Za-z_$][\w$-]*)"""
    r"""|\[\s*'(?P<single>(?:[^'\\]|\\.)*)'\s*\]"""
    r"""|\[\s*"(?P<double>(?:[^"\\]|\\.)*)"\s*\]"""
    r"""|\[\s*(?P<index>\d{1,9})\s*\]"""
)


def parse_path(text: str, field: str = "data_path") -> list[str | int]:
    """The steps of ``text`` (member names and array indexes), or a 400 naming ``field``."""

    def refuse(why: str) -> ActionError:
        return ActionError(
            f"{field} {text!r} is not supported: {why}. Use a path such as $.customer.id, "
            "$['order id'] or $.items[0].sku.",
            field=field,
        )

    if not text.startswith("$"):
        raise refuse("it must start with $")
    steps: list[str | int] = []
    position = 1
    while position < len(text):
        match = _STEP.match(text, position)
        if match is None:
            raise refuse(f"unexpected {text[position : position + 10]!r} at character {position}")
        if match["index"] is not None:
            steps.append(int(match["index"]))
        else:
            quoted = match["single"] if match["single"] is not None else match["double"]
            name = match["name"] if quoted is None else re.sub(r"\\(.)", r"\1", quoted)
            steps.append(name)
        position = match.end()
    if not steps:
        raise refuse("it names the whole input; name a field in it")
    if len(steps) > MAX_DEPTH:
        raise refuse(f"it is deeper than {MAX_DEPTH} steps")
    return steps


def parse_value(text: str) -> list[Any]:
    """The values ``text`` may mean: JSON when it is JSON (42, true, "a b", null), and also
    the string as typed, since a person typing 42 may be looking for "42"."""
    try:
        value = json.loads(text)
    except ValueError:
        return [text]
    if isinstance(value, float) and not math.isfinite(value):
        return [text]  # NaN, 1e999: Python reads them, JSON has no such number
    if isinstance(value, dict | list):
        raise ActionError(
            "data_value must be a number, string, true, false or null, not an object or array.",
            field="data_value",
        )
    return [value] if isinstance(value, str) else [value, text]


def _nest(steps: list[str | int], value: Any) -> Any:
    """The document that contains ``value`` at ``steps``: an index becomes "some element"."""
    for step in reversed(steps):
        value = [value] if isinstance(step, int) else {step: value}
    return value


def matching(rows: QuerySet[Execution], path: str, value: str) -> QuerySet[Execution]:
    """``rows`` whose input holds ``value`` at ``path``."""
    steps = parse_path(path)
    values = parse_value(value)
    # The key transforms are built by hand, not as "input__a__b" (a key may be a lookup's
    # name), and filtered through an alias, so that Django encodes each value as JSON.
    at: Any = F("input")
    for step in steps:
        at = KeyTransform(str(step), at)
    exact = Q()
    for candidate in values:
        exact |= Q(searched_value=candidate)
    if connection.vendor != "postgresql":
        # Django's key lookups, as json_extract: one path, one answer.
        return rows.alias(searched_value=at).filter(exact)
    contains = Q()
    for candidate in values:
        contains |= Q(input__contains=_nest(steps, candidate))
    if any(isinstance(step, int) or step.isdigit() for step in steps):
        # Containment says "some element"; the path names one element.
        found: QuerySet[Execution] = rows.alias(searched_value=at).filter(contains & exact)
    else:
        found = rows.filter(contains)
    return _named_when_rare(rows, found)


# PostgreSQL guesses a containment's matches without looking (a fixed share of the rows). For
# a rare value it then walks the newest-first index hoping to meet a page of them soon, and
# reads the whole table: 2.5 s for the 20 runs of one customer among a million. So the
# matches are first fetched through the input's GIN index, up to RARE; that few are named by
# id, which a page (or a count) then finds at once. More than that are common enough for
# the newest-first walk to meet a page of them early.
RARE = 2_000


def _named_when_rare(rows: QuerySet[Execution], found: QuerySet[Execution]) -> QuerySet[Execution]:
    ids = list(found.order_by().values_list("pk", flat=True)[: RARE + 1])
    return rows.filter(pk__in=ids) if len(ids) <= RARE else found
