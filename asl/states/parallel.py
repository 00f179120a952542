"""The Parallel state: one child frame per branch, results in branch order
(https://states-language.net/#parallel-state)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asl.children import abort_failed_task, mocked, reenter
from asl.frames import (
    CHILDREN,
    Frame,
)
from asl.history import to_json
from asl.limits import check_input
from asl.machine import State

if TYPE_CHECKING:
    from asl.interpreter import Execution


def parallel_state(ex: Execution, frame: Frame, st: State) -> None:
    data = ex.parameters(frame, st)
    # Each branch gets this input: over the quota it fails before any branch starts.
    check_input(st.name, to_json(data), ex.limit)
    ex.emit(frame, "ParallelStateStarted", None)
    gen = frame.work.get("gen", 0) + 1
    frame.work = {
        "gen": gen,
        "started": True,
        "running": [],
        "results": [None] * len(st.branches),
        "left": len(st.branches),
    }
    frame.phase = CHILDREN
    if mocked(ex, frame):
        return
    if not st.branches:
        frame.work["outcome"] = {"ok": True, "results": []}
        ex.resume_parent(frame)
        return
    for i, gid in enumerate(st.branches):
        ex.spawn(frame, ex.machine.graphs[gid], i, data)


def parallel_child_finished(
    ex: Execution,
    parent: Frame,
    st: State,
    child: Frame,
    ok: bool,
    output: Any,
    error: str | None,
    cause: str | None,
) -> None:
    work = parent.work
    if not ok:
        abort_failed_task(ex, parent, child)
        ex.kill_children(parent)
        work["outcome"] = {"ok": False, "error": error, "cause": cause}
        ex.resume_parent(parent)
        return
    work["results"][child.index] = output
    work["left"] -= 1
    if work["left"] == 0:
        parallel_complete(ex, parent)


def parallel_complete(ex: Execution, frame: Frame) -> None:
    ex.emit(frame, "ParallelStateSucceeded", None)
    frame.work["outcome"] = {"ok": True, "results": frame.work["results"]}
    ex.resume_parent(frame)


def parallel_reenter(ex: Execution, frame: Frame, st: State) -> None:
    """Redrive: only the branches that did not succeed run again."""
    restore, redo = reenter(ex, frame, st)
    ex.emit(frame, "ParallelStateStarted", None)
    frame.work["left"] = len(redo)
    if not redo:
        parallel_complete(ex, frame)
    for index in redo:
        ex.spawn(frame, ex.machine.graphs[st.branches[index]], index, None, restore[str(index)])
