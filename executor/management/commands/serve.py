from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Serves Statecraft with Daphne. On the embedded default (no REDIS_URL) the same process "
        "also runs a Celery worker and the sweep in threads."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, host, port, **options):
        from daphne.cli import CommandLineInterface

        if settings.EMBEDDED:
            from executor import embedded

            embedded.start_worker()
            embedded.start_sweeper()
            mode = "embedded: SQLite or DATABASE_URL, in-process worker, in-memory channel layer"
        else:
            mode = "production: workers run as `celery -A config worker`"
        self.stdout.write(f"Statecraft on http://{host}:{port}/ ({mode})", ending="\n")
        self.stdout.flush()
        CommandLineInterface().run(["-e", endpoint(host, port), "config.asgi:application"])


# Twisted listens with a backlog of 50 by default (what `daphne -b -p` gives): a burst of more
# new connections than that, such as a fleet of activity workers polling at once, overflows
# the kernel's accept queue and clients see their connections reset.
LISTEN_BACKLOG = 1024


def endpoint(host: str, port: int) -> str:
    """Daphne's endpoint description for HOST:PORT with our listen backlog (a colon in an
    IPv6 address is escaped, as Twisted's endpoint syntax requires)."""
    interface = host.replace(":", "\\:")
    return f"tcp:port={port}:interface={interface}:backlog={LISTEN_BACKLOG}"
