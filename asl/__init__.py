"""The Amazon States Language: parsing, validation and a resumable interpreter.

Pure Python: nothing here imports Django, Celery or Channels.

    machine = asl.parse(definition)                  # or raises asl.ValidationError
    result = asl.run(definition, input)              # in-process, to the end
    ex = asl.Execution.start(machine, input, ...)    # the stepper (see asl.interpreter)
"""

from __future__ import annotations

import json
from typing import Any

from asl.errors import Diagnostic, ExpressionError, StatesError, ValidationError
from asl.interpreter import Execution, ExecutionContext, Invoke, Sleep, Step
from asl.machine import Machine, compile_machine
from asl.runner import RunResult, SystemClock, invoke_function, run
from asl.test_state import TestStateResult, test_state


def parse(definition: Any, machine_type: str | None = None) -> Machine:
    """A checked, immutable ``Machine``; any problem raises ``ValidationError``.

    ``machine_type`` ("STANDARD" or "EXPRESS") adds the checks AWS makes for that type; None
    checks what every type shares. Warnings (``Diagnostic.severity``) never stop a parse:
    ``asl.diagnose`` lists them."""
    if isinstance(definition, (str, bytes)):
        try:
            definition = json.loads(definition)
        except ValueError as ex:
            raise ValidationError(
                [Diagnostic("INVALID_JSON", f"The definition is not valid JSON: {ex}", "")]
            ) from None
    from asl.validate import validate

    diagnostics = validate(definition, machine_type)
    if diagnostics:
        raise ValidationError(diagnostics)
    try:
        return compile_machine(definition)
    except ValidationError:
        raise
    except Exception as ex:  # noqa: BLE001 - malformed input must end in a ValidationError
        raise ValidationError(
            [Diagnostic("INVALID_DEFINITION", f"The definition cannot be compiled: {ex}", "")]
        ) from None


def diagnose(definition: Any, machine_type: str | None = None) -> list[Diagnostic]:
    """Every error and warning of a definition (a dict); never raises."""
    from asl.validate import diagnose as diagnose_definition

    return diagnose_definition(definition, machine_type)


__all__ = [
    "Diagnostic",
    "Execution",
    "ExecutionContext",
    "ExpressionError",
    "Invoke",
    "Machine",
    "RunResult",
    "Sleep",
    "StatesError",
    "Step",
    "SystemClock",
    "TestStateResult",
    "ValidationError",
    "diagnose",
    "invoke_function",
    "parse",
    "run",
    "test_state",
]
