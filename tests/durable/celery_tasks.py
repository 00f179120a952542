"""A team's plain Celery tasks, which `celery:send_task` states call by name
(CELERY_IMPORTS=tests.durable.celery_tasks)."""

from __future__ import annotations

from typing import Any

from celery import shared_task


@shared_task(name="team.tasks.scale")
def scale(values: list[float], factor: float = 1) -> dict[str, Any]:
    return {"scaled": [value * factor for value in values]}


@shared_task(name="team.tasks.nul")
def nul() -> str:
    """A result PostgreSQL cannot store (U+0000 in a string): the task's answer must fail
    the state rather than leave it waiting."""
    return "before\x00after"


@shared_task(name="team.tasks.refuse")
def refuse(reason: str) -> None:
    raise ValueError(reason)
