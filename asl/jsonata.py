"""JSONata expressions and templates for JSONata states, on top of jsonata-python.

A template is any JSON value whose strings of the form ``{% expression %}`` are expressions;
everything else is literal. Expressions are parsed once. Evaluation binds ``$states`` and the
workflow variables, adds the functions AWS adds (``$partition``, ``$range``, ``$hash``,
``$random`` with a seed, ``$uuid``, ``$parse``), and maps the library's values back to plain
JSON: undefined is an error as in AWS, null stays null, integral numbers are ints.

Failures are ``States.QueryEvaluationError`` with AWS's wording, e.g. "The JSONata expression
'$x' specified for the field 'Output/result' returned nothing (undefined)."; the interpreter
puts its "An error occurred while executing the state ..." prefix in front.
"""

from __future__ import annotations

import json
import math
import random
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import jsonata as _jsonata
from jsonata import functions as _jfunctions
from jsonata import jexception as _jexception
from jsonata import parser as _jparser
from jsonata import utils as _jutils

from asl.errors import ExpressionError, StatesError
from asl.intrinsics import HASH_ALGORITHMS
from asl.jsonpath import JSON, dump_json, json_type
from asl.limits import DATA_LIMIT_EXCEEDED, check_items, check_string
from asl.limits import MAX_ARRAY_RANGE_ITEMS as MAX_RANGE_ITEMS

_NULL = _jutils.Utils.NULL_VALUE
_Jsonata: Any = _jsonata.Jsonata
_Functions: Any = _jfunctions.Functions
ERROR = "States.QueryEvaluationError"
EVALUATION_TIMEOUT_SECONDS = 10.0


class _FunctionError(Exception):
    """An AWS-added function refused its arguments; the text goes into AWS's message."""


class _Watchdog:
    """Stops an evaluation that runs too long: tail calls let JSONata loop forever.

    The library calls it before evaluating every node; looking at the clock only every
    thousand nodes keeps that cheap.
    """

    __slots__ = ("deadline", "count")

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.count = 0

    def __call__(self, expression: Any, data: Any, environment: Any) -> None:
        self.count += 1
        if self.count % 1000 == 0 and time.monotonic() > self.deadline:
            raise _FunctionError(
                "Expression evaluation timeout: check for an infinite loop or recursion"
            )


# ---------------------------------------------------------------------------------------
# The functions AWS adds
# ---------------------------------------------------------------------------------------


def _plain_number(value: Any, name: str, position: int) -> float:
    if type(value) not in (int, float):
        raise _FunctionError(f"{name}: argument {position} must be a number")
    return float(value)


def _whole_number(value: Any, name: str, position: int) -> int:
    number = _plain_number(value, name, position)
    if not number.is_integer():
        raise _FunctionError(f"{name}: argument {position} must be an integer")
    return int(number)


def _partition(array: Any = None, size: Any = None) -> Any:
    if array is None:
        raise _FunctionError("$partition: argument 1 must be an array")
    if not isinstance(array, list):
        # An array parameter of a JSONata function (type `a` of a signature,
        # https://docs.jsonata.org/embedding-extending#function-signature-syntax) takes a
        # single value as an array of one, as the reference implementation's signature check
        # does: a filter that kept one item (`$partition($xs[$ > 4], 2)`) is a value, not an
        # array, and partitions as that one item.
        array = [array]
    chunk = _whole_number(size, "$partition", 2)
    if chunk <= 0:
        raise _FunctionError("$partition: the chunk size must be a positive integer")
    return [list(array[start : start + chunk]) for start in range(0, len(array), chunk)]


def _range(start: Any = None, end: Any = None, step: Any = None) -> Any:
    first = _whole_number(start, "$range", 1)
    last = _whole_number(end, "$range", 2)
    stride = _whole_number(step, "$range", 3)
    if stride == 0:
        raise _FunctionError("$range: the step must not be 0")
    count = max(0, (last - first) // stride + 1)
    if count > MAX_RANGE_ITEMS:
        raise _FunctionError(f"$range: the range cannot have more than {MAX_RANGE_ITEMS} items")
    return list(range(first, last + (1 if stride > 0 else -1), stride))


def _hash(data: Any = None, algorithm: Any = None) -> Any:
    if not isinstance(data, str):
        raise _FunctionError("$hash: argument 1 must be a string")
    if algorithm not in HASH_ALGORITHMS:
        raise _FunctionError(f"$hash: the algorithm must be one of {', '.join(HASH_ALGORITHMS)}")
    return HASH_ALGORITHMS[algorithm](data.encode("utf-8")).hexdigest()


def _random(seed: Any = None) -> Any:
    if seed is None:
        return random.random()
    return random.Random(_whole_number(seed, "$random", 1)).random()


def _uuid() -> Any:
    return str(uuid.uuid4())


def _parse(text: Any = None) -> Any:
    if not isinstance(text, str):
        raise _FunctionError("$parse: argument 1 must be a string")
    try:
        return to_jsonata(json.loads(text))
    except ValueError:
        raise _FunctionError("$parse: the argument is not valid JSON") from None


def _unsupported(name: str) -> Callable[..., Any]:
    def refuse(*args: Any) -> Any:
        raise _FunctionError(f"The function ${name} is not supported")

    return refuse


# ---------------------------------------------------------------------------------------
# Bounds: what could build far more than a payload holds is refused before it is built
# ---------------------------------------------------------------------------------------


class _Bounded(_Jsonata):  # type: ignore[misc]
    """The library's evaluator, with the string and range operators bounded."""

    def evaluate_string_concat(self, lhs: Any, rhs: Any) -> str:
        left = "" if lhs is None else _Functions.string(lhs, None)
        right = "" if rhs is None else _Functions.string(rhs, None)
        check_string("The string concatenation (&)", len(left) + len(right))
        return left + right

    def evaluate_range_expression(self, lhs: Any, rhs: Any) -> Any:
        if type(lhs) is int and type(rhs) is int:
            check_items("The range [a..b]", rhs - lhs + 1)
        return super().evaluate_range_expression(lhs, rhs)


class _BoundedFunctions:
    """Built-ins whose result can be far larger than their arguments, checked first; each
    has the library's parameters, as the library calls it by them."""

    @staticmethod
    def pad(string: Any, width: Any, char: Any) -> Any:
        # The library's own pads in a Python loop, one character at a time (20 s for 200,000),
        # in a single call that no time box can interrupt.
        if string is None:
            return None
        if string is _NULL:
            raise _jexception.JException("T0410", -1)
        fill = char or " "
        try:
            size = int(width)
        except (TypeError, ValueError, OverflowError):
            size = 0
        check_string("$pad", abs(size))
        missing = abs(size) - len(string)
        if missing <= 0:
            return string
        padding = (fill * (missing // len(fill) + 1))[:missing]
        return padding + string if size < 0 else string + padding

    @staticmethod
    def join(strs: Any, separator: Any) -> Any:
        if isinstance(strs, list):
            length = sum(len(item) for item in strs if isinstance(item, str))
            if isinstance(separator, str):
                length += len(separator) * max(len(strs) - 1, 0)
            check_string("$join", length)
        return _Functions.join(strs, separator)

    @staticmethod
    def append(arg1: Any, arg2: Any) -> Any:
        count = sum(len(arg) if isinstance(arg, list) else 1 for arg in (arg1, arg2))
        check_items("$append", count)
        return _Functions.append(arg1, arg2)


def _identity(value: Any) -> Any:
    """A hashable stand-in for ``value`` that is equal exactly when JSONata's deep equality
    holds: numbers by value (1 is 1.0), booleans apart from numbers, objects whatever their
    key order."""
    if value is None or value is _NULL:
        return ("null",)
    if isinstance(value, bool):
        return ("boolean", value)
    if isinstance(value, (int, float)):
        return ("number", float(value))
    if isinstance(value, str):
        return ("string", value)
    if isinstance(value, list):
        return ("array", tuple(_identity(item) for item in value))
    if isinstance(value, dict):
        return ("object", frozenset((key, _identity(item)) for key, item in value.items()))
    return ("other", id(value))


class _SequenceFunctions:
    """Built-ins whose library version confuses an array with a sequence."""

    @staticmethod
    def distinct(arr: Any) -> Any:
        # "$distinct(array) Returns an array containing all the values from the array
        # parameter, but with any duplicates removed" (https://docs.jsonata.org/array-functions
        # #distinct). The library returns a sequence for every array, so that an array
        # constructor that keeps one value (`$distinct([1, 1])`) collapsed to the value and
        # `$distinct([[1], [1]])` to the inner array; only a sequence (a path's result) may
        # collapse. Its `in` test also took true for 1.
        if not isinstance(arr, list) or len(arr) <= 1:
            return arr
        results = _jutils.Utils.create_sequence() if _jutils.Utils.is_sequence(arr) else []
        seen: set[Any] = set()
        for item in arr:
            identity = _identity(item)
            if identity not in seen:
                seen.add(identity)
                results.append(item)
        return results


# Expressions evaluate in a child of this frame, so the added functions are looked up
# after the expression's own bindings and before JSONata's built-ins.
_BASE_FRAME = _Jsonata.Frame(_Jsonata.static_frame)
for _name, _signature in (("pad", "<s-ns?:s>"), ("join", "<a<s>s?:s>"), ("append", "<xx:a>")):
    _BASE_FRAME.bind(_name, _Jsonata.JNativeFunction(_name, _signature, _BoundedFunctions, None))
_BASE_FRAME.bind(
    "distinct", _Jsonata.JNativeFunction("distinct", "<x:x>", _SequenceFunctions, None)
)


def _taking(name: str, most: int, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` refusing more than ``most`` arguments as JSONata refuses a call that
    does not match a function's signature (T0410), instead of failing in Python."""

    def call(*args: Any) -> Any:
        if len(args) > most:
            raise _FunctionError(
                f'T0410: Argument {most + 1} of function "{name}" does not match function signature'
            )
        return function(*args)

    return call


# Each added function with the number of arguments it takes
# (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html).
for _name, _most, _function in (
    ("partition", 2, _partition),
    ("range", 3, _range),
    ("hash", 2, _hash),
    ("random", 1, _random),
    ("uuid", 0, _uuid),
    ("parse", 1, _parse),
):
    _BASE_FRAME.bind(_name, _Jsonata.JLambda(_taking(_name, _most, _function)))
_BASE_FRAME.bind("eval", _Jsonata.JLambda(_unsupported("eval")))


# ---------------------------------------------------------------------------------------
# Values in and out
# ---------------------------------------------------------------------------------------


def to_jsonata(value: JSON) -> Any:
    """JSON null as the library's null (a bare None would read as undefined)."""
    if value is None:
        return _NULL
    if type(value) is dict:
        return {key: to_jsonata(item) for key, item in value.items()}
    if type(value) is list:
        return [to_jsonata(item) for item in value]
    if type(value) is float and value.is_integer():
        # JSONata has one number type: 2.0 is 2, and $string must print it so.
        return int(value)
    return value


class _Unsupported(Exception):
    """The result holds a function, which JSON cannot represent."""


def _is_function(value: Any) -> bool:
    return isinstance(value, (_jparser.Parser.Symbol, _Jsonata.JFunctionCallable))


def from_jsonata(value: Any) -> JSON:
    """Plain JSON from a library value: null, plain lists, ints for integral numbers."""
    if value is _NULL or value is None:
        return None
    if isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            # JSON has no Infinity or NaN; JSONata itself reports D1001 for them.
            raise _FunctionError(f"D1001: Number out of range: {value}")
        return int(value) if value.is_integer() else value
    if isinstance(value, dict):
        return {str(key): from_jsonata(item) for key, item in value.items()}
    if isinstance(value, list):
        return [from_jsonata(item) for item in value if item is not None]
    # Functions (and anything else the library might hand back) have no JSON form.
    raise _Unsupported


# ---------------------------------------------------------------------------------------
# Expressions
# ---------------------------------------------------------------------------------------

Bindings = Mapping[str, Any]


def has_type(value: JSON, expected: str) -> bool:
    """Whether ``value`` is of JSON type ``expected``; 'integer' is an integral number."""
    if expected == "integer":
        return (type(value) is int or type(value) is float) and float(value).is_integer()
    return json_type(value) == expected


def _describe(error: Any) -> str:
    # $error(message) raises D3137, whose text the library leaves unformatted.
    if error.error == "D3137" and isinstance(error.current, str):
        return f"{error.error}: {error.current}"
    return f"{error.error}: {error}"


def _frame(bindings: Bindings) -> Any:
    frame = _Jsonata.Frame(_BASE_FRAME)
    for name, value in bindings.items():
        frame.bind(name, to_jsonata(value))
    return frame


class Expr:
    """One compiled JSONata expression, for the state field ``field`` (used in messages)."""

    __slots__ = ("text", "field", "timeout_seconds", "_compiled")

    def __init__(
        self, text: str, field: str = "", timeout_seconds: float = EVALUATION_TIMEOUT_SECONDS
    ) -> None:
        if not isinstance(text, str):
            raise ExpressionError(f"{field or 'expression'}: a JSONata expression must be a string")
        self.text = text
        self.field = field
        self.timeout_seconds = timeout_seconds
        try:
            self._compiled = _Bounded(text)
        except _jexception.JException as error:
            raise ExpressionError(
                f"{field or 'expression'}: the JSONata expression '{text}' is not valid: "
                f"{error.error}: {error}"
            ) from None
        except Exception as error:  # the library's parser can fail in other ways
            raise ExpressionError(
                f"{field or 'expression'}: the JSONata expression '{text}' is not valid: {error}"
            ) from None

    def _fail(self, tail: str) -> StatesError:
        return StatesError(
            ERROR,
            f"The JSONata expression '{self.text}' specified for the field '{self.field}' {tail}",
        )

    def evaluate(self, bindings: Bindings) -> JSON:
        """The value, as plain JSON; undefined and errors raise States.QueryEvaluationError."""
        return self.evaluate_in(_frame(bindings))

    def evaluate_in(self, frame: Any) -> JSON:
        compiled = self._compiled
        # jsonata-python reads some state (functions' environment, $now) from the "current"
        # instance of the thread, which must be this expression's.
        _Jsonata.CURRENT.jsonata = compiled
        # $now() and $millis() read the time the evaluation started from the instance.
        compiled.timestamp = round(time.time() * 1000)
        local = _Jsonata.Frame(frame)
        local.bind("__evaluate_entry", _Watchdog(self.timeout_seconds))
        try:
            result = compiled.eval(compiled.ast, None, local)
        except _jexception.JException as error:
            raise self._fail(f"threw an error during evaluation. {_describe(error)}") from None
        except _FunctionError as error:
            raise self._fail(f"threw an error during evaluation. {error}") from None
        except StatesError as error:
            if error.error != DATA_LIMIT_EXCEEDED:
                raise
            raise StatesError(
                DATA_LIMIT_EXCEEDED,
                f"The JSONata expression '{self.text}' specified for the field '{self.field}' "
                f"built too much data: {error.cause}",
            ) from None
        except RecursionError:
            raise self._fail("threw an error during evaluation. Stack overflow") from None
        except MemoryError:
            raise  # the interpreter fails the state with States.Runtime
        except Exception as error:  # a library bug must not escape as a crash
            raise self._fail(f"threw an error during evaluation. {error}") from None
        if result is None:
            raise self._fail("returned nothing (undefined).")
        try:
            return from_jsonata(result)
        except _Unsupported:
            raise self._fail("returned an unsupported result type.") from None
        except _FunctionError as error:
            raise self._fail(f"threw an error during evaluation. {error}") from None

    def evaluate_typed(self, bindings: Bindings, expected: str) -> JSON:
        """Like evaluate, and the result must be of JSON type ``expected`` ('array', ...)."""
        return self.check_type(self.evaluate(bindings), expected)

    def check_type(self, value: JSON, expected: str) -> JSON:
        """``value`` when it has the JSON type ``expected``, else AWS's type error."""
        if not has_type(value, expected):
            raise self._fail(
                f"returned an unexpected result type. Expected '{expected}', but was "
                f"'{json_type(value)}' for value: {dump_json(value)}"
            )
        return value

    def __repr__(self) -> str:
        return f"Expr({self.text!r}, field={self.field!r})"


def compile_expression(
    text: str, field: str = "", timeout_seconds: float = EVALUATION_TIMEOUT_SECONDS
) -> Expr:
    """Compile a bare JSONata expression (without ``{% %}``); raises ExpressionError.

    An evaluation running longer than ``timeout_seconds`` fails (JSONata can loop forever).
    """
    return Expr(text, field, timeout_seconds)


def expression_text(value: JSON) -> str | None:
    """The expression inside ``{% ... %}``, or None when ``value`` is not one."""
    if (
        isinstance(value, str)
        and value.startswith("{%")
        and value.endswith("%}")
        and len(value) >= 4
    ):
        return value[2:-2].strip()
    return None


# ---------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------

_Evaluator = Callable[[Any], JSON]  # frame -> value


def _compile_template(value: JSON, field: str) -> _Evaluator | None:
    """An evaluator for ``value``, or None when it holds no expression (a constant)."""
    text = expression_text(value)
    if text is not None:
        if not text:
            raise ExpressionError(f"{field}: the JSONata expression is empty")
        return Expr(text, field).evaluate_in
    if isinstance(value, dict):
        parts = {key: _compile_template(item, f"{field}/{key}") for key, item in value.items()}
        if all(part is None for part in parts.values()):
            return None
        fields = [(key, parts[key], item) for key, item in value.items()]
        return lambda frame: {
            key: item if part is None else part(frame) for key, part, item in fields
        }
    if isinstance(value, list):
        items = [
            (_compile_template(item, f"{field}[{index}]"), item) for index, item in enumerate(value)
        ]
        if all(part is None for part, _ in items):
            return None
        return lambda frame: [item if part is None else part(frame) for part, item in items]
    return None


class Template:
    """A JSON value with ``{% %}`` expressions in its strings, compiled once."""

    __slots__ = ("field", "value", "_evaluate", "expression")

    def __init__(self, value: JSON, field: str) -> None:
        self.field = field
        self.value = value
        text = expression_text(value)
        # The whole field being one expression is common (Items, Condition, ...): keep it
        # reachable for type checks.
        self.expression = Expr(text, field) if text else None
        self._evaluate: _Evaluator | None = (
            self.expression.evaluate_in if self.expression else _compile_template(value, field)
        )

    def evaluate(self, bindings: Bindings) -> JSON:
        if self._evaluate is None:
            return self.value
        return self._evaluate(_frame(bindings))

    def evaluate_typed(self, bindings: Bindings, expected: str) -> JSON:
        """The value, which must be of JSON type ``expected`` (AWS's message otherwise)."""
        value = self.evaluate(bindings)
        if self.expression is not None:
            return self.expression.check_type(value, expected)
        if not has_type(value, expected):
            raise StatesError(
                ERROR,
                f"The field '{self.field}' must be of type '{expected}', but was "
                f"'{json_type(value)}' for value: {dump_json(value)}",
            )
        return value

    @property
    def is_constant(self) -> bool:
        return self._evaluate is None

    def __repr__(self) -> str:
        return f"Template({self.field!r})"


def compile_template(value: JSON, field: str) -> Template:
    """Compile a JSONata-state field value; raises ExpressionError for a bad expression."""
    return Template(value, field)
