"""What Map and Parallel share: their iterations and branches run as child frames of the
frame that entered the state, inside the same execution (see ``asl.interpreter``).  The
parent keeps only its children's results, so MaxConcurrency, tolerated failures, result
order and redrive's rerun of the unsuccessful children live in ``asl.states.map`` and
``asl.states.parallel``; this module holds the steps both take."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asl.frames import CHILDREN, Frame
from asl.history import NOT_TRUNCATED, to_json
from asl.jsonpath import JSON
from asl.machine import State

if TYPE_CHECKING:
    from asl.interpreter import Execution


def mocked(ex: Execution, frame: Frame) -> bool:
    """TestState: a mocked Map/Parallel takes its result (or error) from the mock."""
    if ex.mock is None or frame.parent is not None:
        return False
    mock = ex.mock
    if mock.get("error") is not None:
        frame.work["outcome"] = {"ok": False, "error": mock["error"], "cause": mock.get("cause")}
    else:
        frame.work["outcome"] = {"ok": True, "results": mock.get("result")}
    ex.resume_parent(frame)
    return True


def abort_failed_task(ex: Execution, parent: Frame, child: Frame) -> None:
    """When a failed child makes its Map or Parallel stop the others, AWS aborts the Task
    state of the failed child with them: four iterations whose tasks time out together
    record four TaskStateAborted but three MapIterationAborted. A state with nothing left
    running (a Fail state) is not aborted, nor a child that fails alone."""
    if not parent.work.get("running"):
        return
    failed_state = ex.machine.graphs[child.graph].states.get(child.state)
    if failed_state is not None and failed_state.type == "Task":
        ex.emit(child, "TaskStateAborted", None)


def children_succeeded(ex: Execution, frame: Frame, st: State, results: JSON) -> None:
    frame.work = {}
    ex.finish(frame, st, results)


def reenter(ex: Execution, frame: Frame, st: State) -> tuple[dict[str, Any], list[int]]:
    """A redriven Map/Parallel is entered again with the same input and items: a new
    StateEntered event, new child ids (answers to the old ones are stale), and the indexes
    of the children that did not succeed, which rerun ("fallen" ones from where they
    stopped).  Returns what each fallen child restarts from, and their indexes in order."""
    frame.entered_time = ex.now_iso
    frame.attempts = [0] * len(st.retry)
    frame.retry_count = 0
    frame.token = None
    work = frame.work
    work.pop("outcome", None)
    work["entered_prev"] = frame.prev
    frame.entered_id = ex.emit(
        frame,
        st.type + "StateEntered",
        {"name": st.name, "input": to_json(frame.input), "inputDetails": NOT_TRUNCATED},
    )
    restore: dict[str, Any] = work.pop("fallen", {})
    redo = sorted(int(index) for index in restore)
    work["gen"] = work.get("gen", 0) + 1
    work["running"] = []
    frame.phase = CHILDREN
    return restore, redo
