"""Interpreter throughput: state transitions per second, history events included, one core.

    .venv/bin/python bench/asl_bench.py [--repeat N] [--profile NAME]

Each scenario parses its machine once, then runs it through ``asl.run`` with a virtual
clock; a transition is one state entered (Map iterations and Parallel branches count the
states they run).  Targets: chain 30,000/s, choice loop 20,000/s, map 20,000/s,
parallel 20,000/s.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asl  # noqa: E402


class VirtualClock:
    def __init__(self) -> None:
        self._now = datetime(2025, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def sleep(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)


def chain(n: int = 100) -> tuple[dict[str, Any], Any, int]:
    states: dict[str, Any] = {}
    for i in range(n):
        state: dict[str, Any] = {
            "Type": "Pass",
            "Parameters": {"a.$": "$.a", "b.$": "$.b", "c.$": "$.c.d"},
            "ResultPath": "$.last",
        }
        if i + 1 < n:
            state["Next"] = f"S{i + 1}"
        else:
            state["End"] = True
        states[f"S{i}"] = state
    data = {"a": 1, "b": "two", "c": {"d": [3]}}
    return {"StartAt": "S0", "States": states}, data, n


def choice_loop(limit: int = 1000) -> tuple[dict[str, Any], Any, int]:
    definition = {
        "StartAt": "Check",
        "States": {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.i", "NumericLessThan": limit, "Next": "Add"}],
                "Default": "Done",
            },
            "Add": {
                "Type": "Pass",
                "Parameters": {"i.$": "States.MathAdd($.i, 1)"},
                "Next": "Check",
            },
            "Done": {"Type": "Succeed"},
        },
    }
    return definition, {"i": 0}, 2 * limit + 2


def inline_map(n: int = 1000) -> tuple[dict[str, Any], Any, int]:
    definition = {
        "StartAt": "Map",
        "States": {
            "Map": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "Inner",
                    "States": {"Inner": {"Type": "Pass", "End": True}},
                },
                "End": True,
            }
        },
    }
    return definition, {"items": list(range(n))}, n + 1


def parallel(branches: int = 10, depth: int = 10) -> tuple[dict[str, Any], Any, int]:
    def branch(b: int) -> dict[str, Any]:
        states: dict[str, Any] = {}
        for i in range(depth):
            state: dict[str, Any] = {"Type": "Pass"}
            if i + 1 < depth:
                state["Next"] = f"B{b}S{i + 1}"
            else:
                state["End"] = True
            states[f"B{b}S{i}"] = state
        return {"StartAt": f"B{b}S0", "States": states}

    definition = {
        "StartAt": "Par",
        "States": {
            "Par": {
                "Type": "Parallel",
                "Branches": [branch(b) for b in range(branches)],
                "End": True,
            }
        },
    }
    return definition, {"x": 1}, branches * depth + 1


SCENARIOS: dict[str, Callable[[], tuple[dict[str, Any], Any, int]]] = {
    "chain": chain,
    "choice_loop": choice_loop,
    "inline_map": inline_map,
    "parallel": parallel,
}
TARGETS = {"chain": 30_000, "choice_loop": 20_000, "inline_map": 20_000, "parallel": 20_000}


def measure(name: str, repeat: int) -> float:
    definition, data, transitions = SCENARIOS[name]()
    machine = asl.parse(definition)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        result = asl.run(machine, data, clock=VirtualClock())
        elapsed = time.perf_counter() - started
        if result.status != "SUCCEEDED":
            raise SystemExit(f"{name}: {result.status} {result.error} {result.cause}")
        best = min(best, elapsed)
    return transitions / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", choices=sorted(SCENARIOS))
    args = parser.parse_args()
    if args.profile:
        cProfile.runctx(
            "measure(args.profile, args.repeat)", globals(), {"args": args}, "/tmp/asl_bench.prof"
        )
        pstats.Stats("/tmp/asl_bench.prof").sort_stats("tottime").print_stats(20)
        return
    for name in SCENARIOS:
        rate = measure(name, args.repeat)
        verdict = "ok" if rate >= TARGETS[name] else "BELOW TARGET"
        print(f"{name:12} {rate:10,.0f} transitions/s  (target {TARGETS[name]:,}: {verdict})")


if __name__ == "__main__":
    main()
