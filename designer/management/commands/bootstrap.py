import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from designer.actions import create_sample

# ADMIN_PASSWORD_FILE lets a second installation (a test server on a temporary database)
# keep its password elsewhere instead of overwriting the checkout's.
PASSWORD_FILE = Path(
    os.environ.get("ADMIN_PASSWORD_FILE") or Path(settings.BASE_DIR) / ".admin-password"
)


class Command(BaseCommand):
    help = (
        "Makes a new installation usable: an 'admin' user when there is no user (its password "
        "is printed and kept in .admin-password) and a sample state machine when there is none."
    )

    def handle(self, **options):
        users = get_user_model().objects
        if not users.exists():
            password = secrets.token_urlsafe(12)
            users.create_superuser("admin", "", password)
            PASSWORD_FILE.write_text(password + "\n")
            PASSWORD_FILE.chmod(0o600)
            self.stdout.write(
                f"Created user 'admin' with password {password} (see {PASSWORD_FILE})."
            )
        elif PASSWORD_FILE.exists():
            self.stdout.write(f"Log in as 'admin' with the password in {PASSWORD_FILE}.")
        machine = create_sample()
        if machine:
            self.stdout.write(f"Created the sample state machine {machine.name!r}.")
