"""JSONPath as AWS Step Functions evaluates it (Jayway JsonPath semantics).

A path is compiled once into a chain of small step functions, and definite paths made only of
names and indexes get a dedicated loop, because Parameters with a few ``.$`` fields are on
the interpreter's hot path.

Roots: ``$`` is the state input, ``$$`` the context object and ``$name`` a workflow variable.
A definite path that matches nothing raises :class:`PathNotFound`; an indefinite path (one with
``*``, ``..``, a slice, a filter or an index union) returns the list of its matches, which may
be empty, exactly as Jayway does.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeAlias, cast

from asl.errors import ExpressionError, StatesError

# A JSON value as ``json.loads`` builds it: only dict and list containers.
JSON: TypeAlias = dict[str, "JSON"] | list["JSON"] | str | int | float | bool | None
Nodes = list[JSON]
# A step maps the nodes matched so far to the nodes matched after it; ``root`` is the
# document the whole path started from, which filters can refer to as ``$``.
Step = Callable[[Nodes, JSON], Nodes]


class _Missing(enum.Enum):
    """What a filter operand that names nothing evaluates to; never part of a JSON value."""

    MISSING = "missing"


_MISSING: Final = _Missing.MISSING


def dump_json(value: JSON) -> str:
    """JSON the way AWS prints it in messages and JsonToString: compact, unicode kept."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def json_type(value: JSON) -> str:
    """The JSON type name AWS uses in messages: 'null', 'boolean', 'number', 'string', ..."""
    if value is None:
        return "null"
    if type(value) is bool:
        return "boolean"
    if type(value) is int or type(value) is float:
        return "number"
    if type(value) is str:
        return "string"
    if type(value) is list:
        return "array"
    return "object"


class PathNotFound(StatesError):
    """A definite path that matched nothing; ``path`` lets callers build AWS's message."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__("States.Runtime", f"The JSONPath '{path}' could not be found")


# ---------------------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------------------


def _property_step(name: str) -> Step:
    def step(nodes: Nodes, root: JSON) -> Nodes:
        out = []
        for node in nodes:
            if type(node) is dict and name in node:
                out.append(node[name])
        return out

    return step


def _merged_properties_step(names: tuple[str, ...]) -> Step:
    # Jayway turns a trailing ['a','b'] on an object into an object of those keys.
    def step(nodes: Nodes, root: JSON) -> Nodes:
        return [
            {name: node[name] for name in names if name in node}
            for node in nodes
            if type(node) is dict
        ]

    return step


def _properties_step(names: tuple[str, ...]) -> Step:
    def step(nodes: Nodes, root: JSON) -> Nodes:
        return [
            node[name] for node in nodes if type(node) is dict for name in names if name in node
        ]

    return step


def _indexes_step(indexes: tuple[int, ...]) -> Step:
    def step(nodes: Nodes, root: JSON) -> Nodes:
        out = []
        for node in nodes:
            if type(node) is list:
                size = len(node)
                for index in indexes:
                    if -size <= index < size:
                        out.append(node[index])
        return out

    return step


def _slice_step(start: int | None, stop: int | None, stride: int | None) -> Step:
    window = slice(start, stop, stride)

    def step(nodes: Nodes, root: JSON) -> Nodes:
        out: Nodes = []
        for node in nodes:
            if type(node) is list:
                out.extend(node[window])
        return out

    return step


def _children(node: JSON) -> Nodes:
    if type(node) is dict:
        return list(node.values())
    if type(node) is list:
        return list(node)
    return []


def _wildcard_step(nodes: Nodes, root: JSON) -> Nodes:
    out: Nodes = []
    for node in nodes:
        out.extend(_children(node))
    return out


def _descendants_and_self(node: JSON, out: Nodes) -> None:
    # Pre-order, like Jayway, with an explicit stack: deeply nested input must not overflow
    # Python's recursion limit.
    stack = [node]
    while stack:
        current = stack.pop()
        out.append(current)
        containers = [
            child for child in _children(current) if type(child) is dict or type(child) is list
        ]
        stack.extend(reversed(containers))


def _deep_scan_step(inner: Step) -> Step:
    # ``..x`` applies ``x`` to every container at any depth, the start included.
    def step(nodes: Nodes, root: JSON) -> Nodes:
        containers: Nodes = []
        for node in nodes:
            if type(node) is dict or type(node) is list:
                _descendants_and_self(node, containers)
        if inner is _wildcard_step:
            # Jayway's ``..*`` lists every descendant, scalars included, once each.
            out: Nodes = []
            for container in containers:
                out.extend(_children(container))
            return out
        return inner(containers, root)

    return step


Predicate = Callable[[JSON, JSON], bool]


def _filter_step(predicate: Predicate) -> Step:
    def step(nodes: Nodes, root: JSON) -> Nodes:
        out: Nodes = []
        for node in nodes:
            if type(node) is list:
                out.extend(item for item in node if predicate(item, root))
            elif type(node) is dict and predicate(node, root):
                out.append(node)
        return out

    return step


def _length(value: JSON) -> int | _Missing:
    if type(value) is list or type(value) is dict or type(value) is str:
        return len(value)
    return _MISSING


# ---------------------------------------------------------------------------------------
# Filter expressions: [?( ... )]
# ---------------------------------------------------------------------------------------


def _is_number(value: JSON) -> bool:
    return type(value) is int or type(value) is float


def json_equal(left: JSON, right: JSON) -> bool:
    """Equality of JSON values: 1 equals 1.0, but true is not 1 as Python would have it."""
    if _is_number(left) and _is_number(right):
        return bool(left == right)
    if type(left) is not type(right):
        return False
    if type(left) is list and type(right) is list:
        return len(left) == len(right) and all(map(json_equal, left, right))
    if type(left) is dict and type(right) is dict:
        return left.keys() == right.keys() and all(json_equal(v, right[k]) for k, v in left.items())
    return bool(left == right)


def _ordered(op: str) -> Callable[[JSON, JSON], bool]:
    compare: dict[str, Callable[[Any, Any], bool]] = {
        "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b,
        ">": lambda a, b: a > b,
        ">=": lambda a, b: a >= b,
    }
    check = compare[op]

    def ordered(left: JSON, right: JSON) -> bool:
        if _is_number(left) and _is_number(right):
            return check(left, right)
        if type(left) is str and type(right) is str:
            return check(left, right)
        return False

    return ordered


def _member(left: JSON, right: JSON) -> bool:
    return type(right) is list and any(json_equal(left, item) for item in right)


_COMPARISONS: dict[str, Callable[[JSON, JSON], bool]] = {
    "==": json_equal,
    "!=": lambda a, b: not json_equal(a, b),
    "<": _ordered("<"),
    "<=": _ordered("<="),
    ">": _ordered(">"),
    ">=": _ordered(">="),
    "in": _member,
    "nin": lambda a, b: not _member(a, b),
    "subsetof": lambda a, b: (
        type(a) is list and type(b) is list and all(_member(x, b) for x in a)
    ),
    "anyof": lambda a, b: type(a) is list and type(b) is list and any(_member(x, b) for x in a),
    "noneof": lambda a, b: (
        type(a) is list and type(b) is list and not any(_member(x, b) for x in a)
    ),
    "contains": lambda a, b: (
        (type(a) is str and type(b) is str and b in a) or (type(a) is list and _member(b, a))
    ),
    "size": lambda a, b: (type(a) is list or type(a) is str) and _is_number(b) and len(a) == b,
    "empty": lambda a, b: (
        (type(a) is list or type(a) is str or type(a) is dict) and (len(a) == 0) is b
    ),
}
# Longest first, so that "<=" is not read as "<".
_SYMBOL_OPERATORS = ("==", "!=", "<=", ">=", "=~", "<", ">")
_WORD_OPERATORS = ("subsetof", "anyof", "noneof", "contains", "size", "empty", "nin", "in")

# A filter operand's value: a path's first match, a literal, or _MISSING.
FilterValue = JSON | _Missing
Operand = Callable[[JSON, JSON], FilterValue]


def _constant(value: FilterValue) -> Operand:
    return lambda current, root: value


def _relative(steps: list[Step], function: str | None) -> Operand:
    def operand(current: JSON, root: JSON) -> FilterValue:
        nodes = [current]
        for step in steps:
            nodes = step(nodes, root)
            if not nodes:
                return _MISSING
        value = nodes[0]
        return _length(value) if function == "length" else value

    return operand


def _absolute(steps: list[Step], function: str | None) -> Operand:
    relative = _relative(steps, function)
    return lambda current, root: relative(root, root)


# ---------------------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------------------

_NAME_START = re.compile(r"[A-Za-z_]")
_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
_INTEGER = re.compile(r"\s*(-?\d+)\s*")
_FUNCTIONS = ("length",)
# Jayway's other path functions. AWS accepts them in a definition, but never evaluates them:
# "The JSONPath '$.Jobs.sum()' specified for the field 'Jobs.$' could not be found in the
# input" (https://repost.aws/questions/QUYiQKP0XfThWEc_ahsMnLOA).
_UNEVALUATED_FUNCTION = re.compile(
    r"(?P<bare>min|max|avg|stddev|sum|keys|first|last)\(\s*\)"
    r"|(?P<with_args>concat|append|index)\([^()]*\)"
)
_BARE_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")


class _Segment:
    """One parsed step with what the compiler needs to know about it."""

    __slots__ = ("step", "definite", "canonical", "key", "merge_names")

    def __init__(
        self,
        step: Step,
        definite: bool,
        canonical: str,
        key: str | int | None = None,
        merge_names: tuple[str, ...] | None = None,
    ) -> None:
        self.step = step
        self.definite = definite
        # Jayway's normalized form of the step, e.g. ['name'] or [0], used in AWS's messages.
        self.canonical = canonical
        # Set for a plain name or single index: such steps join the fast definite loop.
        self.key = key
        self.merge_names = merge_names


class _Parser:
    def __init__(self, text: str) -> None:
        # Jayway trims the path before it reads it (PathCompiler.compile), so AWS accepts a
        # path with trailing blanks.
        self.text = text.rstrip(" \t\n\r")
        self.pos = 0
        # Set when the path reads but cannot be evaluated (see Path.runtime_fault); with
        # ``fault_is_not_found`` it fails as a path that matches nothing.
        self.runtime_fault: str | None = None
        self.fault_is_not_found = False
        # What a reference path may not use, as the parser meets it (see
        # Path.reference_problem).
        self.beyond_reference: str | None = None

    # -- helpers --------------------------------------------------------------------------
    def fail(self, reason: str) -> ExpressionError:
        return ExpressionError(f"Invalid JSONPath '{self.text}': {reason} at position {self.pos}")

    def peek(self, literal: str) -> bool:
        return self.text.startswith(literal, self.pos)

    def eat(self, literal: str) -> bool:
        if self.peek(literal):
            self.pos += len(literal)
            return True
        return False

    def expect(self, literal: str) -> None:
        if not self.eat(literal):
            raise self.fail(f"expected '{literal}'")

    def skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t\n\r":
            self.pos += 1

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    # -- paths ----------------------------------------------------------------------------
    def root(self) -> tuple[str, str | None]:
        """The root kind ("input", "context", "variable", "current") and a variable name."""
        if self.eat("$$"):
            return "context", None
        if self.eat("@"):
            return "current", None
        if not self.eat("$"):
            raise self.fail("a path must start with '$'")
        match = _VARIABLE_NAME.match(self.text, self.pos)
        if match:
            self.pos = match.end()
            return "variable", match.group()
        return "input", None

    def segments(self, stop: str = "") -> tuple[list[_Segment], str | None]:
        """Steps up to the end (or a character of ``stop``) and a trailing function call."""
        segments: list[_Segment] = []
        while not self.at_end() and self.text[self.pos] not in stop:
            if stop:
                self.skip_spaces()
                if self.at_end() or self.text[self.pos] in stop:
                    break
            if self.eat(".."):
                inner = self.after_deep_scan()
                segments.append(
                    _Segment(_deep_scan_step(inner.step), False, ".." + inner.canonical)
                )
            elif self.eat("."):
                function = self.function_call()
                if function:
                    return segments, function
                # Jayway reads the token after a '.' like any other, so '$.[0]' is '$[0]'
                # and '$.a.['b']' is '$.a['b']' (PathCompiler.readDotToken).
                segments.append(self.bracket() if self.peek("[") else self.dot_member())
            elif self.peek("["):
                segments.append(self.bracket())
            else:
                raise self.fail(f"unexpected '{self.text[self.pos]}'")
        return segments, None

    def function_call(self) -> str | None:
        for name in _FUNCTIONS:
            if self.peek(name + "()"):
                self.beyond_reference = self.beyond_reference or f"a function such as {name}()"
                self.pos += len(name) + 2
                if not self.at_end() and self.text[self.pos] not in ") &|!=<>":
                    raise self.fail(f"'{name}()' must end the path")
                return name
        other = _UNEVALUATED_FUNCTION.match(self.text, self.pos)
        if other:
            name = other.group("bare") or other.group("with_args")
            self.beyond_reference = self.beyond_reference or f"a function such as {name}()"
            self.pos = other.end()
            if not self.at_end() and self.text[self.pos] not in ") &|!=<>":
                raise self.fail(f"'{name}()' must end the path")
            if self.runtime_fault is None:
                self.runtime_fault = (
                    f"the JSONPath function {name}() is not evaluated by Step Functions, so "
                    f"'{self.text}' is never found"
                )
                self.fault_is_not_found = True
            return name
        return None

    def after_deep_scan(self) -> _Segment:
        if self.peek("["):
            return self.bracket()
        if self.at_end():
            raise self.fail("'..' must be followed by a name, '*' or a bracket")
        return self.dot_member()

    def dot_member(self) -> _Segment:
        if self.eat("*"):
            return _Segment(_wildcard_step, False, "[*]")
        start = self.pos
        while not self.at_end() and self.text[self.pos] not in ".[ ()&|!=<>":
            self.pos += 1
        name = self.text[start : self.pos]
        if not name:
            raise self.fail("expected a name after '.'")
        return _Segment(_property_step(name), True, f"['{name}']", key=name)

    def bracket(self) -> _Segment:
        self.expect("[")
        self.skip_spaces()
        if self.eat("?"):
            self.skip_spaces()
            self.expect("(")
            predicate = self.disjunction()
            self.skip_spaces()
            self.expect(")")
            self.skip_spaces()
            self.expect("]")
            return _Segment(_filter_step(predicate), False, "[?]")
        if self.eat("*"):
            self.skip_spaces()
            self.expect("]")
            return _Segment(_wildcard_step, False, "[*]")
        if self.peek("'") or self.peek('"'):
            names = [self.quoted()]
            self.skip_spaces()
            while self.eat(","):
                self.skip_spaces()
                names.append(self.quoted())
                self.skip_spaces()
            self.expect("]")
            canonical = "[" + ",".join(f"'{name}'" for name in names) + "]"
            if len(names) == 1:
                return _Segment(_property_step(names[0]), True, canonical, key=names[0])
            return _Segment(
                _properties_step(tuple(names)), False, canonical, merge_names=tuple(names)
            )
        return self.index_or_slice()

    def index_or_slice(self) -> _Segment:
        end = self.text.find("]", self.pos)
        if end < 0:
            raise self.fail("missing ']'")
        body = self.text[self.pos : end]
        self.pos = end + 1
        if ":" in body:
            parts = body.split(":")
            if len(parts) > 3:
                raise self.fail(f"invalid slice '[{body}]'")
            bounds = [self.integer(part) if part.strip() else None for part in parts]
            stride = bounds[2] if len(bounds) == 3 else None
            if stride == 0:
                raise self.fail("a slice step cannot be 0")
            canonical = "[" + ":".join(part.strip() for part in parts) + "]"
            return _Segment(_slice_step(bounds[0], bounds[1], stride), False, canonical)
        indexes = tuple(self.integer(part) for part in body.split(","))
        canonical = "[" + ",".join(str(index) for index in indexes) + "]"
        if len(indexes) == 1:
            return _Segment(_indexes_step(indexes), True, canonical, key=indexes[0])
        return _Segment(_indexes_step(indexes), False, canonical)

    def integer(self, text: str) -> int:
        match = _INTEGER.fullmatch(text)
        if not match:
            raise self.fail(f"'{text.strip()}' is not an array index")
        return int(match.group(1))

    def quoted(self) -> str:
        quote = self.text[self.pos]
        self.pos += 1
        chars: list[str] = []
        while not self.at_end():
            char = self.text[self.pos]
            # Only the enclosing quote is escaped; any other backslash is kept, as Jayway
            # (and so AWS) reads the key of ['a\"b'] with its backslash.
            if char == "\\" and self.text.startswith(quote, self.pos + 1):
                chars.append(quote)
                self.pos += 2
                continue
            self.pos += 1
            if char == quote:
                return "".join(chars)
            chars.append(char)
        raise self.fail("unterminated string")

    # -- filters --------------------------------------------------------------------------
    def disjunction(self) -> Predicate:
        terms = [self.conjunction()]
        while True:
            self.skip_spaces()
            if not self.eat("||"):
                break
            terms.append(self.conjunction())
        if len(terms) == 1:
            return terms[0]
        return lambda current, root: any(term(current, root) for term in terms)

    def conjunction(self) -> Predicate:
        terms = [self.negation()]
        while True:
            self.skip_spaces()
            if not self.eat("&&"):
                break
            terms.append(self.negation())
        if len(terms) == 1:
            return terms[0]
        return lambda current, root: all(term(current, root) for term in terms)

    def negation(self) -> Predicate:
        self.skip_spaces()
        if self.eat("!"):
            inner = self.negation()
            return lambda current, root: not inner(current, root)
        if self.eat("("):
            inner = self.disjunction()
            self.skip_spaces()
            self.expect(")")
            return inner
        return self.comparison()

    def comparison(self) -> Predicate:
        left = self.operand()
        self.skip_spaces()
        operator = self.operator()
        if operator is None:
            # A bare operand tests that the value exists (and, for literals, is truthy).
            return lambda current, root: left(current, root) is not _MISSING
        self.skip_spaces()
        if operator == "=~":
            pattern = self.regex()
            return lambda current, root: _regex_match(pattern, left(current, root))
        right = self.operand()
        compare = _COMPARISONS[operator]

        def predicate(current: JSON, root: JSON) -> bool:
            a = left(current, root)
            b = right(current, root)
            if a is _MISSING or b is _MISSING:
                return operator in ("!=", "nin")
            return compare(a, b)

        return predicate

    def operator(self) -> str | None:
        for symbol in _SYMBOL_OPERATORS:
            if self.eat(symbol):
                return symbol
        for word in _WORD_OPERATORS:
            end = self.pos + len(word)
            if self.text.startswith(word, self.pos) and (
                end >= len(self.text) or not self.text[end].isalnum()
            ):
                self.beyond_reference = self.beyond_reference or f"the word operator {word}"
                self.pos = end
                return word
        return None

    def regex(self) -> re.Pattern[str]:
        if not self.eat("/"):
            raise self.fail("'=~' must be followed by a /regular expression/")
        self.beyond_reference = self.beyond_reference or "a filter by regular expression"
        start = self.pos
        while not self.at_end() and self.text[self.pos] != "/":
            self.pos += 2 if self.text[self.pos] == "\\" else 1
        source = self.text[start : self.pos]
        self.expect("/")
        flags = 0
        while not self.at_end() and self.text[self.pos] in "imsx":
            flags |= {"i": re.I, "m": re.M, "s": re.S, "x": re.X}[self.text[self.pos]]
            self.pos += 1
        try:
            return re.compile(source, flags)
        except re.error as error:
            raise self.fail(f"invalid regular expression ({error})") from None

    def operand(self) -> Operand:
        self.skip_spaces()
        if self.at_end():
            raise self.fail("expected a value")
        char = self.text[self.pos]
        if char in "@$":
            kind, name = self.root()
            if kind == "context" or kind == "variable":
                raise self.fail("filters can only refer to '@' or '$'")
            if kind == "input":
                self.beyond_reference = (
                    self.beyond_reference or "a filter that refers to another value with '$'"
                )
            segments, function = self.segments(stop=" )&|!=<>")
            steps = [segment.step for segment in segments]
            return (_relative if kind == "current" else _absolute)(steps, function)
        if char in "'\"":
            return _constant(self.quoted())
        if char == "[":
            return _constant(self.literal_list())
        number = _NUMBER.match(self.text, self.pos)
        if number:
            self.pos = number.end()
            return _constant(json.loads(number.group()))
        for word, value in (("true", True), ("false", False), ("null", None)):
            if self.eat(word):
                return _constant(value)
        bare = _BARE_WORD.match(self.text, self.pos)
        if bare and self.runtime_fault is None:
            # Jayway reads a bare word as a number and fails on it when the path is compiled,
            # which AWS does only when the state runs: the definition is accepted, the state
            # fails (see Path.runtime_fault).
            self.runtime_fault = (
                f"Invalid path '{self.text.strip()}': the filter compares with "
                f"'{bare.group()}', which is neither a quoted string, a number, true, false "
                "nor null"
            )
            self.pos = bare.end()
            return _constant(_MISSING)
        raise self.fail(f"unexpected '{char}' in filter")

    def literal_list(self) -> list[JSON]:
        self.expect("[")
        values: list[JSON] = []
        self.skip_spaces()
        if self.eat("]"):
            return values
        while True:
            # An item is an operand evaluated against nothing: a literal, or a path such as
            # '@.a ' that matches nothing and so gives _MISSING.  The list is only ever
            # compared within the filter, never returned, so _MISSING may stay in it.
            values.append(cast(JSON, self.operand()(None, None)))
            self.skip_spaces()
            if self.eat("]"):
                return values
            self.expect(",")


def _regex_match(pattern: re.Pattern[str], value: FilterValue) -> bool:
    # Jayway matches the whole string (Java's Matcher.matches).
    return type(value) is str and pattern.fullmatch(value) is not None


# ---------------------------------------------------------------------------------------
# Compiled paths
# ---------------------------------------------------------------------------------------

Resolver = Callable[[JSON, JSON, Mapping[str, JSON] | None], JSON]


def _root_resolver(kind: str, name: str | None, text: str) -> Resolver:
    if kind == "context":
        return lambda data, context, variables: context
    if kind == "variable":
        assert name is not None

        def variable(data: JSON, context: JSON, variables: Mapping[str, JSON] | None) -> JSON:
            if variables is None or name not in variables:
                raise PathNotFound(text)
            return variables[name]

        return variable
    return lambda data, context, variables: data


class Path:
    """A compiled JSONPath; ``evaluate`` is safe to call from many threads at once."""

    __slots__ = (
        "text",
        "is_definite",
        "root",
        "variable",
        "normalized",
        "runtime_fault",
        "reference_problem",
        "_evaluate",
    )

    def __init__(self, text: str) -> None:
        if not isinstance(text, str):
            raise ExpressionError(f"A JSONPath must be a string, not {type(text).__name__}")
        self.text = text
        parser = _Parser(text)
        kind, name = parser.root()
        if kind == "current":
            raise parser.fail("a path must start with '$'")
        segments, function = parser.segments()
        if not parser.at_end():
            raise parser.fail("unexpected text")
        # Jayway merges a trailing ['a','b'] into one object, which makes the path definite.
        if segments and segments[-1].merge_names:
            last = segments[-1]
            assert last.merge_names is not None
            segments[-1] = _Segment(_merged_properties_step(last.merge_names), True, last.canonical)
        self.root = kind
        self.variable = name
        # Why a path that AWS accepts at creation fails whenever it is evaluated, or None.
        # Validation shows it as a warning; evaluation raises it as States.Runtime.
        self.runtime_fault = parser.runtime_fault
        # What keeps this path from being a reference path that reads (ItemsPath): "Functions
        # such as length() aren't supported. Lexical operators, which are non-symbolic, such
        # as subsetof aren't supported. Filtering by regular expression or by referencing
        # another value in the JSON structure isn't supported"; other filters are
        # (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html).
        self.reference_problem = parser.beyond_reference
        self.is_definite = all(segment.definite for segment in segments)
        # Jayway's normalized form ($['a']['b'][0]), which AWS prints in some messages such as
        # "Invalid path '$.a.b' : No results for path: $['a']['b']".
        root_text = {"context": "$$", "variable": f"${name}"}.get(kind, "$")
        self.normalized = (
            root_text
            + "".join(segment.canonical for segment in segments)
            + (f".{function}()" if function else "")
        )
        resolve = _root_resolver(kind, name, text)
        if self.runtime_fault is not None:
            self._evaluate = _failing_lookup(
                PathNotFound(text) if parser.fault_is_not_found else None, self.runtime_fault
            )
        elif all(segment.key is not None for segment in segments):
            keys = tuple(segment.key for segment in segments)
            self._evaluate = _definite_lookup(text, resolve, keys, function)
        else:
            steps = [segment.step for segment in segments]
            self._evaluate = _general_lookup(text, resolve, steps, self.is_definite, function)

    def evaluate(
        self,
        data: JSON,
        context: JSON = None,
        variables: Mapping[str, JSON] | None = None,
    ) -> JSON:
        return self._evaluate(data, context, variables)

    def __repr__(self) -> str:
        return f"Path({self.text!r})"


def _apply_function(text: str, function: str | None, value: JSON) -> JSON:
    if function is None:
        return value
    result = _length(value)
    if result is _MISSING:
        raise PathNotFound(text)
    return result


def _failing_lookup(not_found: PathNotFound | None, cause: str) -> Resolver:
    def lookup(data: JSON, context: JSON, variables: Mapping[str, JSON] | None) -> JSON:
        if not_found is not None:
            raise PathNotFound(not_found.path)
        raise StatesError("States.Runtime", cause)

    return lookup


def _definite_lookup(
    text: str, resolve: Resolver, keys: tuple[Any, ...], function: str | None
) -> Resolver:
    if not keys and function is None:
        return resolve

    def lookup(data: JSON, context: JSON, variables: Mapping[str, JSON] | None) -> JSON:
        node = resolve(data, context, variables)
        for key in keys:
            # type() checks, not isinstance: JSON holds only dict and list containers, and
            # an int key must not index into a string.
            if type(key) is str:
                if type(node) is not dict or key not in node:
                    raise PathNotFound(text)
                node = node[key]
            else:
                if type(node) is not list or not -len(node) <= key < len(node):
                    raise PathNotFound(text)
                node = node[key]
        return _apply_function(text, function, node) if function else node

    return lookup


def _general_lookup(
    text: str, resolve: Resolver, steps: list[Step], definite: bool, function: str | None
) -> Resolver:
    def lookup(data: JSON, context: JSON, variables: Mapping[str, JSON] | None) -> JSON:
        root = resolve(data, context, variables)
        nodes = [root]
        for step in steps:
            nodes = step(nodes, root)
        if definite:
            if not nodes:
                raise PathNotFound(text)
            return _apply_function(text, function, nodes[0])
        return _apply_function(text, function, nodes)

    return lookup


def compile_path(text: str) -> Path:
    """Compile a JSONPath (``$``, ``$$`` or ``$variable`` rooted); raises ExpressionError."""
    return Path(text)


# ---------------------------------------------------------------------------------------
# Reference paths (ResultPath, Choice Variable, ...)
# ---------------------------------------------------------------------------------------


class ReferencePath:
    """A definite path of names and indexes that can also write, as ResultPath does."""

    __slots__ = ("text", "path", "_keys")

    def __init__(self, text: str) -> None:
        self.path = compile_path(text)
        self.text = text
        parser = _Parser(text)
        parser.root()
        segments, function = parser.segments()
        if function or any(segment.key is None for segment in segments):
            raise ExpressionError(
                f"Invalid reference path '{text}': only names and array indexes are allowed"
            )
        self._keys: tuple[Any, ...] = tuple(segment.key for segment in segments)

    def evaluate(
        self,
        data: JSON,
        context: JSON = None,
        variables: Mapping[str, JSON] | None = None,
    ) -> JSON:
        return self.path.evaluate(data, context, variables)

    def assign(self, data: JSON, value: JSON) -> JSON:
        """``data`` with ``value`` placed at this path; only the spine along it is copied."""
        if self.path.root != "input":
            raise ExpressionError(f"Cannot write to '{self.text}': only '$' paths can be written")
        return self._assign(data, 0, value, data)

    def _assign(self, node: JSON, depth: int, value: JSON, data: JSON) -> JSON:
        if depth == len(self._keys):
            return value
        key = self._keys[depth]
        if type(key) is str:
            if type(node) is not dict:
                raise self._mismatch(data)
            copy = dict(node)
            copy[key] = self._assign(node.get(key, {}), depth + 1, value, data)
            return copy
        if type(node) is not list or not -len(node) <= key < len(node):
            raise self._mismatch(data)
        items = list(node)
        items[key] = self._assign(node[key], depth + 1, value, data)
        return items

    def _mismatch(self, data: JSON) -> StatesError:
        return StatesError(
            "States.ResultPathMatchFailure",
            f"Unable to apply ReferencePath {self.text} to input {dump_json(data)}",
        )

    def __repr__(self) -> str:
        return f"ReferencePath({self.text!r})"


def compile_reference_path(text: str) -> ReferencePath:
    """Compile a definite path of names and indexes; raises ExpressionError."""
    return ReferencePath(text)
