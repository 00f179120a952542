"""A machine's draft: saved as it is, valid or not; published only when valid; shared by its
editors, who never overwrite each other unseen (optimistic concurrency on its revision)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from designer import roles
from designer.actions import DEFINITION_LIMIT_BYTES
from designer.models import Draft, StateMachine
from tests.conftest import client_for
from tests.executor.definitions import HELLO_DEFINITION

pytestmark = pytest.mark.django_db

URL = "/api/v1/state-machines/Drafty/draft/"
MACHINE = "/api/v1/state-machines/Drafty/"
# Half built: "Then" leads nowhere yet and "Loose" is reached by nothing.
HALF_BUILT = {
    "StartAt": "First",
    "States": {"First": {"Type": "Pass", "Next": "Then"}, "Loose": {"Type": "Task"}},
}
LAYOUT = {"First": {"x": 10, "y": 20}, "Loose": {"x": 300, "y": 20}}


@pytest.fixture
def machine(api: Any, user: Any) -> StateMachine:
    response = api.post(
        "/api/v1/state-machines/", {"name": "Drafty", "definition": HELLO_DEFINITION}, format="json"
    )
    assert response.status_code == 201
    return StateMachine.objects.get(name="Drafty")


@pytest.fixture
def bob(django_user_model: Any, machine: StateMachine) -> APIClient:
    """A second editor of the machine."""
    user = django_user_model.objects.create_user("bob")
    roles.grant("editor", user=user, machine=machine)
    return client_for(user)


def put(client: APIClient, body: dict[str, Any], **headers: str) -> Any:
    return client.put(URL, body, format="json", **headers)


def test_it_has_no_draft_until_someone_edits(api: Any, machine: StateMachine) -> None:
    response = api.get(URL)
    assert response.status_code == 200
    assert response.json() == {"draft": None, "editors": [], "version": 1}
    assert response["ETag"] == '"0"'


def test_it_keeps_a_draft_that_is_not_valid_asl_yet(api: Any, machine: StateMachine) -> None:
    saved = put(api, {"definition": HALF_BUILT, "layout": LAYOUT, "revision": 0})
    assert saved.status_code == 200, saved.json()
    draft = saved.json()["draft"]
    assert draft["definition"] == HALF_BUILT
    assert draft["layout"] == LAYOUT
    assert draft["revision"] == 1
    assert draft["base_version"] == 1
    assert draft["updated_by"] == "alice"
    assert draft["mine"] is True
    assert saved["ETag"] == '"1"'

    again = api.get(URL).json()["draft"]
    assert again["definition"] == HALF_BUILT
    # The draft is not a version: the machine and its runs still see version 1.
    stored = api.get(MACHINE).json()
    assert stored["version"] == 1
    assert stored["definition"] == HELLO_DEFINITION


def test_it_keeps_code_text_that_does_not_parse(api: Any, machine: StateMachine) -> None:
    text = '{"StartAt": "First", "States": {'
    saved = put(api, {"definition": text, "revision": 0}).json()["draft"]
    assert saved["definition"] is None
    assert saved["code"] == text
    # Text that is an object's JSON is kept as the object.
    parsed = put(api, {"definition": json.dumps(HALF_BUILT), "revision": 1}).json()["draft"]
    assert parsed["definition"] == HALF_BUILT
    assert parsed["code"] == ""


def test_it_refuses_a_draft_larger_than_a_definition_may_be(
    api: Any, machine: StateMachine
) -> None:
    huge = {
        "StartAt": "A",
        "States": {"A": {"Type": "Pass", "Comment": "x" * DEFINITION_LIMIT_BYTES}},
    }
    response = put(api, {"definition": huge, "revision": 0})
    assert response.status_code in (400, 413)
    assert response.json()["code"] in ("InvalidDefinition", "PayloadTooLarge")
    assert not Draft.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"definition": 5, "revision": 0}, "definition"),
        ({"layout": {}, "revision": 0}, "definition"),
        ({"definition": HALF_BUILT, "layout": {"First": {"x": "left"}}}, "layout"),
        ({"definition": HALF_BUILT, "revision": -1}, "revision"),
        ({"definition": HALF_BUILT, "revision": "1"}, "revision"),
        ({"definition": HALF_BUILT, "base_version": 7}, "base_version"),
        ({"definition": {"Comment": "nul \x00"}, "revision": 0}, "definition"),
    ],
)
def test_it_names_the_field_of_a_bad_draft(
    api: Any, machine: StateMachine, body: dict[str, Any], field: str
) -> None:
    response = put(api, body)
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == field


def test_it_refuses_a_save_based_on_an_old_revision_and_says_who_changed_it(
    api: Any, bob: APIClient, machine: StateMachine
) -> None:
    assert put(api, {"definition": HALF_BUILT, "revision": 0}).status_code == 200
    theirs = {**HALF_BUILT, "Comment": "Bob's idea"}
    assert put(bob, {"definition": theirs}, HTTP_IF_MATCH='"1"').status_code == 200

    # Alice's designer still thinks revision 1 is the latest.
    mine = {**HALF_BUILT, "Comment": "Alice's idea"}
    refused = put(api, {"definition": mine}, HTTP_IF_MATCH='"1"')
    assert refused.status_code == 409
    answer = refused.json()
    assert answer["code"] == "DraftConflict"
    assert "bob changed this draft" in answer["message"]
    assert answer["draft"]["definition"]["Comment"] == "Bob's idea"
    assert answer["draft"]["revision"] == 2
    assert answer["draft"]["mine"] is False
    assert Draft.objects.get().definition["Comment"] == "Bob's idea"

    # Having seen Bob's change, Alice may save over it by naming its revision.
    overwritten = put(api, {"definition": mine, "revision": 2})
    assert overwritten.status_code == 200
    assert overwritten.json()["draft"]["revision"] == 3


def test_it_refuses_a_first_draft_when_someone_already_started_one(
    api: Any, bob: APIClient, machine: StateMachine
) -> None:
    assert put(bob, {"definition": HALF_BUILT}).status_code == 200  # no revision: a first one
    refused = put(api, {"definition": HELLO_DEFINITION})
    assert refused.status_code == 409
    assert refused.json()["draft"]["updated_by"] == "bob"


def test_it_tells_each_editor_who_else_is_editing(
    api: Any, bob: APIClient, machine: StateMachine
) -> None:
    assert api.get(URL).json()["editors"] == []
    assert bob.get(URL).json()["editors"] == ["alice"]
    assert api.get(URL).json()["editors"] == ["bob"]


def test_it_publishes_only_a_valid_draft_and_then_forgets_it(
    api: Any, machine: StateMachine
) -> None:
    assert put(api, {"definition": HALF_BUILT, "revision": 0}).status_code == 200
    refused = api.put(MACHINE, {"definition": HALF_BUILT, "draft_revision": 1}, format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "InvalidDefinition"
    assert api.get(MACHINE).json()["version"] == 1
    assert api.get(URL).json()["draft"]["definition"] == HALF_BUILT  # nothing lost

    fixed = {
        "StartAt": "First",
        "States": {"First": {"Type": "Pass", "Next": "Then"}, "Then": {"Type": "Succeed"}},
    }
    assert put(api, {"definition": fixed, "revision": 1}).status_code == 200
    published = api.put(MACHINE, {"definition": fixed, "draft_revision": 2}, format="json")
    assert published.status_code == 200
    assert published.json()["version"] == 2
    assert api.get(URL).json()["draft"] is None


def test_it_keeps_a_draft_saved_by_someone_else_while_publishing(
    api: Any, bob: APIClient, machine: StateMachine
) -> None:
    assert put(api, {"definition": HALF_BUILT, "revision": 0}).status_code == 200
    assert put(bob, {"definition": HALF_BUILT, "revision": 1}).status_code == 200
    published = api.put(
        MACHINE, {"definition": HELLO_DEFINITION, "draft_revision": 1}, format="json"
    )
    assert published.status_code == 200
    assert api.get(URL).json()["draft"]["revision"] == 2


def test_it_discards_a_draft(api: Any, bob: APIClient, machine: StateMachine) -> None:
    assert put(api, {"definition": HALF_BUILT, "revision": 0}).status_code == 200
    assert put(bob, {"definition": HALF_BUILT, "revision": 1}).status_code == 200
    # Alice discards what she saw, revision 1; Bob has saved since.
    assert api.delete(URL, HTTP_IF_MATCH='"1"').status_code == 409
    assert api.delete(URL, HTTP_IF_MATCH='"2"').status_code == 204
    assert api.get(URL).json()["draft"] is None
    assert api.delete(URL).status_code == 204  # nothing to discard is no error


def test_it_refuses_an_if_match_that_is_no_revision(api: Any, machine: StateMachine) -> None:
    response = put(api, {"definition": HALF_BUILT}, HTTP_IF_MATCH='"abc"')
    assert response.status_code == 400
    assert response.json()["field"] == "If-Match"


def test_it_shows_drafts_only_to_editors(
    django_user_model: Any, outsider_api: Any, api: Any, machine: StateMachine
) -> None:
    assert put(api, {"definition": HALF_BUILT, "revision": 0}).status_code == 200
    viewer = django_user_model.objects.create_user("vera")
    roles.grant("viewer", user=viewer, machine=machine)
    as_viewer = client_for(viewer)
    assert as_viewer.get(URL).status_code == 403
    assert put(as_viewer, {"definition": HELLO_DEFINITION, "revision": 1}).status_code == 403
    assert as_viewer.delete(URL).status_code == 403
    # Someone who may not even view the machine learns nothing, not even that it exists.
    assert outsider_api.get(URL).status_code == 404
    assert put(outsider_api, {"definition": HELLO_DEFINITION}).status_code == 404
    assert Draft.objects.get().revision == 1


def test_it_keeps_which_containers_are_folded_in_drafts_and_versions(
    api: Any, machine: StateMachine
) -> None:
    folded = {"Hello": {"x": 1, "y": 2, "folded": True}, "Other": {"x": 3, "y": 4, "folded": "yes"}}
    draft = put(api, {"definition": HALF_BUILT, "layout": folded, "revision": 0}).json()["draft"]
    # Only a true "folded" is kept; anything else beside x and y is dropped.
    assert draft["layout"] == {"Hello": {"x": 1, "y": 2, "folded": True}, "Other": {"x": 3, "y": 4}}
    saved = api.put(MACHINE, {"layout": folded}, format="json").json()
    assert saved["layout"]["Hello"] == {"x": 1, "y": 2, "folded": True}
