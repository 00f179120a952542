"""The template gallery: working machines a new one can start from, one JSON file each.

Each template runs as it is on a fresh installation: its tasks call the built-in stand-in
functions `echo` and `simulate` (executor/builtin_functions.py), which a user replaces with
their own work. A template's input is a sample that runs it down its main path.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    description: str
    definition: dict[str, Any]
    input: Any

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "definition": self.definition,
            "input": self.input,
        }


@functools.cache
def templates() -> tuple[Template, ...]:
    found = []
    for path in Path(__file__).parent.glob("*.json"):
        data = json.loads(path.read_text())
        found.append((data.pop("order"), Template(id=path.stem, **data)))
    return tuple(template for _, template in sorted(found, key=lambda pair: pair[0]))


def template(template_id: str) -> Template | None:
    return next((t for t in templates() if t.id == template_id), None)
