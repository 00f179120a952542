"""Machines shaped like public AWS definitions (tests/public_shapes.py) import, validate, get
a box for every state at every depth from the layout, and save back unchanged."""

from __future__ import annotations

from typing import Any

import pytest

from designer.layout import layout_key, walk
from tests.public_shapes import PUBLIC_SHAPES

pytestmark = pytest.mark.django_db

MACHINES = "/api/v1/state-machines/"


@pytest.mark.parametrize("shape", sorted(PUBLIC_SHAPES))
def test_it_imports_lays_out_and_saves_back_unchanged(api: Any, shape: str) -> None:
    definition = PUBLIC_SHAPES[shape]
    created = api.post(MACHINES, {"name": shape, "definition": definition}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["definition"] == definition

    layout = api.get(f"{MACHINES}{shape}/layout/").json()
    expected = {layout_key(scope, name) for scope, name, _ in walk(definition)}
    assert set(layout["nodes"]) == expected
    for box in layout["nodes"].values():
        assert box["width"] > 0 and box["height"] > 0

    # Saving it again with its layout, as the designer does, changes nothing in the ASL.
    saved = api.put(
        f"{MACHINES}{shape}/",
        {"definition": created.json()["definition"], "layout": layout["nodes"]},
        format="json",
    )
    assert saved.status_code == 200, saved.json()
    assert api.get(f"{MACHINES}{shape}/").json()["definition"] == definition
