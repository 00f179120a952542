"""The Wait state with SecondsPath and TimestampPath, for every kind of value a path can give.

The rules: https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html ("You must
specify an integer value" for SecondsPath; a timestamp is "considered up to seconds",
milliseconds truncated). The cause texts are those AWS gives, as LocalStack's AWS-validated
snapshots of the Wait state record them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

import asl
from tests.asl.clock import START, VirtualClock

PREFIX = "An error occurred while executing the state 'W' (entered at the event id #2). "


def wait(**fields: Any) -> dict[str, Any]:
    return {"StartAt": "W", "States": {"W": {"Type": "Wait", **fields, "End": True}}}


def run(definition: dict[str, Any], data: Any) -> tuple[asl.RunResult, VirtualClock]:
    clock = VirtualClock()
    return asl.run(definition, data, clock=clock), clock


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (1.5, "1.5"),
        (10.0, "10.0"),
        ("10", "10"),
        ("soon", "soon"),
        (True, "true"),
        (None, "null"),
        ([1], "[1]"),
        ({"s": 1}, '{"s":1}'),
        (2**63, str(2**63)),
    ],
)
def test_a_seconds_path_value_that_is_not_a_long_fails(value: Any, shown: str) -> None:
    result, _ = run(wait(SecondsPath="$.s"), {"s": value})
    assert (result.status, result.error) == ("FAILED", "States.Runtime")
    assert result.cause == (
        PREFIX + f"The SecondsPath parameter cannot be parsed as a long value: $.s == {shown}"
    )


def test_a_negative_seconds_path_value_fails() -> None:
    result, _ = run(wait(SecondsPath="$.s"), {"s": -1})
    assert (result.error, result.cause) == (
        "States.Runtime",
        PREFIX + "The SecondsPath parameter references a negative value: $.s == -1",
    )


def test_a_seconds_path_that_matches_nothing_fails() -> None:
    result, _ = run(wait(SecondsPath="$.input.s"), {})
    assert (result.error, result.cause) == (
        "States.Runtime",
        PREFIX + "The SecondsPath parameter does not reference an input value: $.input.s",
    )


def test_the_states_runtime_error_of_a_wait_is_not_caught_by_states_all() -> None:
    # Wait has no Catch, and States.Runtime ends the execution:
    # https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
    definition = {
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "Branches": [wait(SecondsPath="$.s")],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
                "End": True,
            },
            "Caught": {"Type": "Pass", "End": True},
        },
    }
    result, _ = run(definition, {"s": "x"})
    assert (result.status, result.error) == ("FAILED", "States.Runtime")


@pytest.mark.parametrize("seconds", [0, 1, 99999999])
def test_a_seconds_path_waits_that_many_seconds(seconds: int) -> None:
    result, clock = run(wait(SecondsPath="$.s"), {"s": seconds})
    assert result.status == "SUCCEEDED"
    assert clock.elapsed == seconds


def test_a_seconds_path_longer_than_the_calendar_waits_without_failing() -> None:
    # Any long is accepted; a wake-up past the last date a clock can hold is that last date.
    result, clock = run(wait(SecondsPath="$.s"), {"s": 10**15})
    assert result.status == "SUCCEEDED"
    assert clock.now().year == 9999


@pytest.mark.parametrize(
    "value",
    [
        "2016-13-05T21:29:29Z",
        "2016-12-05T25:29:29Z",
        "05-12-2016T21:29:29Z",
        "2016-12-05 21:29:29Z",
        "2016-12-05T21:29:29",
        "tomorrow",
    ],
)
def test_a_timestamp_path_value_that_is_not_a_timestamp_fails(value: str) -> None:
    result, _ = run(wait(TimestampPath="$.t"), {"t": value})
    assert (result.error, result.cause) == (
        "States.Runtime",
        PREFIX + "The TimestampPath parameter does not reference a valid ISO-8601 extended "
        f"offset date-time format string: $.t == {value}",
    )


@pytest.mark.parametrize(("value", "shown"), [(5, "5"), (None, "null"), ([], "[]")])
def test_a_timestamp_path_value_that_is_not_text_fails(value: Any, shown: str) -> None:
    result, _ = run(wait(TimestampPath="$.t"), {"t": value})
    assert result.error == "States.Runtime"
    assert result.cause is not None and result.cause.endswith(f"$.t == {shown}")


def test_a_timestamp_path_that_matches_nothing_fails() -> None:
    result, _ = run(wait(TimestampPath="$.t"), {})
    assert (result.error, result.cause) == (
        "States.Runtime",
        PREFIX + "The TimestampPath parameter does not reference an input value: $.t",
    )


def test_a_timestamp_is_considered_up_to_seconds() -> None:
    target = START + timedelta(seconds=30, milliseconds=900)
    text = target.strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"
    for definition, data in ((wait(TimestampPath="$.t"), {"t": text}), (wait(Timestamp=text), {})):
        result, clock = run(definition, data)
        assert result.status == "SUCCEEDED"
        assert clock.elapsed == 30


def test_a_timestamp_in_the_past_does_not_wait() -> None:
    result, clock = run(wait(TimestampPath="$.t"), {"t": "2016-03-14T01:59:00Z"})
    assert (result.status, clock.elapsed) == ("SUCCEEDED", 0)


def test_a_timestamp_with_an_offset_is_read_in_that_offset() -> None:
    # RFC 3339 offsets: https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html
    later = START + timedelta(hours=1)
    text = later.astimezone().strftime("%Y-%m-%dT%H:%M:%S%z")
    text = text[:-2] + ":" + text[-2:]
    result, clock = run(wait(TimestampPath="$.t"), {"t": text})
    assert (result.status, clock.elapsed) == ("SUCCEEDED", 3600)


def jsonata_wait(seconds: str) -> dict[str, Any]:
    return {"QueryLanguage": "JSONata", **wait(Seconds=seconds)}


def test_a_jsonata_seconds_that_is_not_a_whole_number_fails() -> None:
    # "a JSONata expression that must evaluate to an integer" (state-wait.html).
    result, _ = run(jsonata_wait("{% 3 / 2 %}"), {})
    assert (result.status, result.error) == ("FAILED", "States.QueryEvaluationError")
    assert result.cause == (
        PREFIX + "The JSONata expression '3 / 2' specified for the field 'Seconds' returned an "
        "unexpected result type. Expected 'integer', but was 'number' for value: 1.5"
    )


def test_a_jsonata_seconds_that_computes_a_whole_number_waits() -> None:
    # JSONata numbers are doubles: 4 / 2 is the integer 2.
    result, clock = run(jsonata_wait("{% 4 / 2 %}"), {})
    assert (result.status, clock.elapsed) == ("SUCCEEDED", 2)
