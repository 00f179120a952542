"""Graph drawing with graphviz: the auto-layout of the canvas and the SVG export.

Map and Parallel states are drawn as clusters holding their inner states (a Parallel holds one
cluster per branch), at any depth. Graphviz nodes get synthetic ids (`n0`, `n1`, ...), never
state names: in dot `a:b` is node `a`, port `b`, and names may hold quotes, spaces or unicode.

A state is identified at any depth by its layout key: a top-level state by its name (the old
format of stored layouts), any other state by the JSON pointer to it, e.g.
`/States/Process/ItemProcessor/States/Charge`. A top-level name that itself starts with `/` is
keyed by its pointer too, so a key starting with `/` is always a pointer.

The system `dot` is used when installed; otherwise the dot-compatible binary of the PyPI
package graphviz-pure, so `pip install -r requirements.txt` alone is enough.
"""

from __future__ import annotations

import functools
import itertools
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import graphviz

STATE_SHAPES = {
    "Choice": "diamond",
    "Succeed": "doublecircle",
    "Fail": "doubleoctagon",
    "Wait": "hexagon",
}
CONTAINERS = ("Map", "Parallel")
# Deeper containers are drawn as plain cards: no real machine nests this deep, and the
# recursion must stay far from Python's limit whatever a request sends.
MAX_DEPTH = 40


@functools.cache
def dot_binary() -> str:
    found = shutil.which("dot")
    if found:
        return found
    pure = Path(sys.executable).with_name("graphviz-pure")
    if pure.exists():
        return str(pure)
    found = shutil.which("graphviz-pure")
    if found:
        return found
    raise RuntimeError("graphviz is not installed: install the 'graphviz' system package")


def transitions(state: dict[str, Any]) -> list[tuple[str, str]]:
    """(target, label) for every transition out of a state."""
    out: list[tuple[str, str]] = []
    if isinstance(state.get("Next"), str):
        out.append((state["Next"], ""))
    for i, choice in enumerate(state.get("Choices") or []):
        if isinstance(choice, dict) and isinstance(choice.get("Next"), str):
            out.append((choice["Next"], f"rule {i + 1}"))
    if isinstance(state.get("Default"), str):
        out.append((state["Default"], "default"))
    for catcher in state.get("Catch") or []:
        if isinstance(catcher, dict) and isinstance(catcher.get("Next"), str):
            out.append((catcher["Next"], "catch"))
    return out


def escape_segment(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def state_pointer(scope: str, name: str) -> str:
    return f"{scope}/States/{escape_segment(name)}"


def layout_key(scope: str, name: str) -> str:
    if scope == "" and not name.startswith("/"):
        return name
    return state_pointer(scope, name)


def states_of(scope: Any) -> dict[str, dict[str, Any]]:
    states = scope.get("States") if isinstance(scope, dict) else None
    if not isinstance(states, dict):
        return {}
    return {name: (state if isinstance(state, dict) else {}) for name, state in states.items()}


def inner_scopes(state: dict[str, Any], pointer: str) -> list[tuple[str, dict[str, Any]]]:
    """(pointer, scope) of each machine a Map or Parallel runs inside it."""
    if state.get("Type") == "Map":
        for field_name in ("ItemProcessor", "Iterator"):
            if isinstance(state.get(field_name), dict):
                return [(f"{pointer}/{field_name}", state[field_name])]
        return []
    if state.get("Type") == "Parallel":
        branches = state.get("Branches")
        if not isinstance(branches, list):
            return []
        return [
            (f"{pointer}/Branches/{i}", branch)
            for i, branch in enumerate(branches)
            if isinstance(branch, dict)
        ]
    return []


def walk(
    scope: Any, pointer: str = "", depth: int = 0
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(scope pointer, name, state) of every state the layout places, parents first."""
    for name, state in states_of(scope).items():
        yield pointer, name, state
        if depth < MAX_DEPTH:
            for inner_pointer, inner in inner_scopes(state, state_pointer(pointer, name)):
                yield from walk(inner, inner_pointer, depth + 1)


# The canvas draws a state as a card of 200×64 px, a container's title bar 44 px high, a
# branch's title 28 px high and a "+ add a step" row under the states of each inner machine;
# graphviz works in points (1/72 inch), and the canvas uses one pixel per point.
CARD_WIDTH, CARD_HEIGHT, HEADER_HEIGHT, LANE_HEADER, FOOTER_HEIGHT = 200, 64, 44, 28, 36
CLUSTER_MARGIN = 16
# A container is at least this wide, so its title bar has room for its name and buttons.
CONTAINER_WIDTH = 300


def inches(points: float) -> str:
    return f"{points / 72:.4f}"


@dataclass
class _Builder:
    cards: bool
    ids: Iterator[int] = field(default_factory=itertools.count)
    keys: dict[str, str] = field(default_factory=dict)  # graphviz id -> layout key
    clusters: dict[str, str] = field(default_factory=dict)  # cluster name -> layout key
    lanes: dict[str, str] = field(default_factory=dict)  # cluster name -> branch pointer

    def new_id(self) -> str:
        return f"n{next(self.ids)}"

    def card(self, graph: graphviz.Digraph, key: str, name: str, kind: str) -> str:
        node_id = self.new_id()
        self.keys[node_id] = key
        if self.cards:
            graph.node(
                node_id,
                "",
                shape="box",
                fixedsize="true",
                width=inches(CARD_WIDTH),
                height=inches(CARD_HEIGHT),
            )
        else:
            label = f"{graphviz.escape(name)}\n({kind})"
            graph.node(node_id, label, shape=STATE_SHAPES.get(kind, "box"))
        return node_id

    def anchor(self, graph: graphviz.Digraph, height: float, width: float = CARD_WIDTH) -> str:
        node_id = self.new_id()
        graph.node(
            node_id,
            "",
            shape="box" if height else "point",
            style="invis",
            fixedsize="true",
            width=inches(width if height else 1),
            height=inches(height or 1),
        )
        return node_id

    def scope(
        self, graph: graphviz.Digraph, scope: Any, pointer: str, depth: int = 0
    ) -> dict[str, Any]:
        """Draws a scope's states; returns where edges to the scope start and its exits."""
        ends: dict[str, tuple[str, str]] = {}  # name -> (entry id, exit id)
        terminal: list[str] = []
        states = states_of(scope)
        for name, state in states.items():
            kind = state["Type"] if isinstance(state.get("Type"), str) else ""
            key = layout_key(pointer, name)
            if kind in CONTAINERS and depth < MAX_DEPTH:
                ends[name] = self.container(graph, state, pointer, name, key, kind, depth)
            else:
                node_id = self.card(graph, key, name, kind)
                ends[name] = (node_id, node_id)
            if state.get("End") is True or kind in ("Succeed", "Fail"):
                terminal.append(ends[name][1])
        for name, state in states.items():
            for target, label in transitions(state):
                if target in ends:
                    graph.edge(
                        ends[name][1],
                        ends[target][0],
                        label=label,
                        style="dashed" if label == "catch" else "",
                    )
        start = scope.get("StartAt") if isinstance(scope, dict) else None
        entry = ends[start][0] if isinstance(start, str) and start in ends else None
        return {"entry": entry, "terminal": terminal}

    def inner(
        self, graph: graphviz.Digraph, scope: Any, pointer: str, head: str, foot: str, depth: int
    ) -> None:
        """An inner machine, hung between its container's title bar and its foot."""
        drawn = self.scope(graph, scope, pointer, depth)
        below = self.anchor(graph, FOOTER_HEIGHT)
        if drawn["entry"]:
            # Heavy: an inner machine starts right under its title, not wherever it fits.
            graph.edge(head, drawn["entry"], style="invis", weight="20")
        for exit_id in drawn["terminal"] or [head]:
            graph.edge(exit_id, below, style="invis")
        graph.edge(below, foot, style="invis")

    def container(
        self,
        graph: graphviz.Digraph,
        state: dict[str, Any],
        pointer: str,
        name: str,
        key: str,
        kind: str,
        depth: int,
    ) -> tuple[str, str]:
        cluster = f"cluster_{self.new_id()}"
        self.clusters[cluster] = key
        with graph.subgraph(name=cluster) as box:
            box.attr(margin=str(CLUSTER_MARGIN), style="rounded")
            if not self.cards:
                box.attr(label=f"{graphviz.escape(name)} ({kind})")
            head = self.anchor(box, HEADER_HEIGHT, CONTAINER_WIDTH - 2 * CLUSTER_MARGIN)
            foot = self.anchor(box, 0)
            scopes = inner_scopes(state, state_pointer(pointer, name))
            for inner_pointer, inner in scopes:
                if kind == "Parallel":
                    lane = f"cluster_{self.new_id()}"
                    self.lanes[lane] = inner_pointer
                    with box.subgraph(name=lane) as lane_graph:
                        lane_graph.attr(margin=str(CLUSTER_MARGIN // 2), style="dashed")
                        title = self.anchor(lane_graph, LANE_HEADER)
                        lane_graph.edge(head, title, style="invis", weight="20")
                        self.inner(lane_graph, inner, inner_pointer, title, foot, depth + 1)
                else:
                    self.inner(box, inner, inner_pointer, head, foot, depth + 1)
        return head, foot


def to_graph(
    definition: dict[str, Any], fmt: str, cards: bool = False
) -> tuple[graphviz.Digraph, _Builder]:
    graph = graphviz.Digraph(format=fmt, engine="dot")
    # Room between ranks and cards for the edge labels the canvas draws.
    graph.attr(rankdir="TB", nodesep="0.5", ranksep="0.55", compound="true")
    graph.attr(
        "node",
        shape="box",
        style="rounded,filled",
        fillcolor="#f5f7fb",
        fontname="Helvetica",
        fontsize="12",
    )
    graph.attr("edge", fontname="Helvetica", fontsize="10")
    builder = _Builder(cards=cards)
    graph.node("start", "Start", shape="circle", fillcolor="#dbe4f0")
    drawn = builder.scope(graph, definition, "")
    if drawn["entry"]:
        graph.edge("start", drawn["entry"])
    graph.node("end", "End", shape="doublecircle", fillcolor="#dbe4f0")
    for exit_id in drawn["terminal"]:
        graph.edge(exit_id, "end")
    return graph, builder


# Any definition up to the 1 MB limit may be sent to be drawn: graphviz gets this long.
DOT_SECONDS = 20


class LayoutFailed(Exception):
    """graphviz could not draw the definition (or not in time): the request's fault."""


def _run_dot(source: str, fmt: str) -> bytes:
    try:
        result = subprocess.run(
            [dot_binary(), f"-T{fmt}"],
            input=source.encode(),
            capture_output=True,
            timeout=DOT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        raise LayoutFailed(
            f"The machine is too large to draw: graphviz did not finish in {DOT_SECONDS} s."
        ) from None
    if result.returncode != 0:
        raise LayoutFailed(
            "graphviz could not draw the machine: " + result.stderr.decode(errors="replace")[:500]
        )
    return result.stdout


def render_svg(definition: dict[str, Any]) -> bytes:
    graph, _ = to_graph(definition, "svg")
    return _run_dot(graph.source, "svg")


Box = dict[str, float]


def auto_layout(definition: dict[str, Any]) -> dict[str, Any]:
    """Boxes of every state at every depth and of every Parallel branch, from `dot -Tjson`.

    Boxes are in points, absolute, top-left corner with y growing downwards. `nodes` holds a
    box for every state by layout key (a Map or Parallel gets the box that holds its inner
    states); `lanes` holds a box for every Parallel branch, by the branch's JSON pointer.
    """
    graph, builder = to_graph(definition, "json", cards=True)
    data = json.loads(_run_dot(graph.source, "json"))
    x0, y0, x1, y1 = (float(v) for v in data["bb"].split(","))

    # dot puts the origin bottom-left; the canvas wants y growing downwards.
    def box(left: float, bottom: float, right: float, top: float) -> Box:
        return {
            "x": round(left - x0, 1),
            "y": round(y1 - top, 1),
            "width": round(right - left, 1),
            "height": round(top - bottom, 1),
        }

    nodes: dict[str, Box] = {}
    lanes: dict[str, Box] = {}
    for obj in data.get("objects", []):
        name = obj.get("name")
        if name in builder.keys and "pos" in obj:
            x, y = (float(v) for v in obj["pos"].split(","))
            w, h = float(obj["width"]) * 72, float(obj["height"]) * 72
            nodes[builder.keys[name]] = box(x - w / 2, y - h / 2, x + w / 2, y + h / 2)
        elif "bb" in obj and (name in builder.clusters or name in builder.lanes):
            bounds = box(*(float(v) for v in obj["bb"].split(",")))
            if name in builder.clusters:
                nodes[builder.clusters[name]] = bounds
            else:
                lanes[builder.lanes[name]] = bounds
    return {"nodes": nodes, "lanes": lanes, "width": x1 - x0, "height": y1 - y0}
