"""Intrinsic functions (``States.Format(...)`` and friends) for JSONPath states.

A call is parsed once into a tree of argument closures; arity and literal argument types are
checked at compile time (ExpressionError), values that only arrive at run time are checked
when evaluated and fail with ``States.IntrinsicFailure``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import random
import uuid
from collections.abc import Callable, Mapping
from typing import Any, NoReturn

from asl.errors import ExpressionError, StatesError
from asl.jsonpath import JSON, compile_path, dump_json, json_equal, json_type
from asl.limits import MAX_ARRAY_RANGE_ITEMS, check_string
from asl.limits import MAX_INTRINSIC_NESTING as MAX_NESTING
from asl.limits import MAX_INTRINSIC_STRING_CHARS as MAX_STRING_LENGTH

Variables = Mapping[str, JSON] | None
Argument = Callable[[JSON, JSON, Variables], JSON]

HASH_ALGORITHMS: dict[str, Callable[[bytes], Any]] = {
    "MD5": hashlib.md5,
    "SHA-1": hashlib.sha1,
    "SHA-256": hashlib.sha256,
    "SHA-384": hashlib.sha384,
    "SHA-512": hashlib.sha512,
}
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


def _failure(function: str, reason: str) -> StatesError:
    return StatesError("States.IntrinsicFailure", f"Invalid arguments in {function}: {reason}")


def _mismatch(function: str, position: int, value: JSON, expected: str) -> StatesError:
    return _failure(
        function,
        f"argument {position} must be {expected}, but was {json_type(value)} {dump_json(value)}",
    )


# The argument checks return the value as the JSON type they checked (json_type's names:
# type(), not isinstance, so that true is not a number).


def _number(function: str, position: int, value: JSON) -> int | float:
    if type(value) is int or type(value) is float:
        return value
    raise _mismatch(function, position, value, "number")


def _string(function: str, position: int, value: JSON) -> str:
    if type(value) is str:
        return value
    raise _mismatch(function, position, value, "string")


def _list(function: str, position: int, value: JSON) -> list[JSON]:
    if type(value) is list:
        return value
    raise _mismatch(function, position, value, "array")


def _object(function: str, position: int, value: JSON) -> dict[str, JSON]:
    if isinstance(value, dict):
        return value
    raise _mismatch(function, position, value, "object")


def _rounded(function: str, position: int, value: JSON) -> int:
    """A number rounded as AWS rounds it (Java's Math.round: halves up, -1.5 gives -1)."""
    number = _number(function, position, value)
    if not math.isfinite(number):
        raise _failure(function, f"argument {position} must be a finite number")
    return int(math.floor(number + 0.5))


def _integer(function: str, position: int, value: JSON) -> int:
    number = _number(function, position, value)
    if type(number) is float:
        if not math.isfinite(number):
            raise _failure(function, f"argument {position} must be a finite number")
        if not number.is_integer():
            raise _failure(function, f"argument {position} must be an integer, but was {number}")
        return int(number)
    return int(number)


def _text(value: JSON) -> str:
    """How States.Format prints a value: Java's toString of the parsed JSON."""
    if type(value) is str:
        return value
    if type(value) is list:
        return "[" + ", ".join(_text(item) for item in value) + "]"
    if type(value) is dict:
        return "{" + ", ".join(f"{key}={_text(item)}" for key, item in value.items()) + "}"
    return dump_json(value)


# ---------------------------------------------------------------------------------------
# The functions: each takes the evaluated argument list
# ---------------------------------------------------------------------------------------


def _array(args: list[JSON]) -> JSON:
    return args


def _array_partition(args: list[JSON]) -> JSON:
    name = "States.ArrayPartition"
    array, chunk = _list(name, 1, args[0]), _integer(name, 2, args[1])
    if chunk <= 0:
        raise _failure(name, f"the chunk size must be a positive integer, but was {chunk}")
    return [array[start : start + chunk] for start in range(0, len(array), chunk)]


def _array_contains(args: list[JSON]) -> JSON:
    array, value = _list("States.ArrayContains", 1, args[0]), args[1]
    return any(json_equal(item, value) for item in array)


def _array_range(args: list[JSON]) -> JSON:
    name = "States.ArrayRange"
    first, last, step = (_integer(name, index + 1, arg) for index, arg in enumerate(args))
    if step == 0:
        raise _failure(name, "the step (argument 3) must not be 0")
    count = max(0, (last - first) // step + 1)
    if count > MAX_ARRAY_RANGE_ITEMS:
        raise _failure(
            name,
            f"the range would have {count} items, more than the {MAX_ARRAY_RANGE_ITEMS} allowed",
        )
    return list(range(first, last + (1 if step > 0 else -1), step))


def _array_get_item(args: list[JSON]) -> JSON:
    name = "States.ArrayGetItem"
    array, position = _list(name, 1, args[0]), _integer(name, 2, args[1])
    if not 0 <= position < len(array):
        raise _failure(
            name, f"index {position} is out of bounds for an array of {len(array)} items"
        )
    return array[position]


def _array_length(args: list[JSON]) -> JSON:
    return len(_list("States.ArrayLength", 1, args[0]))


def _array_unique(args: list[JSON]) -> JSON:
    unique: list[JSON] = []
    for item in _list("States.ArrayUnique", 1, args[0]):
        if not any(json_equal(item, seen) for seen in unique):
            unique.append(item)
    return unique


def _bounded_string(name: str, value: JSON) -> str:
    text = _string(name, 1, value)
    if len(text) > MAX_STRING_LENGTH:
        raise _failure(
            name,
            f"the input has {len(text)} characters, more than the {MAX_STRING_LENGTH} allowed",
        )
    return text


def _base64_encode(args: list[JSON]) -> JSON:
    text = _bounded_string("States.Base64Encode", args[0])
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _base64_decode(args: list[JSON]) -> JSON:
    name = "States.Base64Decode"
    text = _bounded_string(name, args[0])
    try:
        return base64.b64decode(text, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise _failure(name, f"{dump_json(text)} is not valid base64-encoded UTF-8") from None


def _hash(args: list[JSON]) -> JSON:
    name = "States.Hash"
    text = _bounded_string(name, args[0])
    algorithm = _string(name, 2, args[1])
    if algorithm not in HASH_ALGORITHMS:
        raise _failure(
            name,
            f"unknown hash algorithm {dump_json(algorithm)}; "
            f"use one of {', '.join(HASH_ALGORITHMS)}",
        )
    return str(HASH_ALGORITHMS[algorithm](text.encode("utf-8")).hexdigest())


def _json_merge(args: list[JSON]) -> JSON:
    name = "States.JsonMerge"
    left, right, deep = _object(name, 1, args[0]), _object(name, 2, args[1]), args[2]
    if deep is not False:
        raise _failure(name, "argument 3 (deep merge) must be false; only shallow merge exists")
    return {**left, **right}


def _string_to_json(args: list[JSON]) -> JSON:
    name = "States.StringToJson"
    text = _string(name, 1, args[0])
    try:
        value: JSON = json.loads(text)
    except ValueError:
        raise _failure(name, f"{dump_json(text)} is not valid JSON") from None
    return value


def _json_to_string(args: list[JSON]) -> JSON:
    return dump_json(args[0])


def _math_random(args: list[JSON]) -> JSON:
    name = "States.MathRandom"
    start, end = _rounded(name, 1, args[0]), _rounded(name, 2, args[1])
    if start >= end:
        raise _failure(name, f"the start ({start}) must be less than the end ({end})")
    generator = random.Random(_rounded(name, 3, args[2])) if len(args) == 3 else random
    # The end is exclusive, as AWS documents.
    return generator.randrange(start, end)


def _math_add(args: list[JSON]) -> JSON:
    name = "States.MathAdd"
    values = []
    for position, value in enumerate(args, 1):
        rounded = _rounded(name, position, value)
        if not INT32_MIN <= rounded <= INT32_MAX:
            raise _failure(name, f"argument {position} must be between {INT32_MIN} and {INT32_MAX}")
        values.append(rounded)
    return values[0] + values[1]


def _string_split(args: list[JSON]) -> JSON:
    name = "States.StringSplit"
    text, delimiters = _string(name, 1, args[0]), _string(name, 2, args[1])
    # Every character of the delimiter separates, and empty pieces are dropped (as Java's
    # StringTokenizer does, which is what AWS behaves like).
    pieces: list[JSON] = []
    current: list[str] = []
    for char in text:
        if char in delimiters:
            if current:
                pieces.append("".join(current))
                current = []
        else:
            current.append(char)
    if current:
        pieces.append("".join(current))
    return pieces


def _uuid(args: list[JSON]) -> JSON:
    return str(uuid.uuid4())


Function = Callable[[list[JSON]], JSON]
# name -> (implementation, fewest arguments, most arguments or None for any number)
FUNCTIONS: dict[str, tuple[Function, int, int | None]] = {
    "States.Array": (_array, 0, None),
    "States.ArrayPartition": (_array_partition, 2, 2),
    "States.ArrayContains": (_array_contains, 2, 2),
    "States.ArrayRange": (_array_range, 3, 3),
    "States.ArrayGetItem": (_array_get_item, 2, 2),
    "States.ArrayLength": (_array_length, 1, 1),
    "States.ArrayUnique": (_array_unique, 1, 1),
    "States.Base64Encode": (_base64_encode, 1, 1),
    "States.Base64Decode": (_base64_decode, 1, 1),
    "States.Hash": (_hash, 2, 2),
    "States.JsonMerge": (_json_merge, 3, 3),
    "States.StringToJson": (_string_to_json, 1, 1),
    "States.JsonToString": (_json_to_string, 1, 1),
    "States.MathRandom": (_math_random, 2, 3),
    "States.MathAdd": (_math_add, 2, 2),
    "States.StringSplit": (_string_split, 2, 2),
    "States.UUID": (_uuid, 0, 0),
    "States.Format": (_array, 1, None),  # evaluated by _format_call, see below
}


# ---------------------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------------------


class _Literal:
    """A string literal as written: ``value`` unescaped, ``template`` split at unescaped {}."""

    def __init__(self, value: str, template: list[str]) -> None:
        self.value = value
        self.template = template


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, reason: str) -> ExpressionError:
        return ExpressionError(
            f"Invalid intrinsic function '{self.text}': {reason} at position {self.pos}"
        )

    def skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
            self.pos += 1

    def call(self, depth: int) -> Argument:
        if depth > MAX_NESTING:
            raise self.fail(f"intrinsic functions can be nested at most {MAX_NESTING} deep")
        start = self.pos
        while self.pos < len(self.text) and (
            self.text[self.pos].isalnum() or self.text[self.pos] in "._"
        ):
            self.pos += 1
        name = self.text[start : self.pos]
        if name not in FUNCTIONS:
            self.pos = start
            raise self.fail(f"unknown function '{name}'")
        self.skip_spaces()
        if not self.text.startswith("(", self.pos):
            raise self.fail(f"expected '(' after {name}")
        self.pos += 1
        arguments: list[Argument | _Literal] = []
        self.skip_spaces()
        if self.text.startswith(")", self.pos):
            self.pos += 1
        else:
            while True:
                arguments.append(self.argument(depth))
                self.skip_spaces()
                if self.text.startswith(")", self.pos):
                    self.pos += 1
                    break
                if not self.text.startswith(",", self.pos):
                    raise self.fail("expected ',' or ')'")
                self.pos += 1
        return _build_call(name, arguments, self)

    def argument(self, depth: int) -> Argument | _Literal:
        self.skip_spaces()
        if self.pos >= len(self.text):
            raise self.fail("expected an argument")
        char = self.text[self.pos]
        if char == "'":
            return self.string()
        if char == "$":
            return self.path()
        if self.text.startswith("States.", self.pos):
            return self.call(depth + 1)
        return self.constant()

    def string(self) -> _Literal:
        self.pos += 1
        value: list[str] = []
        template: list[str] = [""]
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\" and self.pos + 1 < len(self.text):
                escaped = self.text[self.pos + 1]
                # Only these four are escapes; any other backslash stays as written.
                if escaped in "'{}\\":
                    value.append(escaped)
                    template[-1] += escaped
                    self.pos += 2
                    continue
            if char == "'":
                self.pos += 1
                return _Literal("".join(value), template)
            if self.text.startswith("{}", self.pos):
                value.append("{}")
                template.append("")
                self.pos += 2
                continue
            value.append(char)
            template[-1] += char
            self.pos += 1
        raise self.fail("unterminated string")

    def path(self) -> Argument:
        # A path runs to the next ',' or ')' outside brackets, quotes and parentheses.
        start = self.pos
        depth = 0
        quote = ""
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if quote:
                if char == "\\":
                    self.pos += 1
                elif char == quote:
                    quote = ""
            elif char in "'\"":
                quote = char
            elif char in "[(":
                depth += 1
            elif char in "])":
                if depth == 0:
                    break
                depth -= 1
            elif char == "," and depth == 0:
                break
            self.pos += 1
        text = self.text[start : self.pos].strip()
        try:
            path = compile_path(text)
        except ExpressionError as error:
            raise self.fail(str(error)) from None
        return path.evaluate

    def constant(self) -> _Literal | Argument:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in ",) \t\r\n":
            self.pos += 1
        word = self.text[start : self.pos]
        try:
            value: JSON = json.loads(word, parse_constant=_no_constant)
        except ValueError:
            valid = False
        else:
            valid = not isinstance(value, (dict, list, str))
        if not valid:
            self.pos = start
            raise self.fail(f"'{word}' is not a number, true, false, null, string or path")
        return lambda data, context, variables: value


def _no_constant(word: str) -> NoReturn:
    raise ValueError(f"{word} is not a JSON number")


def _literal_argument(literal: _Literal) -> Argument:
    value = literal.value
    return lambda data, context, variables: value


def _build_call(name: str, arguments: list[Argument | _Literal], parser: _Parser) -> Argument:
    function, fewest, most = FUNCTIONS[name]
    if len(arguments) < fewest or (most is not None and len(arguments) > most):
        expected = str(fewest) if fewest == most else f"{fewest} or more"
        if most is not None and most != fewest:
            expected = f"{fewest} to {most}"
        raise parser.fail(f"{name} takes {expected} arguments, not {len(arguments)}")
    if name == "States.Format":
        return _format_call(arguments, parser)
    evaluators = [_literal_argument(arg) if isinstance(arg, _Literal) else arg for arg in arguments]

    def call(data: JSON, context: JSON, variables: Variables) -> JSON:
        return function([evaluate(data, context, variables) for evaluate in evaluators])

    return call


def _format_call(arguments: list[Argument | _Literal], parser: _Parser) -> Argument:
    first, rest = arguments[0], arguments[1:]
    values = [_literal_argument(arg) if isinstance(arg, _Literal) else arg for arg in rest]
    if isinstance(first, _Literal):
        template = first.template
        if len(template) - 1 != len(values):
            raise parser.fail(
                f"States.Format has {len(template) - 1} placeholders but {len(values)} values"
            )

        def format_literal(data: JSON, context: JSON, variables: Variables) -> JSON:
            pieces = [template[0]]
            for evaluate, text in zip(values, template[1:], strict=True):
                pieces.append(_text(evaluate(data, context, variables)))
                pieces.append(text)
            return _joined(pieces)

        return format_literal

    def format_dynamic(data: JSON, context: JSON, variables: Variables) -> JSON:
        pattern = _string("States.Format", 1, first(data, context, variables))
        template = pattern.split("{}")
        if len(template) - 1 != len(values):
            raise _failure(
                "States.Format",
                f"the template has {len(template) - 1} placeholders but {len(values)} values",
            )
        pieces = [template[0]]
        for evaluate, text in zip(values, template[1:], strict=True):
            pieces.append(_text(evaluate(data, context, variables)))
            pieces.append(text)
        return _joined(pieces)

    return format_dynamic


def _joined(pieces: list[str]) -> str:
    # Nested calls multiply: ten levels of States.Format('{}{}', x, x) repeat x a thousand
    # times, so each level checks what it would build.
    check_string("States.Format", sum(map(len, pieces)))
    return "".join(pieces)


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


class Intrinsic:
    """A compiled intrinsic function call."""

    __slots__ = ("text", "_evaluate")

    def __init__(self, text: str) -> None:
        if not isinstance(text, str):
            raise ExpressionError(
                f"An intrinsic function must be a string, not {type(text).__name__}"
            )
        self.text = text
        parser = _Parser(text.strip())
        self._evaluate = parser.call(1)
        parser.skip_spaces()
        if parser.pos != len(parser.text):
            raise parser.fail("unexpected text after the call")

    def evaluate(
        self, data: JSON, context: JSON = None, variables: Mapping[str, JSON] | None = None
    ) -> JSON:
        return self._evaluate(data, context, variables)

    def __repr__(self) -> str:
        return f"Intrinsic({self.text!r})"


def is_intrinsic(text: str) -> bool:
    """Whether a ``.$`` value is a function call rather than a path."""
    return text.lstrip().startswith("States.")


def compile_intrinsic(text: str) -> Intrinsic:
    """Compile ``States.Name(args...)``; raises ExpressionError when malformed."""
    return Intrinsic(text)
