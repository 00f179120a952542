"""Task functions the durable suites' workers serve (TASK_FUNCTION_MODULES=tests.durable.functions)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

from executor.functions import task_function


@task_function("slow-increment")
def slow_increment(event: Any, context: Any) -> Any:
    """Stands for real work: 50 ms of it, then the count one higher."""
    time.sleep(0.05)
    return {**event, "count": event["count"] + 1}


@task_function("square")
def square(event: Any, context: Any) -> Any:
    return event * event


@task_function("hand-over-token")
def hand_over_token(event: Any, context: Any) -> Any:
    """Gives the task token to the outside world (a file the test reads), as a function that
    emails an approver would."""
    Path(event["inbox"]).write_text(event["token"])
    return {"handed_over": True}


class NotReady(Exception):
    pass


@task_function("fail-unless-file")
def fail_unless_file(event: Any, context: Any) -> Any:
    """Fails until the file exists: a fault someone fixes before redriving the run."""
    if not Path(event["flag"]).exists():
        raise NotReady(f"{event['flag']} is missing")
    return {"fixed": True}


@task_function("nul-result")
def nul_result(event: Any, context: Any) -> Any:
    """Returns what PostgreSQL cannot store (U+0000), an exception once the answer is saved."""
    return {"text": "before\x00after"}


@task_function("nap")
def nap(event: Any, context: Any) -> Any:
    """Work that takes as long as it is told: longer than a lease, or than a time limit."""
    time.sleep(event["seconds"])
    return event


@task_function("die")
def die(event: Any, context: Any) -> Any:
    """Takes its worker process down, as a native crash or the kernel's OOM killer would."""
    os.kill(os.getpid(), signal.SIGKILL)
    return event
