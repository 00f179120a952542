import os
import resource
from typing import Any

from celery import Celery, Task
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("statecraft")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The backstops for work that no check inside the interpreter can stop (a library call that
# loops in one native function, an allocation too large): the pool child is bounded, and when
# it dies the pool replaces it. The runner then counts the lease takeovers that follow and
# fails a run that keeps taking its workers down.
# 768 MB of data keeps a child's resident memory (data, code and libraries) under 1 GB.
WORKER_MEMORY_LIMIT_MB = int(os.environ.get("WORKER_MEMORY_LIMIT_MB", "768"))
if WORKER_MEMORY_LIMIT_MB > 0:
    # A child that once grew past half its limit is replaced after its task: what it freed
    # may stay in its heap, and the next task would start near the limit.
    app.conf.worker_max_memory_per_child = WORKER_MEMORY_LIMIT_MB * 1024 // 2  # in KB


def advance_time_limit(lease_seconds: float) -> float:
    """The hard time limit of one advance: a little above its lease, so a worker that overran
    its lease (and was taken over) is ended soon after, instead of computing on forever."""
    return lease_seconds * 1.2 + 1


class _Limits:
    """Task annotations read when the tasks are bound, once Django's settings are loaded."""

    def annotate(self, task: Task) -> dict[str, Any] | None:
        if task.name != "executor.tasks.advance":
            return None
        from django.conf import settings

        return {"time_limit": advance_time_limit(settings.EXECUTION_LEASE_SECONDS)}


app.conf.task_annotations = [_Limits()]


@worker_process_init.connect
def limit_memory(**kwargs: Any) -> None:
    """Each prefork child may use at most WORKER_MEMORY_LIMIT_MB of data memory (0: no limit):
    past it, allocations raise MemoryError, which fails the state, instead of the kernel's
    OOM killer taking some process of the machine. RLIMIT_DATA rather than RLIMIT_AS: the
    address space also counts reserved but unused mappings (thread stacks, malloc arenas)."""
    if WORKER_MEMORY_LIMIT_MB > 0:
        limit = WORKER_MEMORY_LIMIT_MB * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
