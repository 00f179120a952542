"""Which fields each kind of state accepts, in each query language.

Kept as data so that the field rules of the specification can be read (and corrected) in one
place; the checks that use them are in ``validate_states``.
"""

from __future__ import annotations

STATE_TYPES = ("Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map")

MACHINE_FIELDS = frozenset(
    {"StartAt", "States", "Comment", "Version", "TimeoutSeconds", "QueryLanguage"}
)
BRANCH_FIELDS = frozenset({"StartAt", "States", "Comment"})
PROCESSOR_FIELDS = frozenset({"StartAt", "States", "Comment", "ProcessorConfig"})

_COMMON = {"Type", "Comment", "QueryLanguage"}
_TRANSITION = {"Next", "End"}
_ERROR_HANDLING = {"Retry", "Catch"}

# Fields a state type accepts whatever its query language.
_ANY_LANGUAGE: dict[str, set[str]] = {
    "Pass": _TRANSITION | {"Assign"},
    "Task": _TRANSITION
    | _ERROR_HANDLING
    | {"Assign", "Resource", "TimeoutSeconds", "HeartbeatSeconds", "Credentials"},
    "Choice": {"Choices", "Default", "Assign"},
    "Wait": _TRANSITION | {"Assign", "Seconds", "Timestamp"},
    "Succeed": set(),
    "Fail": {"Error", "Cause"},
    "Parallel": _TRANSITION | _ERROR_HANDLING | {"Assign", "Branches"},
    "Map": _TRANSITION
    | _ERROR_HANDLING
    | {
        "Assign",
        "ItemProcessor",
        "Iterator",
        "ItemSelector",
        "ItemReader",
        "ItemBatcher",
        "ResultWriter",
        "MaxConcurrency",
        "ToleratedFailurePercentage",
        "ToleratedFailureCount",
        "Label",
    },
}

_JSONPATH_IO = {"InputPath", "OutputPath"}
_JSONPATH_RESULT = {"Parameters", "ResultPath", "ResultSelector"}

# Fields only JSONPath states accept.
_JSONPATH_ONLY: dict[str, set[str]] = {
    "Pass": _JSONPATH_IO | {"Parameters", "ResultPath", "Result"},
    "Task": _JSONPATH_IO | _JSONPATH_RESULT | {"TimeoutSecondsPath", "HeartbeatSecondsPath"},
    "Choice": _JSONPATH_IO,
    "Wait": _JSONPATH_IO | {"SecondsPath", "TimestampPath"},
    "Succeed": _JSONPATH_IO,
    "Fail": {"ErrorPath", "CausePath"},
    "Parallel": _JSONPATH_IO | _JSONPATH_RESULT,
    "Map": _JSONPATH_IO
    | _JSONPATH_RESULT
    | {
        "ItemsPath",
        "MaxConcurrencyPath",
        "ToleratedFailurePercentagePath",
        "ToleratedFailureCountPath",
    },
}

# Fields only JSONata states accept.
_JSONATA_ONLY: dict[str, set[str]] = {
    "Pass": {"Output"},
    "Task": {"Arguments", "Output"},
    "Choice": {"Output"},
    "Wait": {"Output"},
    "Succeed": {"Output"},
    "Fail": set(),
    "Parallel": {"Arguments", "Output"},
    "Map": {"Items", "Output"},
}

# What to use instead when a field belongs to the other query language.
REPLACEMENTS = {
    "Parameters": "Arguments",
    "InputPath": "Arguments",
    "ResultSelector": "Output",
    "ResultPath": "Output and Assign",
    "OutputPath": "Output",
    "Result": "Output",
    "ItemsPath": "Items",
    "SecondsPath": "Seconds with a JSONata expression",
    "TimestampPath": "Timestamp with a JSONata expression",
    "TimeoutSecondsPath": "TimeoutSeconds with a JSONata expression",
    "HeartbeatSecondsPath": "HeartbeatSeconds with a JSONata expression",
    "ErrorPath": "Error with a JSONata expression",
    "CausePath": "Cause with a JSONata expression",
    "MaxConcurrencyPath": "MaxConcurrency with a JSONata expression",
    "ToleratedFailurePercentagePath": "ToleratedFailurePercentage with a JSONata expression",
    "ToleratedFailureCountPath": "ToleratedFailureCount with a JSONata expression",
    "Arguments": "Parameters",
    "Output": "OutputPath, ResultSelector or ResultPath",
    "Items": "ItemsPath",
}

# A Map state has no Arguments: its JSONPath Parameters (the old name of ItemSelector) becomes
# ItemSelector in JSONata (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html).
_STATE_REPLACEMENTS = {("Map", "Parameters"): "ItemSelector"}


def replacement(state_type: str, key: str) -> str:
    """What to use instead of ``key``, a field of the other query language."""
    return _STATE_REPLACEMENTS.get((state_type, key)) or REPLACEMENTS.get(key, "another field")


def accepted_fields(state_type: str, language: str) -> frozenset[str]:
    own = _JSONATA_ONLY if language == "JSONata" else _JSONPATH_ONLY
    return frozenset(_COMMON | _ANY_LANGUAGE[state_type] | own[state_type])


def other_language_fields(state_type: str, language: str) -> frozenset[str]:
    other = _JSONPATH_ONLY if language == "JSONata" else _JSONATA_ONLY
    return frozenset(other[state_type])
