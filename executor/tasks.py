"""Celery tasks: like views, they take ids, call the runner or actions, and return."""

from __future__ import annotations

from celery import shared_task

from executor import actions, runner


@shared_task(name="executor.tasks.advance")
def advance(execution_id: str) -> None:
    runner.advance(execution_id)


@shared_task(name="executor.tasks.sweep")
def sweep() -> int:
    return actions.sweep()
