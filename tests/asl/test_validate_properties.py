"""Whatever validate() is given, it answers with diagnostics and never raises.

Valid definitions are mutated at random paths (values replaced by arbitrary JSON, fields
deleted, fields inserted) and every answer must be a list of well-formed diagnostics whose
location points into the definition it was given.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asl.errors import Diagnostic
from asl.validate import validate

JSONPATH_MACHINE: dict[str, Any] = {
    "Comment": "Orders",
    "TimeoutSeconds": 3600,
    "StartAt": "Prepare",
    "States": {
        "Prepare": {
            "Type": "Pass",
            "Parameters": {"id.$": "$.id", "when.$": "$$.Execution.StartTime"},
            "ResultPath": "$.prepared",
            "Assign": {"total.$": "$.total"},
            "Next": "Charge",
        },
        "Charge": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"Payload.$": "States.JsonMerge($.prepared, $.extra, false)"},
            "TimeoutSeconds": 60,
            "HeartbeatSeconds": 10,
            "Retry": [{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 2, "BackoffRate": 1.5}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed", "ResultPath": "$.error"}],
            "Next": "Decide",
        },
        "Decide": {
            "Type": "Choice",
            "Choices": [
                {
                    "And": [
                        {"Variable": "$.total", "NumericGreaterThan": 100},
                        {"Not": {"Variable": "$.vip", "BooleanEquals": True}},
                    ],
                    "Next": "Hold",
                },
                {
                    "Variable": "$.when",
                    "TimestampLessThanPath": "$$.State.EnteredTime",
                    "Next": "Fan",
                },
            ],
            "Default": "Fan",
        },
        "Hold": {"Type": "Wait", "Seconds": 5, "Next": "Fan"},
        "Fan": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": True}}},
                {"StartAt": "Right", "States": {"Right": {"Type": "Succeed"}}},
            ],
            "Next": "Each",
        },
        "Each": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "MaxConcurrency": 2,
            "ItemSelector": {"item.$": "$$.Map.Item.Value"},
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "Work",
                "States": {"Work": {"Type": "Pass", "End": True}},
            },
            "Next": "Done",
        },
        "Done": {"Type": "Succeed"},
        "Failed": {"Type": "Fail", "ErrorPath": "$.error.Error", "Cause": "Charging failed"},
    },
}

JSONATA_MACHINE: dict[str, Any] = {
    "QueryLanguage": "JSONata",
    "StartAt": "Ask",
    "States": {
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::http:invoke",
            "Arguments": {"ApiEndpoint": "https://example.com", "Method": "GET"},
            "Output": "{% $states.result %}",
            "TimeoutSeconds": "{% $timeout %}",
            "Next": "Check",
        },
        "Check": {
            "Type": "Choice",
            "Choices": [{"Condition": "{% $states.input.ok %}", "Next": "Later"}],
            "Default": "Stop",
        },
        "Later": {"Type": "Wait", "Timestamp": "2026-03-14T01:59:00Z", "Next": "Spread"},
        "Spread": {
            "Type": "Map",
            "Items": "{% $states.input.rows %}",
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                "StartAt": "Row",
                "States": {
                    "Row": {"Type": "Pass", "Output": {"row": "{% $states.input %}"}, "End": True}
                },
            },
            "ItemBatcher": {"MaxItemsPerBatch": 10},
            "ToleratedFailurePercentage": 5,
            "End": True,
        },
        "Stop": {"Type": "Fail", "Error": "NotOk", "Cause": "{% $string($states.input) %}"},
    },
}

BASES = [JSONPATH_MACHINE, JSONATA_MACHINE]

VOCABULARY = [
    "Type",
    "Next",
    "End",
    "StartAt",
    "States",
    "Resource",
    "Parameters",
    "Arguments",
    "Output",
    "Assign",
    "InputPath",
    "OutputPath",
    "ResultPath",
    "ResultSelector",
    "Result",
    "Choices",
    "Default",
    "Variable",
    "StringEquals",
    "And",
    "Or",
    "Not",
    "Condition",
    "Seconds",
    "SecondsPath",
    "Timestamp",
    "TimestampPath",
    "Error",
    "ErrorPath",
    "Cause",
    "CausePath",
    "Branches",
    "ItemProcessor",
    "Iterator",
    "ProcessorConfig",
    "Mode",
    "ItemReader",
    "ItemBatcher",
    "ResultWriter",
    "MaxConcurrency",
    "Label",
    "Retry",
    "Catch",
    "ErrorEquals",
    "BackoffRate",
    "MaxAttempts",
    "QueryLanguage",
    "TimeoutSeconds",
    "HeartbeatSeconds",
    "x.$",
    "Items",
    "ItemsPath",
    "Credentials",
    "Comment",
]
INTERESTING_TEXT = [
    "Pass",
    "Task",
    "Choice",
    "Wait",
    "Succeed",
    "Fail",
    "Parallel",
    "Map",
    "JSONata",
    "JSONPath",
    "DISTRIBUTED",
    "INLINE",
    "States.ALL",
    "$",
    "$.a",
    "$$.Map.Item.Value",
    "$var",
    "$.a[?(@.b > 1)]",
    "$..[",
    "States.Format('{}', $.a)",
    "States.Nope(",
    "{% $states.input %}",
    "{% ( %}",
    "{%%}",
    "Prepare",
    "Charge",
    "Done",
    "Ask",
    "a/b~c",
    "2026-03-14T01:59:00Z",
    "x" * 100,
]

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(INTERESTING_TEXT)
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(VOCABULARY) | st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


def _paths(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [here]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*here, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_paths(item, (*here, index)))
    return found


def _mutate(document: Any, data: st.DataObject) -> Any:
    paths = _paths(document)
    path = data.draw(st.sampled_from(paths))
    operation = data.draw(st.sampled_from(["replace", "delete", "insert"]))
    if not path or operation == "replace":
        replacement = data.draw(json_values)
        if not path:
            return replacement
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = replacement
        return document
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    target = parent[path[-1]]
    if operation == "delete":
        del parent[path[-1]]
    elif isinstance(target, dict):
        key = data.draw(st.sampled_from(VOCABULARY) | st.text(max_size=8))
        target[key] = data.draw(json_values)
    elif isinstance(target, list):
        target.insert(data.draw(st.integers(0, len(target))), data.draw(json_values))
    return document


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _resolves(document: Any, tokens: list[str]) -> bool:
    node = document
    for token in tokens:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True


def _assert_well_formed(document: Any, diagnostics: Any) -> None:
    assert isinstance(diagnostics, list)
    for diagnostic in diagnostics:
        assert isinstance(diagnostic, Diagnostic)
        assert re.fullmatch(r"[A-Z][A-Z_]*[A-Z]", diagnostic.code), diagnostic
        assert diagnostic.code != "INTERNAL_ERROR", "the validator itself failed"
        assert isinstance(diagnostic.message, str) and diagnostic.message.endswith((".", "?")), (
            diagnostic
        )
        location = diagnostic.location
        assert location == "" or location.startswith("/"), diagnostic
        tokens = [_unescape(token) for token in location.split("/")[1:]]
        # A missing field is reported where it belongs, so only its parent must exist.
        assert _resolves(document, tokens[:-1]), diagnostic


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(base=st.sampled_from(BASES), mutations=st.integers(1, 4), data=st.data())
def test_it_answers_any_mutated_definition_with_well_formed_diagnostics(
    base: dict[str, Any], mutations: int, data: st.DataObject
) -> None:
    document: Any = copy.deepcopy(base)
    for _ in range(mutations):
        document = _mutate(document, data)
    snapshot = copy.deepcopy(document)
    diagnostics = validate(document)
    _assert_well_formed(document, diagnostics)
    assert document == snapshot, "validate() must not change what it is given"


@settings(max_examples=100, deadline=None)
@given(value=json_values)
def test_it_answers_any_json_value_with_well_formed_diagnostics(value: Any) -> None:
    _assert_well_formed(value, validate(value))


def test_it_accepts_the_unmutated_definitions() -> None:
    assert [validate(base) for base in BASES] == [[], []]
