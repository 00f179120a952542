"""``asl.test_state``: evaluates one state like AWS's TestState API.

The state runs in the same interpreter as executions, in single-state mode: it records the
data flow of the state (inspection data), stops after it (reporting the state it would go
to), and takes the work of a Task, Map or Parallel from the mock when one is given.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from asl import task_resources
from asl.errors import Diagnostic, ValidationError
from asl.frames import Frame, TestStateStatus
from asl.interpreter import Execution, ExecutionContext, Invoke
from asl.machine import compile_machine
from asl.runner import SystemClock, serve

LONE_STATE_NAME = "StateName"  # what TestState calls a state given without a definition
INSPECTION_LEVELS = ("INFO", "DEBUG", "TRACE")


@dataclass(slots=True)
class TestStateResult:
    __test__ = False  # not a pytest test class

    status: TestStateStatus
    output: Any = None
    error: str | None = None
    cause: str | None = None
    next_state: str | None = None
    inspection_data: dict[str, Any] | None = None


def find_state(body: Any, name: str) -> dict[str, Any] | None:
    """The state called ``name`` anywhere in a definition (also inside Map and Parallel)."""
    if not isinstance(body, dict) or not isinstance(body.get("States"), dict):
        return None
    for state_name, state in body["States"].items():
        if not isinstance(state, dict):
            continue
        if state_name == name:
            return state
        nested = [state.get("ItemProcessor"), state.get("Iterator"), *(state.get("Branches") or [])]
        for graph in nested:
            found = find_state(graph, name)
            if found is not None:
                return found
    return None


def _invalid(message: str, location: str = "") -> ValidationError:
    return ValidationError([Diagnostic("INVALID_TEST_STATE", message, location)])


def _check(definition: dict[str, Any], lone: bool) -> None:
    """Validates like CreateStateMachine would; a lone state's transitions lead to states
    TestState never sees, so only those diagnostics are left out."""
    from asl.validate import validate

    problems = validate(definition)
    if lone:
        problems = [p for p in problems if p.code != "UNKNOWN_STATE"]
    if problems:
        raise ValidationError(problems)


def _needs_mock(state: dict[str, Any]) -> str | None:
    """What in ``state`` TestState runs only against a mock, as AWS's does: work that outlives
    one call (a person, a worker, a child run) or fans out without bound.

    https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html
    """
    kind, resource = state.get("Type"), state.get("Resource")
    if kind in ("Map", "Parallel"):
        return f"a {kind} state"
    if kind != "Task" or not isinstance(resource, str):
        return None
    if task_resources.activity_name(resource) is not None:
        return "an activity task"
    kind = task_resources.pattern(resource)
    if kind == "sync":
        return "a .sync task"
    if kind == "wait_for_task_token":
        return "a .waitForTaskToken task"
    return None


def _parse_mock(mock: Any) -> dict[str, Any] | None:
    if mock is None:
        return None
    if not isinstance(mock, dict):
        raise _invalid("The mock must be an object with 'result' or 'errorOutput'.", "/mock")
    if "result" in mock:
        text = mock["result"]
        try:
            return {"result": json.loads(text) if isinstance(text, str) else text}
        except ValueError:
            raise _invalid("The mock result must be valid JSON text.", "/mock/result") from None
    error_output = mock.get("errorOutput")
    if isinstance(error_output, dict):
        return {"error": error_output.get("error"), "cause": error_output.get("cause")}
    raise _invalid("The mock must have 'result' or 'errorOutput'.", "/mock")


def _default_context(input: Any) -> ExecutionContext:
    machine_name = f"TestStateMachine-{uuid.uuid4().hex[:8]}"
    execution_name = str(uuid.uuid4())
    account = "123456789012"
    return ExecutionContext(
        id=f"arn:aws:states:us-east-1:{account}:express:{machine_name}:{execution_name}",
        name=execution_name,
        state_machine_id=f"arn:aws:states:us-east-1:{account}:stateMachine:{machine_name}",
        state_machine_name=machine_name,
        role_arn=f"arn:aws:iam::{account}:role/TestStateRole",
        redrive_count=None,
    )


def test_state(
    state: Any,
    input: Any = None,
    *,
    inspection_level: str = "INFO",
    mock: Any = None,
    variables: Mapping[str, Any] | None = None,
    context: Mapping[str, Any] | None = None,
    state_name: str | None = None,
    functions: Mapping[str, Callable[[Any, Any], Any]] | None = None,
    clock: Any = None,
) -> TestStateResult:
    """Runs ``state`` (or the state ``state_name`` of the definition ``state``) once."""
    if inspection_level not in INSPECTION_LEVELS:
        raise _invalid(f"inspectionLevel must be one of {', '.join(INSPECTION_LEVELS)}.")
    if not isinstance(state, dict):
        raise _invalid("The state must be a JSON object.")
    query_language = state.get("QueryLanguage") if state_name else None
    if state_name is not None:
        found = find_state(state, state_name)
        if found is None:
            raise _invalid(f"The definition has no state named '{state_name}'.", "/stateName")
        name, body = state_name, found
    else:
        name, body = LONE_STATE_NAME, state
    unmocked = _needs_mock(body) if mock is None else None
    if unmocked:
        raise _invalid(f"TestState runs {unmocked} only with a mock.", "/mock")
    wrapper: dict[str, Any] = {"StartAt": name, "States": {name: body}}
    if query_language is not None:
        wrapper["QueryLanguage"] = query_language
    _check(state if state_name is not None else wrapper, lone=state_name is None)
    try:
        machine = compile_machine(wrapper)
    except ValidationError:
        raise
    except Exception as problem:  # noqa: BLE001 - a malformed state ends in a ValidationError
        raise _invalid(f"The state cannot be compiled: {problem}") from None
    clock = clock or SystemClock()
    ex = Execution.start(machine, input, context=_default_context(input), now=clock.now())
    ex.single = True
    ex.inspect = {}
    ex.mock = _parse_mock(mock)
    if context is not None:
        ex.fixed_context = dict(context)
    root = ex.frames["0"]
    if variables:
        root.vars = dict(variables)
    return _drive(ex, root, input, inspection_level, functions or {}, clock)


def _drive(
    ex: Execution,
    root: Frame,
    input: Any,
    level: str,
    functions: Mapping[str, Callable[[Any, Any], Any]],
    clock: Any,
) -> TestStateResult:
    # ``root`` is the machine's frame, held here because the run drops it when it ends: its
    # variables are the given ones, updated by the state's Assign (or its catcher's).
    notes = ex.inspect if ex.inspect is not None else {}
    while True:
        step = ex.step(clock.now())
        if step.status != "RUNNING":
            break
        if "retriable" in notes:
            retry = notes["retriable"]
            return TestStateResult(
                "RETRIABLE",
                None,
                retry["error"],
                retry["cause"],
                None,
                _inspection(notes, input, level, root.vars),
            )
        for request in step.requests:
            if isinstance(request, Invoke):
                ex.resume(request.id, **serve(request, functions, clock))
            else:  # a Wait state: TestState does not wait
                ex.resume(request.id)
    data = _inspection(notes, input, level, root.vars)
    next_state = notes.get("nextState")
    if step.status == "SUCCEEDED" and "caught" in notes:
        caught = notes["caught"]
        return TestStateResult(
            "CAUGHT_ERROR", step.output, caught["error"], caught["cause"], next_state, data
        )
    if step.status == "SUCCEEDED":
        return TestStateResult("SUCCEEDED", step.output, None, None, next_state, data)
    # TestState has four statuses: a state that timed out failed
    # (https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html).
    return TestStateResult("FAILED", None, step.error, step.cause, None, data)


def _inspection(
    notes: dict[str, Any], input: Any, level: str, variables: dict[str, Any]
) -> dict[str, Any] | None:
    if level == "INFO":
        return None
    data: dict[str, Any] = {"input": input}
    for key, value in notes.items():
        if key in ("nextState", "caught", "retriable"):
            continue
        data[key] = value
    # "The set of workflow variables after execution of the state", the ones given and the
    # ones the state assigned (API_InspectionData). AWS leaves the member out when there are
    # none: the recorded answers for states without variables have no such member.
    if variables:
        data["variables"] = dict(variables)
    retry, caught = notes.get("retriable"), notes.get("caught")
    if retry is not None:
        data["errorDetails"] = {
            "error": retry["error"],
            "cause": retry["cause"],
            "retryIndex": retry["index"],
            # An Integer in the API (API_InspectionErrorDetails), even when a backoff rate or
            # jitter makes the wait itself fractional.
            "retryBackoffIntervalSeconds": int(retry["delay"]),
        }
    elif caught is not None:
        data["errorDetails"] = {
            "error": caught["error"],
            "cause": caught["cause"],
            "catchIndex": caught["catchIndex"],
        }
    return data


test_state.__test__ = False  # type: ignore[attr-defined]
