"""Payload templates: Parameters, ResultSelector, ItemSelector and the like (JSONPath states).

A key ending in ``.$`` takes its value from a path (``$``, ``$$`` or ``$variable``) or an
intrinsic function call; every other value is copied literally. The template is compiled once:
subtrees without any ``.$`` key are kept as they are and shared between results (nothing
downstream mutates values in place), so evaluating costs only the dynamic fields.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from asl.errors import ExpressionError, StatesError
from asl.intrinsics import compile_intrinsic, is_intrinsic
from asl.jsonpath import JSON, PathNotFound, compile_path, dump_json

Variables = Mapping[str, JSON] | None
Evaluator = Callable[[JSON, JSON, Variables], JSON]


def _not_found(path: str, key: str, data: JSON, context: JSON) -> StatesError:
    source = context if path.startswith("$$") else data
    return StatesError(
        "States.Runtime",
        f"The JSONPath '{path}' specified for the field '{key}' could not be found "
        f"in the input '{dump_json(source)}'",
    )


def _dynamic_value(key: str, value: JSON, location: str) -> Evaluator:
    if not isinstance(value, str):
        raise ExpressionError(
            f"{location}: the value of a field ending in '.$' must be a path or an intrinsic "
            f"function, not {dump_json(value)}"
        )
    try:
        evaluate: Evaluator = (
            compile_intrinsic(value).evaluate
            if is_intrinsic(value)
            else compile_path(value).evaluate
        )
    except ExpressionError as error:
        raise ExpressionError(f"{location}: {error}") from None

    def dynamic(data: JSON, context: JSON, variables: Variables) -> JSON:
        try:
            return evaluate(data, context, variables)
        except PathNotFound as missing:
            raise _not_found(missing.path, key, data, context) from None

    return dynamic


def _has_dynamic_keys(value: JSON) -> bool:
    if isinstance(value, dict):
        return any(key.endswith(".$") or _has_dynamic_keys(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_dynamic_keys(item) for item in value)
    return False


def _compile(value: JSON, location: str) -> Evaluator | None:
    """An evaluator for ``value``, or None when it is a constant to use as it is."""
    if not _has_dynamic_keys(value):
        return None
    if isinstance(value, list):
        return _compile_list(value, location)
    if isinstance(value, dict):
        return _compile_object(value, location)
    return None  # unreachable: only containers have dynamic keys


def _compile_list(items: list[JSON], location: str) -> Evaluator:
    parts = [(_compile(item, f"{location}/{index}"), item) for index, item in enumerate(items)]

    def evaluate_list(data: JSON, context: JSON, variables: Variables) -> JSON:
        return [
            item if evaluate is None else evaluate(data, context, variables)
            for evaluate, item in parts
        ]

    return evaluate_list


def _compile_object(template: dict[str, JSON], location: str) -> Evaluator:
    # (output key, evaluator or None, constant) in the template's order
    fields: list[tuple[str, Evaluator | None, Any]] = []
    seen: set[str] = set()
    for key, value in template.items():
        here = f"{location}/{key}"
        if key.endswith(".$"):
            name = key[:-2]
            evaluator: Evaluator | None = _dynamic_value(key, value, here)
        else:
            name = key
            evaluator = _compile(value, here)
        if name in seen:
            raise ExpressionError(f"{here}: the field '{name}' is given twice")
        seen.add(name)
        fields.append((name, evaluator, value))

    def evaluate_object(data: JSON, context: JSON, variables: Variables) -> JSON:
        result = {}
        for name, evaluate, constant in fields:
            result[name] = constant if evaluate is None else evaluate(data, context, variables)
        return result

    return evaluate_object


class Payload:
    """A compiled payload template; results share constant parts, so never mutate them."""

    __slots__ = ("field", "template", "_evaluate")

    def __init__(self, template: JSON, field: str) -> None:
        self.field = field
        self.template = template
        evaluator = _compile(template, field)
        self._evaluate: Evaluator = (
            evaluator if evaluator is not None else (lambda data, context, variables: template)
        )

    def evaluate(
        self, data: JSON, context: JSON = None, variables: Mapping[str, JSON] | None = None
    ) -> JSON:
        return self._evaluate(data, context, variables)

    def __repr__(self) -> str:
        return f"Payload({self.field!r})"


def compile_payload(template: JSON, field: str) -> Payload:
    """Compile a payload template for the state field ``field`` (used in messages)."""
    return Payload(template, field)
