from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser

from designer import roles
from designer.models import ROLES, StateMachine


class Command(BaseCommand):
    help = (
        "Grants a role to a user or a group, on one state machine or (without --machine) on "
        "every one; --revoke takes it back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", choices=ROLES)
        holder = parser.add_mutually_exclusive_group(required=True)
        holder.add_argument("--user", help="a username")
        holder.add_argument("--group", help="a group name")
        parser.add_argument("--machine", help="a state machine's name; default: every machine")
        parser.add_argument("--revoke", action="store_true", help="remove the grant instead")

    def handle(self, *args: Any, **options: Any) -> None:
        role = options["role"]
        holder = self.holder(options["user"], options["group"])
        machine = self.machine(options["machine"])
        where = f"the state machine {machine.name!r}" if machine else "every state machine"
        who = " ".join(f"{kind} {value}" for kind, value in holder.items())
        if options["revoke"]:
            if not roles.revoke(role, machine=machine, **holder):
                raise CommandError(f"The {who} holds no {role} role on {where}.")
            self.stdout.write(f"Revoked the {role} role on {where} from the {who}.")
            return
        _, created = roles.grant(role, machine=machine, **holder)
        said = "Granted" if created else "Already granted:"
        self.stdout.write(f"{said} the {role} role on {where} to the {who}.")

    def holder(self, username: str | None, group_name: str | None) -> dict[str, Any]:
        if username is not None:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"No user named {username!r}.")
            return {"user": user}
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            raise CommandError(f"No group named {group_name!r}.")
        return {"group": group}

    def machine(self, name: str | None) -> StateMachine | None:
        if name is None:
            return None
        machine = StateMachine.objects.filter(name=name).first()
        if machine is None:
            raise CommandError(f"No state machine named {name!r}.")
        return machine
