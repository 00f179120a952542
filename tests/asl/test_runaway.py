"""Runaway workflows: a step yields after its budget, and what an expression could build is
capped as AWS caps data.

AWS's limits cited here:
- Step Functions service quotas, https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html:
  "Maximum input or output size for a task, state, or execution: 256 KiB of data as a UTF-8
  encoded string", a hard quota; over it the state fails with States.DataLimitExceeded.
- Intrinsic functions, https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html:
  States.ArrayRange "can't contain more than 1000 items"; up to 10 intrinsics nest in a field.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pytest

import asl
from asl.interpreter import MAX_TRANSITIONS
from tests.runaway_definitions import LOOP, MAP_OF_A_MILLION, jsonata_pass

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_it_yields_an_endless_choice_pass_loop_after_its_budget_with_the_events_so_far() -> None:
    machine = asl.parse(LOOP)
    execution = asl.Execution.start(machine, {}, now=NOW)
    started = time.monotonic()
    step = execution.step(NOW)
    assert time.monotonic() - started < 5
    assert (step.status, step.more_ready) == ("RUNNING", True)
    # ExecutionStarted, then an entered and an exited event per state entered.
    assert len(step.events) == 1 + 2 * MAX_TRANSITIONS
    # The checkpoint holds where it stopped: a restored execution carries on, ids gapless.
    restored = asl.Execution.restore(machine, execution.checkpoint())
    following = restored.step(NOW)
    assert following.more_ready
    assert [e["id"] for e in following.events] == list(
        range(len(step.events) + 1, len(step.events) + 1 + 2 * MAX_TRANSITIONS)
    )
    stopped = restored.stop(NOW, error="Halt", cause="enough")
    assert (stopped.status, stopped.more_ready) == ("ABORTED", False)
    assert stopped.events[-1]["type"] == "ExecutionAborted"


def test_it_yields_after_its_wall_time_too() -> None:
    execution = asl.Execution.start(asl.parse(LOOP), {}, now=NOW)
    step = execution.step(NOW, max_transitions=10**9, max_seconds=0.05)
    assert step.more_ready
    assert 1 < len(step.events) < 2 * 10**9


def test_it_runs_a_loop_longer_than_one_budget_to_its_end_in_process() -> None:
    counting = {
        "StartAt": "Count",
        "States": {
            "Count": {
                "Type": "Pass",
                "Parameters": {"n.$": "States.MathAdd($.n, 1)"},
                "Next": "Enough",
            },
            "Enough": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.n", "NumericGreaterThanEquals": 3000, "Next": "Done"}],
                "Default": "Count",
            },
            "Done": {"Type": "Succeed"},
        },
    }
    result = asl.run(counting, {"n": 0})
    assert (result.status, result.output) == ("SUCCEEDED", {"n": 3000})
    assert [e["id"] for e in result.events] == list(range(1, len(result.events) + 1))


def fails_fast(definition: dict[str, Any], input: Any = None) -> asl.RunResult:
    started = time.monotonic()
    result = asl.run(definition, input or {})
    # Refused before building: building these takes seconds to hours and gigabytes.
    assert time.monotonic() - started < 2
    assert (result.status, result.error) == ("FAILED", "States.DataLimitExceeded"), result.cause
    return result


def test_it_refuses_a_pad_far_beyond_the_payload_limit_before_padding() -> None:
    result = fails_fast(jsonata_pass("{% $pad('x', 2000000) %}"))
    assert "$pad would have 2000000 characters" in str(result.cause)


def test_it_still_pads_within_the_limit() -> None:
    result = asl.run(jsonata_pass("{% [$pad('ab', 5, '-'), $pad('ab', -5, '-')] %}"), {})
    assert result.output == ["ab---", "---ab"]


def test_it_refuses_a_map_over_a_range_of_a_million_items() -> None:
    result = fails_fast(MAP_OF_A_MILLION)
    assert "1000000 items" in str(result.cause)


def test_it_refuses_map_items_that_do_not_fit_in_a_payload() -> None:
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "Items": "{% [$states.input.big, $states.input.big] %}",
                "ItemProcessor": {
                    "StartAt": "Item",
                    "States": {"Item": {"Type": "Pass", "End": True}},
                },
                "End": True,
            }
        },
    }
    result = fails_fast(definition, {"big": "x" * 200_000})
    assert "Items of the state 'Each'" in str(result.cause)


@pytest.mark.parametrize(
    "expression",
    [
        # Doubling a string 40 times: a terabyte.
        "{% ($f := function($s, $n) { $n = 0 ? $s : $f($s & $s, $n - 1) }; $f('x', 40)) %}",
        "{% $join([$pad('a', 200000), $pad('b', 200000)]) %}",
        "{% ($a := [1..100000]; $count($append($a, $a))) %}",
    ],
)
def test_it_refuses_string_and_array_building_beyond_the_payload_limit(expression: str) -> None:
    fails_fast(jsonata_pass(expression))


def test_it_is_not_caught_by_states_all() -> None:
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "Build",
        "States": {
            "Build": {
                "Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:echo",
                "Arguments": "{% $pad('x', 2000000) %}",
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
                "End": True,
            },
            "Caught": {"Type": "Succeed"},
        },
    }
    result = asl.run(definition, {}, functions={"echo": lambda event, context: event})
    assert result.error == "States.DataLimitExceeded"


def intrinsic_pass(parameters: dict[str, Any]) -> dict[str, Any]:
    return {
        "StartAt": "Build",
        "States": {"Build": {"Type": "Pass", "Parameters": parameters, "End": True}},
    }


def nested_format(depth: int, fanout: int = 10) -> str:
    """States.Format('{}{}...', x, x, ...) nested ``depth`` deep: fanout**depth copies of $.s."""
    text = "$.s"
    for _ in range(depth):
        text = f"States.Format('{'{}' * fanout}', {', '.join([text] * fanout)})"
    return text


def test_it_refuses_nested_formats_that_multiply_a_string_before_joining() -> None:
    # 10**3 copies of 100,000 characters: a 100-million-character string at the top.
    result = fails_fast(intrinsic_pass({"bomb.$": nested_format(3)}), {"s": "x" * 100_000})
    assert "States.Format would have" in str(result.cause)


def test_it_still_formats_within_the_limit() -> None:
    result = asl.run(intrinsic_pass({"text.$": nested_format(2, fanout=2)}), {"s": "ab"})
    assert result.output == {"text": "ab" * 4}


def test_it_keeps_array_range_to_the_1000_items_aws_allows() -> None:
    ok = asl.run(intrinsic_pass({"a.$": "States.ArrayRange(1, 1000, 1)"}), {})
    assert len(ok.output["a"]) == 1000
    refused = asl.run(intrinsic_pass({"a.$": "States.ArrayRange(1, 1000000, 1)"}), {})
    assert refused.error == "States.IntrinsicFailure"
