"""What the checks of one state share: where it is, what it is called, its query language,
and what they learn about it for the graph checks (its transitions and sub-machines)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from asl.validate_report import Report, pointer, quote


@dataclass(frozen=True)
class SubMachine:
    """A nested StartAt/States machine: a Parallel branch or a Map's item processor."""

    value: Any
    loc: str
    description: str  # "Branch 2 of state 'Fan out'"
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
