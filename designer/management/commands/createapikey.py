from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Prints a new API key for an existing user (the old one stops working)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        Token.objects.filter(user=user).delete()
        token = Token.objects.create(user=user)
        self.stdout.write(f"New API key for {username} (send it as 'Authorization: Token KEY'):")
        self.stdout.write(token.key)
