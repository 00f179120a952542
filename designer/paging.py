"""Opaque cursor pagination, for every list of both APIs: AWS's maxResults/nextToken and the
REST API's limit/cursor are this one rule (keyset pagination: a row added meanwhile neither
repeats nor skips one; https://docs.aws.amazon.com/step-functions/latest/apireference/
API_ListExecutions.html, nextToken)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core import signing
from django.db import models
from django.db.models import Q

from designer.actions import ActionError, storable

# AWS's maxResults: 1-1000, and 0 (or none) for the default page of 100.
DEFAULT_PAGE = 100
MAX_PAGE = 1000
_TOKEN_SALT = "awsapi.page"


def page(
    rows: models.QuerySet[Any],
    order: Sequence[str],
    limit: Any,
    token: Any,
    scope: str,
    limit_field: str = "maxResults",
    token_field: str = "nextToken",
) -> tuple[list[Any], str | None]:
    """One page of ``rows`` in ``order`` and the opaque token of the next page, bound to
    ``scope`` (the operation and what it lists) so a token cannot be replayed elsewhere."""
    limit = _limit(limit, limit_field)
    if token is not None:
        saved = _saved(token, scope, token_field)
        if not isinstance(saved.get("k"), list) or len(saved["k"]) != len(order):
            raise ActionError(f"Invalid Token: '{token}'", field=token_field, code="InvalidToken")
        rows = rows.filter(_after(order, saved["k"]))
    items = list(rows.order_by(*order)[: limit + 1])
    if len(items) <= limit:
        return items, None
    items = items[:limit]
    key = [_key_value(_field_of(items[-1], field.lstrip("-"))) for field in order]
    return items, signing.dumps({"s": scope, "k": key}, salt=_TOKEN_SALT)


def _limit(limit: Any, field: str) -> int:
    """AWS's page size: 1 to MAX_PAGE, or 0 / none for the default."""
    if limit is None:
        limit = 0
    if not isinstance(limit, int) or isinstance(limit, bool) or not 0 <= limit <= MAX_PAGE:
        raise ActionError(f"{field} must be from 0 to {MAX_PAGE}.", field=field)
    return limit or DEFAULT_PAGE


def _saved(token: Any, scope: str, token_field: str) -> dict[str, Any]:
    if not isinstance(token, str) or len(token) > 1024 or not storable(token):
        raise ActionError(f"Invalid {token_field}.", field=token_field, code="InvalidToken")
    try:
        saved = signing.loads(token, salt=_TOKEN_SALT)
    except signing.BadSignature:
        saved = None
    if not isinstance(saved, dict) or saved.get("s") != scope:
        raise ActionError(f"Invalid Token: '{token}'", field=token_field, code="InvalidToken")
    return saved


def rest_page(
    request: Any, rows: models.QuerySet[Any], order: Sequence[str], scope: str
) -> tuple[list[Any], str | None]:
    """A page of a REST list: ``?limit=`` (default 100) and ``?cursor=`` (a ``next_cursor``)."""
    raw = request.query_params.get("limit")
    try:
        limit = int(raw) if raw is not None else 0
    except ValueError:
        raise ActionError("limit must be a whole number.", field="limit") from None
    return page(
        rows,
        order,
        limit,
        request.query_params.get("cursor"),
        f"rest:{scope}",
        limit_field="limit",
        token_field="cursor",
    )


def _field_of(row: Any, path: str) -> Any:
    for name in path.split("__"):  # "version__number": row.version.number
        row = getattr(row, name)
    return row


def _key_value(value: Any) -> Any:
    return value if isinstance(value, int | str) else str(value)


def _after(order: Sequence[str], key: list[Any]) -> Q:
    """Rows after the one whose ordering fields hold ``key``: (a > k1) or (a = k1 and b > k2)...
    and, first, the plain bound a >= k1, which lets an index on ``a`` start at the key (the OR
    alone would have a million rows' index read from its start)."""
    condition = Q(pk__in=[])
    equal = Q()
    for field, value in zip(order, key, strict=True):
        name = field.lstrip("-")
        beyond = f"{name}__lt" if field.startswith("-") else f"{name}__gt"
        condition |= equal & Q(**{beyond: value})
        equal &= Q(**{name: value})
    first = order[0].lstrip("-")
    bound = Q(**{f"{first}__lte" if order[0].startswith("-") else f"{first}__gte": key[0]})
    return bound & condition
