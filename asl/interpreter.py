"""The resumable ASL interpreter (the *stepper*).

One interpreter serves every driver: ``asl.run`` (in-process), ``asl.test_state`` and the
durable Celery runner.  It never sleeps, blocks or does I/O, and takes time only from the
``now`` it is given.  The contract::

    machine = asl.parse(definition)          # immutable, reusable, thread-safe
    ex = Execution.start(machine, input, context=ExecutionContext(...), now=datetime)
    step = ex.step(now)                      # runs until every frame must wait
    # step.events:   the history events written since the previous step (dicts shaped like
    #                GetExecutionHistory's: id, previousEventId, type, timestamp (the given
    #                datetime), <xxx>EventDetails with JSON-text inputs/outputs)
    # step.requests: the new requests, each answered exactly once with ``resume``:
    #                Invoke(id, state_name, resource, payload, timeout_seconds,
    #                       heartbeat_seconds, pattern, task_token)
    #                Sleep(id, until)  -- Wait states, retry back-off, the machine's
    #                                     TimeoutSeconds (id "execution-timeout")
    # step.status:   RUNNING | SUCCEEDED | FAILED | TIMED_OUT | ABORTED (+ output/error/cause)
    # step.more_ready: the step ran out of its budget (MAX_TRANSITIONS state entries, or
    #                MAX_STEP_SECONDS) while states were ready to run: call step again
    ex.resume(request_id, result=value)            # an Invoke succeeded
    ex.resume(request_id, error="X", cause="...")  # an Invoke failed; "States.Timeout" or
                                                   # "States.HeartbeatTimeout" when the driver
                                                   # saw the deadline pass
    ex.resume(request_id)  (or ex.wake(request_id)) # a Sleep's time has come
    ex.activity_started(request_id, now, worker)   # an activity worker took the task
    ex.stop(now, error=None, cause=None)           # abort: ExecutionAborted
    cp = ex.checkpoint()                           # JSON-serialisable
    ex = Execution.restore(machine, cp)            # behaves identically afterwards
    ex.pending()                                   # the requests still unanswered
    ex.redrivable(now)                             # None, or why a redrive is refused
    step = ex.redrive(now)                         # RedriveExecution (raises NotRedrivable)

``redrive`` works on a FAILED, TIMED_OUT or ABORTED execution (usually restored from the
checkpoint its driver kept): the status returns to RUNNING, ``ExecutionRedriven`` is written
after the last event, ``$$.Execution.RedriveCount`` goes up by one and the machine's
TimeoutSeconds counts again from now.  The returned step holds the events written so far
(ExecutionRedriven, and the re-entry of a Map or Parallel) and the new timeout request; the
next ``step`` re-enters the state that did not succeed, with the input and variables it had.
Inside a Parallel or a Map only the branches and iterations (a Distributed Map's child runs
too) that failed or were aborted run again, each from its own unsuccessful state; the ones
that succeeded keep their results and are not rerun.  To know where to continue, a finished
execution keeps a *redrive point*: its top frame as it was when it failed or was aborted, in
which every Map/Parallel frame keeps its unsuccessful children under ``work["fallen"]``.

Answers are only recorded by ``resume``; the work they unblock runs at the next ``step``.
An answer to a request that was already answered, or that was cancelled because its frame
was aborted (a failed Map iteration's siblings, ``stop``), is ignored; an id this execution
never issued raises ``KeyError``.

Map iterations and Parallel branches are *frames* inside the same execution: a frame is one
thread of control over a graph of states.  Their requests carry ids unique in the
execution, their events go into the one history, and a parent frame keeps only its
children's results, so MaxConcurrency, tolerated failures and result order live in this
stepper: the frames in ``asl.frames``, each state type in its module of ``asl.states``,
the frame loop, retries and catchers here.  The handlers in ``asl.states`` use only the
public methods of ``Execution`` (the section "the state handlers' interface" below); the
ones whose names start with an underscore are the frame loop's own.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from asl import map_runs
from asl.children import children_succeeded
from asl.data_flow import select_path
from asl.errors import StatesError
from asl.frames import (
    ANSWERED,
    CHILDREN,
    DONE,
    QUERY_EVALUATION_ERROR,
    RUN,
    WAITING,
    ExecutionStatus,
    Frame,
    Unprefixed,
    WaitKind,
)
from asl.history import (
    NOT_TRUNCATED,
    error_details,
    make_event,
    to_json,
)
from asl.jsonpath import PathNotFound
from asl.limits import (
    DATA_LIMIT_EXCEEDED,
    DEFAULT_PAYLOAD_LIMIT,
    LATEST_WAKE_UP,
    json_size,
)
from asl.machine import Catcher, Dynamic, Graph, Machine, State
from asl.redrive import NotRedrivable, refusal
from asl.states import (
    ENTER,
    REENTER,
    map_child_finished,
    parallel_child_finished,
    task_answered,
    task_outcome_event,
    wait_done,
)

TIMEOUT_REQUEST = "execution-timeout"
# A step yields after this many state entries, or this much wall time, even when more states
# are ready: a loop of Pass and Choice states would otherwise never return to its driver,
# which could then neither save its events nor apply a stop.
MAX_TRANSITIONS = 1000
MAX_STEP_SECONDS = 1.0
# How many entries pass between two looks at the clock (the clock costs more than a count).
_CLOCK_EVERY = 50
OUT_OF_MEMORY = "The state needed more memory than the worker may use."


@dataclass(frozen=True, slots=True)
class Invoke:
    id: str
    state_name: str
    resource: str
    payload: Any
    timeout_seconds: float | None = None
    heartbeat_seconds: float | None = None
    pattern: str = "request_response"
    task_token: str | None = None


@dataclass(frozen=True, slots=True)
class Sleep:
    id: str
    until: datetime


Request = Invoke | Sleep


@dataclass(slots=True)
class Step:
    events: list[dict[str, Any]]
    requests: list[Request]
    status: ExecutionStatus
    output: Any = None
    error: str | None = None
    cause: str | None = None
    more_ready: bool = False


@dataclass(slots=True)
class ExecutionContext:
    """What ``$$.Execution`` and ``$$.StateMachine`` report."""

    id: str = "arn:aws:states:us-east-1:123456789012:execution:StateMachine:execution"
    name: str = "execution"
    start_time: datetime | None = None
    state_machine_id: str = "arn:aws:states:us-east-1:123456789012:stateMachine:StateMachine"
    state_machine_name: str = "StateMachine"
    role_arn: str = "arn:aws:iam::123456789012:role/StepFunctionsRole"
    redrive_count: int | None = 0  # None: not reported (express executions, TestState)
    payload_limit: int = DEFAULT_PAYLOAD_LIMIT
    extra: dict[str, Any] = field(default_factory=dict)


def iso(moment: datetime) -> str:
    """AWS's context-object timestamp form: ISO 8601 in UTC with milliseconds."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


# "States.ALL ... can't catch the States.DataLimitExceeded terminal error or Runtime error
# types" (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html);
# only their own names match them.
_ONLY_BY_NAME = frozenset({"States.Runtime", DATA_LIMIT_EXCEEDED})
# States.Timeout: "A Task state either ran longer than the TimeoutSeconds value, or failed to
# send a heartbeat for a period longer than the HeartbeatSeconds value" (same page, and
# https://states-language.net/#appendix-a): it matches States.HeartbeatTimeout too.
_TIMEOUTS = frozenset({"States.Timeout", "States.HeartbeatTimeout"})
# States.TaskFailed: "any error of a Task except States.Timeout" (same page), so no timeout.
_NOT_TASK_FAILED = _ONLY_BY_NAME | _TIMEOUTS


def error_matches(names: tuple[str, ...], error: str | None, is_task: bool) -> bool:
    for name in names:
        if name == error:
            return True
        if name == "States.Timeout" and error in _TIMEOUTS:
            return True
        if name == "States.ALL" and error not in _ONLY_BY_NAME:
            return True
        if name == "States.TaskFailed" and is_task and error not in _NOT_TASK_FAILED:
            return True
    return False


_FIELD = re.compile(r"specified for the field '([^']*)'|The field '([^']*)'|The (\w+) field")


def with_result(target: Any, state_input: Any, result: Any) -> Any:
    """ResultPath applied for a state or a catcher: ``null`` keeps the input, a path places the
    result in a copy of it, and no ResultPath (``$``) makes the result the output."""
    if target.discard_result:
        return state_input
    if target.result_path is not None:
        return target.result_path.assign(state_input, result)
    return result


def _location(cause: str | None) -> str:
    """The field an evaluation failure names (EvaluationFailed's ``location``)."""
    match = _FIELD.search(cause or "")
    return next((group for group in match.groups() if group), "") if match else ""


class Execution:
    """One run of a machine; see the module docstring for the contract."""

    def __init__(self, machine: Machine) -> None:
        self.machine = machine
        self.frames: dict[str, Frame] = {}
        self.ready: deque[str] = deque()
        self.pending_reqs: dict[str, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self.new_requests: list[Request] = []
        self.next_event = 1
        self.counter = 0
        self.status: ExecutionStatus = "RUNNING"
        self.output: Any = None
        self.error: str | None = None
        self.cause: str | None = None
        self.now = datetime.now(UTC)
        self.now_iso = iso(self.now)
        self.exec_ctx: dict[str, Any] = {}
        self.sm_ctx: dict[str, Any] = {}
        self.deadline: str | None = None
        self.limit = DEFAULT_PAYLOAD_LIMIT
        # Where a redrive continues: {"frame": top frame, "stopped": ISO time} once the
        # execution failed, timed out or was aborted.
        self.redrive_point: dict[str, Any] | None = None
        # The Map Runs of Distributed Map states, by ARN (asl.map_runs).
        self.map_runs: dict[str, dict[str, Any]] = {}
        # What happened to the Map Runs' child executions since the driver last took it
        # (asl.map_runs.take_children); None: the driver keeps no record of them.
        self.child_changes: list[dict[str, Any]] | None = None
        # Each running child execution's next history event id, by ARN: a child's history
        # is numbered from 1 whether or not a driver keeps it, so its frames chain their
        # events (and name them in causes) the same either way. Ended children leave it.
        self.child_event_ids: dict[str, int] = {}
        # The events of the child executions since the driver last took them, as (child
        # ARN, event) (asl.map_runs.take_child_events); None: the driver keeps none.
        self.child_events: list[tuple[str, dict[str, Any]]] | None = None
        # TestState support (asl.test_state): record the data flow of the top-level state,
        # stop after it, answer its work from a mock, and use a context object as given.
        self.inspect: dict[str, Any] | None = None
        self.single = False
        self.mock: dict[str, Any] | None = None
        self.fixed_context: dict[str, Any] | None = None
        # The budget of the current step: entries left, and when its time is up.
        self.entries_left = MAX_TRANSITIONS
        self.step_deadline = 0.0

    # -- public API ------------------------------------------------------------------------
    @classmethod
    def start(
        cls,
        machine: Machine,
        input: Any,
        context: ExecutionContext | None = None,
        now: datetime | None = None,
    ) -> Execution:
        ex = cls(machine)
        ctx = context or ExecutionContext()
        ex._set_now(now or ctx.start_time or datetime.now(UTC))
        start_time = ctx.start_time or ex.now
        ex.limit = ctx.payload_limit
        ex.exec_ctx = {
            "Id": ctx.id,
            "Input": input,
            "StartTime": iso(start_time),
            "Name": ctx.name,
            "RoleArn": ctx.role_arn,
            **ctx.extra,
        }
        if ctx.redrive_count is not None:
            ex.exec_ctx["RedriveCount"] = ctx.redrive_count
        ex.sm_ctx = {"Id": ctx.state_machine_id, "Name": ctx.state_machine_name}
        ex._emit_raw(
            "ExecutionStarted",
            0,
            {
                "input": to_json(input),
                "inputDetails": NOT_TRUNCATED,
                "roleArn": ctx.role_arn,
            },
        )
        root = Frame("0", "", machine.root.start_at, input, None, 0, {}, 0)
        ex.frames["0"] = root
        ex.ready.append("0")
        if machine.timeout_seconds is not None:
            until = start_time + timedelta(seconds=machine.timeout_seconds)
            ex.deadline = until.isoformat()
            ex.request(None, {"kind": "sleep", "id": TIMEOUT_REQUEST, "until": ex.deadline})
        return ex

    def step(
        self,
        now: datetime,
        max_transitions: int = MAX_TRANSITIONS,
        max_seconds: float = MAX_STEP_SECONDS,
    ) -> Step:
        self._set_now(now)
        deadline = self.deadline
        if self.status == "RUNNING" and deadline and now >= datetime.fromisoformat(deadline):
            self._timed_out()
        self.entries_left = max_transitions
        self.step_deadline = time.monotonic() + max_seconds
        while self.status == "RUNNING" and self.ready and self.entries_left > 0:
            frame = self.frames.get(self.ready.popleft())
            if frame is not None:
                self._advance(frame)
        events, self.events = self.events, []
        requests, self.new_requests = self.new_requests, []
        more = self.status == "RUNNING" and bool(self.ready)
        return Step(events, requests, self.status, self.output, self.error, self.cause, more)

    def resume(
        self,
        request_id: str,
        result: Any = None,
        *,
        error: str | None = None,
        cause: str | None = None,
    ) -> None:
        entry = self.pending_reqs.pop(request_id, None)
        if entry is None:
            if self._issued(request_id):
                # Answered already, or cancelled when its frame was aborted: drivers may
                # deliver an answer twice or late, and that must change nothing.
                return
            raise KeyError(f"no request {request_id!r} was made by this execution")
        if request_id == TIMEOUT_REQUEST:
            return  # the deadline check at the next step does the work
        frame = self.frames.get(entry["frame"])
        if frame is None:
            return
        frame.answer = {"result": result, "error": error, "cause": cause}
        frame.phase = ANSWERED
        frame.req = None
        self.ready.append(frame.id)

    wake = resume

    def activity_started(self, request_id: str, now: datetime, worker_name: str = "") -> None:
        """A worker took an activity task: writes ActivityStarted (sent with the next step)."""
        entry = self.pending_reqs.get(request_id)
        frame = self.frames.get(entry["frame"]) if entry else None
        if frame is None:
            return
        self._set_now(now)
        self.emit(frame, "ActivityStarted", {"workerName": worker_name} if worker_name else None)

    def _issued(self, request_id: str) -> bool:
        if request_id == TIMEOUT_REQUEST:
            return True
        number = request_id[1:]
        return request_id[:1] in ("i", "s") and number.isdigit() and int(number) <= self.counter

    def stop(self, now: datetime, error: str | None = None, cause: str | None = None) -> Step:
        self._set_now(now)
        if self.status == "RUNNING":
            self._abort_frames()
            self._emit_raw("ExecutionAborted", self._last_id(), error_details(error, cause))
            self.status, self.error, self.cause = "ABORTED", error, cause
        return self.step(now)

    def pending(self) -> list[Request]:
        return [self._request_object(e["request"]) for e in self.pending_reqs.values()]

    def redrivable(self, now: datetime) -> str | None:
        """None when ``redrive(now)`` may run, otherwise the reason it would be refused."""
        point = self.redrive_point
        return refusal(
            self.status,
            datetime.fromisoformat(point["stopped"]) if point else None,
            self.exec_ctx.get("RedriveCount"),
            now if now.tzinfo else now.replace(tzinfo=UTC),
            point is not None,
        )

    def redrive(self, now: datetime) -> Step:
        """RedriveExecution; see the module docstring.  Raises ``NotRedrivable``."""
        reason = self.redrivable(now)
        if reason is not None:
            raise NotRedrivable(reason)
        point = self.redrive_point
        assert point is not None
        self._set_now(now)
        count = int(self.exec_ctx["RedriveCount"]) + 1
        self.exec_ctx = {**self.exec_ctx, "RedriveCount": count}
        self.status, self.output, self.error, self.cause = "RUNNING", None, None, None
        self.redrive_point = None
        redriven = self._emit_raw("ExecutionRedriven", self._last_id(), {"redriveCount": count})
        if self.machine.timeout_seconds is not None:
            # AWS resets the machine's timeout: the redriven attempt gets all of it.
            until = self.now + timedelta(seconds=self.machine.timeout_seconds)
            self.deadline = until.isoformat()
            self.request(None, {"kind": "sleep", "id": TIMEOUT_REQUEST, "until": self.deadline})
        root = Frame.from_dict(point["frame"])
        root.prev = redriven
        self._rearm(root)
        events, self.events = self.events, []
        requests, self.new_requests = self.new_requests, []
        return Step(events, requests, self.status)

    def _rearm(self, frame: Frame) -> None:
        """Puts a frame that failed or was aborted back at its unsuccessful state: a
        Map/Parallel whose children ran re-enters with the results it had and reruns only
        the children that did not succeed; any other state is entered again."""
        self.frames[frame.id] = frame
        st = self.machine.graphs[frame.graph].states[frame.state]
        frame.req, frame.wait_kind, frame.answer = None, None, None
        work = frame.work
        if (st.type == "Parallel" and "results" in work) or (st.type == "Map" and "inputs" in work):
            REENTER[st.type](self, frame, st)
        else:
            frame.phase = RUN
            self.ready.append(frame.id)

    def update_map_run(
        self,
        arn: str,
        max_concurrency: int | None = None,
        tolerated_failure_count: int | None = None,
        tolerated_failure_percentage: float | None = None,
    ) -> bool:
        """UpdateMapRun (asl.map_runs.update); run ``step`` after it for the iterations it
        starts. False when that Map Run is not running."""
        return map_runs.update(
            self, arn, max_concurrency, tolerated_failure_count, tolerated_failure_percentage
        )

    def checkpoint(self) -> dict[str, Any]:
        # A JSON round trip: the caller gets a snapshot that later steps cannot change.
        snapshot: dict[str, Any] = json.loads(json.dumps(self._state()))
        return snapshot

    def _state(self) -> dict[str, Any]:
        return {
            "version": 1,
            "frames": [f.to_dict() for f in self.frames.values()],
            "ready": list(self.ready),
            "pending": self.pending_reqs,
            "next_event": self.next_event,
            "counter": self.counter,
            "status": self.status,
            "output": self.output,
            "error": self.error,
            "cause": self.cause,
            "exec_ctx": self.exec_ctx,
            "sm_ctx": self.sm_ctx,
            "deadline": self.deadline,
            "limit": self.limit,
            "now": self.now.isoformat(),
            "redrive_point": self.redrive_point,
            "map_runs": self.map_runs,
            "child_event_ids": self.child_event_ids,
        }

    @classmethod
    def restore(cls, machine: Machine, checkpoint: dict[str, Any]) -> Execution:
        cp = json.loads(json.dumps(checkpoint))  # never share mutable state with the caller
        ex = cls(machine)
        for data in cp["frames"]:
            frame = Frame.from_dict(data)
            ex.frames[frame.id] = frame
        ex.ready = deque(cp["ready"])
        ex.pending_reqs = cp["pending"]
        ex.next_event = cp["next_event"]
        ex.counter = cp["counter"]
        ex.status, ex.output, ex.error, ex.cause = (
            cp["status"],
            cp["output"],
            cp["error"],
            cp["cause"],
        )
        ex.exec_ctx, ex.sm_ctx = cp["exec_ctx"], cp["sm_ctx"]
        ex.deadline, ex.limit = cp["deadline"], cp["limit"]
        ex.redrive_point = cp.get("redrive_point")  # absent from checkpoints made before it
        ex.map_runs = cp.get("map_runs", {})
        # Absent from checkpoints made before it: children running then keep no history.
        ex.child_event_ids = cp.get("child_event_ids", {})
        ex._set_now(datetime.fromisoformat(cp["now"]))
        return ex

    # -- the state handlers' interface: events and requests ---------------------------------
    def _set_now(self, now: datetime) -> None:
        if now.tzinfo is None:
            now = now.replace(tzinfo=UTC)
        self.now = now
        self.now_iso = iso(now)

    def _emit_raw(self, event_type: str, previous: int, details: dict[str, Any] | None) -> int:
        event_id = self.next_event
        self.next_event += 1
        self.events.append(make_event(event_id, previous, event_type, self.now, details))
        return event_id

    def emit(self, frame: Frame, event_type: str, details: dict[str, Any] | None) -> int:
        if frame.silent:
            return self._emit_in_child(frame, frame.prev, event_type, details)
        event_id = self._emit_raw(event_type, frame.prev, details)
        frame.prev = event_id
        return event_id

    def emit_after(
        self, frame: Frame, previous: int, event_type: str, details: dict[str, Any] | None
    ) -> int:
        """An event of the frame's history that chains to ``previous``, not to the frame's
        last event; the frame's last event is this one from now on."""
        if frame.silent:
            frame.prev = self._emit_in_child(frame, previous, event_type, details)
        else:
            frame.prev = self._emit_raw(event_type, previous, details)
        return frame.prev

    def _emit_in_child(
        self, frame: Frame, previous: int, event_type: str, details: dict[str, Any] | None
    ) -> int:
        # A silent frame runs in a child execution (a DISTRIBUTED Map's item): its events
        # are that execution's, never this one's.
        execution = frame.execution
        if execution is None:
            return frame.prev
        event_id = self.child_event(str(execution["Id"]), previous, event_type, details)
        if event_id is None:
            return frame.prev
        frame.prev = event_id
        return event_id

    def child_event(
        self, arn: str, previous: int, event_type: str, details: dict[str, Any] | None
    ) -> int | None:
        """Writes an event of the history of the running child execution ``arn`` (kept only
        when the driver asked for child events; ``details`` may then be None); its id, or
        None when that child is not running (it ended, or started before its history was
        kept)."""
        event_id = self.child_event_ids.get(arn)
        if event_id is None:
            return None
        self.child_event_ids[arn] = event_id + 1
        if self.child_events is not None:
            event = make_event(event_id, previous, event_type, self.now, details)
            self.child_events.append((arn, event))
        return event_id

    def _last_id(self) -> int:
        return self.next_event - 1

    def new_id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def request(self, frame: Frame | None, request: dict[str, Any]) -> None:
        self.pending_reqs[request["id"]] = {
            "frame": frame.id if frame else None,
            "request": request,
        }
        self.new_requests.append(self._request_object(request))
        if frame is not None:
            frame.req = request["id"]
            frame.phase = WAITING

    @staticmethod
    def _request_object(request: dict[str, Any]) -> Request:
        if request["kind"] == "sleep":
            return Sleep(request["id"], datetime.fromisoformat(request["until"]))
        return Invoke(
            request["id"],
            request["state_name"],
            request["resource"],
            request["payload"],
            request["timeout_seconds"],
            request["heartbeat_seconds"],
            request["pattern"],
            request["task_token"],
        )

    def sleep_for(self, frame: Frame, seconds: float, kind: WaitKind) -> None:
        try:
            until = self.now + timedelta(seconds=max(seconds, 0.0))
        except OverflowError:
            # A SecondsPath may name any long; past the calendar's end the wait never ends.
            until = LATEST_WAKE_UP
        frame.wait_kind = kind
        self.request(frame, {"kind": "sleep", "id": self.new_id("s"), "until": until.isoformat()})

    # -- the state handlers' interface: evaluation -------------------------------------------
    def note(self, frame: Frame, key: str, value: Any) -> None:
        if self.inspect is not None and frame.parent is None:
            self.inspect[key] = value

    def context_object(self, frame: Frame, st: State) -> dict[str, Any]:
        if self.fixed_context is not None:
            return self.fixed_context
        state: dict[str, Any] = {"EnteredTime": frame.entered_time, "Name": st.name}
        if st.type in ("Task", "Map", "Parallel"):
            state["RetryCount"] = frame.retry_count
        # A child execution reports its own identity, and the rest as its parent does.
        execution = (
            self.exec_ctx if frame.execution is None else {**self.exec_ctx, **frame.execution}
        )
        ctx: dict[str, Any] = {
            "Execution": execution,
            "State": state,
            "StateMachine": self.sm_ctx,
        }
        if frame.token is not None:
            ctx["Task"] = {"Token": frame.token}
        return ctx

    def bindings(self, frame: Frame, st: State, **states: Any) -> dict[str, Any]:
        states["context"] = self.context_object(frame, st)
        return {**frame.vars, "states": states}

    def _prefix(self, frame: Frame, st: State) -> str:
        return (
            f"An error occurred while executing the state '{st.name}' "
            f"(entered at the event id #{frame.entered_id}). "
        )

    def dynamic(self, frame: Frame, st: State, dyn: Dynamic, data: Any, ctx: Any) -> Any:
        """The value of a constant / ...Path / JSONata field."""
        if dyn.template is not None:
            return dyn.template.evaluate(self.bindings(frame, st, input=frame.input))
        if dyn.path is not None:
            try:
                return dyn.path.evaluate(data, ctx, frame.vars)
            except PathNotFound:
                source = ctx if dyn.path_text.startswith("$$") else data
                raise StatesError(
                    "States.Runtime",
                    f"The JSONPath '{dyn.path_text}' specified for the field '{dyn.name}' "
                    f"could not be found in the input '{to_json(source)}'",
                ) from None
        return dyn.constant

    # -- the frame loop --------------------------------------------------------------------
    def _advance(self, frame: Frame) -> None:
        graph = self.machine.graphs[frame.graph]
        while self.status == "RUNNING":
            phase = frame.phase
            if phase == RUN:
                if self._budget_spent():
                    # First in line at the next step, so the frames keep their order.
                    self.ready.appendleft(frame.id)
                    return
                st = graph.states[frame.state]
                self._enter(frame, st)
            elif phase == ANSWERED:
                self._on_answer(frame, graph.states[frame.state])
            else:
                return

    def _budget_spent(self) -> bool:
        left = self.entries_left - 1
        self.entries_left = left
        if left < 0:
            return True
        if left % _CLOCK_EVERY == 0 and time.monotonic() > self.step_deadline:
            self.entries_left = -1
            return True
        return False

    def _enter(self, frame: Frame, st: State) -> None:
        frame.entered_time = self.now_iso
        frame.attempts = [0] * len(st.retry)
        frame.retry_count = 0
        frame.work = {}
        frame.token = None
        frame.work["entered_prev"] = frame.prev
        frame.entered_id = self.emit(
            frame,
            st.type + "StateEntered",
            {"name": st.name, "input": to_json(frame.input), "inputDetails": NOT_TRUNCATED},
        )
        self._run_state(frame, st)

    def _run_state(self, frame: Frame, st: State) -> None:
        try:
            handler = ENTER[st.type]
            handler(self, frame, st)
            return
        except StatesError as ex:
            error = ex
        except (TypeError, ValueError, KeyError, IndexError, RecursionError) as ex:
            # Data the expressions did not expect must fail the state, not the driver.
            error = StatesError("States.Runtime", f"{ex}")
        except MemoryError:
            # A memory limit (config/celery.py) stopped what the caps did not. Handled once
            # out of the except block, whose traceback still holds what filled the memory.
            error = StatesError("States.Runtime", OUT_OF_MEMORY)
        self._state_error(frame, st, error)

    def _state_error(self, frame: Frame, st: State, ex: StatesError) -> None:
        cause = ex.cause
        if not isinstance(ex, Unprefixed) and ex.error in (
            "States.Runtime",
            QUERY_EVALUATION_ERROR,
            "States.IntrinsicFailure",
            "States.ParameterPathFailure",
            "States.ResultPathMatchFailure",
        ):
            cause = self._prefix(frame, st) + (cause or "")
        if ex.error == QUERY_EVALUATION_ERROR:
            # AWS chains EvaluationFailed to the event before the state was entered.
            self.emit_after(
                frame,
                frame.work.get("entered_prev", frame.prev),
                "EvaluationFailed",
                {"error": ex.error, "cause": cause, "location": _location(cause), "state": st.name},
            )
        if st.type in ("Map", "Parallel") and frame.work.get("started"):
            self.kill_children(frame)
        self.handle_failure(frame, st, ex.error, cause)

    def handle_failure(self, frame: Frame, st: State, error: str | None, cause: str | None) -> None:
        """Retry, Catch, or fail the frame."""
        is_task = st.type == "Task"
        for i, retrier in enumerate(st.retry):
            if error_matches(retrier.error_equals, error, is_task):
                if frame.attempts[i] < retrier.max_attempts:
                    frame.attempts[i] += 1
                    frame.retry_count += 1
                    delay = retrier.interval_seconds * retrier.backoff_rate ** (
                        frame.attempts[i] - 1
                    )
                    if retrier.max_delay_seconds is not None:
                        delay = min(delay, retrier.max_delay_seconds)
                    if retrier.jitter == "FULL":
                        delay = random.uniform(0, delay)
                    self.note(
                        frame,
                        "retriable",
                        {"error": error, "cause": cause, "index": i, "delay": delay},
                    )
                    self.sleep_for(frame, delay, "retry")
                    return
                break
        if st.type in ("Map", "Parallel") and error != "States.Runtime":
            self.emit(frame, st.type + "StateFailed", None)
        for i, catcher in enumerate(st.catch):
            if error_matches(catcher.error_equals, error, is_task):
                self.note(frame, "caught", {"error": error, "cause": cause, "catchIndex": i})
                self._catch(frame, st, catcher, error, cause)
                return
        self.frame_failed(frame, error, cause)

    def _catch(
        self, frame: Frame, st: State, catcher: Catcher, error: str | None, cause: str | None
    ) -> None:
        error_output: dict[str, Any] = {"Error": error, "Cause": cause or ""}
        try:
            if st.jsonata:
                bindings = self.bindings(frame, st, input=frame.input, errorOutput=error_output)
                output = (
                    catcher.output.evaluate(bindings)
                    if catcher.output is not None
                    else error_output
                )
                assigned = (
                    catcher.assign_template.evaluate(bindings) if catcher.assign_template else None
                )
            else:
                ctx = self.context_object(frame, st)
                output = with_result(catcher, frame.input, error_output)
                assigned = (
                    catcher.assign.evaluate(error_output, ctx, frame.vars)
                    if catcher.assign is not None
                    else None
                )
        except StatesError as ex:
            cause2 = ex.cause
            if not isinstance(ex, Unprefixed):
                cause2 = self._prefix(frame, st) + (cause2 or "")
            self.frame_failed(frame, ex.error, cause2)
            return
        self.exit_state(frame, st, output, assigned, catcher.next)

    def exit_state(
        self, frame: Frame, st: State, output: Any, assigned: Any, next_state: str | None
    ) -> None:
        """Writes StateExited and moves the frame on (or ends it)."""
        text = to_json(output)
        if json_size(text) > self.limit:
            self.frame_failed(
                frame,
                DATA_LIMIT_EXCEEDED,
                f"The state/task '{st.name}' returned a result with a size exceeding the "
                "maximum number of bytes service limit.",
            )
            return
        details: dict[str, Any] = {"name": st.name, "output": text, "outputDetails": NOT_TRUNCATED}
        if assigned is not None:
            details["assignedVariables"] = {k: to_json(v) for k, v in assigned.items()}
            details["assignedVariablesDetails"] = NOT_TRUNCATED
            frame.vars.update(assigned)
        self.emit(frame, st.type + "StateExited", details)
        if self.single and frame.parent is None:
            self.note(frame, "nextState", next_state)
            next_state = None
        if next_state is None:
            self._frame_succeeded(frame, output)
        else:
            frame.state = next_state
            frame.input = output
            frame.phase = RUN

    def finish(self, frame: Frame, st: State, result: Any) -> None:
        """The data flow after a state has its result: ResultSelector, ResultPath,
        OutputPath and Assign (JSONPath) or Output and Assign (JSONata)."""
        if st.jsonata:
            bindings = self.bindings(frame, st, input=frame.input, result=result)
            output = st.output.evaluate(bindings) if st.output is not None else result
            assigned = (
                st.assign_template.evaluate(bindings) if st.assign_template is not None else None
            )
        else:
            ctx = self.context_object(frame, st)
            variables = frame.vars
            # Assign sees the raw result: it is evaluated before ResultSelector.
            assigned = st.assign.evaluate(result, ctx, variables) if st.assign else None
            if st.result_selector is not None:
                result = st.result_selector.evaluate(result, ctx, variables)
            output = with_result(st, frame.input, result)
            if self.inspect is not None and frame.parent is None:
                self.inspect["afterResultSelector"] = result
                self.inspect["afterResultPath"] = output
            if st.output_path is not None:
                output = select_path(st.output_path, output, ctx, variables)
        self.exit_state(frame, st, output, assigned, None if st.end else st.next)

    def effective_input(self, frame: Frame, st: State, ctx: Any, note: bool = True) -> Any:
        data = frame.input
        if st.input_path is not None:
            data = select_path(st.input_path, data, ctx, frame.vars)
        if note:
            self.note(frame, "afterInputPath", data)
        return data

    def parameters(self, frame: Frame, st: State) -> Any:
        """The state's effective input after InputPath and Parameters (JSONPath) or the
        Arguments (JSONata)."""
        if st.jsonata:
            if st.arguments is None:
                return frame.input
            data = st.arguments.evaluate(self.bindings(frame, st, input=frame.input))
            self.note(frame, "afterArguments", data)
            return data
        note = st.type != "Parallel"  # TestState shows no input processing for Parallel
        ctx = self.context_object(frame, st)
        data = self.effective_input(frame, st, ctx, note)
        if st.parameters is not None:
            data = st.parameters.evaluate(data, ctx, frame.vars)
        if note:
            self.note(frame, "afterParameters", data)
        return data

    # -- frame completion ------------------------------------------------------------------
    def _frame_succeeded(self, frame: Frame, output: Any) -> None:
        frame.phase = DONE
        if frame.parent is None:
            self.emit(
                frame,
                "ExecutionSucceeded",
                {"output": to_json(output), "outputDetails": NOT_TRUNCATED},
            )
            self.status, self.output = "SUCCEEDED", output
            self._finish_execution()
            return
        self._child_finished(frame, True, output, None, None)

    def frame_failed(self, frame: Frame, error: str | None, cause: str | None) -> None:
        frame.phase = DONE
        if frame.parent is None:
            self._keep_redrive_point(frame)
            self.emit(frame, "ExecutionFailed", error_details(error, cause))
            self.status, self.error, self.cause = "FAILED", error, cause
            self._finish_execution()
            return
        self._child_finished(frame, False, None, error, cause)

    def _finish_execution(self) -> None:
        map_runs.abort_running(self)
        self.frames.clear()
        self.ready.clear()
        self.pending_reqs.clear()

    def _timed_out(self) -> None:
        self._abort_frames()
        self._emit_raw(
            "ExecutionTimedOut",
            self._last_id(),
            {"error": "States.Timeout"},
        )
        self.status, self.error = "TIMED_OUT", "States.Timeout"
        self._finish_execution()

    def _abort_frames(self) -> None:
        root = self.frames.get("0")
        if root is not None:
            if root.phase == CHILDREN:
                self.kill_children(root)
            self._keep_redrive_point(root)
        self._finish_execution()

    def _keep_redrive_point(self, root: Frame) -> None:
        # The root is dropped right after this, so its dicts are not copied.
        self.redrive_point = {"frame": root.to_dict(), "stopped": self.now.isoformat()}

    # -- children (Map iterations and Parallel branches) -----------------------------------
    def spawn(
        self,
        parent: Frame,
        graph: Graph,
        index: int,
        data: Any,
        saved: dict[str, Any] | None = None,
        execution: dict[str, Any] | None = None,
    ) -> Frame:
        """Starts a child frame; with ``saved`` (a redrive) the child continues where that
        frame failed or was aborted instead of at the graph's start. ``execution`` is the
        child execution it starts (a DISTRIBUTED Map's item); otherwise it runs in its
        parent's."""
        fid = f"{parent.id}.{parent.work['gen']}.{index}"
        parent.work["running"].append(fid)
        prev = parent.prev
        if execution is None:
            execution = parent.execution
        elif str(execution["Id"]) in self.child_event_ids:
            # A child execution's first state chains to 0, as an execution's does (``start``).
            prev = 0
        if saved is not None:
            child = Frame.from_dict(saved)
            child.id, child.parent, child.prev = fid, parent.id, prev
            child.execution = execution
            self._rearm(child)
            return child
        # A DISTRIBUTED Map's iterations are child executions: they neither write to this
        # history nor see the variables of the enclosing scopes.
        distributed = self.machine.graphs[parent.graph].states[parent.state].distributed
        child = Frame(
            fid,
            graph.id,
            graph.start_at,
            data,
            parent.id,
            index,
            {} if distributed else dict(parent.vars),
            prev,
        )
        child.silent = parent.silent or distributed
        child.execution = execution
        self.frames[fid] = child
        self.ready.append(fid)
        return child

    def kill_children(self, frame: Frame) -> None:
        """Aborts every running child (and their descendants) of a Map/Parallel frame."""
        st = self.machine.graphs[frame.graph].states[frame.state]
        for cid in list(frame.work.get("running", ())):
            child = self.frames.get(cid)
            if child is None:
                continue
            child_state = self.machine.graphs[child.graph].states.get(child.state)
            if child.phase == CHILDREN:
                self.kill_children(child)
            if child.req is not None:
                self.pending_reqs.pop(child.req, None)
            if child_state is not None and child.phase == ANSWERED and child.wait_kind == "task":
                # Its answer came in at the same moment: record it before the abort.
                task_outcome_event(self, child, child_state, child.answer or {})
            if child_state is not None and child.phase not in (DONE, RUN):
                # Only a state that was entered is aborted: a child about to enter its next
                # state (RUN) has no StateEntered for an aborted event to close.
                self.emit(child, child_state.type + "StateAborted", None)
            if not st.distributed:  # a child execution's events chain in its own history
                frame.prev = max(frame.prev, child.prev) if child.prev else frame.prev
            # A redrive reruns this child from where it was stopped.
            frame.work.setdefault("fallen", {})[str(child.index)] = child.to_dict()
            del self.frames[cid]
            if st.type == "Map" and not st.distributed:
                # It closes its own iteration: chained to the child's last event, which is
                # the iteration's start when the child had not entered a state yet.
                self.emit_after(
                    frame,
                    child.prev or frame.prev,
                    "MapIterationAborted",
                    {"name": st.name, "index": child.index},
                )
        frame.work["running"] = []

    def _child_finished(
        self, child: Frame, ok: bool, output: Any, error: str | None, cause: str | None
    ) -> None:
        self.frames.pop(child.id, None)
        parent = self.frames.get(child.parent or "")
        if parent is None or parent.phase != CHILDREN:
            return
        st = self.machine.graphs[parent.graph].states[parent.state]
        if not st.distributed:  # a child execution's events chain in its own history
            parent.prev = max(parent.prev, child.prev)
        work = parent.work
        if not ok:
            # A redrive reruns this child from its unsuccessful state.
            work.setdefault("fallen", {})[str(child.index)] = child.to_dict()
        if child.id in work["running"]:
            work["running"].remove(child.id)
        if st.type == "Map":
            map_child_finished(self, parent, st, child, ok, output, error, cause)
        else:
            parallel_child_finished(self, parent, st, child, ok, output, error, cause)

    def resume_parent(self, parent: Frame) -> None:
        parent.phase = ANSWERED
        parent.wait_kind = "children"
        self.ready.append(parent.id)

    # -- answers ---------------------------------------------------------------------------
    def _on_answer(self, frame: Frame, st: State) -> None:
        answer = frame.answer or {}
        frame.answer = None
        kind = frame.wait_kind
        frame.wait_kind = None
        frame.phase = WAITING
        try:
            if kind == "retry":
                # The generation keeps the ids of a retried Map/Parallel's children new.
                frame.work = {"gen": frame.work.get("gen", 0)}
                frame.token = None
                ENTER[st.type](self, frame, st)
            elif kind == "wait":
                wait_done(self, frame, st)
            elif kind == "task":
                task_answered(self, frame, st, answer)
            elif kind == "children":
                outcome = frame.work.pop("outcome")
                if outcome["ok"]:
                    children_succeeded(self, frame, st, outcome["results"])
                else:
                    self.handle_failure(frame, st, outcome["error"], outcome["cause"])
            return
        except StatesError as ex:
            error = ex
        except (TypeError, ValueError, KeyError, IndexError, RecursionError) as ex:
            error = StatesError("States.Runtime", f"{ex}")
        except MemoryError:
            error = StatesError("States.Runtime", OUT_OF_MEMORY)  # as in _run_state
        self._state_error(frame, st, error)


__all__ = [
    "Execution",
    "ExecutionContext",
    "Invoke",
    "Sleep",
    "Step",
    "iso",
    "error_matches",
]
