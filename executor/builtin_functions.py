"""Functions every installation has, handy in examples and tests."""

from typing import Any

from executor.functions import task_function


@task_function("echo")
def echo(event: Any, context: Any) -> Any:
    return event
