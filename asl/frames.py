"""The interpreter's frames and the small vocabulary its modules share.

A frame is one thread of control over a graph of states: the top level, a Parallel branch
or a Map iteration (see ``asl.interpreter``); ``asl.states.map`` and ``asl.states.parallel``
run those states over child frames.
"""

from __future__ import annotations

from typing import Final, Literal, Required, TypedDict

from asl.errors import StatesError
from asl.jsonpath import JSON

# A frame's phase.  Checkpoints hold these strings, so they are the on-disk form too.
Phase = Literal["run", "waiting", "answered", "children", "done"]
RUN: Final = "run"  # about to enter frame.state
WAITING: Final = "waiting"  # blocked on frame.req
ANSWERED: Final = "answered"  # frame.answer holds the reply to its request
CHILDREN: Final = "children"  # Map/Parallel waiting for child frames
DONE: Final = "done"

# What a frame in WAITING/ANSWERED waits for: a retry's back-off, a Wait state, a task's
# answer, or its Map/Parallel children.
WaitKind = Literal["retry", "wait", "task", "children"]

# A frame as a checkpoint holds it (``Frame.to_dict``).
SavedFrame = dict[str, JSON]


class Outcome(TypedDict, total=False):
    """How a Map/Parallel's children ended: all results, or the error that stopped them."""

    ok: Required[bool]
    results: JSON  # a list, or a TestState mock's result as given
    error: str | None  # None: a Fail state without an Error
    cause: str | None


class Work(TypedDict, total=False):
    """A frame's bookkeeping for the state it is in, persisted with it in checkpoints as a
    plain JSON object: which keys are there depends on the state and how far it got."""

    entered_prev: int  # the event before this state's StateEntered
    # Map and Parallel
    gen: int  # bumped on every (re)start, so the children's frame ids stay new
    started: bool
    running: list[str]  # the children's frame ids
    results: list[JSON]  # by child index
    fallen: dict[str, SavedFrame]  # unsuccessful children by index, for a redrive
    outcome: Outcome
    restore: dict[str, SavedFrame]  # a redrive: fallen children to resume, by index
    # Parallel
    left: int  # branches still running
    # Map
    inputs: list[JSON]  # the iterations' inputs (after ItemSelector and ItemBatcher)
    next: int  # the next index to start
    done: int
    failed: int
    max: int  # MaxConcurrency, 0 for no limit
    tol_count: float | None
    tol_pct: float | None
    redo: list[int]  # a redrive: indexes to rerun first
    last_iteration_event: int
    map_run_arn: str


QUERY_EVALUATION_ERROR = "States.QueryEvaluationError"

# DescribeExecution's statuses (PENDING_REDRIVE is the executor's, between two runs), and
# TestState's (https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html).
ExecutionStatus = Literal["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]
TestStateStatus = Literal["SUCCEEDED", "FAILED", "RETRIABLE", "CAUGHT_ERROR"]


class Unprefixed(StatesError):
    """A failure whose cause AWS reports as is, without the 'An error occurred while
    executing the state ...' preamble."""


def type_name(value: JSON) -> str:
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
        data: JSON,
        parent: str | None,
        index: int,
        variables: dict[str, JSON],
        prev: int,
    ) -> None:
        self.id = fid
        self.graph = graph
        self.state = state
        self.input = data
        self.phase: Phase = RUN
        self.parent = parent
        self.index = index
        self.vars = variables
        self.prev = prev
        self.entered_id = 0
        self.entered_time = ""
        self.attempts: list[int] = []
        self.retry_count = 0
        self.req: str | None = None
        self.wait_kind: WaitKind | None = None
        self.answer: dict[str, JSON] | None = None
        self.work: Work = {}
        self.token: str | None = None
        # Iterations of a DISTRIBUTED Map are child executions: their events are not part
        # of this execution's history.
        self.silent = False
        # The child execution this frame runs in (a DISTRIBUTED Map's iteration and the
        # frames under it): what its $$.Execution reports instead of the execution's.
        self.execution: dict[str, JSON] | None = None

    def to_dict(self) -> SavedFrame:
        return {name: getattr(self, name) for name in self.__slots__}

    @classmethod
    def from_dict(cls, data: SavedFrame) -> Frame:
        frame = cls.__new__(cls)
        for name in cls.__slots__:
            setattr(frame, name, data.get(name) if name in cls._ADDED else data[name])
        return frame


def expr_text(value: JSON) -> str:
    text = str(value).strip()
    if text.startswith("{%") and text.endswith("%}"):
        text = text[2:-2].strip()
    return text
