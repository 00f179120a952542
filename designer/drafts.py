"""Drafts: a machine's work in progress, kept on the server so it is never lost.

A draft is saved on every pause in editing, valid or not (a draft with problems is still
work). Publishing goes through ``actions.update_state_machine``, which takes only valid ASL.
Editors share a machine's one draft; each save names the revision it was based on, and a save
based on an older one is refused with a DraftConflict naming who changed it, so nobody
overwrites someone else's work without seeing it first.
"""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction

from designer.actions import ActionError, check_definition_size, check_layout, check_storable
from designer.models import Draft, StateMachine

# An editor whose designer has not checked in for this long has left. The designer checks in
# every few seconds (see frontend/src/store/drafts.ts), so a closed tab drops out quickly.
PRESENCE_SECONDS = 15


class DraftConflict(ActionError):
    """A save based on a revision that is no longer the draft's: someone else saved since."""

    def __init__(self, draft: Draft | None) -> None:
        if draft is None:
            message = "The draft you were editing was discarded or published meanwhile."
        else:
            who = draft.updated_by.username if draft.updated_by else "someone"
            message = (
                f"{who} changed this draft at {draft.updated_at:%H:%M:%S} UTC (revision "
                f"{draft.revision}): load their changes, or save yours over them knowingly."
            )
        super().__init__(message, field="revision", status=409, code="DraftConflict")
        self.draft = draft


def get_draft(machine: StateMachine) -> Draft | None:
    return Draft.objects.filter(state_machine=machine).select_related("updated_by").first()


def check_revision(value: Any, field: str = "revision") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ActionError(
            "The revision must be a whole number (0: there is no draft yet).", field=field
        )
    return value


def save_draft(
    machine: StateMachine,
    user: Any,
    definition: Any,
    layout: Any,
    base_version: Any,
    revision: int,
) -> Draft:
    """Stores the draft if ``revision`` is still the draft's (0: there is none yet) and returns
    it with the next revision; raises DraftConflict otherwise. ``definition`` is an object, or
    text that may not even be JSON yet (the code view's, mid-typing)."""
    check_storable(definition, "definition")
    check_definition_size(definition)
    parsed, code = _split(definition)
    positions = check_layout(layout)
    latest = machine.latest_version().number
    if base_version is None:
        base_version = latest
    if isinstance(base_version, bool) or not isinstance(base_version, int):
        raise ActionError("The base version must be a version number.", field="base_version")
    if not 1 <= base_version <= latest:
        raise ActionError(
            f"The base version must be one of this machine's versions, 1 to {latest}.",
            field="base_version",
        )
    fields = {
        "definition": parsed,
        "code": code,
        "layout": positions,
        "base_version": base_version,
        "updated_by": user if getattr(user, "pk", None) else None,
    }
    with transaction.atomic():
        current = Draft.objects.select_for_update().filter(state_machine=machine).first()
        if current is None:
            if revision != 0:
                raise DraftConflict(None)
            try:
                with transaction.atomic():  # two first saves at once: one wins, one conflicts
                    draft = Draft.objects.create(state_machine=machine, revision=1, **fields)
            except IntegrityError:
                raise DraftConflict(get_draft(machine)) from None
        else:
            if current.revision != revision:
                raise DraftConflict(get_draft(machine))
            for name, value in fields.items():
                setattr(current, name, value)
            current.revision += 1
            current.save()
            draft = current
    note_presence(machine, user)
    return draft


def _split(definition: Any) -> tuple[dict[str, Any] | None, str]:
    """The definition as an object, or None and the text that is not one (yet)."""
    if isinstance(definition, dict):
        return definition, ""
    if isinstance(definition, str):
        try:
            loaded = json.loads(definition)
        except (ValueError, RecursionError):
            return None, definition
        if isinstance(loaded, dict):
            return loaded, ""
        return None, definition
    raise ActionError(
        "The draft's definition must be a JSON object, or the code view's text.",
        field="definition",
    )


def discard_draft(machine: StateMachine, revision: int | None = None) -> bool:
    """Deletes the draft; with a ``revision``, only if it is still that one (else conflict).
    Whether there was one."""
    with transaction.atomic():
        current = Draft.objects.select_for_update().filter(state_machine=machine).first()
        if current is None:
            return False
        if revision is not None and current.revision != revision:
            raise DraftConflict(get_draft(machine))
        current.delete()
    return True


def publish_clears_draft(machine: StateMachine, revision: int) -> None:
    """After the draft at ``revision`` was published as a version, it is no longer work in
    progress. A draft saved since by someone else stays: it holds work not yet published."""
    Draft.objects.filter(state_machine=machine, revision=revision).delete()


def _presence_key(machine: StateMachine) -> str:
    return f"designer-presence-{machine.pk}"


def note_presence(machine: StateMachine, user: Any) -> None:
    """Records that ``user`` has the designer of ``machine`` open now. The shared cache holds
    it (Redis in production, so every web process sees everyone); a lost update between two
    check-ins at the same instant only delays a name by one check-in."""
    if not getattr(user, "pk", None):
        return
    now = time.time()
    seen = {
        name: at
        for name, at in (cache.get(_presence_key(machine)) or {}).items()
        if now - at < PRESENCE_SECONDS
    }
    seen[user.username] = now
    cache.set(_presence_key(machine), seen, PRESENCE_SECONDS * 2)


def other_editors(machine: StateMachine, user: Any) -> list[str]:
    """Who else has the designer of ``machine`` open, by username."""
    now = time.time()
    seen = cache.get(_presence_key(machine)) or {}
    me = getattr(user, "username", None)
    return sorted(name for name, at in seen.items() if name != me and now - at < PRESENCE_SECONDS)
