"""Example programs written from the States Language specification, with the results and
history event types it prescribes (tests/asl/programs/*.json)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import asl
from tests.asl.clock import VirtualClock

PROGRAMS = sorted((Path(__file__).parent / "programs").glob("*.json"))


class Boom(Exception):
    pass


def functions_for(clock: VirtualClock) -> dict[str, Callable[[Any, Any], Any]]:
    def slow(event: Any, context: Any) -> Any:
        clock.sleep(60)
        return event

    return {
        "double": lambda event, context: {"n": event["n"] * 2},
        "double_value": lambda event, context: {**event, "value": event["value"] * 2},
        "always_fails": lambda event, context: (_ for _ in ()).throw(Boom("it broke")),
        "slow": slow,
        "huge": lambda event, context: "a" * (300 * 1024),
    }


@pytest.mark.parametrize("path", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_it_runs_the_example_program_as_the_specification_says(path: Path) -> None:
    program = json.loads(path.read_text())
    clock = VirtualClock()
    result = asl.run(
        program["definition"], program["input"], functions=functions_for(clock), clock=clock
    )
    expected = program["expected"]
    assert (result.status, result.error) == (expected["status"], expected.get("error"))
    if "output" in expected:
        assert result.output == expected["output"]
    if "cause" in expected:
        assert result.cause == expected["cause"]
    if "elapsed_seconds" in expected:
        assert clock.elapsed == expected["elapsed_seconds"]
    if "events" in program:
        assert [event["type"] for event in result.events] == program["events"]


def test_it_numbers_history_events_from_one_without_gaps() -> None:
    program = json.loads((Path(__file__).parent / "programs" / "map_inline.json").read_text())
    clock = VirtualClock()
    result = asl.run(
        program["definition"], program["input"], functions=functions_for(clock), clock=clock
    )
    assert [event["id"] for event in result.events] == list(range(1, len(result.events) + 1))
    assert all(event["previousEventId"] < event["id"] for event in result.events)
