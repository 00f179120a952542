"""The exceptions the language raises.

Static problems (a definition or an expression that is not well formed) are found before a
run and reported as diagnostics; runtime failures carry an AWS error name (``States.Runtime``,
``States.QueryEvaluationError``, ...) so Retry and Catch can match them.
"""

from __future__ import annotations

from typing import NamedTuple


class Diagnostic(NamedTuple):
    code: str  # stable, machine-readable: "MISSING_FIELD", "UNKNOWN_STATE", ...
    message: str  # a sentence a non-programmer can act on
    location: str  # JSON pointer into the definition: "/States/Approve/Next"
    # "error": AWS refuses the definition; "warning": AWS accepts it, but it fails when the
    # part at ``location`` runs.
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.location or '/'}: {self.message}"


class ValidationError(Exception):
    """A definition is not valid ASL; ``diagnostics`` lists every problem found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("; ".join(str(d) for d in self.diagnostics) or "invalid definition")


class ExpressionError(ValueError):
    """A JSONPath, intrinsic function or JSONata expression that cannot be compiled."""


class StatesError(Exception):
    """A runtime failure with the error name and cause AWS Step Functions reports."""

    def __init__(self, error: str, cause: str | None = None) -> None:
        self.error = error
        self.cause = cause
        super().__init__(f"{error}: {cause}" if cause else error)
