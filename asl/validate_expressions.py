"""Checks for the expressions a definition embeds: JSONPath paths, intrinsic functions and
JSONata ``{% %}`` expressions, and the templates (Parameters, Arguments, Assign...) that hold
them.

The compilers live in their own modules; here their ``ExpressionError`` becomes a diagnostic
that says which field is at fault.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from asl.errors import ExpressionError
from asl.validate_report import Report, kind_of, pointer, quote

JSONPATH = "JSONPath"
JSONATA = "JSONata"

_NOT_INPUT = re.compile(r"\$(\$|[^.\[])")

# Strings longer than this are still compiled, but not remembered, so the cache cannot grow
# to hold megabytes of text.
_CACHED_TEXT_LIMIT = 2000


def is_jsonata(value: Any) -> bool:
    return isinstance(value, str) and len(value) >= 4 and value[:2] == "{%" and value[-2:] == "%}"


def _compiler(kind: str) -> Callable[[str], object] | None:
    # Imported at use-site: the compilers are written in parallel with this module, and
    # validation must keep working (minus expression syntax) until they exist.
    try:
        if kind == "path":
            from asl.jsonpath import compile_path

            return compile_path
        if kind == "reference":
            from asl.jsonpath import compile_reference_path

            return compile_reference_path
        if kind == "intrinsic":
            from asl.intrinsics import compile_intrinsic

            return compile_intrinsic
        from asl.jsonata import compile_expression

        compile_jsonata: Callable[[str], object] = compile_expression
        return compile_jsonata
    except ImportError:
        return None


def _problem(kind: str, text: str) -> str | None:
    compile_text = _compiler(kind)
    if compile_text is None:
        return None
    try:
        compile_text(text)
    except ExpressionError as exc:
        return str(exc) or "it is not well formed"
    except Exception:  # noqa: BLE001 - a compiler bug must not escape validate()
        return "it could not be read"
    return None


@lru_cache(maxsize=4096)
def _cached_problem(kind: str, text: str) -> str | None:
    return _problem(kind, text)


def expression_problem(kind: str, text: str) -> str | None:
    """Why ``text`` does not compile as ``kind`` (path, reference, intrinsic, jsonata)."""
    if len(text) > _CACHED_TEXT_LIMIT:
        return _problem(kind, text)
    return _cached_problem(kind, text)


# Compilers quote the expression in their errors; a huge expression must not make a huge
# message.
_REASON_CHARS = 240


def _sentence(reason: str) -> str:
    reason = reason.strip().rstrip(".")
    if len(reason) > _REASON_CHARS:
        reason = reason[: _REASON_CHARS - 3] + "..."
    return reason[:1].lower() + reason[1:] if reason else "it is not well formed"


def check_jsonata(report: Report, text: str, loc: str, what: str) -> None:
    problem = expression_problem("jsonata", text[2:-2])
    if problem is not None:
        report.add(
            "INVALID_JSONATA",
            f"{what} has a JSONata expression that cannot be read: {_sentence(problem)}.",
            loc,
        )


def check_path(
    report: Report,
    value: Any,
    loc: str,
    what: str,
    *,
    reference: bool = False,
    selection: bool = False,
    nullable: bool = False,
    intrinsic: bool = False,
) -> None:
    """A JSONPath field: a path (or a reference path), optionally null or an intrinsic.

    ``selection``: a reference path that only reads, such as ItemsPath, which may also
    filter (see Path.reference_problem); ``reference`` ones are written to, so they hold
    only names and indexes."""
    if value is None and nullable:
        return
    if not isinstance(value, str):
        report.add(
            "INVALID_TYPE",
            f"{what} must be a path written as text, such as '$.order', not {kind_of(value)}.",
            loc,
        )
        return
    if intrinsic and value.startswith("States."):
        check_intrinsic(report, value, loc, what)
        return
    if not value.startswith("$"):
        extra = " or an intrinsic function such as States.Format(...)" if intrinsic else ""
        report.add(
            "INVALID_PATH",
            f"{what} must be a path starting with '$', such as '$.order'{extra}; "
            f"{quote(value)} is not.",
            loc,
        )
        return
    problem = expression_problem("reference" if reference else "path", value)
    if problem is not None:
        code = "INVALID_REFERENCE_PATH" if reference else "INVALID_PATH"
        report.add(code, f"{what} is not a valid path: {_sentence(problem)}.", loc)
        return
    beyond = selection_problem(value) if selection else None
    if beyond is not None:
        report.add(
            "INVALID_REFERENCE_PATH",
            f"{what} must be a reference path, which cannot use {beyond}: {quote(value)}.",
            loc,
        )
        return
    fault = path_runtime_fault(value)
    if fault is not None:
        report.warn(
            "PATH_FAILS_AT_RUN_TIME",
            f"{what} is accepted, but it fails with States.Runtime whenever it is read: "
            f"{_sentence(fault)}.",
            loc,
        )


def _path_facts(text: str) -> tuple[str | None, str | None]:
    from asl.jsonpath import compile_path

    try:
        path = compile_path(text)
    except ExpressionError:
        return None, None
    return path.runtime_fault, path.reference_problem


_cached_path_facts = lru_cache(maxsize=1024)(_path_facts)


def _facts(text: str) -> tuple[str | None, str | None]:
    return _path_facts(text) if len(text) > _CACHED_TEXT_LIMIT else _cached_path_facts(text)


def path_runtime_fault(text: str) -> str | None:
    """Why a path that compiles fails whenever it is evaluated (see Path.runtime_fault)."""
    return _facts(text)[0]


def selection_problem(text: str) -> str | None:
    """What a path that compiles uses that a reading reference path may not (see
    Path.reference_problem)."""
    return _facts(text)[1]


def check_result_path(report: Report, value: Any, loc: str, what: str) -> None:
    """ResultPath: where the result goes in the state's data, so never the context object
    ($$) nor a variable ($name)."""
    check_path(report, value, loc, what, reference=True, nullable=True)
    if isinstance(value, str) and _NOT_INPUT.match(value):
        report.add(
            "INVALID_REFERENCE_PATH",
            f"{what} must point into the state's data with a path starting with '$.', "
            f"not into the context or a variable: {quote(value)}.",
            loc,
        )


def check_intrinsic(report: Report, text: str, loc: str, what: str) -> None:
    problem = expression_problem("intrinsic", text)
    if problem is not None:
        report.add(
            "INVALID_INTRINSIC",
            f"{what} calls an intrinsic function that cannot be read: {_sentence(problem)}.",
            loc,
        )


def check_dynamic_value(report: Report, value: Any, loc: str, what: str) -> None:
    """The value of a ``key.$`` field: a path or an intrinsic function call."""
    if not isinstance(value, str):
        report.add(
            "INVALID_TYPE",
            f"{what} ends in '.$', so its value must be a path or an intrinsic function "
            f"written as text, not {kind_of(value)}.",
            loc,
        )
        return
    check_path(report, value, loc, what, intrinsic=True)


def check_payload_template(report: Report, value: Any, loc: str, what: str) -> None:
    """A JSONPath payload template: any JSON in which ``key.$`` fields hold paths."""
    # Iterative, so a deeply nested template cannot exhaust the interpreter's stack.
    stack: list[tuple[Any, str]] = [(value, loc)]
    while stack:
        node, here = stack.pop()
        if isinstance(node, dict):
            for key, item in node.items():
                where = pointer(here, key)
                if not isinstance(key, str):
                    report.add("INVALID_TYPE", f"{what} has a field name that is not text.", where)
                elif key.endswith(".$"):
                    check_dynamic_value(report, item, where, f"Field {quote(key)} of {what}")
                else:
                    stack.append((item, where))
        elif isinstance(node, list | tuple):
            stack.extend((item, pointer(here, index)) for index, item in enumerate(node))


def check_jsonata_template(report: Report, value: Any, loc: str, what: str) -> None:
    """A JSONata template: any JSON whose ``{% %}`` strings are JSONata expressions."""
    stack: list[tuple[Any, str]] = [(value, loc)]
    while stack:
        node, here = stack.pop()
        if isinstance(node, str):
            if is_jsonata(node):
                check_jsonata(report, node, here, what)
        elif isinstance(node, dict):
            for key, item in node.items():
                where = pointer(here, key)
                if not isinstance(key, str):
                    report.add("INVALID_TYPE", f"{what} has a field name that is not text.", where)
                else:
                    stack.append((item, where))
        elif isinstance(node, list | tuple):
            stack.extend((item, pointer(here, index)) for index, item in enumerate(node))


def check_template(report: Report, value: Any, loc: str, what: str, language: str) -> None:
    if language == JSONATA:
        check_jsonata_template(report, value, loc, what)
    else:
        check_payload_template(report, value, loc, what)


def check_object_template(
    report: Report, value: Any, loc: str, what: str, language: str, *, array: bool = False
) -> None:
    """Parameters, ResultSelector, ItemSelector...: an object (or, in JSONata, one expression).

    ``array``: the field may also be an array of templates. The specification calls
    Parameters an object, but AWS accepts (and runs) an array there, and a validator must not
    refuse a definition AWS deploys."""
    if language == JSONATA and is_jsonata(value):
        check_jsonata(report, value, loc, what)
        return
    if array and isinstance(value, list) and language == JSONPATH:
        check_template(report, value, loc, what, language)
        return
    if not isinstance(value, dict):
        report.add("INVALID_TYPE", f"{what} must be an object, not {kind_of(value)}.", loc)
        return
    check_template(report, value, loc, what, language)


def _variable_name_problem(name: str) -> str | None:
    if not name:
        return "it is empty"
    if not name.isidentifier():
        return "a name may use only letters, digits and '_', and may not start with a digit"
    if name == "states":
        return "'states' is reserved for the state's own data"
    return None


def check_assign(report: Report, value: Any, loc: str, owner: str, language: str) -> None:
    """Assign: an object whose keys name the workflow variables to set."""
    what = f"Assign in {owner}"
    if not isinstance(value, dict):
        report.add("INVALID_TYPE", f"{what} must be an object, not {kind_of(value)}.", loc)
        return
    for key, item in value.items():
        where = pointer(loc, key)
        if not isinstance(key, str):
            report.add("INVALID_TYPE", f"{what} has a variable name that is not text.", where)
            continue
        dynamic = language == JSONPATH and key.endswith(".$")
        name = key[:-2] if dynamic else key
        problem = _variable_name_problem(name)
        if problem is not None:
            report.add(
                "INVALID_VARIABLE_NAME",
                f"{what} sets a variable named {quote(name)}, which is not allowed: {problem}.",
                where,
            )
        if dynamic:
            check_dynamic_value(report, item, where, f"Variable {quote(name)} in {what}")
        else:
            check_template(report, item, where, f"Variable {quote(name)} in {what}", language)
