"""The interpreter's frames and the small vocabulary its modules share.

A frame is one thread of control over a graph of states: the top level, a Parallel branch
or a Map iteration (see ``asl.interpreter``); ``asl.states.map`` and ``asl.states.parallel``
run those states over child frames.
"""

from __future__ import annotations

from typing import Any, Literal

from asl.errors import StatesError

RUN = "run"  # about to enter frame.state
WAITING = "waiting"  # blocked on frame.req
ANSWERED = "answered"  # frame.answer holds the reply to its request
CHILDREN = "children"  # Map/Parallel waiting for child frames
DONE = "done"

QUERY_EVALUATION_ERROR = "States.QueryEvaluationError"

# DescribeExecution's statuses (PENDING_REDRIVE is the executor's, between two runs), and
# TestState's (https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html).
ExecutionStatus = Literal["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]
TestStateStatus = Literal["SUCCEEDED", "FAILED", "RETRIABLE", "CAUGHT_ERROR"]


class Unprefixed(StatesError):
    """A failure whose cause AWS reports as is, without the 'An error occurred while
    executing the state ...' preamble."""


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "unsupported"


class Frame:
    """One thread of control over a graph: the top level, a Parallel branch or a Map
    iteration.  Everything in it is JSON data so a checkpoint is ``vars(frame)``."""

    __slots__ = (
        "id",
        "graph",
        "state",
        "input",
        "phase",
        "parent",
        "index",
        "vars",
        "prev",
        "entered_id",
        "entered_time",
        "attempts",
        "retry_count",
        "req",
        "wait_kind",
        "answer",
        "work",
        "token",
        "silent",
        "execution",
    )
    # Slots that checkpoints written before them lack.
    _ADDED = frozenset({"execution"})

    def __init__(
        self,
        fid: str,
        graph: str,
        state: str,
        data: Any,
        parent: str | None,
        index: int,
        variables: dict[str, Any],
        prev: int,
    ) -> None:
        self.id = fid
        self.graph = graph
        self.state = state
        self.input = data
        self.phase = RUN
        self.parent = parent
        self.index = index
        self.vars = variables
        self.prev = prev
        self.entered_id = 0
        self.entered_time = ""
        self.attempts: list[int] = []
        self.retry_count = 0
        self.req: str | None = None
        self.wait_kind: str | None = None
        self.answer: dict[str, Any] | None = None
        self.work: dict[str, Any] = {}
        self.token: str | None = None
        # Iterations of a DISTRIBUTED Map are child executions: their events are not part
        # of this execution's history.
        self.silent = False
        # The child execution this frame runs in (a DISTRIBUTED Map's iteration and the
        # frames under it): what its $$.Execution reports instead of the execution's.
        self.execution: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Frame:
        frame = cls.__new__(cls)
        for name in cls.__slots__:
            setattr(frame, name, data.get(name) if name in cls._ADDED else data[name])
        return frame


def expr_text(value: Any) -> str:
    text = str(value).strip()
    if text.startswith("{%") and text.endswith("%}"):
        text = text[2:-2].strip()
    return text
