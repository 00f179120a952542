"""Graph drawing with graphviz: the auto-layout of the canvas and the SVG export.

The system `dot` is used when installed; otherwise the dot-compatible binary of the PyPI
package graphviz-pure, so `pip install -r requirements.txt` alone is enough.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import graphviz

STATE_SHAPES = {
    "Choice": "diamond",
    "Succeed": "doublecircle",
    "Fail": "doubleoctagon",
    "Wait": "hexagon",
    "Parallel": "box3d",
    "Map": "box3d",
}


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


# The canvas draws every state as a card of this size (inches): lay out for it.
CARD_WIDTH, CARD_HEIGHT = "2.5", "0.8"


def to_graph(definition: dict[str, Any], fmt: str, cards: bool = False) -> graphviz.Digraph:
    graph = graphviz.Digraph(format=fmt, engine="dot")
    graph.attr(rankdir="TB", nodesep="0.6", ranksep="0.5")
    graph.attr(
        "node",
        shape="box",
        style="rounded,filled",
        fillcolor="#f5f7fb",
        fontname="Helvetica",
        fontsize="12",
    )
    graph.attr("edge", fontname="Helvetica", fontsize="10")
    states = definition.get("States") or {}
    graph.node("__start__", "Start", shape="circle", fillcolor="#dbe4f0")
    if isinstance(definition.get("StartAt"), str):
        graph.edge("__start__", definition["StartAt"])
    for name, state in states.items():
        kind = state.get("Type", "") if isinstance(state, dict) else ""
        if cards:
            graph.node(
                name, name, shape="box", fixedsize="true", width=CARD_WIDTH, height=CARD_HEIGHT
            )
        else:
            graph.node(name, f"{name}\n({kind})", shape=STATE_SHAPES.get(kind, "box"))
        if isinstance(state, dict):
            for target, label in transitions(state):
                graph.edge(name, target, label=label, style="dashed" if label == "catch" else "")
            if state.get("End") is True or kind in ("Succeed", "Fail"):
                graph.edge(name, "__end__")
    graph.node("__end__", "End", shape="doublecircle", fillcolor="#dbe4f0")
    return graph


def _run_dot(source: str, fmt: str) -> bytes:
    result = subprocess.run(
        [dot_binary(), f"-T{fmt}"], input=source.encode(), capture_output=True, timeout=30
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr.decode(errors="replace")[:500])
    return result.stdout


def render_svg(definition: dict[str, Any]) -> bytes:
    return _run_dot(to_graph(definition, "svg").source, "svg")


def auto_layout(definition: dict[str, Any]) -> dict[str, Any]:
    """Positions of the top-level states in points, top-left origin, from `dot -Tjson`."""
    data = json.loads(_run_dot(to_graph(definition, "json", cards=True).source, "json"))
    x0, y0, width, height = (float(v) for v in data["bb"].split(","))
    nodes: dict[str, Any] = {}
    for obj in data.get("objects", []):
        name = obj.get("name")
        if name in ("__start__", "__end__") or "pos" not in obj:
            continue
        x, y = (float(v) for v in obj["pos"].split(","))
        w, h = float(obj.get("width", 1)) * 72, float(obj.get("height", 0.5)) * 72
        # dot puts the origin bottom-left and positions node centres; the canvas wants
        # top-left corners with y growing downwards.
        nodes[name] = {
            "x": round(x - x0 - w / 2, 1),
            "y": round(height - (y - y0) - h / 2, 1),
            "width": round(w, 1),
            "height": round(h, 1),
        }
    return {"nodes": nodes, "width": width - x0, "height": height - y0}
