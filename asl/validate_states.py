"""Checks for one state: its type, query language, fields, transition and the rules of its
state type. Nested machines and transitions are only recorded here (in ``StateFacts``);
``validate`` checks them once every state of a machine is known."""

from __future__ import annotations

import difflib
import re
from typing import Any

from asl.limits import MAX_SECONDS
from asl.validate_choice import check_choice
from asl.validate_context import Edge, StateContext, StateFacts, SubMachine
from asl.validate_error_handling import check_catch, check_retry
from asl.validate_expressions import (
    JSONATA,
    JSONPATH,
    check_assign,
    check_object_template,
    check_result_path,
    check_template,
)
from asl.validate_fields import (
    BRANCH_FIELDS,
    STATE_TYPES,
    accepted_fields,
    other_language_fields,
    replacement,
)
from asl.validate_map import check_map
from asl.validate_report import Report, kind_of, pointer, quote
from asl.validate_values import (
    check_bool,
    check_enum,
    check_timestamp,
)

LANGUAGES = (JSONPATH, JSONATA)

# The specification requires Resource to be a URI; any scheme is accepted (arn:, https:...).
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S")
_TERMINAL_TYPES = ("Succeed", "Fail")
_WAIT_FIELDS = ("Seconds", "SecondsPath", "Timestamp", "TimestampPath")


def _language(report: Report, name: str, loc: str, state: dict[str, Any], machine: str) -> str:
    if "QueryLanguage" not in state:
        return machine
    value = state["QueryLanguage"]
    where = pointer(loc, "QueryLanguage")
    if not check_enum(report, value, where, f"QueryLanguage in state {quote(name)}", LANGUAGES):
        return machine
    if machine == JSONATA and value == JSONPATH:
        report.add(
            "QUERY_LANGUAGE_CONFLICT",
            f"State {quote(name)} asks for JSONPath, but the state machine uses JSONata; "
            "a JSONata machine cannot contain JSONPath states.",
            where,
        )
        return JSONATA
    return str(value)


def _fallback_facts(state: dict[str, Any], name: str, loc: str) -> StateFacts:
    """Transitions of a state whose type is unknown, so that the states after it are
    not also reported as unreachable."""
    facts = StateFacts(terminal=state.get("End") is True)
    target = state.get("Next")
    if isinstance(target, str) and target:
        facts.edges.append(Edge(target, pointer(loc, "Next"), name))
    return facts


def _suggestion(key: str, accepted: frozenset[str]) -> str:
    # Long keys are not compared: matching costs grow with the product of the lengths.
    if len(key) > 100:
        return ""
    close = difflib.get_close_matches(key, sorted(accepted), n=1, cutoff=0.75)
    return f" Did you mean {close[0]}?" if close else ""


def _check_fields(ctx: StateContext, state_type: str) -> None:
    other = other_language_fields(state_type, ctx.language)
    other_name = JSONPATH if ctx.language == JSONATA else JSONATA
    for key in ctx.state:
        if not isinstance(key, str):
            ctx.add("INVALID_TYPE", f"{ctx.title} has a field name that is not text.", key)
        elif key in ctx.accepted:
            continue
        elif key in other:
            ctx.add(
                "FIELD_NOT_IN_QUERY_LANGUAGE",
                f"{ctx.title} uses {key}, which only works in {other_name} states, but this "
                f"state uses {ctx.language}. Use {replacement(state_type, key)} instead.",
                key,
            )
        elif key in ("Next", "End") and state_type == "Choice":
            ctx.add(
                "TRANSITION_NOT_ALLOWED",
                f"{ctx.title} is a Choice state, so it cannot have {key}; it moves on through "
                "the Next of its Choices and its Default.",
                key,
            )
        elif key in ("Next", "End") and state_type in _TERMINAL_TYPES:
            ctx.add(
                "TRANSITION_NOT_ALLOWED",
                f"{ctx.title} is a {state_type} state, which always ends the run, so it "
                f"cannot have {key}.",
                key,
            )
        else:
            ctx.add(
                "UNKNOWN_FIELD",
                f"{ctx.title} has a field {quote(key)} that a {state_type} state does not "
                f"accept.{_suggestion(key, ctx.accepted)}",
                key,
            )


def _check_transition(ctx: StateContext) -> None:
    has_next = "Next" in ctx.state
    ends = ctx.state.get("End") is True
    if "End" in ctx.state:
        check_bool(ctx.report, ctx.state["End"], ctx.at("End"), ctx.what("End"))
    if has_next:
        ctx.go_to(ctx.state["Next"], "Next")
    if has_next and ends:
        ctx.add(
            "CONFLICTING_TRANSITION",
            f"{ctx.title} has both Next and End: true; it must either go to a next state or "
            "end the run, not both.",
            "End",
        )
    elif not has_next and not ends:
        ctx.add(
            "MISSING_TRANSITION",
            f"{ctx.title} must say what happens after it: add Next with the name of the next "
            "state, or End: true to end the run.",
            "Next",
        )
    ctx.facts.terminal = ends


def _check_data_fields(ctx: StateContext) -> None:
    state = ctx.state
    for key in ("InputPath", "OutputPath"):
        if ctx.has(key):
            ctx.path(key, nullable=True)
    if ctx.has("ResultPath"):
        check_result_path(
            ctx.report, state["ResultPath"], ctx.at("ResultPath"), ctx.what("ResultPath")
        )
    for key in ("Parameters", "ResultSelector", "Arguments", "Credentials"):
        if ctx.has(key):
            check_object_template(
                ctx.report,
                state[key],
                ctx.at(key),
                ctx.what(key),
                ctx.language,
                array=key == "Parameters",
            )
    if ctx.has("Output"):
        check_template(ctx.report, state["Output"], ctx.at("Output"), ctx.what("Output"), JSONATA)
    if ctx.has("Assign"):
        check_assign(ctx.report, state["Assign"], ctx.at("Assign"), ctx.owner, ctx.language)
    if ctx.has("Comment"):
        ctx.text("Comment")


def _check_task(ctx: StateContext) -> None:
    state = ctx.state
    if "Resource" not in state:
        ctx.add(
            "MISSING_FIELD",
            f"{ctx.title} needs a Resource, the work the task runs "
            "(for example arn:aws:states:::http:invoke).",
            "Resource",
        )
    elif ctx.text("Resource") and not _URI.match(state["Resource"]):
        ctx.add(
            "INVALID_RESOURCE",
            f"{ctx.what('Resource')} must be a URI such as an ARN "
            f"(arn:aws:lambda:...), not {quote(state['Resource'])}.",
            "Resource",
        )
    literal: dict[str, int] = {}
    for key in ("TimeoutSeconds", "HeartbeatSeconds"):
        ctx.exclusive(key, f"{key}Path")
        if ctx.has(key) and ctx.whole_number(key, minimum=1, maximum=MAX_SECONDS):
            literal[key] = state[key]
        if ctx.has(f"{key}Path"):
            ctx.path(f"{key}Path", reference=True)
    if len(literal) == 2 and literal["HeartbeatSeconds"] >= literal["TimeoutSeconds"]:
        ctx.add(
            "HEARTBEAT_NOT_BELOW_TIMEOUT",
            f"{ctx.title} has HeartbeatSeconds ({literal['HeartbeatSeconds']}) that is not "
            f"smaller than TimeoutSeconds ({literal['TimeoutSeconds']}); a heartbeat must "
            "come before the task times out.",
            "HeartbeatSeconds",
        )


def _check_wait(ctx: StateContext) -> None:
    present = [key for key in _WAIT_FIELDS if ctx.has(key)]
    if not present:
        options = "Seconds or Timestamp" if ctx.language == JSONATA else ", ".join(_WAIT_FIELDS)
        ctx.add(
            "MISSING_FIELD",
            f"{ctx.title} must say how long to wait with one of: {options}.",
            "Seconds",
        )
    for extra in present[1:]:
        ctx.add(
            "CONFLICTING_FIELDS",
            f"{ctx.title} has both {present[0]} and {extra}; a Wait state uses exactly one.",
            extra,
        )
    if ctx.has("Seconds"):
        ctx.whole_number("Seconds", minimum=0, maximum=MAX_SECONDS)
    if ctx.has("Timestamp"):
        check_timestamp(
            ctx.report,
            ctx.state["Timestamp"],
            ctx.at("Timestamp"),
            ctx.what("Timestamp"),
            language=ctx.language,
        )
    for key in ("SecondsPath", "TimestampPath"):
        if ctx.has(key):
            ctx.path(key, reference=True)


def _check_fail(ctx: StateContext) -> None:
    for key in ("Error", "Cause"):
        ctx.exclusive(key, f"{key}Path")
        if ctx.has(key):
            ctx.text(key, expression=True)
        if ctx.has(f"{key}Path"):
            ctx.path(f"{key}Path", intrinsic=True)
    ctx.facts.terminal = True


def _check_parallel(ctx: StateContext) -> None:
    if "Branches" not in ctx.state:
        ctx.add(
            "MISSING_FIELD",
            f"{ctx.title} needs Branches, the list of machines to run side by side.",
            "Branches",
        )
        return
    branches = ctx.state["Branches"]
    if not isinstance(branches, list):
        ctx.add(
            "INVALID_TYPE",
            f"{ctx.what('Branches')} must be a list, not {kind_of(branches)}.",
            "Branches",
        )
        return
    if not branches:
        ctx.add("EMPTY_VALUE", f"{ctx.title} must have at least one branch.", "Branches")
    for index, branch in enumerate(branches):
        ctx.facts.children.append(
            SubMachine(
                branch,
                ctx.at("Branches", index),
                f"branch {index + 1} of {ctx.owner}",
                BRANCH_FIELDS,
            )
        )


def _check_succeed(ctx: StateContext) -> None:
    ctx.facts.terminal = True


_TYPE_CHECKS = {
    "Pass": lambda ctx: None,  # every Pass field is a common one
    "Task": _check_task,
    "Choice": check_choice,
    "Wait": _check_wait,
    "Succeed": _check_succeed,
    "Fail": _check_fail,
    "Parallel": _check_parallel,
    "Map": check_map,
}


def check_state(
    report: Report, name: str, loc: str, state: Any, machine_language: str
) -> StateFacts:
    if not isinstance(state, dict):
        report.add(
            "INVALID_TYPE", f"State {quote(name)} must be an object, not {kind_of(state)}.", loc
        )
        return StateFacts()
    language = _language(report, name, loc, state, machine_language)
    state_type = state.get("Type")
    if "Type" not in state:
        report.add(
            "MISSING_FIELD",
            f"State {quote(name)} needs a Type: one of {', '.join(STATE_TYPES)}.",
            pointer(loc, "Type"),
        )
        return _fallback_facts(state, name, loc)
    if not isinstance(state_type, str) or state_type not in STATE_TYPES:
        shown = quote(state_type) if isinstance(state_type, str) else kind_of(state_type)
        report.add(
            "INVALID_STATE_TYPE",
            f"State {quote(name)} has a Type of {shown}, which is not a kind of state; use one "
            f"of {', '.join(STATE_TYPES)}.",
            pointer(loc, "Type"),
        )
        return _fallback_facts(state, name, loc)
    ctx = StateContext(report, name, loc, state, language, accepted_fields(state_type, language))
    _check_fields(ctx, state_type)
    if "Next" in ctx.accepted:
        _check_transition(ctx)
    _check_data_fields(ctx)
    _TYPE_CHECKS[state_type](ctx)
    if ctx.has("Retry"):
        check_retry(ctx)
    if ctx.has("Catch"):
        check_catch(ctx)
    return ctx.facts
