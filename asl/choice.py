"""Choice rules of JSONPath states, compiled into predicates.

``compile_rule(rule)`` checks the rule once (ExpressionError naming the operator at fault) and
returns ``predicate(input, context, variables) -> bool``. As AWS does, a comparison between
values of different types is simply false, while a Variable (or a ``...Path`` comparand) that
does not exist is a ``States.Runtime`` error; only ``IsPresent`` may look at missing fields.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from asl.errors import ExpressionError, StatesError
from asl.jsonpath import JSON, Path, PathNotFound, compile_path, dump_json

Variables = Mapping[str, JSON] | None
Predicate = Callable[[JSON, JSON, Variables], bool]
Test = Callable[[JSON, JSON], bool]  # (variable value, comparand) -> bool

_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})"
)


def parse_timestamp(text: JSON) -> tuple[int, Decimal] | None:
    """An RFC 3339 date-time as (whole seconds since the epoch, fraction), else None.

    The fraction is kept exactly, since AWS compares timestamps with more precision than
    Python's microseconds.
    """
    if type(text) is not str:
        return None
    match = _TIMESTAMP.fullmatch(text)
    if not match:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    fraction, offset = match.group(7), match.group(8)
    try:
        moment = datetime.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    if offset not in ("Z", "z"):
        hours, minutes = int(offset[1:3]), int(offset[4:6])
        if hours > 23 or minutes > 59:
            return None
        shift = datetime.timedelta(hours=hours, minutes=minutes)
        moment = moment - shift if offset[0] == "+" else moment + shift
    seconds = (moment - datetime.datetime(1970, 1, 1)) // datetime.timedelta(seconds=1)
    return seconds, Decimal("0." + fraction) if fraction else Decimal(0)


def _is_number(value: JSON) -> bool:
    return type(value) is int or type(value) is float


def _utf16(text: str) -> bytes:
    # Java (and so AWS) orders strings by UTF-16 code units, which differs from Python's
    # code-point order for characters outside the Basic Multilingual Plane.
    return text.encode("utf-16-be")


def _wildcard_pattern(pattern: str) -> re.Pattern[str]:
    parts: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern) and pattern[index + 1] in "*\\":
            parts.append(re.escape(pattern[index + 1]))
            index += 2
            continue
        parts.append(".*" if char == "*" else re.escape(char))
        index += 1
    return re.compile("".join(parts), re.DOTALL)


_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "Equals": lambda a, b: bool(a == b),
    "LessThan": lambda a, b: bool(a < b),
    "GreaterThan": lambda a, b: bool(a > b),
    "LessThanEquals": lambda a, b: bool(a <= b),
    "GreaterThanEquals": lambda a, b: bool(a >= b),
}


def _string_test(relation: str) -> Test:
    order = _ORDER[relation]
    if relation == "Equals":
        return lambda a, b: type(a) is str and type(b) is str and a == b
    return lambda a, b: type(a) is str and type(b) is str and order(_utf16(a), _utf16(b))


def _numeric_test(relation: str) -> Test:
    order = _ORDER[relation]
    return lambda a, b: _is_number(a) and _is_number(b) and order(a, b)


def _timestamp_test(relation: str) -> Test:
    order = _ORDER[relation]

    def test(a: JSON, b: JSON) -> bool:
        left, right = parse_timestamp(a), parse_timestamp(b)
        return left is not None and right is not None and order(left, right)

    return test


def _boolean_test(a: JSON, b: JSON) -> bool:
    return type(a) is bool and type(b) is bool and a is b


# operator -> (test, the JSON type its literal comparand must have)
_COMPARISONS: dict[str, tuple[Test, str]] = {"BooleanEquals": (_boolean_test, "boolean")}
for _relation in _ORDER:
    _COMPARISONS["String" + _relation] = (_string_test(_relation), "string")
    _COMPARISONS["Numeric" + _relation] = (_numeric_test(_relation), "number")
    _COMPARISONS["Timestamp" + _relation] = (_timestamp_test(_relation), "timestamp")

_TYPE_TESTS: dict[str, Callable[[JSON], bool]] = {
    "IsNull": lambda value: value is None,
    "IsNumeric": _is_number,
    "IsString": lambda value: type(value) is str,
    "IsBoolean": lambda value: type(value) is bool,
    "IsTimestamp": lambda value: parse_timestamp(value) is not None,
}

_IGNORED_FIELDS = {"Next", "Comment", "Assign", "Output", "Variable"}
OPERATORS = frozenset(
    [*_COMPARISONS, *(name + "Path" for name in _COMPARISONS), *_TYPE_TESTS]
    + ["IsPresent", "StringMatches", "And", "Or", "Not"]
)


def _invalid_path(path: str) -> StatesError:
    return StatesError(
        "States.Runtime",
        f"Invalid path '{path}': The choice state's condition path references an invalid value.",
    )


def _reader(path: Path) -> Callable[[JSON, JSON, Variables], JSON]:
    evaluate = path.evaluate
    text = path.text

    def read(data: JSON, context: JSON, variables: Variables) -> JSON:
        try:
            return evaluate(data, context, variables)
        except PathNotFound:
            raise _invalid_path(text) from None

    return read


def _join(where: str, part: str) -> str:
    return f"{where}/{part}" if where else part


def _fault(where: str, message: str) -> ExpressionError:
    return ExpressionError(f"{where}: {message}" if where else message)


def _compile_path(value: JSON, where: str) -> Path:
    if not isinstance(value, str):
        raise ExpressionError(f"{where} must be a path string, not {dump_json(value)}")
    try:
        return compile_path(value)
    except ExpressionError as error:
        raise _fault(where, str(error)) from None


def _check_literal(operator: str, value: JSON, kind: str) -> None:
    valid = {
        "boolean": type(value) is bool,
        "string": type(value) is str,
        "number": _is_number(value),
        "timestamp": parse_timestamp(value) is not None,
    }[kind]
    if not valid:
        article = "an" if kind[0] in "aeiou" else "a"
        raise ExpressionError(f"{operator} must be {article} {kind}, not {dump_json(value)}")


def _compile(rule: JSON, where: str) -> Predicate:
    if not isinstance(rule, dict):
        raise _fault(where, f"a choice rule must be an object, not {dump_json(rule)}")
    operators = [key for key in rule if key in OPERATORS]
    unknown = [key for key in rule if key not in OPERATORS and key not in _IGNORED_FIELDS]
    if unknown:
        raise _fault(where, f"unknown field '{unknown[0]}' in a choice rule")
    if len(operators) != 1:
        found = ", ".join(operators) if operators else "none"
        raise _fault(where, f"a choice rule needs exactly one comparison operator (found {found})")
    operator = operators[0]
    argument = rule[operator]
    here = _join(where, operator)

    if operator in ("And", "Or"):
        if not isinstance(argument, list) or not argument:
            raise ExpressionError(f"{here} must be a non-empty array of choice rules")
        if "Variable" in rule:
            raise _fault(where, f"{operator} cannot have a Variable")
        rules = [_compile(item, _join(here, str(index))) for index, item in enumerate(argument)]
        combine = all if operator == "And" else any
        return lambda data, context, variables: combine(
            predicate(data, context, variables) for predicate in rules
        )
    if operator == "Not":
        if "Variable" in rule:
            raise _fault(where, "Not cannot have a Variable")
        inner = _compile(argument, here)
        return lambda data, context, variables: not inner(data, context, variables)

    if "Variable" not in rule:
        raise _fault(where, f"{operator} needs a Variable")
    variable = _compile_path(rule["Variable"], _join(where, "Variable"))

    if operator == "IsPresent":
        _check_literal(here, argument, "boolean")
        evaluate = variable.evaluate

        def is_present(data: JSON, context: JSON, variables: Variables) -> bool:
            try:
                evaluate(data, context, variables)
            except PathNotFound:
                return argument is False
            return argument is True

        return is_present

    read = _reader(variable)
    if operator in _TYPE_TESTS:
        _check_literal(here, argument, "boolean")
        check = _TYPE_TESTS[operator]
        return lambda data, context, variables: check(read(data, context, variables)) is argument

    if operator == "StringMatches":
        _check_literal(here, argument, "string")
        assert type(argument) is str  # as _check_literal made sure
        pattern = _wildcard_pattern(argument)

        def matches(data: JSON, context: JSON, variables: Variables) -> bool:
            value = read(data, context, variables)
            return type(value) is str and pattern.fullmatch(value) is not None

        return matches

    if operator.endswith("Path"):
        test, _kind = _COMPARISONS[operator[: -len("Path")]]
        read_other = _reader(_compile_path(argument, here))
        return lambda data, context, variables: test(
            read(data, context, variables), read_other(data, context, variables)
        )

    test, kind = _COMPARISONS[operator]
    _check_literal(here, argument, kind)
    return lambda data, context, variables: test(read(data, context, variables), argument)


def compile_rule(rule: dict[str, JSON], where: str = "") -> Predicate:
    """Compile one Choice rule; ``where`` (e.g. "/States/Pick/Choices/0") prefixes errors."""
    return _compile(rule, where)
