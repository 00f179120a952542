"""Who may do what with a state machine and its runs.

Every check of the REST API, the AWS API, WebSockets and pages goes through ``may`` and
``machines_for``. The actions, each implying those before it:

| action    | role that grants it | what it allows                                              |
| --------- | ------------------- | ----------------------------------------------------------- |
| "view"    | viewer              | see the machine, its versions, its runs and their history   |
| "operate" | operator            | start, stop and redrive runs; answer task tokens/activities |
| "edit"    | editor              | store new versions and layouts                              |
| "admin"   | admin               | grant roles on the machine, delete it                       |

A role is granted (a ``RoleGrant`` row) to a user or a group, on one machine or on every
machine. The owner of a machine is its admin, superusers may do everything, inactive users
nothing.

The rules are django-rules predicates: a grant for "every machine" is one row, not a row
per machine as django-guardian's object permissions would need, and a predicate can read it.
``machines_for`` says the same rule in SQL, so a list of thousands of machines is one query.
"""

from __future__ import annotations

from typing import Any, Literal

import rules
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Exists, OuterRef, Q

from designer.actions import ActionError
from designer.models import ROLES, RoleGrant, StateMachine

Action = Literal["view", "operate", "edit", "admin"]
ACTIONS: tuple[Action, ...] = ("view", "operate", "edit", "admin")
# The role that first allows each action: ROLES and ACTIONS go up together.
ROLE_FOR: dict[Action, str] = dict(zip(ACTIONS, ROLES, strict=True))
RANK = {role: rank for rank, role in enumerate(ROLES)}
# Where a user's grants are kept for the life of the user object (one request, one WebSocket
# connection), as Django's ModelBackend keeps its permissions.
_CACHE = "_statecraft_role_ranks"


def roles_allowing(action: Action) -> list[str]:
    return list(ROLES[ACTIONS.index(action) :])


def _grants_of(user: Any) -> models.QuerySet[RoleGrant]:
    return RoleGrant.objects.filter(Q(user=user) | Q(group__in=Group.objects.filter(user=user)))


def _ranks(user: Any) -> dict[int | None, int]:
    """The highest role rank the user holds per machine id (None: every machine)."""
    ranks = getattr(user, _CACHE, None)
    if ranks is None:
        ranks = {}
        for machine_id, role in _grants_of(user).values_list("state_machine_id", "role"):
            ranks[machine_id] = max(ranks.get(machine_id, -1), RANK[role])
        setattr(user, _CACHE, ranks)
    return ranks


@rules.predicate
def owns(user: Any, machine: StateMachine) -> bool:
    return machine.owner_id is not None and machine.owner_id == user.pk


def holds_role_for(action: Action) -> rules.Predicate:
    needed = RANK[ROLE_FOR[action]]

    @rules.predicate(name=f"holds_role_for_{action}")
    def holds(user: Any, machine: StateMachine) -> bool:
        ranks = _ranks(user)
        return max(ranks.get(None, -1), ranks.get(machine.pk, -1)) >= needed

    return holds


# Cheapest first: rules stops at the first predicate that decides, so owners and superusers
# cost no query.
machine_rules = rules.RuleSet()
for _action in ACTIONS:
    machine_rules.add_rule(
        _action,
        rules.is_authenticated
        & rules.is_active
        & (rules.is_superuser | owns | holds_role_for(_action)),
    )


def may(user: Any, action: Action, machine: StateMachine) -> bool:
    """True when ``user`` may do ``action`` on ``machine``."""
    return bool(user) and machine_rules.test_rule(action, user, machine)


def permissions(user: Any, machine: StateMachine) -> list[Action]:
    """The actions ``user`` may do on ``machine``, for the UI to show only those."""
    return [action for action in ACTIONS if may(user, action, machine)]


def machines_for(user: Any, action: Action) -> models.QuerySet[StateMachine]:
    """The machines on which ``user`` may do ``action``, as one query."""
    machines = StateMachine.objects.all()
    if not (user and user.is_authenticated and user.is_active):
        return machines.none()
    if user.is_superuser:
        return machines
    granted = _grants_of(user).filter(role__in=roles_allowing(action))
    return machines.filter(
        Q(owner=user)
        | Exists(granted.filter(Q(state_machine=None) | Q(state_machine=OuterRef("pk"))))
    )


def refuse(action: Action, machine: StateMachine) -> ActionError:
    """The refusal for someone who may view ``machine`` but not do ``action`` on it."""
    return ActionError(
        f"You may not {action} the state machine {machine.name!r}: that needs the "
        f"{ROLE_FOR[action]} role on it.",
        status=403,
    )


def require(user: Any, action: Action, machine: StateMachine) -> None:
    if not may(user, action, machine):
        raise refuse(action, machine)


def grant(
    role: Any, user: Any = None, group: Any = None, machine: StateMachine | None = None
) -> tuple[RoleGrant, bool]:
    """Grants ``role`` to a user or a group on ``machine`` (None: every machine); the grant
    and whether it is new."""
    if role not in RANK:
        raise ActionError(f"The role must be one of {', '.join(ROLES)}.", field="role")
    if (user is None) == (group is None):
        raise ActionError("Grant a role to a user or to a group, not both.", field="user")
    return RoleGrant.objects.get_or_create(role=role, user=user, group=group, state_machine=machine)


def revoke(
    role: str, user: Any = None, group: Any = None, machine: StateMachine | None = None
) -> int:
    """Removes the grant; how many rows went (0 when there was none)."""
    deleted, _ = RoleGrant.objects.filter(
        role=role, user=user, group=group, state_machine=machine
    ).delete()
    return deleted


# A superuser may see every group (the admin lists them all); this many is a page, not a dump.
MAX_APPROVER_GROUPS = 500


def approver_groups(user: Any, machine: StateMachine) -> list[dict[str, Any]]:
    """The groups an editor of ``machine`` is offered as who may answer its approvals.

    Group names are not public on an instance shared by teams: an ordinary user is offered
    only the groups they are in and the groups that hold a role on this machine (or on every
    machine), whose members can reach it anyway. Any other group stays unnamed; the designer
    keeps a name typed or imported before, but never lists one it was not told. A superuser,
    who sees every group in the admin, is offered them all.

    Each entry: ``name``, ``member`` (the user is in it) and ``role`` (the highest role the
    group holds on this machine, None without one: its members answer only if they may
    operate the machine on their own).
    """
    holding = RoleGrant.objects.filter(
        Q(state_machine=None) | Q(state_machine=machine), group__isnull=False
    )
    ranks: dict[int, int] = {}
    for group_id, role in holding.values_list("group_id", "role"):
        ranks[group_id] = max(ranks.get(group_id, -1), RANK[role])
    mine = set(Group.objects.filter(user=user).values_list("pk", flat=True))
    groups = Group.objects.all()
    if not user.is_superuser:
        groups = groups.filter(pk__in=mine | set(ranks))
    return [
        {
            "name": name,
            "member": pk in mine,
            "role": ROLES[ranks[pk]] if pk in ranks else None,
        }
        for pk, name in groups.order_by("name").values_list("pk", "name")[:MAX_APPROVER_GROUPS]
    ]
