"""The runaway workflows of issue 8, shared by the engine's tests, the real-worker tests and
bench/runaway.py: each must end, be stopped or fail cleanly, never take a worker down."""

from __future__ import annotations

from typing import Any

# Choice <-> Pass for ever: the stepper must yield and store its events as it goes.
LOOP: dict[str, Any] = {
    "StartAt": "Spin",
    "States": {
        "Spin": {"Type": "Pass", "Next": "Again"},
        "Again": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.never", "IsPresent": True, "Next": "Done"}],
            "Default": "Spin",
        },
        "Done": {"Type": "Succeed"},
    },
}

# A Map over a JSONata range of a million items.
MAP_OF_A_MILLION: dict[str, Any] = {
    "QueryLanguage": "JSONata",
    "StartAt": "Each",
    "States": {
        "Each": {
            "Type": "Map",
            "Items": "{% [1..1000000] %}",
            "ItemProcessor": {
                "StartAt": "Item",
                "States": {"Item": {"Type": "Pass", "End": True}},
            },
            "End": True,
        }
    },
}


def jsonata_pass(output: Any) -> dict[str, Any]:
    """One JSONata Pass state whose Output is ``output``."""
    return {
        "QueryLanguage": "JSONata",
        "StartAt": "Build",
        "States": {"Build": {"Type": "Pass", "Output": output, "End": True}},
    }
