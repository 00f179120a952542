"""The Succeed state: ends its frame successfully
(https://states-language.net/#succeed-state)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from asl.data_flow import select_path
from asl.frames import (
    Frame,
)
from asl.machine import State

if TYPE_CHECKING:
    from asl.interpreter import Execution


def succeed_state(ex: Execution, frame: Frame, st: State) -> None:
    if st.jsonata:
        ex.finish(frame, st, frame.input)
        return
    ctx = ex.context_object(frame, st)
    data = ex.effective_input(frame, st, ctx)
    if st.output_path is not None:
        data = select_path(st.output_path, data, ctx, frame.vars)
    ex.exit_state(frame, st, data, None, None)
