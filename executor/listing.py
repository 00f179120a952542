"""Listing executions across machines: the filters of the executions page, its counts per
status and its cursor.

Pages are keyset pages on (start_date, id), newest first (designer/paging.py): a page costs
the same however deep it is, and runs that start while someone pages go to the top, so later
pages neither repeat nor miss a run.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.dateparse import parse_datetime

from designer import paging, roles
from designer.actions import ActionError
from designer.models import StateMachine, StateMachineVersion
from executor import data_search
from executor.models import STATUSES, Execution, PendingTask

PAGE_DEFAULT = 50
PAGE_MAX = 200
# Counts stop here ("1,000+"): an exact count of a million rows is a scan of a million
# rows, and nobody reads the difference between 412,118 and 412,119 finished runs.
COUNT_CAP = 1_000
WAITING = "WAITING_FOR_APPROVAL"
FILTER_STATUSES = (*dict(STATUSES), WAITING)


def waiting_for_approval() -> Exists:
    """A run waits for approval while a task-token callback of it is unanswered."""
    return Exists(
        PendingTask.objects.filter(
            execution=OuterRef("pk"), kind="callback", answered_at__isnull=True
        )
    )


@dataclass(frozen=True)
class Filters:
    """Every filter but the status: the counts are per status of these."""

    rows: QuerySet[Execution]

    def with_status(self, status: str | None) -> QuerySet[Execution]:
        rows = self.rows
        if status == WAITING:
            return rows.filter(waiting_for_approval(), status="RUNNING")
        return rows.filter(status=status) if status else rows


def _param(params: Mapping[str, Any], name: str) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if "\x00" in value:  # PostgreSQL refuses a NUL in text with a 500
        raise ActionError(f"{name} must not contain a NUL character.", field=name)
    return str(value)


def _date(params: Mapping[str, Any], name: str) -> dt.datetime | None:
    text = _param(params, name)
    if text is None:
        return None
    try:
        value = parse_datetime(text)
    except ValueError:
        value = None
    if value is None:
        raise ActionError(
            f"{name} must be a date and time such as 2026-12-01T09:30:00Z.", field=name
        )
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _visible_machine(user: Any, name: str, field: str) -> StateMachine:
    machine = roles.machines_for(user, "view").filter(name=name).first()
    if machine is None:
        raise ActionError(
            f"No state machine named {name!r}.",
            field=field,
            status=404,
            code="StateMachineDoesNotExist",
        )
    return machine


def _search(rows: QuerySet[Execution], user: Any, text: str) -> QuerySet[Execution]:
    """A run by its ARN (exact), its id (exact) or the start of its name."""
    if text.startswith("arn:"):
        # arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME
        parts = text.split(":", 7)
        if len(parts) != 8 or parts[5] != "execution":
            raise ActionError(
                "search: an execution ARN reads "
                "arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME.",
                field="search",
            )
        return rows.filter(state_machine__name=parts[6], name=parts[7])
    try:
        as_id = uuid.UUID(text)
    except ValueError:
        return rows.filter(name__startswith=text)
    # A hex name (the default) is also a UUID's spelling: either may be meant.
    return rows.filter(Q(pk=as_id) | Q(name__startswith=text))


def filters(user: Any, params: Mapping[str, Any], machine: StateMachine | None = None) -> Filters:
    """The executions ``user`` may view, narrowed by the query parameters."""
    rows = Execution.objects.all()
    machine_name = _param(params, "machine")
    if machine is None and machine_name is not None:
        machine = _visible_machine(user, machine_name, "machine")
    if machine is not None:
        rows = rows.filter(state_machine=machine)
    elif not user.is_superuser:
        # Ids, not a subquery: the planner then walks the (start_date, id) index and keeps
        # the rows of these machines, instead of weighing the grants' EXISTS for each row.
        visible = list(roles.machines_for(user, "view").values_list("pk", flat=True))
        rows = rows.filter(state_machine_id__in=visible)
    version = _param(params, "version")
    if version is not None:
        if machine is None:
            raise ActionError("version needs a machine to be chosen too.", field="version")
        if not (version.isdigit() and len(version) <= 9):
            raise ActionError("version must be a version number such as 3.", field="version")
        # Resolved to its id first: the planner then walks (version, start_date, id) at once.
        chosen = StateMachineVersion.objects.filter(state_machine=machine, number=int(version))
        found = chosen.values_list("pk", flat=True).first()
        if found is None:
            raise ActionError(
                f"{machine.name!r} has no version {version}.", field="version", status=404
            )
        rows = rows.filter(version_id=found)
    after, before = _date(params, "started_after"), _date(params, "started_before")
    if after is not None:
        rows = rows.filter(start_date__gte=after)
    if before is not None:
        rows = rows.filter(start_date__lt=before)
    search = _param(params, "search")
    if search is not None:
        rows = _search(rows, user, search)
    path, value = _param(params, "data_path"), params.get("data_value")
    if path is not None or value not in (None, ""):
        if path is None:
            raise ActionError("data_value needs a data_path such as $.customer.id.", "data_path")
        if value is None:
            raise ActionError("data_path needs a data_value to compare with.", "data_value")
        rows = data_search.matching(rows, path, str(value))
    return Filters(rows)


def status_param(params: Mapping[str, Any]) -> str | None:
    status = _param(params, "status")
    if status is not None and status not in FILTER_STATUSES:
        raise ActionError(f"status must be one of {', '.join(FILTER_STATUSES)}.", field="status")
    return status


def page(
    rows: QuerySet[Execution], cursor: str | None, limit: int
) -> tuple[list[Execution], str | None]:
    """One page, newest first, and the cursor of the next (None on the last page), by the one
    paging rule of every list (designer/paging.py)."""
    return paging.page(
        rows,
        ("-start_date", "-pk"),
        limit,
        cursor,
        "rest:executions",
        limit_field="limit",
        token_field="cursor",
    )


def counts(chosen: Filters) -> dict[str, dict[str, Any]]:
    """How many runs there are of each status (capped at COUNT_CAP, then marked so)."""
    result: dict[str, dict[str, Any]] = {}
    for status in FILTER_STATUSES:
        found = chosen.with_status(status).order_by()[: COUNT_CAP + 1].count()
        result[status] = {"count": min(found, COUNT_CAP), "more": found > COUNT_CAP}
    return result
