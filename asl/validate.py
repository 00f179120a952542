"""Static validation of Amazon States Language definitions.

``validate(definition)`` returns every problem it finds as a ``Diagnostic`` (an empty list
means the definition is valid) and never raises, whatever it is given: the canvas calls it
on every save and shows each diagnostic at its JSON-pointer location. A missing field is
located where it belongs (``/States/Pay/Resource``), so the pointer's parent always exists.

Codes (stable; the message is the part meant for people):

- Shape: ``INVALID_TYPE`` (wrong JSON kind), ``MISSING_FIELD``, ``UNKNOWN_FIELD``,
  ``EMPTY_VALUE``, ``INVALID_VALUE`` (not one of the allowed words), ``OUT_OF_RANGE``,
  ``CONFLICTING_FIELDS`` (two fields of which only one may be given), ``TOO_DEEP``.
- Query languages: ``FIELD_NOT_IN_QUERY_LANGUAGE``, ``QUERY_LANGUAGE_CONFLICT``.
- States and the graph: ``INVALID_STATE_TYPE``, ``INVALID_STATE_NAME``,
  ``STATE_NAME_TOO_LONG``, ``DUPLICATE_STATE_NAME``, ``MISSING_TRANSITION``,
  ``CONFLICTING_TRANSITION``, ``TRANSITION_NOT_ALLOWED``, ``UNKNOWN_STATE``,
  ``TRANSITION_OUT_OF_SCOPE``, ``UNREACHABLE_STATE``, ``NO_TERMINAL_STATE``.
- Values: ``INVALID_RESOURCE``, ``INVALID_TIMESTAMP``, ``INVALID_LABEL``,
  ``HEARTBEAT_NOT_BELOW_TIMEOUT``, ``DISTRIBUTED_ONLY_FIELD``, ``INVALID_VARIABLE_NAME``.
- Errors: ``STATES_ALL_NOT_ALONE``, ``STATES_ALL_NOT_LAST``.
- Choice rules: ``MISSING_COMPARISON``, ``MULTIPLE_COMPARISONS``, ``NESTED_RULE_FIELD``.
- Expressions: ``INVALID_PATH``, ``INVALID_REFERENCE_PATH``, ``INVALID_INTRINSIC``,
  ``INVALID_JSONATA``.
- Machine type: ``NOT_IN_EXPRESS`` (an integration pattern or activity EXPRESS cannot run).
- Warnings (severity "warning": AWS accepts the definition, the part fails when it runs):
  ``PATH_FAILS_AT_RUN_TIME``.
- ``INTERNAL_ERROR``: a fault in the validator itself (a bug to report), never the author's.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from asl.errors import Diagnostic
from asl.limits import MAX_NAME_LENGTH, MAX_SECONDS
from asl.limits import MAX_STATE_NESTING as MAX_NESTING
from asl.validate_context import Edge, StateFacts, SubMachine
from asl.validate_express import STANDARD, check_express
from asl.validate_expressions import JSONATA, JSONPATH
from asl.validate_fields import MACHINE_FIELDS, STATE_TYPES
from asl.validate_report import Report, kind_of, pointer, quote, report_unknown_fields
from asl.validate_states import LANGUAGES, check_state
from asl.validate_values import check_enum, check_int, check_string

__all__ = ["diagnose", "validate"]


@dataclass
class _Machine:
    """What the graph checks need to know about one StartAt/States block."""

    loc: str
    description: str
    start: str | None
    names: dict[str, str] = field(default_factory=dict)  # state name -> its location
    facts: dict[str, StateFacts] = field(default_factory=dict)
    certain: bool = True  # False when a state was too malformed to know its transitions


class _Validator:
    def __init__(self, report: Report, language: str) -> None:
        self.report = report
        self.language = language
        self.machines: list[_Machine] = []
        self.everywhere: dict[str, str] = {}  # every state name in the definition -> location

    def machine(self, sub: SubMachine, depth: int) -> None:
        if depth > MAX_NESTING:
            self.report.add(
                "TOO_DEEP",
                f"{sub.description} nests Parallel and Map states more than {MAX_NESTING} "
                "levels deep; flatten it.",
                sub.loc,
            )
            return
        value = sub.value
        if not isinstance(value, dict):
            self.report.add(
                "INVALID_TYPE",
                f"{sub.description} must be an object with StartAt and States, "
                f"not {kind_of(value)}.",
                sub.loc,
            )
            return
        if depth > 0:
            report_unknown_fields(self.report, value, sub.fields, sub.loc, sub.description)
        if "Comment" in value:
            check_string(
                self.report,
                value["Comment"],
                pointer(sub.loc, "Comment"),
                f"Comment of {sub.description}",
            )
        record = _Machine(sub.loc, sub.description, self._start(value, sub))
        children: list[SubMachine] = []
        before = len(self.report.diagnostics)
        for name, state in self._states(value, sub):
            loc = pointer(sub.loc, "States", name)
            if not self._name_ok(name, loc):
                record.certain = False
                continue
            if name in self.everywhere:
                self.report.add(
                    "DUPLICATE_STATE_NAME",
                    f"There are two states named {quote(name)}; every state name must be "
                    "unique in the whole state machine, including inside Parallel and Map.",
                    loc,
                )
            else:
                self.everywhere[name] = loc
            record.names[name] = loc
            facts = check_state(self.report, name, loc, state, self.language)
            if not isinstance(state, dict) or state.get("Type") not in STATE_TYPES:
                record.certain = False
            record.facts[name] = facts
            children.extend(facts.children)
        # "Can never finish" is only worth saying about a machine that is otherwise sound;
        # after a missing Next or a broken state it would just repeat that problem.
        record.certain = record.certain and len(self.report.diagnostics) == before
        self.machines.append(record)
        for child in children:
            self.machine(child, depth + 1)

    def _start(self, value: dict[Any, Any], sub: SubMachine) -> str | None:
        if "StartAt" not in value:
            self.report.add(
                "MISSING_FIELD",
                f"{sub.description} needs StartAt, the name of the state to run first.",
                pointer(sub.loc, "StartAt"),
            )
            return None
        start = value["StartAt"]
        if not check_string(
            self.report,
            start,
            pointer(sub.loc, "StartAt"),
            f"StartAt of {sub.description}",
            non_empty=True,
        ):
            return None
        return str(start)

    def _states(self, value: dict[Any, Any], sub: SubMachine) -> list[tuple[Any, Any]]:
        where = pointer(sub.loc, "States")
        if "States" not in value:
            self.report.add(
                "MISSING_FIELD", f"{sub.description} needs States, the object of its states.", where
            )
            return []
        states = value["States"]
        if not isinstance(states, dict):
            self.report.add(
                "INVALID_TYPE",
                f"States of {sub.description} must be an object mapping state names to "
                f"states, not {kind_of(states)}.",
                where,
            )
            return []
        if not states:
            self.report.add(
                "EMPTY_VALUE", f"{sub.description} must have at least one state.", where
            )
        return list(states.items())

    def _name_ok(self, name: Any, loc: str) -> bool:
        if not isinstance(name, str):
            self.report.add("INVALID_STATE_NAME", "A state name must be text.", loc)
            return False
        if not name:
            self.report.add("INVALID_STATE_NAME", "A state name must not be empty.", loc)
            return False
        if len(name) > MAX_NAME_LENGTH:
            self.report.add(
                "STATE_NAME_TOO_LONG",
                f"State name {quote(name)} is {len(name)} characters long; the limit is "
                f"{MAX_NAME_LENGTH}.",
                loc,
            )
        return True

    def graphs(self) -> None:
        for machine in self.machines:
            self._graph(machine)

    def _graph(self, machine: _Machine) -> None:
        if machine.start is not None and machine.start not in machine.names:
            self._missing_target(
                machine,
                Edge(machine.start, pointer(machine.loc, "StartAt"), ""),
                f"{machine.description} starts at {quote(machine.start)}",
            )
        for facts in machine.facts.values():
            for edge in facts.edges:
                if edge.target not in machine.names:
                    machine.certain = False
                    self._missing_target(
                        machine,
                        edge,
                        f"State {quote(edge.source)} goes to {quote(edge.target)}",
                    )
        if not machine.names or machine.start not in machine.names:
            return
        reached = self._reachable(machine)
        for name, loc in machine.names.items():
            if name not in reached:
                self.report.add(
                    "UNREACHABLE_STATE",
                    f"State {quote(name)} can never run: no other state goes to it. Connect "
                    "it with Next, Default or Catch, or delete it.",
                    loc,
                )
        if machine.certain and not any(f.terminal for f in machine.facts.values()):
            self.report.add(
                "NO_TERMINAL_STATE",
                f"{machine.description} can never finish: no state has End: true or is a "
                "Succeed or Fail state.",
                pointer(machine.loc, "States"),
            )

    def _missing_target(self, machine: _Machine, edge: Edge, subject: str) -> None:
        if edge.target in self.everywhere:
            self.report.add(
                "TRANSITION_OUT_OF_SCOPE",
                f"{subject}, which is outside {machine.description}; a transition can "
                "only go to a state in the same States block.",
                edge.loc,
            )
            return
        close = (
            difflib.get_close_matches(edge.target, sorted(machine.names), n=1, cutoff=0.6)
            if len(edge.target) <= 100
            else []
        )
        hint = f" Did you mean {quote(close[0])}?" if close else ""
        self.report.add("UNKNOWN_STATE", f"{subject}, which does not exist.{hint}", edge.loc)

    @staticmethod
    def _reachable(machine: _Machine) -> set[str]:
        reached: set[str] = set()
        pending = [machine.start] if machine.start is not None else []
        while pending:
            name = pending.pop()
            if name in reached or name not in machine.names:
                continue
            reached.add(name)
            facts = machine.facts.get(name)
            if facts is not None:
                pending.extend(edge.target for edge in facts.edges)
        return reached


def _top_level(report: Report, definition: dict[Any, Any]) -> str:
    """Checks the machine's own fields and returns its query language."""
    report_unknown_fields(report, definition, MACHINE_FIELDS, "", "the state machine")
    if "Version" in definition:
        check_string(report, definition["Version"], "/Version", "Version of the state machine")
    if "TimeoutSeconds" in definition:
        check_int(
            report,
            definition["TimeoutSeconds"],
            "/TimeoutSeconds",
            "TimeoutSeconds of the state machine",
            minimum=1,
            maximum=MAX_SECONDS,
        )
    language = definition.get("QueryLanguage", JSONPATH)
    if "QueryLanguage" in definition and not check_enum(
        report, language, "/QueryLanguage", "QueryLanguage of the state machine", LANGUAGES
    ):
        return JSONPATH
    return JSONATA if language == JSONATA else JSONPATH


def validate(definition: Any, machine_type: str | None = None) -> list[Diagnostic]:
    """Every problem in ``definition``, or an empty list when it is valid ASL.

    ``machine_type`` ("STANDARD" or "EXPRESS", None for either) adds the checks CreateStateMachine
    makes for that type."""
    return [d for d in diagnose(definition, machine_type) if d.severity == "error"]


def diagnose(definition: Any, machine_type: str | None = None) -> list[Diagnostic]:
    """The errors of ``validate`` and the warnings: what AWS accepts but fails when it runs."""
    report = Report()
    if not isinstance(definition, dict):
        report.add(
            "INVALID_TYPE",
            f"A state machine definition must be a JSON object with StartAt and States, "
            f"not {kind_of(definition)}.",
            "",
        )
        return report.diagnostics
    try:
        validator = _Validator(report, _top_level(report, definition))
        validator.machine(SubMachine(definition, "", "the state machine", MACHINE_FIELDS), 0)
        validator.graphs()
        # Whatever the machine's type, a Distributed Map's children may run as EXPRESS.
        check_express(report, definition, machine_type or STANDARD)
    except Exception:  # noqa: BLE001
        # A fault in the validator must reach the author as a diagnostic, never as a crash of
        # the save that called it; the property tests assert this code never appears.
        report.add(
            "INTERNAL_ERROR",
            "This definition could not be fully checked because of a fault in the validator; "
            "the problems listed so far still apply.",
            "",
        )
    return report.diagnostics
