"""The version history: every version with who saved it, when and their comment, newest
first and a page at a time, and any version read whole."""

from __future__ import annotations

from typing import Any

import pytest

from tests.executor.definitions import HELLO_DEFINITION, ORDER_DEFINITION

pytestmark = pytest.mark.django_db

MACHINE = "/api/v1/state-machines/Orders/"


def renamed(definition: dict[str, Any], comment: str) -> dict[str, Any]:
    return {**definition, "Comment": comment}


def test_it_lists_versions_newest_first_with_author_time_and_comment(
    api: Any, make_machine: Any, user: Any
) -> None:
    make_machine("Orders", ORDER_DEFINITION)
    for i in (2, 3):
        saved = api.put(
            MACHINE,
            {"definition": renamed(ORDER_DEFINITION, f"v{i}"), "comment": f"Change {i}"},
            format="json",
        )
        assert saved.status_code == 200
    listing = api.get(MACHINE + "versions/").json()
    assert [(v["number"], v["comment"], v["created_by"]) for v in listing["versions"]] == [
        (3, "Change 3", user.username),
        (2, "Change 2", user.username),
        (1, "", user.username),
    ]
    assert listing["next_cursor"] is None
    assert all(v["created_at"] for v in listing["versions"])


def test_it_pages_through_a_long_history(api: Any, make_machine: Any) -> None:
    make_machine("Orders", ORDER_DEFINITION)
    for i in range(2, 8):
        api.put(MACHINE, {"definition": renamed(ORDER_DEFINITION, str(i))}, format="json")
    first = api.get(MACHINE + "versions/?limit=3").json()
    assert [v["number"] for v in first["versions"]] == [7, 6, 5]
    second = api.get(f"{MACHINE}versions/", {"limit": 3, "cursor": first["next_cursor"]}).json()
    assert [v["number"] for v in second["versions"]] == [4, 3, 2]
    last = api.get(f"{MACHINE}versions/", {"limit": 3, "cursor": second["next_cursor"]}).json()
    assert ([v["number"] for v in last["versions"]], last["next_cursor"]) == ([1], None)


def test_it_reads_an_old_version_whole(api: Any, make_machine: Any) -> None:
    make_machine("Orders", ORDER_DEFINITION)
    api.put(
        MACHINE,
        {"definition": HELLO_DEFINITION, "layout": {"Hello": {"x": 1, "y": 2}}},
        format="json",
    )
    old = api.get(MACHINE + "versions/1/").json()
    assert (old["number"], old["definition"]) == (1, ORDER_DEFINITION)
    new = api.get(MACHINE + "versions/2/").json()
    assert (new["definition"], new["layout"]) == (HELLO_DEFINITION, {"Hello": {"x": 1, "y": 2}})


def test_it_refuses_bad_input_and_hides_other_users_history(
    api: Any, outsider_api: Any, make_machine: Any
) -> None:
    make_machine("Orders", ORDER_DEFINITION)
    for query in ("cursor=x", "limit=x", "limit=-1", "limit=1001"):
        response = api.get(f"{MACHINE}versions/?{query}")
        assert response.status_code == 400, query
        assert response.json()["field"] == query.split("=")[0]
    assert api.get(MACHINE + "versions/9/").status_code == 404
    too_long = api.put(
        MACHINE, {"definition": HELLO_DEFINITION, "comment": "x" * 257}, format="json"
    )
    assert (too_long.status_code, too_long.json()["field"]) == (400, "comment")
    assert api.get(MACHINE).json()["version"] == 1, "a refused save stores nothing"
    assert outsider_api.get(MACHINE + "versions/").status_code == 404
    assert outsider_api.get(MACHINE + "versions/1/").status_code == 404
