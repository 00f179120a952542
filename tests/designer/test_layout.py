"""The auto-layout: a box for every state at every depth, whatever the states are called."""

from __future__ import annotations

from typing import Any

import pytest

from designer.layout import auto_layout, layout_key, render_svg, walk

ODD_NAMES = ["Fetch: orders", 'Say "hi"', "Wait a bit", "Über → Café ✓", "a:b:c", "/slashed"]


def pass_state(next_state: str | None) -> dict[str, Any]:
    return {"Type": "Pass", "Next": next_state} if next_state else {"Type": "Pass", "End": True}


def chain(names: list[str]) -> dict[str, Any]:
    return {
        "StartAt": names[0],
        "States": {
            name: pass_state(names[i + 1] if i + 1 < len(names) else None)
            for i, name in enumerate(names)
        },
    }


def map_of(inner: dict[str, Any], **rest: Any) -> dict[str, Any]:
    return {
        "Type": "Map",
        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, **inner},
        **rest,
    }


# A Map holding a Parallel whose first branch holds another Map: the shape of real order and
# batch machines, with names graphviz would misread.
MAP_IN_PARALLEL_IN_MAP: dict[str, Any] = {
    "StartAt": "Load: orders",
    "States": {
        "Load: orders": {"Type": "Pass", "Next": 'Each "order"'},
        'Each "order"': map_of(
            {
                "StartAt": "Split",
                "States": {
                    "Split": {
                        "Type": "Parallel",
                        "Branches": [
                            {
                                "StartAt": "Lines",
                                "States": {
                                    "Lines": map_of(chain(["Price: line", "Tax → line"]), End=True)
                                },
                            },
                            chain(["Notify customer", "Log it"]),
                        ],
                        "Next": "Sum up",
                    },
                    "Sum up": {"Type": "Pass", "End": True},
                },
            },
            Next="Done ✓",
        ),
        "Done ✓": {"Type": "Succeed"},
    },
}


def keys_of(definition: dict[str, Any]) -> set[str]:
    return {layout_key(scope, name) for scope, name, _ in walk(definition)}


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return (
        outer["x"] <= inner["x"]
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"]
        and outer["y"] <= inner["y"]
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"]
    )


def test_it_places_every_state_at_every_depth_of_a_map_in_a_parallel_in_a_map() -> None:
    split = '/States/Each "order"/ItemProcessor/States/Split'
    lines = f"{split}/Branches/0/States/Lines/ItemProcessor/States"
    expected = {
        "Load: orders",
        'Each "order"',
        "Done ✓",
        split,
        '/States/Each "order"/ItemProcessor/States/Sum up',
        f"{split}/Branches/0/States/Lines",
        f"{lines}/Price: line",
        f"{lines}/Tax → line",
        f"{split}/Branches/1/States/Notify customer",
        f"{split}/Branches/1/States/Log it",
    }
    nodes = auto_layout(MAP_IN_PARALLEL_IN_MAP)["nodes"]
    assert set(nodes) == expected == keys_of(MAP_IN_PARALLEL_IN_MAP)
    # Within a scope the flow runs downwards.
    assert nodes[f"{lines}/Price: line"]["y"] < nodes[f"{lines}/Tax → line"]["y"]
    assert nodes["Load: orders"]["y"] < nodes['Each "order"']["y"] < nodes["Done ✓"]["y"]


def test_it_gives_every_container_a_size_that_holds_its_inner_states() -> None:
    nodes = auto_layout(MAP_IN_PARALLEL_IN_MAP)["nodes"]
    outer = nodes['Each "order"']
    split = nodes['/States/Each "order"/ItemProcessor/States/Split']
    lines = nodes['/States/Each "order"/ItemProcessor/States/Split/Branches/0/States/Lines']
    assert inside(split, outer) and inside(lines, split)
    for key, box in nodes.items():
        if key.startswith('/States/Each "order"/ItemProcessor/States/Split/'):
            assert inside(box, split), key
    # Containers are larger than a card; plain states are cards.
    assert outer["height"] > split["height"] > lines["height"] > 64
    assert nodes["Load: orders"]["width"] == 200 and nodes["Load: orders"]["height"] == 64


def test_it_gives_each_parallel_branch_a_lane_of_its_own() -> None:
    result = auto_layout(MAP_IN_PARALLEL_IN_MAP)
    split = '/States/Each "order"/ItemProcessor/States/Split'
    lanes = result["lanes"]
    assert set(lanes) == {f"{split}/Branches/0", f"{split}/Branches/1"}
    assert not overlap(lanes[f"{split}/Branches/0"], lanes[f"{split}/Branches/1"])
    assert inside(
        result["nodes"][f"{split}/Branches/1/States/Notify customer"], lanes[f"{split}/Branches/1"]
    )


@pytest.mark.parametrize("name", ODD_NAMES)
def test_it_lays_out_any_name_aws_allows_without_phantom_states(name: str) -> None:
    definition = chain(["First", name, "Last"])
    nodes = auto_layout(definition)["nodes"]
    assert set(nodes) == {"First", layout_key("", name), "Last"}
    assert nodes["First"]["y"] < nodes[layout_key("", name)]["y"] < nodes["Last"]["y"]


def test_it_keeps_cards_apart_in_a_thirty_state_machine_with_odd_names() -> None:
    names = [f"{ODD_NAMES[i % len(ODD_NAMES)]} {i}" for i in range(30)]
    definition = chain(names)
    definition["States"][names[3]] = {
        "Type": "Choice",
        "Choices": [
            {"Variable": "$.n", "NumericEquals": k, "Next": names[10 + k]} for k in range(5)
        ],
        "Default": names[4],
    }
    boxes = list(auto_layout(definition)["nodes"].values())
    assert len(boxes) == 30
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not overlap(a, b)


def test_it_keys_a_top_level_name_starting_with_a_slash_by_its_pointer() -> None:
    assert layout_key("", "Plain") == "Plain"
    assert layout_key("", "/slashed") == "/States/~1slashed"
    assert (
        layout_key("/States/M/ItemProcessor", "a/b~c") == "/States/M/ItemProcessor/States/a~1b~0c"
    )


def test_it_draws_nested_states_and_odd_names_in_the_svg() -> None:
    svg = render_svg(MAP_IN_PARALLEL_IN_MAP).decode()
    for label in ("Load: orders", "Price: line", "Tax → line", "Notify customer"):
        assert label in svg
    assert "&quot;order&quot;" in svg or '"order"' in svg


def test_it_copes_with_half_written_drafts() -> None:
    draft: dict[str, Any] = {
        "StartAt": "Missing",
        "States": {
            "A": {"Type": "Map"},
            "B": {"Type": "Parallel", "Branches": [{"States": {"C": "not a state"}}, 5]},
            "D": "nonsense",
        },
    }
    assert set(auto_layout(draft)["nodes"]) == {"A", "B", "D", "/States/B/Branches/0/States/C"}
    assert auto_layout({})["nodes"] == {}
