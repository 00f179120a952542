"""The Wait state with every invalid value a path or a JSONata expression can give.

Timestamps: "Timestamps must conform to the RFC3339 profile of ISO 8601, with the further
restrictions that an uppercase T must separate the date and time portions, and an uppercase Z
must denote that a numeric time zone offset is not present"; JSONata Seconds "must evaluate
to an integer in the stated range" (0 to 99999999)
(https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html,
https://states-language.net/#wait-state). The cause texts are the ones AWS gives (the shared
conformance cases record them for SecondsPath and for JSONata Timestamp).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

import asl
from tests.asl.clock import START, VirtualClock

PREFIX = "An error occurred while executing the state 'W' (entered at the event id #2). "
INVALID_TIMESTAMP = (
    "The TimestampPath parameter does not reference a valid ISO-8601 extended offset "
    "date-time format string: $.t == "
)


def wait(**fields: Any) -> dict[str, Any]:
    return {"StartAt": "W", "States": {"W": {"Type": "Wait", **fields, "End": True}}}


def jsonata(**fields: Any) -> dict[str, Any]:
    return {"QueryLanguage": "JSONata", **wait(**fields)}


def run(definition: dict[str, Any], data: Any) -> tuple[asl.RunResult, VirtualClock]:
    clock = VirtualClock()
    return asl.run(definition, data, clock=clock), clock


@pytest.mark.parametrize(
    "value",
    [
        "2016-03-14T01:59:00z",  # lowercase z
        "2016-03-14t01:59:00Z",  # lowercase t
        "20160314T015900Z",  # ISO 8601 basic format
        "2016-03-14T01:59Z",  # no seconds
        "2016-03-14T01:59:00+0100",  # offset without a colon
        "2016-03-14T01:59:00+01",  # offset without minutes
        "2016-03-14T01:59:00+01:00:00",  # offset with seconds
        "2016-03-14T01:59:00,5Z",  # fraction after a comma
        "2016-03-14T01:59:00.Z",  # a point without digits
        "2016-03-14T01:59:00+24:00",  # offset out of range
        "2016-03-14T01:59:60Z",  # second out of range
        "2016-02-30T01:59:00Z",  # no such day
        " 2016-03-14T01:59:00Z",
        "2016-03-14T01:59:00Z ",
        "",
    ],
)
def test_a_timestamp_path_value_that_is_not_rfc3339_with_uppercase_t_and_z_fails(
    value: str,
) -> None:
    result, clock = run(wait(TimestampPath="$.t"), {"t": value})
    assert (result.status, result.error) == ("FAILED", "States.Runtime")
    assert result.cause == PREFIX + INVALID_TIMESTAMP + value
    assert clock.elapsed == 0


@pytest.mark.parametrize(
    ("value", "shown"),
    [(True, "true"), (False, "false"), (1.5, "1.5"), ({"t": 1}, '{"t":1}')],
)
def test_a_timestamp_path_value_of_another_type_is_shown_as_json(value: Any, shown: str) -> None:
    result, _ = run(wait(TimestampPath="$.t"), {"t": value})
    assert (result.error, result.cause) == ("States.Runtime", PREFIX + INVALID_TIMESTAMP + shown)


@pytest.mark.parametrize(
    ("offset", "hours"), [("+00:00", 0), ("-00:00", 0), ("-01:30", 1.5), ("+05:45", -5.75)]
)
def test_a_timestamp_path_with_a_numeric_offset_is_read_in_that_offset(
    offset: str, hours: float
) -> None:
    # START (12:00Z) written as 14:00 local time: the offset moves it by `hours`.
    text = "2025-03-01T14:00:00" + offset
    result, clock = run(wait(TimestampPath="$.t"), {"t": text})
    expected = START + timedelta(hours=2 + hours)
    assert result.status == "SUCCEEDED"
    assert clock.elapsed == max(0.0, (expected - START).total_seconds())


def test_a_timestamp_path_with_nanoseconds_is_truncated_to_seconds() -> None:
    # "Step Functions considers the time value up to seconds and truncates milliseconds."
    result, clock = run(wait(TimestampPath="$.t"), {"t": "2025-03-01T12:00:09.999999999Z"})
    assert (result.status, clock.elapsed) == ("SUCCEEDED", 9)


def test_a_timestamp_path_through_a_variable_that_is_not_set_fails() -> None:
    result, _ = run(wait(TimestampPath="$when"), {})
    assert (result.error, result.cause) == (
        "States.Runtime",
        PREFIX + "The TimestampPath parameter does not reference an input value: $when",
    )


@pytest.mark.parametrize("data", [None, "text", [1, 2]])
def test_a_seconds_path_into_input_that_is_not_an_object_references_nothing(data: Any) -> None:
    result, _ = run(wait(SecondsPath="$.s"), data)
    assert (result.error, result.cause) == (
        "States.Runtime",
        PREFIX + "The SecondsPath parameter does not reference an input value: $.s",
    )


@pytest.mark.parametrize(
    ("value", "shown"),
    [(False, "false"), (0.0, "0.0"), (-0.5, "-0.5"), (-(2**63) - 1, None)],
)
def test_more_seconds_path_values_that_are_not_longs_fail(value: Any, shown: str | None) -> None:
    # "SecondsPath ... You must specify an integer value" (amazon-states-language-wait-state).
    result, _ = run(wait(SecondsPath="$.s"), {"s": value})
    assert (result.status, result.error) == ("FAILED", "States.Runtime")
    assert result.cause == (
        PREFIX + "The SecondsPath parameter cannot be parsed as a long value: "
        f"$.s == {shown if shown is not None else value}"
    )


def test_the_most_negative_long_is_a_negative_value() -> None:
    result, _ = run(wait(SecondsPath="$.s"), {"s": -(2**63)})
    assert result.cause == (
        PREFIX + f"The SecondsPath parameter references a negative value: $.s == {-(2**63)}"
    )


@pytest.mark.parametrize(("expression", "shown"), [("100000000", "100000000"), ("1e9", None)])
def test_a_jsonata_seconds_past_99999999_fails(expression: str, shown: str | None) -> None:
    result, clock = run(jsonata(Seconds="{% " + expression + " %}"), {})
    assert (result.status, result.error) == ("FAILED", "States.QueryEvaluationError")
    assert result.cause is not None
    assert result.cause.startswith(
        PREFIX + f"The JSONata expression '{expression}' specified for the field 'Seconds' "
    )
    if shown is not None:
        assert result.cause.endswith(f"for value: {shown}")
    assert clock.elapsed == 0


def test_a_jsonata_seconds_of_99999999_waits() -> None:
    result, clock = run(jsonata(Seconds="{% 99999999 %}"), {})
    assert (result.status, clock.elapsed) == ("SUCCEEDED", 99999999)


@pytest.mark.parametrize(
    ("expression", "kind", "shown"),
    [("-1", "number", "-1"), ("'5'", "string", '"5"'), ("true", "boolean", "true")],
)
def test_a_jsonata_seconds_that_is_not_a_whole_number_in_range_fails(
    expression: str, kind: str, shown: str
) -> None:
    result, _ = run(jsonata(Seconds="{% " + expression + " %}"), {})
    assert (result.error, result.cause) == (
        "States.QueryEvaluationError",
        PREFIX + f"The JSONata expression '{expression}' specified for the field 'Seconds' "
        f"returned an unexpected result type. Expected 'integer', but was '{kind}' for value: "
        f"{shown}",
    )


@pytest.mark.parametrize(("expression", "shown"), [("null", "null"), ("5", "5"), ("true", "true")])
def test_a_jsonata_timestamp_that_is_not_text_is_shown_as_json(expression: str, shown: str) -> None:
    result, _ = run(jsonata(Timestamp="{% " + expression + " %}"), {})
    assert (result.error, result.cause) == (
        "States.QueryEvaluationError",
        PREFIX + "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time "
        f"format string: {shown}",
    )


@pytest.mark.parametrize("value", ["2016-03-14T01:59:00z", "2016-03-14T01:59Z"])
def test_a_jsonata_timestamp_is_held_to_the_same_form(value: str) -> None:
    result, _ = run(jsonata(Timestamp="{% $states.input.t %}"), {"t": value})
    assert (result.error, result.cause) == (
        "States.QueryEvaluationError",
        PREFIX + "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time "
        f"format string: {value}",
    )


def test_a_jsonata_timestamp_that_is_undefined_fails() -> None:
    result, _ = run(jsonata(Timestamp="{% $states.input.nope %}"), {})
    assert (result.error, result.cause) == (
        "States.QueryEvaluationError",
        PREFIX + "The JSONata expression '$states.input.nope' specified for the field "
        "'Timestamp' returned nothing (undefined).",
    )
