"""Checks for Retry and Catch: retriers, catchers and the error names they match."""

from __future__ import annotations

from typing import Any

from asl.limits import MAX_DELAY_SECONDS as _MAX_DELAY_SECONDS
from asl.limits import MAX_SECONDS
from asl.validate_context import StateContext
from asl.validate_expressions import JSONATA, check_assign, check_result_path, check_template
from asl.validate_report import kind_of, report_unknown_fields
from asl.validate_values import check_enum, check_int, check_number, check_string

STATES_ALL = "States.ALL"

RETRIER_FIELDS = frozenset(
    {
        "ErrorEquals",
        "IntervalSeconds",
        "MaxAttempts",
        "BackoffRate",
        "MaxDelaySeconds",
        "JitterStrategy",
        "Comment",
    }
)
_CATCHER_COMMON = {"ErrorEquals", "Next", "Assign", "Comment"}
_CATCHER_FIELDS = {
    "JSONPath": frozenset(_CATCHER_COMMON | {"ResultPath"}),
    "JSONata": frozenset(_CATCHER_COMMON | {"Output"}),
}


def _check_error_equals(
    ctx: StateContext, rule: dict[str, Any], label: str, *where: object
) -> bool:
    """Checks ErrorEquals; True when it names States.ALL (which must then be last)."""
    if "ErrorEquals" not in rule:
        ctx.add(
            "MISSING_FIELD",
            f"{label} needs ErrorEquals, the list of error names it handles.",
            *where,
            "ErrorEquals",
        )
        return False
    names = rule["ErrorEquals"]
    if not isinstance(names, list):
        ctx.add(
            "INVALID_TYPE",
            f"ErrorEquals in {label} must be a list of error names, not {kind_of(names)}.",
            *where,
            "ErrorEquals",
        )
        return False
    if not names:
        ctx.add(
            "EMPTY_VALUE",
            f"ErrorEquals in {label} must name at least one error.",
            *where,
            "ErrorEquals",
        )
        return False
    for index, name in enumerate(names):
        check_string(
            ctx.report,
            name,
            ctx.at(*where, "ErrorEquals", index),
            f"Error name {index + 1} in {label}",
            non_empty=True,
        )
    if STATES_ALL in names and len(names) > 1:
        ctx.add(
            "STATES_ALL_NOT_ALONE",
            f"{label} lists States.ALL together with other errors; States.ALL already "
            "matches every error, so it must be alone.",
            *where,
            "ErrorEquals",
        )
    return STATES_ALL in names


def _rules(ctx: StateContext, key: str) -> list[Any]:
    rules = ctx.state[key]
    if not isinstance(rules, list):
        ctx.add("INVALID_TYPE", f"{ctx.what(key)} must be a list, not {kind_of(rules)}.", key)
        return []
    return rules


def _not_last(ctx: StateContext, key: str, index: int, count: int) -> None:
    if index != count - 1:
        ctx.add(
            "STATES_ALL_NOT_LAST",
            f"{key} {index + 1} of {ctx.owner} matches States.ALL, so the ones after it can "
            "never be used; move it to the end.",
            key,
            index,
            "ErrorEquals",
        )


def check_retry(ctx: StateContext) -> None:
    rules = _rules(ctx, "Retry")
    for index, rule in enumerate(rules):
        label = f"Retry {index + 1} of {ctx.owner}"
        if not isinstance(rule, dict):
            ctx.add(
                "INVALID_TYPE", f"{label} must be an object, not {kind_of(rule)}.", "Retry", index
            )
            continue
        report_unknown_fields(ctx.report, rule, RETRIER_FIELDS, ctx.at("Retry", index), label)
        if _check_error_equals(ctx, rule, label, "Retry", index):
            _not_last(ctx, "Retry", index, len(rules))
        numbers = {
            "IntervalSeconds": (1, MAX_SECONDS),
            "MaxAttempts": (0, MAX_SECONDS),
            "MaxDelaySeconds": (1, _MAX_DELAY_SECONDS - 1),
        }
        for key, (low, high) in numbers.items():
            if key in rule:
                check_int(
                    ctx.report,
                    rule[key],
                    ctx.at("Retry", index, key),
                    f"{key} in {label}",
                    minimum=low,
                    maximum=high,
                )
        if "BackoffRate" in rule:
            check_number(
                ctx.report,
                rule["BackoffRate"],
                ctx.at("Retry", index, "BackoffRate"),
                f"BackoffRate in {label}",
                minimum=1.0,
            )
        if "JitterStrategy" in rule:
            check_enum(
                ctx.report,
                rule["JitterStrategy"],
                ctx.at("Retry", index, "JitterStrategy"),
                f"JitterStrategy in {label}",
                ("FULL", "NONE"),
            )
        if "Comment" in rule:
            check_string(
                ctx.report,
                rule["Comment"],
                ctx.at("Retry", index, "Comment"),
                f"Comment in {label}",
            )


def check_catch(ctx: StateContext) -> None:
    rules = _rules(ctx, "Catch")
    for index, rule in enumerate(rules):
        label = f"Catch {index + 1} of {ctx.owner}"
        if not isinstance(rule, dict):
            ctx.add(
                "INVALID_TYPE", f"{label} must be an object, not {kind_of(rule)}.", "Catch", index
            )
            continue
        report_unknown_fields(
            ctx.report, rule, _CATCHER_FIELDS[ctx.language], ctx.at("Catch", index), label
        )
        if _check_error_equals(ctx, rule, label, "Catch", index):
            _not_last(ctx, "Catch", index, len(rules))
        if "Next" in rule:
            ctx.go_to(rule["Next"], "Catch", index, "Next")
        else:
            ctx.add(
                "MISSING_FIELD",
                f"{label} needs Next, the state to go to when it catches an error.",
                "Catch",
                index,
                "Next",
            )
        if "ResultPath" in rule and ctx.language != JSONATA:
            check_result_path(
                ctx.report,
                rule["ResultPath"],
                ctx.at("Catch", index, "ResultPath"),
                f"ResultPath in {label}",
            )
        if "Output" in rule and ctx.language == JSONATA:
            check_template(
                ctx.report,
                rule["Output"],
                ctx.at("Catch", index, "Output"),
                f"Output in {label}",
                JSONATA,
            )
        if "Assign" in rule:
            check_assign(
                ctx.report, rule["Assign"], ctx.at("Catch", index, "Assign"), label, ctx.language
            )
        if "Comment" in rule:
            check_string(
                ctx.report,
                rule["Comment"],
                ctx.at("Catch", index, "Comment"),
                f"Comment in {label}",
            )
