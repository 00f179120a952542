"""CPU cost of the two halves of an execution, in this process, on PostgreSQL and Redis.

    .venv/bin/python bench/advance_cost.py                 # 1,000 of each

* a REST start (POST /api/v1/state-machines/NAME/executions/ through Django's middleware
  and DRF, as the test client sends it: without Daphne's own HTTP and ASGI work);
* one advance of the 20-state workflow of bench/e2e_throughput.py (lease, 20 states with 4
  registered-function Tasks run inline, 54 events stored, checkpoint saved, live events
  published), as a Celery worker runs it, without Celery's own work.

Both print CPU milliseconds per operation (time.process_time) and wall milliseconds. These
are the figures to watch when bench/e2e_throughput.py falls short: on two cores, every
millisecond here is about a fifteenth of the end-to-end budget at 150 executions/s.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.e2e_throughput import E2E_REDIS, workflow  # noqa: E402
from bench.live_latency import add_service_arguments, postgres_database  # noqa: E402


def measure(what: str, count: int, operation: Callable[[int], None]) -> None:
    cpu, wall = time.process_time(), time.perf_counter()
    for number in range(count):
        operation(number)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"{what}: {1000 * cpu / count:.2f} ms CPU, {1000 * wall / count:.2f} ms wall (x{count})")


def run(count: int) -> None:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from designer.actions import create_state_machine
    from executor import actions, runner

    call_command("migrate", verbosity=0)
    user = User.objects.create_superuser("bench", password=None)
    client = Client(
        HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}"
    )
    machine = create_state_machine("Bench", workflow(), owner=user)

    def start(number: int) -> None:
        body = json.dumps({"input": {"n": number}})
        response = client.post(
            "/api/v1/state-machines/Bench/executions/", body, content_type="application/json"
        )
        assert response.status_code == 201, response.content

    waiting = [actions.start_execution(machine, {"n": n}, enqueue=False).pk for n in range(count)]

    def advance(number: int) -> None:
        runner.advance(waiting[number])

    for warm in range(20):  # imports, caches, connections
        start(warm)
    measure("REST start (no Daphne)", count, start)
    measure("advance of 20 states (no Celery)", count, advance)
    assert {e.status for e in machine.executions.filter(pk__in=waiting)} == {"SUCCEEDED"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    add_service_arguments(parser, "BENCH_E2E_REDIS_URL", E2E_REDIS)
    args = parser.parse_args()
    with postgres_database(args.postgres) as database_url:
        os.environ.update(DATABASE_URL=database_url, REDIS_URL=args.redis)
        # Production settings need a key; this process signs nothing that outlives it.
        os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
        # One user starts runs as fast as it can: what is measured is a start, not the throttle.
        os.environ.setdefault("API_THROTTLE_USER", "100000/second")
        run(args.count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
