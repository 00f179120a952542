from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from awsapi import keys
from designer.actions import ActionError


class Command(BaseCommand):
    help = (
        "Creates an access key for USERNAME, for AWS SDKs and the AWS CLI pointed at this "
        "server. The last line is `ACCESS_KEY_ID SECRET_ACCESS_KEY`; the secret is shown once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()  # noqa: N806
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(f"No user named {options['username']!r}.") from None
        try:
            key, secret = keys.create_access_key(user)
        except ActionError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"{key.access_key_id} {secret}")
