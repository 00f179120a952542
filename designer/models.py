from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.db import models
from django.db.models import Q

TYPES = (("STANDARD", "Standard"), ("EXPRESS", "Express"))
# Each role allows what the ones before it allow (designer.roles says what each allows).
ROLES = ("viewer", "operator", "editor", "admin")


class StateMachine(models.Model):
    name = models.CharField(max_length=80, unique=True)
    type = models.CharField(max_length=8, choices=TYPES, default="STANDARD")
    owner = models.ForeignKey("auth.User", models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The data a run of it usually starts with, given once for everyone who edits it: the
    # designer carries it through each state (data-shapes/) and the run form is built from it.
    # It belongs to the machine, not a version or the draft, so publishing never loses it.
    # NULL: none given (a JSON null sample is refused, so NULL is never ambiguous).
    sample_input = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def latest_version(self) -> StateMachineVersion:
        version = self.versions.order_by("-number").first()
        assert version is not None, "a state machine always has a version"
        return version

    def latest_version_reference(self) -> StateMachineVersion:
        """The latest version with only its id and number loaded, without a query most of
        the time: what starting an execution needs."""
        pk, number = _latest_version_key(self.pk, self.updated_at)
        return StateMachineVersion.from_db(
            self._state.db, ["id", "state_machine_id", "number"], [pk, self.pk, number]
        )


@functools.lru_cache(maxsize=1024)
def _latest_version_key(machine_id: int, updated_at: dt.datetime) -> tuple[int, int]:
    # Storing a version always saves its machine, so its updated_at changes with every new
    # version: an entry of this cache can never be out of date.
    return (
        StateMachineVersion.objects.filter(state_machine_id=machine_id)
        .order_by("-number")
        .values_list("id", "number")[0]
    )


class StateMachineVersion(models.Model):
    """An immutable definition. The canvas layout is kept beside it, never inside it, so the
    definition stays exactly the ASL the user wrote or imported."""

    state_machine = models.ForeignKey(StateMachine, models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    layout = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Who saved it and what they said about it, for the version history.
    created_by = models.ForeignKey(
        "auth.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.CharField(max_length=256, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["state_machine", "number"], name="unique_version")
        ]
        ordering = ["state_machine", "number"]

    def __str__(self) -> str:
        return f"{self.state_machine.name}:{self.number}"

    @property
    def definition_object(self) -> dict[str, Any]:
        return self.definition if isinstance(self.definition, dict) else {}


class RoleGrant(models.Model):
    """A role held by a user or a group on one state machine, or on every machine."""

    role = models.CharField(max_length=16, choices=[(role, role.title()) for role in ROLES])
    user = models.ForeignKey(
        "auth.User", models.CASCADE, null=True, blank=True, related_name="role_grants"
    )
    group = models.ForeignKey(
        "auth.Group", models.CASCADE, null=True, blank=True, related_name="role_grants"
    )
    state_machine = models.ForeignKey(
        StateMachine,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="grants",
        help_text="Empty: the role holds on every state machine.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, group__isnull=True)
                | Q(user__isnull=True, group__isnull=False),
                name="grant_to_a_user_or_a_group",
            )
        ]
        ordering = ["state_machine", "role", "id"]

    def __str__(self) -> str:
        holder = f"user {self.user}" if self.user_id else f"group {self.group}"
        where = self.state_machine or "every state machine"
        return f"{self.role} on {where} for {holder}"


class Draft(models.Model):
    """The work in progress on a machine, saved as it is typed, valid or not, shared by
    everyone who edits it. Publishing it makes a version; until then running executions and
    the API see only versions. ``revision`` counts its saves, so two editors never overwrite
    each other unseen: a save names the revision it started from (optimistic concurrency)."""

    state_machine = models.OneToOneField(StateMachine, models.CASCADE, related_name="draft")
    # The definition as an object, or None while the code view's text does not parse: then
    # ``code`` keeps that text, so not even a half-typed brace is lost.
    definition = models.JSONField(null=True, blank=True)
    code = models.TextField(blank=True, default="")
    layout = models.JSONField(default=dict, blank=True)
    # The version the draft was started from: a draft older than the latest version says so.
    base_version = models.PositiveIntegerField()
    revision = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey("auth.User", models.SET_NULL, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"draft of {self.state_machine.name} (revision {self.revision})"
