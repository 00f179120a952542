"""Who may do what with a state machine and its runs.

Every check of the REST API, the AWS API, WebSockets and pages goes through ``may`` and
``machines_for``. The actions, each implying those before it:

| action    | role that grants it | what it allows                                              |
| --------- | ------------------- | ----------------------------------------------------------- |
| "view"    | viewer              | see the machine, its versions, its runs and their history   |
| "operate" | operator            | start, stop and redrive runs; answer task tokens/activities |
| "edit"    | editor              | store new versions and layouts                              |
| "admin"   | admin               | grant roles on the machine, delete it                       |

(This first version keeps the old rule for every action: owner, superuser or the
``designer.view_statemachine`` permission. Roles replace it.)
"""

from __future__ import annotations

from typing import Any, Literal

from django.db import models

from designer.models import StateMachine

Action = Literal["view", "operate", "edit", "admin"]
ACTIONS: tuple[Action, ...] = ("view", "operate", "edit", "admin")


def may(user: Any, action: Action, machine: StateMachine) -> bool:
    """True when ``user`` may do ``action`` on ``machine``."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return bool(
        user.is_superuser
        or machine.owner_id == user.id
        or user.has_perm("designer.view_statemachine")
    )


def machines_for(user: Any, action: Action) -> models.QuerySet[StateMachine]:
    """The machines on which ``user`` may do ``action``, as a query."""
    machines = StateMachine.objects.all()
    if not (user and user.is_authenticated and user.is_active):
        return machines.none()
    if user.is_superuser or user.has_perm("designer.view_statemachine"):
        return machines
    return machines.filter(owner=user)
