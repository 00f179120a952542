"""Why a Choice state chose its branch: each rule re-evaluated against the state's input, with
the actual values it compared (`$.amount` = 5000 > 1000 ✓).

The interpreter decides with asl.choice's compiled predicates; this module explains, and
reaches the same decision through the same public functions (compile_rule, compile_path), so
the trace cannot disagree with the run. It is pure: the executor stores its result beside the
AWS-shaped history, which stays exactly AWS's.

A rule that reads variables ($name) or the context ($$) is evaluated with what the caller
passes; when that is not enough, the rule's trace says the value was not available rather
than guessing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from asl.choice import OPERATORS, Variables, compile_rule
from asl.errors import ExpressionError, StatesError
from asl.jsonata import compile_expression, expression_text
from asl.jsonpath import JSON, PathNotFound, compile_path

# How the trace shows each comparison, as a person reads it.
_SYMBOLS = {
    "Equals": "=",
    "LessThan": "<",
    "GreaterThan": ">",
    "LessThanEquals": "≤",
    "GreaterThanEquals": "≥",
}
_MISSING = object()  # a path that names nothing in the input


def _symbol(operator: str) -> str:
    base = operator.removesuffix("Path")
    for kind in ("String", "Numeric", "Timestamp", "Boolean"):
        if base.startswith(kind):
            return _SYMBOLS.get(base[len(kind) :], base)
    return {"StringMatches": "matches"}.get(base, base)


def _read(path: str, data: JSON, context: JSON, variables: Variables) -> Any:
    try:
        return compile_path(path).evaluate(data, context, variables)
    except (PathNotFound, ExpressionError, StatesError, KeyError, TypeError):
        return _MISSING


def _value(shown: dict[str, Any], key: str, value: Any) -> None:
    """``key`` holds the value read, or ``key``_found is false when the path named nothing."""
    if value is _MISSING:
        shown[f"{key}_found"] = False
    else:
        shown[key] = value


def _explain(
    rule: Mapping[str, Any], data: JSON, context: JSON, variables: Variables
) -> dict[str, Any]:
    operator = next((key for key in rule if key in OPERATORS), "")
    if operator in ("And", "Or"):
        parts = [_explain(r, data, context, variables) for r in rule[operator]]
        # AWS stops at the first rule that decides; those after it are shown as skipped.
        deciding = operator == "Or"
        decided = next((i for i, p in enumerate(parts) if p["result"] is deciding), None)
        for part in parts[decided + 1 :] if decided is not None else []:
            part["skipped"] = True
        return {
            "operator": operator,
            "rules": parts,
            "result": decided is not None if deciding else decided is None,
        }
    if operator == "Not":
        inner = _explain(rule["Not"], data, context, variables)
        return {"operator": "Not", "rules": [inner], "result": not inner["result"]}
    shown: dict[str, Any] = {
        "operator": operator,
        "symbol": _symbol(operator),
        "variable": rule.get("Variable"),
    }
    _value(shown, "actual", _read(rule.get("Variable", "$"), data, context, variables))
    expected = rule.get(operator)
    if operator.endswith("Path") and operator != "IsPresent" and isinstance(expected, str):
        shown["expected_path"] = expected
        _value(shown, "expected", _read(expected, data, context, variables))
    else:
        shown["expected"] = expected
    leaf = {key: value for key, value in rule.items() if key in ("Variable", operator)}
    try:
        shown["result"] = compile_rule(leaf)(data, context, variables)
    except StatesError as error:
        # AWS fails the run here (a Variable that names nothing); the trace says why.
        shown["result"] = False
        shown["error"] = f"{error.error}: {error.cause}"
    except ExpressionError as error:
        shown["result"] = False
        shown["error"] = str(error)
    return shown


def _jsonata(
    rule: Mapping[str, Any], input: JSON, context: JSON, variables: Variables
) -> dict[str, Any]:
    condition = rule.get("Condition")
    text = expression_text(condition) if isinstance(condition, str) else None
    shown: dict[str, Any] = {"operator": "Condition", "condition": condition}
    if text is None:
        shown["result"] = condition is True
        return shown
    bindings = {**(variables or {}), "states": {"input": input, "context": context}}
    try:
        shown["result"] = compile_expression(text, "Condition").evaluate(bindings) is True
    except (StatesError, ExpressionError) as error:
        shown["result"] = False
        shown["error"] = str(error)
    return shown


def effective_input(state: Mapping[str, Any], input: JSON, context: JSON) -> JSON:
    """What a JSONPath Choice state's rules read: its input after InputPath."""
    if state.get("QueryLanguage") == "JSONata" or "InputPath" not in state:
        return input
    path = state["InputPath"]
    if path is None:
        return {}
    value = _read(path, input, context, None)
    return {} if value is _MISSING else value


def trace(
    state: Mapping[str, Any],
    input: JSON,
    context: JSON = None,
    variables: Variables = None,
    jsonata: bool = False,
) -> dict[str, Any]:
    """Each of ``state``'s Choices, explained, in order, and the one that matched (the
    first whose result is true), as AWS evaluates them. ``jsonata`` is the state's query
    language when the machine sets it at the top."""
    jsonata = state.get("QueryLanguage", "JSONata" if jsonata else "JSONPath") == "JSONata"
    data = input if jsonata else effective_input(state, input, context)
    rules = []
    matched: int | None = None
    for rule in state.get("Choices") or []:
        if not isinstance(rule, Mapping):
            continue
        explained = (
            _jsonata(rule, input, context, variables)
            if jsonata
            else _explain(rule, data, context, variables)
        )
        explained["next"] = rule.get("Next")
        rules.append(explained)
        if matched is None and explained["result"]:
            matched = len(rules) - 1
    return {
        "rules": rules,
        "matched": matched,
        "next": rules[matched]["next"] if matched is not None else state.get("Default"),
        "default": state.get("Default"),
    }
