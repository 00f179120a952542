"""Functions every installation has, handy in examples and tests."""

from typing import Any

from executor.functions import task_function


@task_function("echo")
def echo(event: Any, context: Any) -> Any:
    return event


@task_function("simulate")
def simulate(event: Any, context: Any) -> Any:
    """A stand-in for real work in the template gallery: it gives its input back, or, when the
    input names a ``simulateError``, fails with that error, so error handling can be tried."""
    error = event.get("simulateError") if isinstance(event, dict) else None
    if isinstance(error, str) and error:
        raise type(error, (Exception,), {})(event.get("simulateCause") or f"Simulated {error}.")
    return event
