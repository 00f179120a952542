"""The events of a Parallel whose branch fails while its siblings run.

A failing branch makes the Parallel stop the others: each sibling's running state is
aborted (WaitStateAborted, TaskStateAborted, ...), then ParallelStateFailed
(https://states-language.net/#parallel-state: "If any branch fails ... the entire Parallel
State fails"; https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html).
AWS's recorded history of a failing Map (the shared case test_service_lambda_map_timeout)
shows the order: the failure, the aborted events, then the state's Failed event. Only a state
that was entered is aborted.
"""

from __future__ import annotations

from typing import Any

import asl
from tests.asl.clock import VirtualClock


def branch(*states: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    names = [name for name, _ in states]
    body = {}
    for index, (name, state) in enumerate(states):
        body[name] = {**state, **({"Next": names[index + 1]} if index + 1 < len(names) else {})}
        if index + 1 == len(names) and state["Type"] not in ("Fail", "Succeed"):
            body[name]["End"] = True
    return {"StartAt": names[0], "States": body}


def parallel(*branches: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "StartAt": "Par",
        "States": {"Par": {"Type": "Parallel", "Branches": list(branches), "End": True, **extra}},
    }


def pairs(result: asl.RunResult) -> list[tuple[str, str | None]]:
    out = []
    for event in result.events:
        details = next((v for k, v in event.items() if k.endswith("EventDetails")), None) or {}
        out.append((event["type"], details.get("name")))
    return out


FAIL = ("F", {"Type": "Fail", "Error": "Boom", "Cause": "it broke"})


def test_a_waiting_sibling_is_aborted_before_the_parallel_fails() -> None:
    definition = parallel(branch(("W", {"Type": "Wait", "Seconds": 10})), branch(FAIL))
    result = asl.run(definition, {}, clock=VirtualClock())
    assert (result.status, result.error, result.cause) == ("FAILED", "Boom", "it broke")
    types = [t for t, _ in pairs(result)]
    assert types == [
        "ExecutionStarted",
        "ParallelStateEntered",
        "ParallelStateStarted",
        "WaitStateEntered",
        "FailStateEntered",
        "WaitStateAborted",
        "ParallelStateFailed",
        "ExecutionFailed",
    ]


def test_a_sibling_that_has_not_entered_its_next_state_records_no_aborted_event() -> None:
    definition = parallel(
        branch(("W", {"Type": "Wait", "Seconds": 10})),
        branch(FAIL),
        branch(("P", {"Type": "Pass"}), ("W2", {"Type": "Wait", "Seconds": 10})),
    )
    result = asl.run(definition, {}, clock=VirtualClock())
    types = [t for t, _ in pairs(result)]
    entered = {name for t, name in pairs(result) if t.endswith("StateEntered")}
    aborted = [t for t in types if t.endswith("StateAborted")]
    # Every aborted event closes a state that was entered.
    assert aborted.count("PassStateAborted") <= int("P" in entered)
    assert aborted.count("WaitStateAborted") == len({"W", "W2"} & entered)
    assert types.index("ParallelStateFailed") > max(types.index(t) for t in aborted)


def test_a_caught_branch_failure_still_aborts_the_siblings_first() -> None:
    definition = parallel(
        branch(("W", {"Type": "Wait", "Seconds": 10})),
        branch(FAIL),
        Catch=[{"ErrorEquals": ["Boom"], "Next": "Caught"}],
    )
    definition["States"]["Par"].pop("End")
    definition["States"]["Par"]["Next"] = "Caught"
    definition["States"]["Caught"] = {"Type": "Pass", "End": True}
    result = asl.run(definition, {}, clock=VirtualClock())
    assert result.status == "SUCCEEDED"
    assert result.output == {"Error": "Boom", "Cause": "it broke"}
    types = [t for t, _ in pairs(result)]
    assert types[types.index("WaitStateAborted") :] == [
        "WaitStateAborted",
        "ParallelStateFailed",
        "ParallelStateExited",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]


def test_a_nested_parallel_in_a_sibling_is_aborted_inside_out() -> None:
    inner = {
        "Type": "Parallel",
        "Branches": [branch(("IW", {"Type": "Wait", "Seconds": 10}))],
    }
    # A shorter Wait first, so the inner branch has entered its Wait when F fails.
    late_fail = branch(("Soon", {"Type": "Wait", "Seconds": 1}), FAIL)
    definition = parallel(branch(("Inner", inner)), late_fail)
    result = asl.run(definition, {}, clock=VirtualClock())
    types = [t for t, _ in pairs(result)]
    assert ("WaitStateEntered", "IW") in pairs(result)
    assert types.index("WaitStateAborted") < types.index("ParallelStateAborted")
    assert types.index("ParallelStateAborted") < types.index("ParallelStateFailed")
    assert types.count("ParallelStateFailed") == 1


def test_a_map_iteration_stopped_before_its_first_state_closes_its_own_chain() -> None:
    """Each event names the one it follows (previousEventId, API_HistoryEvent.html:
    https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html):
    an iteration aborted before it entered a state has no state event to close, and its
    MapIterationAborted follows its own MapIterationStarted, not a sibling's abort."""
    definition = {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemsPath": "$",
                "ItemProcessor": {
                    "StartAt": "Bad?",
                    "States": {
                        "Bad?": {
                            "Type": "Choice",
                            "Choices": [{"Variable": "$", "NumericEquals": 0, "Next": "Refuse"}],
                            "Default": "Slow",
                        },
                        "Refuse": {"Type": "Fail", "Error": "Bad"},
                        "Slow": {"Type": "Wait", "Seconds": 5, "End": True},
                    },
                },
                "End": True,
            }
        },
    }
    result = asl.run(definition, [3, 0, 4], clock=VirtualClock())
    chain = [
        (event["id"], event["previousEventId"], event["type"])
        for event in result.events
        if event["id"] >= 13
    ]
    # Item 1 fails while item 0 waits in Slow and item 2 (started as event 6) has not run.
    assert chain == [
        (13, 12, "MapIterationFailed"),
        (14, 9, "WaitStateAborted"),
        (15, 14, "MapIterationAborted"),
        (16, 6, "MapIterationAborted"),
        (17, 16, "MapStateFailed"),
        (18, 17, "ExecutionFailed"),
    ]
