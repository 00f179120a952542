"""The Wait state: Seconds, Timestamp or their Path twins
(https://states-language.net/#wait-state,
https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

from asl.data_flow import select_path
from asl.errors import StatesError
from asl.frames import (
    QUERY_EVALUATION_ERROR,
    Frame,
    expr_text,
    type_name,
)
from asl.history import to_json
from asl.limits import MAX_LONG, MAX_SECONDS
from asl.machine import Dynamic, State

if TYPE_CHECKING:
    from asl.interpreter import Execution


def _shown(value: Any) -> str:
    """A value as AWS quotes it after 'path == ': text as it is, anything else as JSON."""
    return value if isinstance(value, str) else to_json(value)


# "Timestamps must conform to the RFC3339 profile of ISO 8601, with the further restrictions
# that an uppercase T must separate the date and time portions, and an uppercase Z must denote
# that a numeric time zone offset is not present"
# (https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html): full date, full
# time with seconds, an optional fraction after a point, and Z or a +hh:mm / -hh:mm offset.
_RFC3339 = re.compile(
    r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})", re.ASCII
)


def _parse_timestamp(text: Any) -> datetime | None:
    if not isinstance(text, str):
        return None
    match = _RFC3339.fullmatch(text)
    if match is None:
        return None
    whole, offset = match.groups()
    # The fraction is dropped: "Step Functions considers the time value up to seconds and
    # truncates milliseconds" (same page).
    try:
        return datetime.fromisoformat(whole + ("+00:00" if offset == "Z" else offset))
    except ValueError:  # a month, day, hour, minute, second or offset out of range
        return None


def wait_state(ex: Execution, frame: Frame, st: State) -> None:
    ctx = ex.context_object(frame, st)
    data = frame.input if st.jsonata else ex.effective_input(frame, st, ctx)
    if st.seconds is not None:
        seconds = _seconds_value(ex, frame, st, st.seconds, data, ctx)
        ex.sleep_for(frame, float(seconds), "wait")
        return
    if st.timestamp is not None:
        dyn = st.timestamp
        try:
            value = ex.dynamic(frame, st, dyn, data, ctx)
        except StatesError as err:
            if dyn.path is not None and err.error == "States.Runtime":
                raise StatesError(
                    "States.Runtime",
                    f"The TimestampPath parameter does not reference an input value: "
                    f"{dyn.path_text}",
                ) from None
            raise
        moment = _parse_timestamp(value)
        if moment is None and dyn.path is not None:
            raise StatesError(
                "States.Runtime",
                "The TimestampPath parameter does not reference a valid ISO-8601 extended "
                f"offset date-time format string: {dyn.path_text} == {_shown(value)}",
            )
        if moment is None:
            raise StatesError(
                QUERY_EVALUATION_ERROR if st.jsonata or dyn.path is None else "States.Runtime",
                "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time "
                f"format string: {_shown(value)}",
            )
        ex.sleep_for(frame, (moment - ex.now).total_seconds(), "wait")
        return
    ex.sleep_for(frame, 0, "wait")


def _seconds_value(
    ex: Execution, frame: Frame, st: State, dyn: Dynamic, data: Any, ctx: Any
) -> float:
    try:
        value = ex.dynamic(frame, st, dyn, data, ctx)
    except StatesError as err:
        if dyn.path is not None and err.error == "States.Runtime":
            raise StatesError(
                "States.Runtime",
                f"The SecondsPath parameter does not reference an input value: {dyn.path_text}",
            ) from None
        raise
    if dyn.template is None and dyn.path is not None:
        # AWS reads the value as a Java long: an integer, at least 0 (LocalStack's recordings
        # of AWS give these two causes).
        if type(value) is not int or value > MAX_LONG or value < -MAX_LONG - 1:
            raise StatesError(
                "States.Runtime",
                "The SecondsPath parameter cannot be parsed as a long value: "
                f"{dyn.path_text} == {_shown(value)}",
            )
        if value < 0:
            raise StatesError(
                "States.Runtime",
                f"The SecondsPath parameter references a negative value: "
                f"{dyn.path_text} == {value}",
            )
        return float(value)
    # JSONata's numbers are all doubles: 2 and 2.0 are the same integer, 1.5 is none
    # ("a JSONata expression that must evaluate to an integer",
    # https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html).
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if (
        isinstance(value, bool)
        or not whole
        or value < 0
        or (
            # "...which must evaluate to an integer in the stated range" (0 to 99999999).
            dyn.template is not None and value > MAX_SECONDS
        )
    ):
        if dyn.template is not None:
            raise StatesError(
                QUERY_EVALUATION_ERROR,
                f"The JSONata expression '{expr_text(st.raw.get('Seconds'))}' specified for "
                "the field 'Seconds' returned an unexpected result type. Expected 'integer', "
                f"but was '{type_name(value)}' for value: {to_json(value)}",
            )
        raise StatesError(
            "States.Runtime",
            f"The SecondsPath parameter references an invalid value: {to_json(value)}",
        )
    return float(value)


def wait_done(ex: Execution, frame: Frame, st: State) -> None:
    if st.jsonata:
        ex.finish(frame, st, frame.input)
        return
    ctx = ex.context_object(frame, st)
    data = ex.effective_input(frame, st, ctx)
    assigned = st.assign.evaluate(data, ctx, frame.vars) if st.assign else None
    if st.output_path is not None:
        data = select_path(st.output_path, data, ctx, frame.vars)
    ex.exit_state(frame, st, data, assigned, None if st.end else st.next)
