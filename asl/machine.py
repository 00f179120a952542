"""Compiled, immutable state machines.

``compile_machine`` turns a definition that ``validate`` accepted into a ``Machine``: every
JSONPath, intrinsic, payload template, Choice rule and JSONata template is compiled once here,
so the interpreter's hot path only evaluates.  A ``Machine`` is never mutated after it is
built, which makes it safe to share between threads and executions.

Nested state collections (Parallel branches, Map processors) are ``Graph`` objects addressed
by a string id, so an interpreter checkpoint can name the graph a frame runs without holding
a Python reference.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, TypeVar

from asl import intrinsics, jsonpath, payload
from asl.choice import Predicate
from asl.errors import Diagnostic, ExpressionError, ValidationError
from asl.frames import expr_text
from asl.jsonpath import JSON, ReferencePath
from asl.map_processor import is_distributed, processor_field

JSONPATH = "JSONPath"
JSONATA = "JSONata"


Variables = Mapping[str, JSON] | None
_T = TypeVar("_T")


# A validated definition's fields have the types validation checked; these read them so,
# and fail as float() or iteration would on anything else.
def _float(value: JSON) -> float:
    if isinstance(value, (int, float, str)):
        return float(value)
    raise TypeError(f"expected a number, not {jsonpath.json_type(value)}")


def _int(value: JSON) -> int:
    if isinstance(value, (int, float, str)):
        return int(value)
    raise TypeError(f"expected an integer, not {jsonpath.json_type(value)}")


def _array(value: JSON) -> list[JSON]:
    """A list field; absent (or null, or empty) it is an empty list."""
    if isinstance(value, list):
        return value
    if not value:
        return []
    raise TypeError(f"expected an array, not {jsonpath.json_type(value)}")


def _strings(value: JSON) -> tuple[str, ...]:
    """A list of strings such as ErrorEquals; absent it is empty."""
    out = []
    for item in _array(value):
        if not isinstance(item, str):
            raise TypeError(f"expected a string, not {jsonpath.json_type(item)}")
        out.append(item)
    return tuple(out)


# A field of a JSONPath state and its JSONata counterpart compile to different things and are
# evaluated differently: a path, intrinsic or payload (``asl.payload``) against the input, the
# context object and the variables; a JSONata template (``asl.jsonata``) against the bindings
# of ``$states`` and the variables.  So a field both languages have (Assign, ItemSelector,
# BatchInput) is two fields here, one of each kind, and each caller sees the one it evaluates.
class Evaluable(Protocol):
    def evaluate(self, input: JSON, context: JSON, variables: Variables) -> JSON: ...


class Template(Protocol):
    def evaluate(self, bindings: Mapping[str, JSON]) -> JSON: ...


class NullPath:
    """``InputPath: null`` / ``OutputPath: null``: the state sees (or emits) ``{}``."""

    is_definite = True

    def evaluate(self, input: JSON, context: JSON, variables: Variables) -> JSON:
        return {}


NULL_PATH = NullPath()


@dataclass(frozen=True, slots=True)
class Dynamic:
    """A field that is either a constant, a JSONPath (``...Path`` fields) or a JSONata
    template; ``name`` is the field's name as AWS spells it in error messages."""

    name: str
    constant: JSON = None
    path: Evaluable | None = None  # compiled JSONPath (or intrinsic) of the ``XxxPath`` form
    path_text: str = ""
    template: Template | None = None  # compiled JSONata template


@dataclass(frozen=True, slots=True)
class Retrier:
    error_equals: tuple[str, ...]
    interval_seconds: float = 1.0
    max_attempts: int = 3
    backoff_rate: float = 2.0
    max_delay_seconds: float | None = None
    jitter: str = "NONE"


@dataclass(frozen=True, slots=True)
class Catcher:
    error_equals: tuple[str, ...]
    next: str
    result_path: ReferencePath | None = None  # None means the default "$"
    discard_result: bool = False  # ResultPath: null
    output: Template | None = None
    assign: Evaluable | None = None  # JSONPath
    assign_template: Template | None = None  # JSONata


@dataclass(frozen=True, slots=True)
class ChoiceRule:
    next: str
    test: Predicate | None = None  # a JSONPath rule's compiled test
    condition: Template | None = None
    condition_text: str = ""  # the Condition's expression, for messages
    assign: Evaluable | None = None  # JSONPath
    assign_template: Template | None = None  # JSONata
    output: Template | None = None


@dataclass(frozen=True, slots=True)
class State:
    name: str
    type: str
    jsonata: bool
    next: str | None = None
    end: bool = False
    # JSONPath data flow
    input_path: Evaluable | None = None
    parameters: Evaluable | None = None
    result: JSON = None  # the JSON value of Result
    has_result: bool = False
    result_selector: Evaluable | None = None
    result_path: ReferencePath | None = None
    discard_result: bool = False
    output_path: Evaluable | None = None
    assign: Evaluable | None = None
    # JSONata data flow
    arguments: Template | None = None
    output: Template | None = None
    assign_template: Template | None = None
    # both
    retry: tuple[Retrier, ...] = ()
    catch: tuple[Catcher, ...] = ()
    # Task
    resource: str = ""
    timeout: Dynamic | None = None
    heartbeat: Dynamic | None = None
    # Choice
    choices: tuple[ChoiceRule, ...] = ()
    default: str | None = None
    # Wait
    seconds: Dynamic | None = None
    timestamp: Dynamic | None = None
    # Fail
    error: Dynamic | None = None
    cause: Dynamic | None = None
    # Parallel
    branches: tuple[str, ...] = ()
    # Map
    processor: str = ""
    distributed: bool = False
    items_path: Evaluable | None = None
    items_path_text: str = "$"
    item_selector: Evaluable | None = None  # ItemSelector, or Parameters its old name
    items: Template | None = None
    items_text: str = ""  # the Items expression, for messages
    item_selector_template: Template | None = None
    item_batcher: ItemBatcher | None = None
    max_concurrency: Dynamic | None = None
    tolerated_count: Dynamic | None = None
    tolerated_percentage: Dynamic | None = None
    label: str | None = None
    # The state as written, for the few fields nothing compiles (ItemReader, messages).
    raw: dict[str, JSON] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class ItemBatcher:
    max_items: Dynamic | None = None
    max_bytes: Dynamic | None = None
    batch_input: Evaluable | None = None  # JSONPath
    batch_input_template: Template | None = None  # JSONata


@dataclass(frozen=True, slots=True)
class Graph:
    id: str
    start_at: str
    states: dict[str, State]


@dataclass(frozen=True, slots=True)
class Machine:
    definition: dict[str, JSON]
    graphs: dict[str, Graph]
    timeout_seconds: float | None
    query_language: str

    @property
    def root(self) -> Graph:
        return self.graphs[""]

    def starting_at(self, name: str) -> Machine:
        """The same machine entered at top-level state ``name`` instead of its StartAt (a rerun
        from that state). The states before it stay: a later transition may go back to them."""
        if name not in self.root.states:
            raise KeyError(name)
        graphs = {**self.graphs, "": replace(self.root, start_at=name)}
        return replace(self, graphs=graphs)

    def find_state(self, name: str) -> State | None:
        for graph in self.graphs.values():
            if name in graph.states:
                return graph.states[name]
        return None


class _Builder:
    def __init__(self, query_language: str) -> None:
        self.query_language = query_language
        self.graphs: dict[str, Graph] = {}
        self.problems: list[Diagnostic] = []

    def fail(self, location: str, message: str, code: str = "INVALID_EXPRESSION") -> None:
        self.problems.append(Diagnostic(code, message, location))

    def graph(self, gid: str, body: JSON, location: str) -> str:
        raw_states = body.get("States") if isinstance(body, dict) else None
        if not isinstance(body, dict) or not isinstance(raw_states, dict):
            self.fail(location, "must be an object with StartAt and States", "INVALID_TYPE")
            return gid
        states: dict[str, State] = {}
        for name, raw in raw_states.items():
            if not isinstance(raw, dict):
                self.fail(f"{location}/States/{name}", "a state must be an object", "INVALID_TYPE")
                continue
            states[name] = self.state(gid, name, raw, f"{location}/States/{name}")
        self.graphs[gid] = Graph(gid, str(body.get("StartAt", "")), states)
        return gid

    # -- expression compilers that turn ExpressionError into diagnostics --------------------
    def _guard(self, location: str, fn: Callable[..., _T], *args: JSON) -> _T | None:
        try:
            return fn(*args)
        except ExpressionError as ex:
            self.fail(location, str(ex))
        except (TypeError, ValueError, KeyError) as ex:
            self.fail(location, f"cannot be compiled: {ex}")
        return None

    def path(
        self, raw: dict[str, JSON], key: str, loc: str, nullable: bool = True
    ) -> Evaluable | None:
        if key not in raw:
            return None
        value = raw[key]
        if value is None:
            return NULL_PATH if nullable else None
        return self._guard(f"{loc}/{key}", jsonpath.compile_path, value)

    def payload(self, raw: dict[str, JSON], key: str, loc: str) -> Evaluable | None:
        if key not in raw:
            return None
        return self._guard(f"{loc}/{key}", payload.compile_payload, raw[key], key)

    def template(self, value: JSON, name: str, loc: str) -> Template | None:
        from asl import jsonata  # imported late: only JSONata machines need it

        return self._guard(loc, jsonata.compile_template, value, name)

    def path_or_intrinsic(self, text: JSON, loc: str) -> Evaluable | None:
        if isinstance(text, str) and text.startswith("States."):
            return self._guard(loc, intrinsics.compile_intrinsic, text)
        return self._guard(loc, jsonpath.compile_path, text)

    def dynamic(
        self, raw: dict[str, JSON], key: str, loc: str, is_jsonata: bool, path_key: str | None
    ) -> Dynamic | None:
        if key in raw:
            value = raw[key]
            if is_jsonata and isinstance(value, str):
                return Dynamic(key, template=self.template(value, key, f"{loc}/{key}"))
            return Dynamic(key, constant=value)
        if path_key and path_key in raw:
            text = raw[path_key]
            return Dynamic(
                path_key,
                path=self.path_or_intrinsic(text, f"{loc}/{path_key}"),
                path_text=str(text),
            )
        return None

    def retriers(self, raw: JSON, loc: str) -> tuple[Retrier, ...]:
        out = []
        for i, r in enumerate(_array(raw)):
            if not isinstance(r, dict):
                self.fail(f"{loc}/Retry/{i}", "a retrier must be an object", "INVALID_TYPE")
                continue
            max_delay = r.get("MaxDelaySeconds")
            out.append(
                Retrier(
                    _strings(r.get("ErrorEquals")),
                    _float(r.get("IntervalSeconds", 1)),
                    _int(r.get("MaxAttempts", 3)),
                    _float(r.get("BackoffRate", 2.0)),
                    _float(max_delay) if max_delay is not None else None,
                    str(r.get("JitterStrategy", "NONE")),
                )
            )
        return tuple(out)

    def catchers(self, raw: JSON, loc: str, is_jsonata: bool) -> tuple[Catcher, ...]:
        out = []
        for i, c in enumerate(_array(raw)):
            cloc = f"{loc}/Catch/{i}"
            if not isinstance(c, dict):
                self.fail(cloc, "a catcher must be an object", "INVALID_TYPE")
                continue
            result_path = None
            discard = False
            if "ResultPath" in c:
                if c["ResultPath"] is None:
                    discard = True
                else:
                    result_path = self._guard(
                        f"{cloc}/ResultPath", jsonpath.compile_reference_path, c["ResultPath"]
                    )
            output = None
            if "Output" in c:
                output = self.template(c["Output"], "Output", f"{cloc}/Output")
            out.append(
                Catcher(
                    _strings(c.get("ErrorEquals")),
                    str(c.get("Next", "")),
                    result_path,
                    discard,
                    output,
                    *self.assign(c, cloc, is_jsonata),
                )
            )
        return tuple(out)

    def assign(
        self, raw: dict[str, JSON], loc: str, is_jsonata: bool
    ) -> tuple[Evaluable | None, Template | None]:
        """Assign compiled for its query language: (payload, None) or (None, template)."""
        if "Assign" not in raw:
            return None, None
        if is_jsonata:
            return None, self.template(raw["Assign"], "Assign", f"{loc}/Assign")
        return self.payload(raw, "Assign", loc), None

    def state(self, gid: str, name: str, raw: dict[str, JSON], loc: str) -> State:
        kind = str(raw.get("Type", ""))
        is_jsonata = raw.get("QueryLanguage", self.query_language) == JSONATA
        common: dict[str, Any] = {
            "name": name,
            "type": kind,
            "jsonata": is_jsonata,
            "next": raw.get("Next"),
            "end": bool(raw.get("End", False)),
            "raw": raw,
        }
        if is_jsonata:
            if "Output" in raw:
                common["output"] = self.template(raw["Output"], "Output", f"{loc}/Output")
            if "Arguments" in raw:
                common["arguments"] = self.template(
                    raw["Arguments"], "Arguments", f"{loc}/Arguments"
                )
        else:
            common["input_path"] = self.path(raw, "InputPath", loc)
            common["output_path"] = self.path(raw, "OutputPath", loc)
            if kind != "Map":
                common["parameters"] = self.payload(raw, "Parameters", loc)
            common["result_selector"] = self.payload(raw, "ResultSelector", loc)
            if "ResultPath" in raw:
                if raw["ResultPath"] is None:
                    common["discard_result"] = True
                else:
                    common["result_path"] = self._guard(
                        f"{loc}/ResultPath", jsonpath.compile_reference_path, raw["ResultPath"]
                    )
        common["assign"], common["assign_template"] = self.assign(raw, loc, is_jsonata)
        if "Result" in raw:
            common["result"] = raw["Result"]
            common["has_result"] = True
        if kind in ("Task", "Parallel", "Map"):
            common["retry"] = self.retriers(raw.get("Retry"), loc)
            common["catch"] = self.catchers(raw.get("Catch"), loc, is_jsonata)
        if kind == "Task":
            common["resource"] = str(raw.get("Resource", ""))
            common["timeout"] = self.dynamic(
                raw, "TimeoutSeconds", loc, is_jsonata, "TimeoutSecondsPath"
            )
            common["heartbeat"] = self.dynamic(
                raw, "HeartbeatSeconds", loc, is_jsonata, "HeartbeatSecondsPath"
            )
        elif kind == "Choice":
            common["choices"] = tuple(
                self.choice_rule(r, f"{loc}/Choices/{i}", is_jsonata)
                for i, r in enumerate(_array(raw.get("Choices")))
            )
            common["default"] = raw.get("Default")
        elif kind == "Wait":
            common["seconds"] = self.dynamic(raw, "Seconds", loc, is_jsonata, "SecondsPath")
            common["timestamp"] = self.dynamic(raw, "Timestamp", loc, is_jsonata, "TimestampPath")
        elif kind == "Fail":
            common["error"] = self.dynamic(raw, "Error", loc, is_jsonata, "ErrorPath")
            common["cause"] = self.dynamic(raw, "Cause", loc, is_jsonata, "CausePath")
        elif kind == "Parallel":
            common["branches"] = tuple(
                self.graph(f"{gid}/{name}/{i}", b, f"{loc}/Branches/{i}")
                for i, b in enumerate(_array(raw.get("Branches")))
            )
        elif kind == "Map":
            self.map_fields(gid, name, raw, loc, is_jsonata, common)
        return State(**common)

    def choice_rule(self, raw: JSON, loc: str, is_jsonata: bool) -> ChoiceRule:
        if not isinstance(raw, dict):
            self.fail(loc, "a choice rule must be an object", "INVALID_TYPE")
            return ChoiceRule("")
        nxt = str(raw.get("Next", ""))
        assign, assign_template = self.assign(raw, loc, is_jsonata)
        if is_jsonata:
            output = None
            if "Output" in raw:
                output = self.template(raw["Output"], "Output", f"{loc}/Output")
            return ChoiceRule(
                nxt,
                condition=self.template(raw.get("Condition"), "Condition", f"{loc}/Condition"),
                condition_text=expr_text(raw.get("Condition")),
                assign_template=assign_template,
                output=output,
            )
        from asl import choice

        rule = {k: v for k, v in raw.items() if k not in ("Next", "Assign", "Comment")}
        return ChoiceRule(nxt, test=self._guard(loc, choice.compile_rule, rule), assign=assign)

    def map_fields(
        self,
        gid: str,
        name: str,
        raw: dict[str, JSON],
        loc: str,
        is_jsonata: bool,
        common: dict[str, Any],
    ) -> None:
        key = processor_field(raw)
        body = raw.get(key)
        common["distributed"] = is_distributed(body)
        common["processor"] = self.graph(f"{gid}/{name}", body, f"{loc}/{key}")
        if is_jsonata:
            if "Items" in raw:
                common["items"] = self.template(raw["Items"], "Items", f"{loc}/Items")
                common["items_text"] = expr_text(raw["Items"])
            if "ItemSelector" in raw:
                common["item_selector_template"] = self.template(
                    raw["ItemSelector"], "ItemSelector", f"{loc}/ItemSelector"
                )
        else:
            if "ItemsPath" in raw:
                common["items_path"] = self._guard(
                    f"{loc}/ItemsPath", jsonpath.compile_path, raw["ItemsPath"]
                )
                common["items_path_text"] = str(raw["ItemsPath"])
            selector_key = "ItemSelector" if "ItemSelector" in raw else "Parameters"
            common["item_selector"] = self.payload(raw, selector_key, loc)
        batcher = raw.get("ItemBatcher")
        if isinstance(batcher, dict):
            bloc = f"{loc}/ItemBatcher"
            batch_input, batch_input_template = None, None
            if "BatchInput" in batcher:
                if is_jsonata:
                    batch_input_template = self.template(
                        batcher["BatchInput"], "BatchInput", f"{bloc}/BatchInput"
                    )
                else:
                    batch_input = self.payload(batcher, "BatchInput", bloc)
            common["item_batcher"] = ItemBatcher(
                self.dynamic(batcher, "MaxItemsPerBatch", bloc, is_jsonata, "MaxItemsPerBatchPath"),
                self.dynamic(
                    batcher, "MaxInputBytesPerBatch", bloc, is_jsonata, "MaxInputBytesPerBatchPath"
                ),
                batch_input,
                batch_input_template,
            )
        common["max_concurrency"] = self.dynamic(
            raw, "MaxConcurrency", loc, is_jsonata, "MaxConcurrencyPath"
        )
        common["tolerated_count"] = self.dynamic(
            raw, "ToleratedFailureCount", loc, is_jsonata, "ToleratedFailureCountPath"
        )
        common["tolerated_percentage"] = self.dynamic(
            raw, "ToleratedFailurePercentage", loc, is_jsonata, "ToleratedFailurePercentagePath"
        )
        common["label"] = raw.get("Label")


def compile_machine(definition: JSON) -> Machine:
    """Builds the immutable ``Machine``; expression compile errors become diagnostics."""
    if not isinstance(definition, dict):
        raise ValidationError([Diagnostic("INVALID_TYPE", "must be a JSON object", "")])
    builder = _Builder(JSONATA if definition.get("QueryLanguage") == JSONATA else JSONPATH)
    builder.graph("", definition, "")
    if builder.problems:
        raise ValidationError(builder.problems)
    timeout = definition.get("TimeoutSeconds")
    return Machine(
        definition,
        builder.graphs,
        float(timeout) if isinstance(timeout, (int, float)) else None,
        builder.query_language,
    )
