"""``asl.test_state``: evaluates one state like AWS's TestState API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class TestStateResult:
    __test__ = False  # not a pytest test class

    status: str
    output: Any = None
    error: str | None = None
    cause: str | None = None
    next_state: str | None = None
    inspection_data: dict[str, Any] | None = None


def test_state(state: Any, input: Any = None, **options: Any) -> TestStateResult:
    raise NotImplementedError("test_state is not implemented yet")


test_state.__test__ = False  # type: ignore[attr-defined]
