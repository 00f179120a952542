"""The callbacks that bring a Celery task's result back answer only the task the engine sent:
they carry a signed reference to it, and refuse anything else."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import signing

from executor import dispatch, tasks
from executor.actions import start_execution
from executor.models import PendingTask

pytestmark = pytest.mark.django_db

WAITING = {
    "StartAt": "Send",
    "States": {"Send": {"Type": "Task", "Resource": "celery:send_task", "End": True}},
}


@pytest.fixture
def celery_tasks(make_machine: Any) -> tuple[PendingTask, PendingTask]:
    """Two open Celery tasks of one run, as the runner records them."""
    execution = start_execution(make_machine("Sender", WAITING), enqueue=False)

    def task(token: str) -> PendingTask:
        return PendingTask.objects.create(
            execution=execution,
            request_id=token,
            token=token,
            kind="celery",
            state_name="Send",
            resource="celery:send_task",
        )

    return task("a" * 32), task("b" * 32)


def answered(task: PendingTask) -> bool:
    task.refresh_from_db()
    return task.answered_at is not None


def test_it_answers_the_task_its_signed_reference_names(celery_tasks: Any) -> None:
    first, second = celery_tasks
    tasks.celery_task_succeeded.run({"ok": 1}, reference=dispatch.result_reference(first))
    assert answered(first) and first.outcome == {"result": {"ok": 1}}
    assert not answered(second)


def forgeries(task: PendingTask) -> list[str]:
    names = {"pending": task.pk, "token": task.token}
    return [
        "guessed",
        signing.dumps(names),  # the right key, but not the salt of results
        signing.dumps(names, key="another-key", salt=dispatch.RESULT_SALT),
        dispatch.result_reference(task)[:-2] + "xx",  # a tampered signature
    ]


def test_it_refuses_a_reference_that_the_engine_did_not_sign(celery_tasks: Any) -> None:
    first, _ = celery_tasks
    for forged in forgeries(first):
        tasks.celery_task_succeeded.run({"forged": True}, reference=forged)
        tasks.celery_task_failed.run(first.token, reference=forged)
    assert not answered(first)


def test_it_refuses_a_reference_used_for_the_result_of_another_celery_task(
    celery_tasks: Any,
) -> None:
    first, second = celery_tasks
    # The errback names the failed task: a's reference cannot answer with b's failure.
    tasks.celery_task_failed.run(second.token, reference=dispatch.result_reference(first))
    assert not answered(first) and not answered(second)


def test_it_does_not_take_a_bare_pending_id(celery_tasks: Any) -> None:
    first, _ = celery_tasks
    with pytest.raises(TypeError):
        tasks.celery_task_succeeded.run({"forged": True}, pending_id=first.pk)
    assert not answered(first)
