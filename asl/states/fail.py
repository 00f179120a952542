"""The Fail state: ends its frame with an Error and a Cause
(https://states-language.net/#fail-state)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from asl.errors import StatesError
from asl.frames import (
    DONE,
    QUERY_EVALUATION_ERROR,
    Frame,
    type_name,
)
from asl.machine import State

if TYPE_CHECKING:
    from asl.interpreter import Execution


def fail_state(ex: Execution, frame: Frame, st: State) -> None:
    ctx = ex.context_object(frame, st)
    if not st.jsonata:
        ex.note(frame, "afterInputPath", frame.input)
    error = ex.dynamic(frame, st, st.error, frame.input, ctx) if st.error else None
    cause = ex.dynamic(frame, st, st.cause, frame.input, ctx) if st.cause else None
    for name, value in (("Error", error), ("Cause", cause)):
        if value is not None and not isinstance(value, str):
            raise StatesError(
                QUERY_EVALUATION_ERROR if st.jsonata else "States.Runtime",
                f"The {name} field must evaluate to a string, but was {type_name(value)}.",
            )
    frame.phase = DONE
    ex.frame_failed(frame, error, cause)
