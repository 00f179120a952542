"""What data each state of a machine would see, for the designer's path picker.

A sample input is carried along the path a run would take, one state at a time, by the engine
itself (``asl.test_state``, the interpreter in single-state mode). A Task does no work here: its
result is its own input, as if it echoed it, and a Map's or Parallel's result is the list of
what its iterations or branches were given. Inner states of a Map see its first item; inner
states of a Parallel branch see the branch's input. The workflow variables are carried too:
each state's Assign, as the engine evaluates it, sets them for the states after it; the inner
states of a Map or Parallel see the variables in scope where it starts, and what they assign
stays inside (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html).
Each state is visited once: a loop stops
where it comes back, and a state that fails ends its path.

Each state runs alone (TestState's lone-state mode), so a draft still being built shows its
data up to the first state that cannot run yet, such as a new Choice rule with no target.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from asl.errors import ExpressionError, StatesError, ValidationError
from asl.jsonpath import compile_path
from asl.map_processor import is_distributed, processor_field
from asl.test_state import test_state

# A run may loop; the shapes need each state once. The cap bounds the work of a hostile draft
# (each step validates and compiles the definition).
MAX_STEPS = 200
# Every state's input goes back in the answer: a sample near the payload limit times many
# states would make an answer of many megabytes. Past this many bytes the walk stops.
MAX_ANSWER_BYTES = 2_000_000


def _size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False))


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def _key(scope: str, name: str) -> str:
    """The designer's key of a state (frontend/src/asl/scopes.ts stateKey)."""
    return name if scope == "" and not name.startswith("/") else f"{scope}/States/{_escape(name)}"


class _Walk:
    def __init__(self, definition: dict[str, Any]) -> None:
        language = definition.get("QueryLanguage")
        self.language = language if isinstance(language, str) else None
        self.shapes: dict[str, Any] = {}
        # The variables in scope when each state starts, for the states that have some.
        self.variables: dict[str, dict[str, Any]] = {}
        self.steps = 0
        self.size = 0

    def run(self, scope: str, graph: Any, data: Any, variables: dict[str, Any]) -> None:
        """Walks one state graph (the machine, a Map's processor or a branch) from StartAt."""
        if not isinstance(graph, dict) or not isinstance(graph.get("States"), dict):
            return
        states: dict[str, Any] = graph["States"]
        name = graph.get("StartAt")
        while isinstance(name, str) and name in states and self.steps < MAX_STEPS:
            key = _key(scope, name)
            if key in self.shapes:
                return
            self.size += _size(data) + (_size(variables) if variables else 0)
            if self.size > MAX_ANSWER_BYTES:
                self.steps = MAX_STEPS  # the answer is full: nothing more is walked
                return
            self.shapes[key] = data
            if variables:
                self.variables[key] = variables
            self.steps += 1
            state = states[name]
            outcome = self._step(scope, name, state, data, variables)
            if outcome is None:
                return
            name, data, variables = outcome

    def _step(
        self, scope: str, name: str, state: Any, data: Any, variables: dict[str, Any]
    ) -> tuple[Any, Any, dict[str, Any]] | None:
        kind = state.get("Type") if isinstance(state, dict) else None
        here = f"{scope}/States/{_escape(name)}"
        mock = None
        if kind in ("Task", "Map", "Parallel"):
            seen = self._effective_input(state, data, variables)
            mock = {"result": self._inner(here, state, kind, seen, variables)}
        try:
            # DEBUG: the variables after the state's Assign come with the inspection data.
            result = test_state(
                self._alone(state),
                data,
                mock=mock,
                variables=variables,
                inspection_level="DEBUG",
            )
        except (ValidationError, StatesError, ExpressionError):
            return None
        if result.status not in ("SUCCEEDED", "CAUGHT_ERROR") or result.next_state is None:
            return None
        after = (result.inspection_data or {}).get("variables") or {}
        return result.next_state, result.output, after

    def _alone(self, state: Any) -> Any:
        """The state as TestState takes it alone: with the machine's query language."""
        if self.language is None or not isinstance(state, dict) or "QueryLanguage" in state:
            return state
        return {**state, "QueryLanguage": self.language}

    def _effective_input(self, state: dict[str, Any], data: Any, variables: dict[str, Any]) -> Any:
        """The input after InputPath and Parameters/Arguments: what the work is given."""
        try:
            found = test_state(
                self._alone(state),
                data,
                mock={"result": None},
                inspection_level="DEBUG",
                variables=variables,
            )
        except (ValidationError, StatesError, ExpressionError):
            return data
        notes = found.inspection_data or {}
        for key in ("afterArguments", "afterParameters", "afterInputPath"):
            if key in notes:
                return notes[key]
        return data

    def _inner(
        self, here: str, state: dict[str, Any], kind: str, data: Any, variables: dict[str, Any]
    ) -> Any:
        """Walks the inner states and returns what the container would give back."""
        if kind == "Parallel":
            branches = state.get("Branches")
            branches = branches if isinstance(branches, list) else []
            for i, branch in enumerate(branches):
                self.run(f"{here}/Branches/{i}", branch, data, variables)
            return [data for _ in branches]
        if kind == "Map":
            items = _items(state, data)
            field = processor_field(state)
            if items:
                # A distributed Map's child runs start with no variables.
                processor = state.get(field)
                inherited = {} if is_distributed(processor) else variables
                self.run(f"{here}/{field}", processor, items[0], inherited)
            return items
        return data


def _items(state: dict[str, Any], data: Any) -> list[Any]:
    """The items a Map iterates over (ItemsPath in JSONPath; JSONata Items only when literal)."""
    items: Any = data
    if isinstance(state.get("Items"), list):
        items = state["Items"]
    elif isinstance(state.get("ItemsPath"), str):
        try:
            items = compile_path(state["ItemsPath"]).evaluate(data)
        except (ExpressionError, StatesError):
            return []
    return items if isinstance(items, list) else []


def data_shapes(definition: dict[str, Any], sample: Any) -> dict[str, Any]:
    """The input each reachable state would get when a run starts with ``sample``, by key."""
    return walk(definition, sample).shapes


def walk(definition: dict[str, Any], sample: Any) -> _Walk:
    """The walk of a run from ``sample``: each state's input (``shapes``) and the variables in
    scope when it starts (``variables``, only for the states that have some)."""
    found = _Walk(definition)
    # Maps in Maps a thousand deep: the answer is what was found so far.
    with contextlib.suppress(RecursionError):
        found.run("", definition, sample, {})
    return found
