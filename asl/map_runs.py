"""Map Runs: what a Distributed Map state (ItemProcessor.ProcessorConfig.Mode DISTRIBUTED)
reports of its iterations, as AWS's DescribeMapRun and ListMapRuns show it
(https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html).

The registry lives in the execution's checkpoint (``Execution.map_runs``, by map-run ARN), so
it outlasts the Map's frame: a Map Run is still described after its state has ended. Each
entry holds the run's settings (maxConcurrency, tolerated failures, which UpdateMapRun may
change while it runs) and the status of each item.

Each item runs as a child execution (asl.arns.child_execution names it), as AWS runs a
Distributed Map's iterations. Its input, output and dates are not kept in the checkpoint,
which every advance reads and writes: a driver that keeps them (DescribeExecution of a child)
asks for them with ``Execution.child_changes = []`` and takes what happened after each step
(``take_children``), to store beside the events of that step.

Each child execution also has a history of its own, numbered from 1 (ExecutionStarted with
its input, the events of its states, then ExecutionSucceeded, ExecutionFailed or
ExecutionAborted), which the parent's history does not show. A driver that keeps them asks
with ``Execution.child_events = []`` and takes each step's with ``take_child_events``.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from asl import arns
from asl.frames import CHILDREN, Frame
from asl.history import NOT_TRUNCATED, error_details, to_json

if TYPE_CHECKING:
    from asl.interpreter import Execution

# AWS's item statuses, in the order of its itemCounts members.
PENDING, RUNNING, SUCCEEDED, FAILED, ABORTED = (
    "PENDING",
    "RUNNING",
    "SUCCEEDED",
    "FAILED",
    "ABORTED",
)


def started(ex: Execution, frame: Frame, arn: str, state_name: str) -> None:
    work = frame.work
    work["map_run_arn"] = arn
    previous = ex.map_runs.get(arn)
    ex.map_runs[arn] = {
        "state": state_name,
        "status": RUNNING,
        "start": ex.now_iso,
        "stop": None,
        "max_concurrency": work.get("max", 0),
        "tolerated_failure_count": work.get("tol_count"),
        "tolerated_failure_percentage": work.get("tol_pct"),
        "items": previous["items"] if previous else [PENDING] * len(work.get("inputs", ())),
    }


def _run_of(ex: Execution, frame: Frame) -> dict[str, Any] | None:
    arn = frame.work.get("map_run_arn")
    return ex.map_runs.get(arn) if arn else None


def item(ex: Execution, frame: Frame, index: int, status: str) -> None:
    run = _run_of(ex, frame)
    if run is not None and 0 <= index < len(run["items"]):
        run["items"][index] = status


def _changed(ex: Execution, change: dict[str, Any]) -> None:
    if ex.child_changes is not None:
        ex.child_changes.append(change)


def child_started(ex: Execution, frame: Frame, index: int) -> dict[str, Any]:
    """Item ``index`` of the Map frame's run starts as a child execution: what its
    ``$$.Execution`` reports (its own ARN, name, input and start)."""
    item(ex, frame, index, RUNNING)
    run_arn = frame.work.get("map_run_arn", "")
    arn, name = arns.child_execution(run_arn, index)
    data = frame.work["inputs"][index]
    _changed(
        ex,
        {"map_run": run_arn, "index": index, "status": RUNNING, "input": data, "start": ex.now_iso},
    )
    ex.child_event_ids[arn] = 1  # a history of its own (a redriven item's starts anew)
    recording = ex.child_events is not None
    role = ex.exec_ctx.get("RoleArn")
    details = {"input": to_json(data), "inputDetails": NOT_TRUNCATED, "roleArn": role}
    ex.child_event(arn, 0, "ExecutionStarted", details if recording else None)
    return {"Id": arn, "Name": name, "Input": data, "StartTime": ex.now_iso}


def _last_child_event(
    ex: Execution, arn: str, previous: int | None, event_type: str, details: dict[str, Any]
) -> None:
    """Ends child ``arn``'s history with ``event_type``, chained to ``previous`` (None: to
    its last event), and forgets its numbering."""
    next_id = ex.child_event_ids.get(arn)
    if next_id is None:
        return
    ex.child_event(arn, next_id - 1 if previous is None else previous, event_type, details)
    del ex.child_event_ids[arn]


def child_ended(
    ex: Execution,
    frame: Frame,
    child: Frame,
    ok: bool,
    output: Any,
    error: str | None,
    cause: str | None,
) -> None:
    """Item ``child.index`` of the Map frame's run ended: ``child`` is the frame that ran its
    child execution, whose last event ExecutionSucceeded or ExecutionFailed follows."""
    index = child.index
    status = SUCCEEDED if ok else FAILED
    item(ex, frame, index, status)
    change = {"map_run": frame.work.get("map_run_arn", ""), "index": index, "status": status}
    if ok:
        change["output"] = output
    else:
        change["error"], change["cause"] = error, cause
    _changed(ex, {**change, "stop": ex.now_iso})
    if child.execution is not None:
        arn = str(child.execution["Id"])
        recording = ex.child_events is not None
        if ok:
            details = {"output": to_json(output), "outputDetails": NOT_TRUNCATED}
            _last_child_event(
                ex, arn, child.prev, "ExecutionSucceeded", details if recording else {}
            )
        else:
            _last_child_event(ex, arn, child.prev, "ExecutionFailed", error_details(error, cause))


def _abort_items(ex: Execution, arn: str, run: dict[str, Any]) -> None:
    items = run["items"]
    for index, status in enumerate(items):
        if status == RUNNING:
            items[index] = ABORTED
            _changed(ex, {"map_run": arn, "index": index, "status": ABORTED, "stop": ex.now_iso})
            child_arn = arns.child_execution(arn, index)[0]
            _last_child_event(ex, child_arn, None, "ExecutionAborted", {})


def ended(ex: Execution, frame: Frame, status: str) -> None:
    run = _run_of(ex, frame)
    if run is None:
        return
    run["status"], run["stop"] = status, ex.now_iso
    _abort_items(ex, frame.work["map_run_arn"], run)


def abort_running(ex: Execution) -> None:
    """The execution ended (stopped, failed elsewhere, timed out): its running Map Runs are
    aborted, as AWS aborts a Map Run whose parent execution ends."""
    for arn, run in ex.map_runs.items():
        if run["status"] == RUNNING:
            run["status"], run["stop"] = ABORTED, ex.now_iso
            _abort_items(ex, arn, run)


def take_children(ex: Execution) -> list[dict[str, Any]]:
    """What happened to child executions since the last call, in order: each change names
    its Map Run (``map_run``) and item (``index``) and gives the ``status``, with ``input``
    and ``start`` when it started, ``output`` or ``error`` and ``cause`` and ``stop`` when it
    ended."""
    taken = ex.child_changes or []
    if ex.child_changes is not None:
        ex.child_changes = []
    return taken


def take_child_events(ex: Execution) -> list[tuple[str, dict[str, Any]]]:
    """The events the child executions wrote since the last call, in order, each with the
    ARN of its child execution (``arns.map_run_of`` names its Map Run and item); empty
    unless the driver asked for them with ``Execution.child_events = []``."""
    taken = ex.child_events or []
    if ex.child_events is not None:
        ex.child_events = []
    return taken


def counts(run: dict[str, Any]) -> dict[str, int]:
    """AWS's itemCounts (and executionCounts: one child execution per item)."""
    tally = Counter(run["items"])
    return {
        "pending": tally[PENDING],
        "running": tally[RUNNING],
        "succeeded": tally[SUCCEEDED],
        "failed": tally[FAILED],
        "timedOut": 0,
        "aborted": tally[ABORTED],
        "total": len(run["items"]),
        "resultsWritten": tally[SUCCEEDED],
        "failuresNotRedrivable": 0,
        "pendingRedrive": 0,
    }


def update(
    ex: Execution,
    arn: str,
    max_concurrency: int | None,
    tolerated_count: int | None,
    tolerated_percentage: float | None,
) -> bool:
    """UpdateMapRun on a running Map Run: the new settings apply from now on (a higher
    maxConcurrency starts more iterations at once). False when the run is not running."""
    from asl.states.map import map_fill

    run = ex.map_runs.get(arn)
    if run is None or run["status"] != RUNNING:
        return False
    frame = next((f for f in ex.frames.values() if f.work.get("map_run_arn") == arn), None)
    if frame is None:
        return False
    work = frame.work
    if max_concurrency is not None:
        work["max"] = run["max_concurrency"] = max_concurrency
    if tolerated_count is not None:
        work["tol_count"] = run["tolerated_failure_count"] = tolerated_count
    if tolerated_percentage is not None:
        work["tol_pct"] = run["tolerated_failure_percentage"] = tolerated_percentage
    if frame.phase == CHILDREN and work.get("started"):
        st = ex.machine.graphs[frame.graph].states[frame.state]
        map_fill(ex, frame, st)
    return True


def child_definition(definition: Any, state_name: str, label: str) -> dict[str, Any] | None:
    """The definition of a Map Run's child workflow: the ItemProcessor of the Distributed
    Map state ``state_name`` (labelled ``label``) found anywhere in ``definition``, as a
    machine of its own in the query language it inherits. None when there is no such state."""
    if not isinstance(definition, dict):
        return None
    graphs: list[tuple[Any, Any]] = [(definition, definition.get("QueryLanguage"))]
    while graphs:
        graph, language = graphs.pop()
        states = graph.get("States") if isinstance(graph, dict) else None
        for name, state in states.items() if isinstance(states, dict) else ():
            if not isinstance(state, dict):
                continue
            inner = state.get("QueryLanguage", language)
            processor = state.get("ItemProcessor", state.get("Iterator"))
            config = processor.get("ProcessorConfig") if isinstance(processor, dict) else None
            distributed = isinstance(config, dict) and config.get("Mode") == "DISTRIBUTED"
            if distributed and name == state_name and state.get("Label", name) == label:
                assert isinstance(processor, dict)
                child = {k: v for k, v in processor.items() if k != "ProcessorConfig"}
                if inner is not None and "QueryLanguage" not in child:
                    child = {"QueryLanguage": inner, **child}
                return child
            branches = state.get("Branches")
            for inside in [processor, *(branches if isinstance(branches, list) else ())]:
                graphs.append((inside, inner))
    return None
