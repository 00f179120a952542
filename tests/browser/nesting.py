"""Machines with deep nesting and many states, for the canvas tests and the screenshots."""

from __future__ import annotations

from typing import Any


def _map(start: str, states: dict[str, Any], **rest: Any) -> dict[str, Any]:
    return {
        "Type": "Map",
        "ItemsPath": "$.items",
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "INLINE"},
            "StartAt": start,
            "States": states,
        },
        **rest,
    }


# A Map whose steps run a Parallel, the first branch of which runs another Map: the deepest
# shape real order and batch machines have, with names graphviz would misread.
DEEP: dict[str, Any] = {
    "Comment": "Orders, each split into priced lines and a note to the customer.",
    "StartAt": "Load: orders",
    "States": {
        "Load: orders": {"Type": "Pass", "Next": "Each order"},
        "Each order": _map(
            "Split",
            {
                "Split": {
                    "Type": "Parallel",
                    "Branches": [
                        {
                            "StartAt": "Lines",
                            "States": {
                                "Lines": _map(
                                    "Price line",
                                    {
                                        "Price line": {"Type": "Pass", "Next": "Tax line"},
                                        "Tax line": {"Type": "Pass", "End": True},
                                    },
                                    End=True,
                                )
                            },
                        },
                        {
                            "StartAt": "Notify",
                            "States": {
                                "Notify": {"Type": "Wait", "Seconds": 1, "Next": "Log it"},
                                "Log it": {"Type": "Pass", "End": True},
                            },
                        },
                    ],
                    "End": True,
                }
            },
            Next="Done",
        ),
        "Done": {"Type": "Succeed"},
    },
}

LINES = "/States/Each order/ItemProcessor/States/Split/Branches/0/States/Lines"
PRICE_LINE = f"{LINES}/ItemProcessor/States/Price line"


def thirty_states() -> dict[str, Any]:
    """A 30-state machine: a chain with a wide Choice, catches and long names."""
    names = [f"Step {i:02d}: {'check the order' if i % 3 else 'ship'}" for i in range(30)]
    states: dict[str, Any] = {}
    for i, name in enumerate(names):
        states[name] = {"Type": "Pass", "Next": names[i + 1]} if i < 29 else {"Type": "Succeed"}
    states[names[4]] = {
        "Type": "Choice",
        "Choices": [
            {"Variable": "$.total", "NumericGreaterThan": 100 * k, "Next": names[6 + k]}
            for k in range(4)
        ]
        + [{"Variable": "$.tier", "StringEquals": "gold", "Next": names[12]}],
        "Default": names[5],
    }
    states[names[15]] = {
        "Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:000000000000:function:echo",
        "Catch": [
            {"ErrorEquals": ["States.Timeout"], "Next": names[28]},
            {"ErrorEquals": ["States.ALL"], "Next": names[27]},
        ],
        "Next": names[16],
    }
    return {"StartAt": names[0], "States": states}
