"""Checks for Choice states: their rules, boolean combinations and Default."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from asl.limits import MAX_RULE_DEPTH
from asl.validate_context import StateContext
from asl.validate_expressions import (
    JSONATA,
    check_assign,
    check_jsonata,
    check_path,
    check_template,
    is_jsonata,
)
from asl.validate_report import Report, kind_of, pointer, quote
from asl.validate_values import check_bool, check_number, check_string, check_timestamp

Checker = Callable[[Report, Any, str, str], Any]


def _path(report: Report, value: Any, loc: str, what: str) -> None:
    check_path(report, value, loc, what)


# What the literal value of each kind of comparison must be.
_LITERAL: dict[str, Checker] = {
    "String": check_string,
    "Numeric": check_number,
    "Boolean": check_bool,
    "Timestamp": check_timestamp,
}


def _comparisons() -> dict[str, Checker]:
    """Every comparison operator, with the check its value needs."""
    operators: dict[str, Checker] = {}
    relations = ("Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals")
    for kind in ("String", "Numeric", "Timestamp"):
        for relation in relations:
            operators[f"{kind}{relation}"] = _LITERAL[kind]
            operators[f"{kind}{relation}Path"] = _path
    operators["BooleanEquals"] = _LITERAL["Boolean"]
    operators["BooleanEqualsPath"] = _path
    operators["StringMatches"] = _LITERAL["String"]
    for test in ("IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"):
        operators[test] = _LITERAL["Boolean"]
    return operators


COMPARISONS = _comparisons()
_BOOLEAN_OPERATORS = ("And", "Or", "Not")
_JSONPATH_RULE_FIELDS = frozenset({"Variable", "Comment", *_BOOLEAN_OPERATORS, *COMPARISONS})
_JSONATA_RULE_FIELDS = frozenset({"Condition", "Next", "Comment", "Assign", "Output"})


class _RuleChecker:
    def __init__(self, ctx: StateContext) -> None:
        self.ctx = ctx
        self.report = ctx.report

    def top_rule(self, rule: Any, index: int) -> None:
        loc = self.ctx.at("Choices", index)
        label = f"Choice rule {index + 1} of {self.ctx.owner}"
        if not isinstance(rule, dict):
            self.report.add("INVALID_TYPE", f"{label} must be an object, not {kind_of(rule)}.", loc)
            return
        if "Next" in rule:
            self.ctx.go_to(rule["Next"], "Choices", index, "Next")
        else:
            self.report.add(
                "MISSING_FIELD",
                f"{label} needs Next, the state to go to when the rule matches.",
                pointer(loc, "Next"),
            )
        if "Assign" in rule:
            check_assign(
                self.report, rule["Assign"], pointer(loc, "Assign"), label, self.ctx.language
            )
        if self.ctx.language == JSONATA:
            self.jsonata_rule(rule, loc, label)
        else:
            self.jsonpath_rule(rule, loc, label, 0, top=True)

    def _unknown(self, rule: dict[str, Any], loc: str, label: str, allowed: frozenset[str]) -> None:
        for key in rule:
            if key in allowed:
                continue
            if key in ("Next", "Assign"):
                message = f"{label} is inside another rule, so it cannot have {key}; only the outermost rule can."
                code = "NESTED_RULE_FIELD"
            elif key == "Condition":
                message = f"{label} uses Condition, which only works in JSONata states; use Variable with a comparison."
                code = "FIELD_NOT_IN_QUERY_LANGUAGE"
            elif key == "Output":
                message = f"{label} uses Output, which only works in JSONata states."
                code = "FIELD_NOT_IN_QUERY_LANGUAGE"
            else:
                message = f"{label} has a field {quote(key)} that a choice rule does not accept."
                code = "UNKNOWN_FIELD"
            self.report.add(code, message, pointer(loc, key))

    def jsonata_rule(self, rule: dict[str, Any], loc: str, label: str) -> None:
        for key in rule:
            if key in _JSONATA_RULE_FIELDS:
                continue
            if key == "Variable" or key in COMPARISONS or key in _BOOLEAN_OPERATORS:
                self.report.add(
                    "FIELD_NOT_IN_QUERY_LANGUAGE",
                    f"{label} uses {key}, which only works in JSONPath states; "
                    "write the test as a JSONata Condition instead.",
                    pointer(loc, key),
                )
            else:
                self.report.add(
                    "UNKNOWN_FIELD",
                    f"{label} has a field {quote(key)} that a choice rule does not accept.",
                    pointer(loc, key),
                )
        if "Condition" not in rule:
            self.report.add(
                "MISSING_FIELD",
                f"{label} needs a Condition, a JSONata expression such as "
                "'{% $states.input.total > 100 %}'.",
                pointer(loc, "Condition"),
            )
            return
        condition = rule["Condition"]
        if is_jsonata(condition):
            check_jsonata(
                self.report, condition, pointer(loc, "Condition"), f"Condition in {label}"
            )
        elif not isinstance(condition, bool):
            self.report.add(
                "INVALID_JSONATA",
                f"Condition in {label} must be a JSONata expression written as '{{% ... %}}'.",
                pointer(loc, "Condition"),
            )
        if "Output" in rule:
            check_template(
                self.report, rule["Output"], pointer(loc, "Output"), f"Output in {label}", JSONATA
            )
        if "Comment" in rule:
            check_string(
                self.report, rule["Comment"], pointer(loc, "Comment"), f"Comment in {label}"
            )

    def jsonpath_rule(
        self, rule: dict[str, Any], loc: str, label: str, depth: int, *, top: bool = False
    ) -> None:
        if depth > MAX_RULE_DEPTH:
            self.report.add(
                "TOO_DEEP",
                f"{label} nests rules more than {MAX_RULE_DEPTH} levels deep; simplify it.",
                loc,
            )
            return
        allowed = _JSONPATH_RULE_FIELDS | {"Next", "Assign"} if top else _JSONPATH_RULE_FIELDS
        self._unknown(rule, loc, label, allowed)
        if "Comment" in rule:
            check_string(
                self.report, rule["Comment"], pointer(loc, "Comment"), f"Comment in {label}"
            )
        combinators = [key for key in _BOOLEAN_OPERATORS if key in rule]
        comparisons = [key for key in rule if key in COMPARISONS]
        if combinators:
            if len(combinators) > 1 or comparisons or "Variable" in rule:
                others = [
                    *combinators[1:],
                    *comparisons,
                    *(["Variable"] if "Variable" in rule else []),
                ]
                self.report.add(
                    "CONFLICTING_FIELDS",
                    f"{label} combines {combinators[0]} with {', '.join(others)}; a rule is "
                    "either one And, Or or Not, or one Variable with one comparison.",
                    pointer(loc, others[0]),
                )
            for key in combinators:
                self.combinator(rule[key], pointer(loc, key), label, key, depth)
            return
        if "Variable" not in rule:
            self.report.add(
                "MISSING_FIELD",
                f"{label} needs a Variable (the path of the value to test), or And, Or or Not.",
                pointer(loc, "Variable"),
            )
        else:
            check_path(
                self.report, rule["Variable"], pointer(loc, "Variable"), f"Variable in {label}"
            )
        if not comparisons:
            self.report.add(
                "MISSING_COMPARISON",
                f"{label} needs a comparison, such as StringEquals or NumericGreaterThan.",
                loc,
            )
        elif len(comparisons) > 1:
            self.report.add(
                "MULTIPLE_COMPARISONS",
                f"{label} has {len(comparisons)} comparisons ({', '.join(comparisons)}); "
                "use exactly one, and combine rules with And or Or.",
                pointer(loc, comparisons[1]),
            )
        for key in comparisons:
            COMPARISONS[key](self.report, rule[key], pointer(loc, key), f"{key} in {label}")

    def combinator(self, value: Any, loc: str, label: str, key: str, depth: int) -> None:
        if key == "Not":
            if not isinstance(value, dict):
                self.report.add(
                    "INVALID_TYPE",
                    f"Not in {label} must be one rule (an object), not {kind_of(value)}.",
                    loc,
                )
                return
            self.jsonpath_rule(value, loc, f"the rule inside Not in {label}", depth + 1)
            return
        if not isinstance(value, list):
            self.report.add(
                "INVALID_TYPE",
                f"{key} in {label} must be a list of rules, not {kind_of(value)}.",
                loc,
            )
            return
        if not value:
            self.report.add("EMPTY_VALUE", f"{key} in {label} must hold at least one rule.", loc)
        for index, inner in enumerate(value):
            here = pointer(loc, index)
            inner_label = f"rule {index + 1} of {key} in {label}"
            if not isinstance(inner, dict):
                self.report.add(
                    "INVALID_TYPE", f"{inner_label} must be an object, not {kind_of(inner)}.", here
                )
                continue
            self.jsonpath_rule(inner, here, inner_label, depth + 1)


def check_choice(ctx: StateContext) -> None:
    if "Default" in ctx.state:
        ctx.go_to(ctx.state["Default"], "Default")
    if "Choices" not in ctx.state:
        ctx.add(
            "MISSING_FIELD", f"{ctx.title} needs Choices, the list of rules to test.", "Choices"
        )
        return
    choices = ctx.state["Choices"]
    if not isinstance(choices, list):
        ctx.add(
            "INVALID_TYPE",
            f"{ctx.what('Choices')} must be a list of rules, not {kind_of(choices)}.",
            "Choices",
        )
        return
    if not choices:
        ctx.add("EMPTY_VALUE", f"{ctx.title} must have at least one rule in Choices.", "Choices")
    checker = _RuleChecker(ctx)
    for index, rule in enumerate(choices):
        checker.top_rule(rule, index)
