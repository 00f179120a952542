"""What the checks of one state share: where it is, what it is called, its query language,
and what they learn about it for the graph checks (its transitions and sub-machines)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from asl.validate_expressions import check_path
from asl.validate_report import Report, pointer, quote
from asl.validate_values import check_int, check_number, check_string


@dataclass(frozen=True)
class SubMachine:
    """A nested StartAt/States machine: a Parallel branch or a Map's item processor."""

    value: Any
    loc: str
    description: str  # "branch 2 of state 'Fan out'", capitalised by the report
    fields: frozenset[str]


@dataclass(frozen=True)
class Edge:
    """A transition to a state by name, and the field that names it."""

    target: str
    loc: str
    source: str  # the name of the state the edge leaves


@dataclass
class StateFacts:
    edges: list[Edge] = field(default_factory=list)
    terminal: bool = False
    children: list[SubMachine] = field(default_factory=list)


@dataclass
class StateContext:
    report: Report
    name: str
    loc: str
    state: dict[str, Any]
    language: str
    accepted: frozenset[str]
    facts: StateFacts = field(default_factory=StateFacts)

    @property
    def owner(self) -> str:
        return f"state {quote(self.name)}"

    @property
    def title(self) -> str:
        return f"State {quote(self.name)}"

    def has(self, key: str) -> bool:
        """The field is present and belongs to this state type and query language."""
        return key in self.state and key in self.accepted

    def at(self, *parts: object) -> str:
        return pointer(self.loc, *parts)

    def what(self, key: str) -> str:
        return f"{key} in {self.owner}"

    def add(self, code: str, message: str, *parts: object) -> None:
        self.report.add(code, message, self.at(*parts))

    def go_to(self, target: Any, *parts: object) -> None:
        """Record a transition named by the field at ``parts``, checking it is a name."""
        loc = self.at(*parts)
        if not isinstance(target, str):
            self.report.add(
                "INVALID_TYPE",
                f"{self.title} must name the next state as text in {parts[-1]}.",
                loc,
            )
        elif not target:
            self.report.add(
                "EMPTY_VALUE", f"{self.title} has an empty state name in {parts[-1]}.", loc
            )
        else:
            self.facts.edges.append(Edge(target, loc, self.name))

    def exclusive(self, first: str, second: str, *where: str) -> None:
        """Reports a state (or its sub-object at ``where``) that has both of two fields
        only one of which may be given."""
        holder: Any = self.state
        for part in where:
            holder = holder.get(part) if isinstance(holder, dict) else None
        if not isinstance(holder, dict) or first not in holder or second not in holder:
            return
        if not where and not (self.has(first) and self.has(second)):
            return  # a field of the other query language is reported as such already
        label = f"{where[-1]} in {self.owner}" if where else self.title
        self.add(
            "CONFLICTING_FIELDS",
            f"{label} has both {first} and {second}; keep only one.",
            *where,
            second,
        )

    # Shorthands for checking one of the state's own fields, so each check names the field
    # once and the message, location and query language follow from it.

    def whole_number(self, key: str, *, minimum: int, maximum: int | None = None) -> bool:
        return check_int(
            self.report,
            self.state[key],
            self.at(key),
            self.what(key),
            minimum=minimum,
            maximum=maximum,
            language=self.language,
        )

    def number(self, key: str, *, minimum: float, maximum: float) -> bool:
        return check_number(
            self.report,
            self.state[key],
            self.at(key),
            self.what(key),
            minimum=minimum,
            maximum=maximum,
            language=self.language,
        )

    def text(self, key: str, *, expression: bool = False) -> bool:
        """A text field; with ``expression``, JSONata states may compute it instead."""
        language = self.language if expression else ""
        return check_string(
            self.report, self.state[key], self.at(key), self.what(key), language=language
        )

    def path(
        self,
        key: str,
        *,
        reference: bool = False,
        selection: bool = False,
        nullable: bool = False,
        intrinsic: bool = False,
    ) -> None:
        check_path(
            self.report,
            self.state[key],
            self.at(key),
            self.what(key),
            reference=reference,
            selection=selection,
            nullable=nullable,
            intrinsic=intrinsic,
        )
