"""The Pass state: its input, or Result / Parameters, passed on
(https://states-language.net/#pass-state)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from asl.frames import (
    Frame,
)
from asl.machine import State

if TYPE_CHECKING:
    from asl.interpreter import Execution


def pass_state(ex: Execution, frame: Frame, st: State) -> None:
    if st.jsonata:
        ex.finish(frame, st, frame.input)
        return
    if st.has_result:
        ctx = ex.context_object(frame, st)
        ex.effective_input(frame, st, ctx, False)  # still fails on a bad InputPath
        result = st.result
        ex.note(frame, "result", result)
    else:
        result = ex.parameters(frame, st)
    ex.finish(frame, st, result)
