"""Reading an ASL definition from a file's text, JSON or YAML, for the designer's import.

YAML is read here, with PyYAML, rather than in the browser: the front end then needs no YAML
library of its own, and a parse error, JSON's or YAML's, is reported the same way, with the line
and column where the text went wrong. Only what JSON can say is accepted, since the definition
is JSON from here on: YAML's aliases (which let a few lines expand to gigabytes), dates, binary
and non-text keys are refused with their line rather than stored half-converted.
"""

from __future__ import annotations

import json
import math
from typing import Any, Literal, NamedTuple

import yaml

Format = Literal["json", "yaml"]
# AWS's own limit on a definition (Step Functions quotas: "Maximum request size" 1 MB):
# https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
MAX_TEXT = 1024 * 1024


class FileProblem(Exception):
    """Why the text is not a definition; ``line`` and ``column`` count from 1 when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        where = f"Line {line}, column {column}: " if line is not None else ""
        super().__init__(f"{where}{message}")
        self.message = f"{where}{message}"
        self.line = line
        self.column = column


class ReadDefinition(NamedTuple):
    definition: dict[str, Any]
    format: Format


def format_of(filename: str, text: str) -> Format:
    """By the file's extension; without one, text that opens with a brace is taken as JSON."""
    lowered = filename.lower()
    if lowered.endswith((".yaml", ".yml")):
        return "yaml"
    if lowered.endswith(".json"):
        return "json"
    return "json" if text.lstrip().startswith("{") else "yaml"


def read_definition(text: str, filename: str = "") -> ReadDefinition:
    if len(text) > MAX_TEXT:
        raise FileProblem(f"The file is larger than {MAX_TEXT // 1024} KB, AWS's limit.")
    kind = format_of(filename, text)
    value = _read_json(text) if kind == "json" else _read_yaml(text)
    # JSON's 1e400 is read as infinity too, which no JSON answer can carry.
    _refuse_non_finite(value)
    if not isinstance(value, dict):
        raise FileProblem(
            f"The file must hold one object with StartAt and States, not {_kind_of(value)}."
        )
    return ReadDefinition(value, kind)


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    return f"a single value ({json.dumps(value)[:40]})"


def _read_json(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise FileProblem(f"This is not valid JSON: {exc.msg}.", exc.lineno, exc.colno) from None
    except RecursionError:
        raise FileProblem("The JSON is nested too deeply.") from None


def _refuse_constant(name: str) -> Any:
    raise FileProblem(f"{name} is not a JSON number.")


class _JsonOnlyLoader(yaml.SafeLoader):
    """YAML's safe loader, less what JSON cannot hold."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise FileProblem(
                "Aliases (*name) are not accepted: write the value out in full.",
                mark.line + 1,
                mark.column + 1,
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        for key_node, _ in node.value:
            if key_node.tag != "tag:yaml.org,2002:str":
                mark = key_node.start_mark
                raise FileProblem(
                    f"The key {key_node.value!r} is not text: put it in quotes.",
                    mark.line + 1,
                    mark.column + 1,
                )
        return super().construct_mapping(node, deep=deep)


def _not_json(what: str) -> Any:
    def refuse(loader: yaml.SafeLoader, node: Any) -> Any:
        mark = node.start_mark
        raise FileProblem(
            f"{what} ({node.value!r}) cannot be part of a definition: put it in quotes.",
            mark.line + 1,
            mark.column + 1,
        )

    return refuse


# A date stays the text it was written as, which is what ASL (TimestampEquals, Timestamp) expects.
def _as_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_JsonOnlyLoader.add_constructor("tag:yaml.org,2002:timestamp", _as_text)
_JsonOnlyLoader.add_constructor("tag:yaml.org,2002:binary", _not_json("Binary data"))
_JsonOnlyLoader.add_constructor("tag:yaml.org,2002:set", _not_json("A set"))


def _read_yaml(text: str) -> Any:
    try:
        value = yaml.load(text, Loader=_JsonOnlyLoader)  # noqa: S506 - a safe loader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = _in_words(exc.problem or exc.context or "it cannot be read")
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise FileProblem(f"This is not valid YAML: {problem}.", line, column) from None
    except yaml.YAMLError as exc:
        raise FileProblem(f"This is not valid YAML: {exc}.") from None
    except RecursionError:
        raise FileProblem("The YAML is nested too deeply.") from None
    return value


# PyYAML's wording of the mistakes people make most, in words a person who never read the YAML
# specification can act on.
_PLAIN_PROBLEMS = [
    ("expected <block end>", "the indentation here does not line up with the lines above"),
    ("mapping values are not allowed", "a colon here is not expected; put the value in quotes"),
    ("found character '\\t'", "a tab is used for indentation; indent with spaces"),
    ("could not find expected ':'", "a line here is missing the colon after its key"),
]


def _in_words(problem: str) -> str:
    for pyyaml, plain in _PLAIN_PROBLEMS:
        if pyyaml in problem:
            return plain
    return problem


def _refuse_non_finite(value: Any) -> None:
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, float) and not math.isfinite(item):
            raise FileProblem(f"{item} is not a number a definition can hold.")
        if isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
