"""The Map state: one child frame per item, inline or distributed
(https://states-language.net/#map-state,
https://docs.aws.amazon.com/step-functions/latest/dg/state-map.html)."""

from __future__ import annotations

import math
import uuid
from typing import TYPE_CHECKING, Any

from asl import arns, map_runs
from asl.children import abort_failed_task, mocked, reenter
from asl.errors import StatesError
from asl.frames import (
    CHILDREN,
    QUERY_EVALUATION_ERROR,
    Frame,
    Unprefixed,
    Work,
    type_name,
)
from asl.history import error_details, to_json
from asl.limits import DATA_LIMIT_EXCEEDED, json_size
from asl.machine import Dynamic, State

if TYPE_CHECKING:
    from asl.interpreter import Execution


def map_state(ex: Execution, frame: Frame, st: State) -> None:
    ctx = ex.context_object(frame, st)
    if isinstance(st.raw, dict) and "ItemReader" in st.raw:
        # Reading items from S3 needs an S3 this engine does not have: say so plainly.
        reader = st.raw["ItemReader"]
        resource = reader.get("Resource") if isinstance(reader, dict) else None
        raise Unprefixed(
            "States.ItemReaderFailed",
            f"The ItemReader resource '{resource}' of state '{st.name}' is not supported.",
        )
    if st.jsonata:
        data = frame.input
        if st.items is not None:
            items = st.items.evaluate(ex.bindings(frame, st, input=frame.input))
            if not isinstance(items, list):
                kind = type_name(items)
                if kind == "unsupported":
                    raise StatesError(
                        QUERY_EVALUATION_ERROR,
                        f"The JSONata expression '{st.items_text}' specified for "
                        "the field 'Items' returned an unsupported result type.",
                    )
                raise StatesError(
                    QUERY_EVALUATION_ERROR,
                    f"The JSONata expression '{st.items_text}' specified for the "
                    f"field 'Items' returned an unexpected result type. Expected 'array', "
                    f"but was '{kind}' for value: {to_json(items)}",
                )
            # Items from the state's input fit in a payload already; computed ones must too.
            if len(items) > ex.limit // 2 or json_size(to_json(items)) > ex.limit:
                raise Unprefixed(
                    DATA_LIMIT_EXCEEDED,
                    f"The Items of the state '{st.name}' have a size exceeding the maximum "
                    "number of bytes service limit.",
                )
        else:
            items = data
            if not isinstance(items, list):
                raise StatesError(
                    QUERY_EVALUATION_ERROR,
                    f"Map state input must be an array but was: {to_json(items)}",
                )
    else:
        data = ex.effective_input(frame, st, ctx)
        items = data
        if st.items_path is not None:
            try:
                items = st.items_path.evaluate(data, ctx, frame.vars)
            except StatesError:
                items = None
        if not isinstance(items, list):
            raise Unprefixed(
                "States.Runtime",
                f'Reference path "{_relative(st.items_path_text)}" must point to array.',
            )
        ex.note(frame, "afterItemsPath", items)
    max_concurrency = _map_number(ex, frame, st, st.max_concurrency, data, ctx, "integer")
    inputs = [_item_input(ex, frame, st, data, ctx, i, item) for i, item in enumerate(items)]
    if st.item_selector is not None or st.item_selector_template is not None:
        ex.note(frame, "afterItemSelector", inputs)
    if st.item_batcher:
        inputs = _batches(ex, frame, st, inputs, data, ctx)
        ex.note(frame, "afterItemBatcher", inputs)
    ex.emit(frame, "MapStateStarted", {"length": len(inputs)})
    tolerated_count = _map_number(ex, frame, st, st.tolerated_count, data, ctx, "integer")
    tolerated_pct = _map_number(ex, frame, st, st.tolerated_percentage, data, ctx, "float")
    if tolerated_pct is not None and not 0 <= tolerated_pct <= 100:
        raise StatesError("States.Runtime", "ToleratedFailurePercentage must be between 0 and 100.")
    if tolerated_count is not None and tolerated_count < 0:
        raise StatesError("States.Runtime", "ToleratedFailureCount cannot be negative.")
    ex.note(frame, "maxConcurrency", int(max_concurrency or 0))
    if tolerated_count is not None:
        ex.note(frame, "toleratedFailureCount", int(tolerated_count))
    if tolerated_pct is not None:
        ex.note(frame, "toleratedFailurePercentage", tolerated_pct)
    gen = frame.work.get("gen", 0) + 1
    frame.work = {
        "gen": gen,
        "started": True,
        "running": [],
        "inputs": inputs,
        "results": [None] * len(inputs),
        "next": 0,
        "done": 0,
        "failed": 0,
        "max": int(max_concurrency or 0),
        "tol_count": tolerated_count,
        "tol_pct": tolerated_pct,
    }
    if st.distributed:
        arn = map_run_arn(ex, st)
        ex.emit(frame, "MapRunStarted", {"mapRunArn": arn})
        map_runs.started(ex, frame, arn, st.name)
    frame.phase = CHILDREN
    if mocked(ex, frame):
        return
    if not inputs:
        map_complete(ex, frame, st)
        return
    map_fill(ex, frame, st)


def _relative(path_text: str) -> str:
    # AWS names the context-object path without its leading "$".
    return path_text[1:] if path_text.startswith("$$") else path_text


def map_run_arn(ex: Execution, st: State) -> str:
    exec_id = str(ex.exec_ctx.get("Id", ""))
    run_id = str(uuid.uuid4())
    parsed = arns.parse(exec_id)
    if parsed is not None and parsed.kind == "execution":
        label = st.label or st.name
        return arns.map_run(parsed.name, label, run_id, parsed.region, parsed.account)
    return f"{exec_id}/{st.name}:{run_id}"


def _map_number(
    ex: Execution,
    frame: Frame,
    st: State,
    dyn: Dynamic | None,
    data: Any,
    ctx: Any,
    kind: str,
) -> float | None:
    if dyn is None:
        return None
    value = ex.dynamic(frame, st, dyn, data, ctx)
    number = _as_number(value, kind)
    if number is None or (dyn.name.startswith("MaxConcurrency") and number < 0):
        shown = value if isinstance(value, str) else to_json(value)
        if dyn.template is not None:
            raise StatesError(
                QUERY_EVALUATION_ERROR,
                f'The {dyn.name} field refers to value "{shown}" which is not a valid {kind}.',
            )
        raise StatesError(
            "States.Runtime",
            f'The {dyn.name} field refers to value "{shown}" which is not a valid {kind}: '
            f"{dyn.path_text}",
        )
    return number


def _as_number(value: Any, kind: str) -> float | None:
    """A number, or a string that reads as one (AWS accepts "1" from a path)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = int(value) if kind == "integer" else float(value)
        except ValueError:
            return None
    if not isinstance(value, (int, float)) or isinstance(value, float) and math.isnan(value):
        return None
    if kind == "integer" and isinstance(value, float) and not value.is_integer():
        return None
    return float(value)


def _item_input(
    ex: Execution, frame: Frame, st: State, data: Any, ctx: dict[str, Any], index: int, item: Any
) -> Any:
    if st.item_selector_template is not None:
        bindings = ex.bindings(frame, st, input=frame.input)
        bindings["states"]["context"]["Map"] = {"Item": {"Index": index, "Value": item}}
        return st.item_selector_template.evaluate(bindings)
    if st.item_selector is None:
        return item
    item_ctx = {**ctx, "Map": {"Item": {"Index": index, "Value": item}}}
    return st.item_selector.evaluate(data, item_ctx, frame.vars)


def _batches(
    ex: Execution, frame: Frame, st: State, items: list[Any], data: Any, ctx: Any
) -> list[Any]:
    """ItemBatcher: groups items into ``{"BatchInput": ..., "Items": [...]}`` inputs."""
    conf = st.item_batcher
    assert conf is not None
    max_items = _batch_limit(ex, frame, st, conf.max_items, data, ctx)
    max_bytes = _batch_limit(ex, frame, st, conf.max_bytes, data, ctx)
    batch_input = None
    if conf.batch_input_template is not None:
        batch_input = conf.batch_input_template.evaluate(ex.bindings(frame, st, input=frame.input))
    elif conf.batch_input is not None:
        batch_input = conf.batch_input.evaluate(data, ctx, frame.vars)
    batches: list[list[Any]] = []
    current: list[Any] = []
    current_bytes = 0
    for item in items:
        item_bytes = len(to_json(item).encode("utf-8"))
        full = bool(current) and (
            (max_items is not None and len(current) >= max_items)
            or (max_bytes is not None and current_bytes + item_bytes > max_bytes)
        )
        if full:
            batches.append(current)
            current, current_bytes = [], 0
        current.append(item)
        current_bytes += item_bytes
    if current:
        batches.append(current)
    out = []
    for batch in batches:
        entry: dict[str, Any] = {"Items": batch}
        if batch_input is not None:
            entry = {"BatchInput": batch_input, "Items": batch}
        out.append(entry)
    return out


def _batch_limit(
    ex: Execution, frame: Frame, st: State, dyn: Dynamic | None, data: Any, ctx: Any
) -> int | None:
    if dyn is None:
        return None
    value = _as_number(ex.dynamic(frame, st, dyn, data, ctx), "integer")
    if value is None or value < 1:
        raise StatesError(
            QUERY_EVALUATION_ERROR if st.jsonata else "States.Runtime",
            f"The {dyn.name} field must be a positive integer.",
        )
    return int(value)


def map_fill(ex: Execution, frame: Frame, st: State) -> None:
    """Starts iterations up to MaxConcurrency (0: all of them)."""
    work = frame.work
    graph = ex.machine.graphs[st.processor]
    limit = work["max"] or len(work["inputs"])
    # A redrive first reruns the iterations that did not succeed ("redo"), from where each
    # stopped ("restore"), then starts those never started.
    redo: list[int] = work.get("redo") or []
    while (redo or work["next"] < len(work["inputs"])) and len(work["running"]) < limit:
        saved = None
        if redo:
            index = redo.pop(0)
            saved = work["restore"].pop(str(index), None)
        else:
            index = work["next"]
            work["next"] += 1
        before = frame.prev
        child_execution = None
        if not st.distributed:
            ex.emit(frame, "MapIterationStarted", {"name": st.name, "index": index})
        else:
            child_execution = map_runs.child_started(ex, frame, index)
        ex.spawn(frame, graph, index, work["inputs"][index], saved, child_execution)
        frame.prev = before  # the iteration's events chain from its start event, not ours


def map_child_finished(
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
    work["done"] += 1
    if st.distributed:
        map_runs.child_ended(ex, parent, child, ok, output, error, cause)
    if ok:
        if not st.distributed:
            # AWS chains the next iteration to the finished one's last state event, not to
            # MapIterationSucceeded; only MapStateSucceeded points at the last of those.
            before = parent.prev
            work["last_iteration_event"] = ex.emit(
                parent, "MapIterationSucceeded", {"name": st.name, "index": child.index}
            )
            parent.prev = before
        work["results"][child.index] = output
    else:
        if not st.distributed:
            before = parent.prev
            ex.emit(parent, "MapIterationFailed", {"name": st.name, "index": child.index})
            parent.prev = before
        work["failed"] += 1
        if _exceeds_tolerance(st, work):
            abort_failed_task(ex, parent, child)
            ex.kill_children(parent)
            if st.distributed:
                error, cause = (
                    "States.ExceedToleratedFailureThreshold",
                    "The specified tolerated failure threshold was exceeded",
                )
                ex.emit(parent, "MapRunFailed", error_details(error, cause))
                map_runs.ended(ex, parent, map_runs.FAILED)
            work["outcome"] = {"ok": False, "error": error, "cause": cause}
            ex.resume_parent(parent)
            return
        work["results"][child.index] = None  # a tolerated failure leaves no output
    if work["done"] == len(work["inputs"]):
        map_complete(ex, parent, st)
    else:
        map_fill(ex, parent, st)


def _exceeds_tolerance(st: State, work: Work) -> bool:
    """Inline Maps fail on the first failed iteration; a Map Run fails once either
    tolerated threshold (count or percentage) is exceeded."""
    if not st.distributed:
        return True
    count, pct, failed = work["tol_count"], work["tol_pct"], work["failed"]
    if count is None and pct is None:
        return True
    if count is not None and failed > count:
        return True
    return pct is not None and failed * 100.0 / len(work["inputs"]) > pct


def map_complete(ex: Execution, frame: Frame, st: State) -> None:
    work = frame.work
    if st.distributed:
        work["last_iteration_event"] = ex.emit(frame, "MapRunSucceeded", None)
        map_runs.ended(ex, frame, map_runs.SUCCEEDED)
    frame.prev = last = work.get("last_iteration_event", frame.prev)
    ex.emit(frame, "MapStateSucceeded", None)
    frame.prev = last  # MapStateExited follows the same event MapStateSucceeded does
    work["outcome"] = {"ok": True, "results": work["results"]}
    ex.resume_parent(frame)


def map_reenter(ex: Execution, frame: Frame, st: State) -> None:
    """Redrive: the fallen iterations rerun from where they stopped, the never-started ones
    from the start; every started iteration not among the fallen succeeded."""
    restore, redo = reenter(ex, frame, st)
    work = frame.work
    ex.emit(frame, "MapStateStarted", {"length": len(work["inputs"])})
    if st.distributed:
        arn = map_run_arn(ex, st)
        ex.emit(frame, "MapRunStarted", {"mapRunArn": arn})
        map_runs.started(ex, frame, arn, st.name)
    work["done"] = work["next"] - len(redo)
    work["failed"] = 0
    work["redo"], work["restore"] = redo, restore
    if work["done"] == len(work["inputs"]):
        map_complete(ex, frame, st)
    else:
        map_fill(ex, frame, st)
