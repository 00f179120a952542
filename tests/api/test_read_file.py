"""Reading a definition file for import: JSON or YAML in, a definition and its problems out,
and a parse error that says on which line and column the file went wrong."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/state-machines/Orders/read-file/"

YAML = """\
Comment: Orders, written in YAML
StartAt: Charge card
States:
  Charge card:
    Type: Task
    Resource: arn:aws:lambda:us-east-1:000000000000:function:echo
    Next: Done
  Done:
    Type: Succeed
"""


def read(api: Any, text: str, filename: str = "") -> Any:
    return api.post(URL, {"text": text, "filename": filename}, format="json")


def test_it_reads_yaml_into_the_definition_it_means(api: Any, make_machine: Any) -> None:
    make_machine()
    response = read(api, YAML, "orders.yaml")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["format"] == "yaml"
    assert body["definition"]["States"]["Charge card"]["Next"] == "Done"
    assert body["diagnostics"] == []


def test_it_reads_json_and_names_the_state_with_a_problem(api: Any, make_machine: Any) -> None:
    make_machine()
    text = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}'
    body = read(api, text, "a.json").json()
    assert body["format"] == "json"
    assert any(
        "Nowhere" in d["message"] and d["location"].startswith("/States/A")
        for d in body["diagnostics"]
    ), body["diagnostics"]


@pytest.mark.parametrize(
    ("text", "filename", "line", "column"),
    [
        ('{\n  "StartAt": "A",\n  "States": {,}\n}', "a.json", 3, 14),
        ("StartAt: A\nStates:\n  A:\n    Type: Pass\n   End: true\n", "a.yaml", 5, 4),
        ("StartAt: &a A\nStates:\n  X: *a\n", "a.yaml", 3, 6),
        ("StartAt: A\nStates:\n  1: {Type: Pass}\n", "a.yml", 3, 3),
        ("StartAt: A\nStates: !!binary aGVsbG8=\n", "a.yaml", 2, 9),
    ],
)
def test_a_file_that_cannot_be_read_is_a_400_naming_the_line(
    api: Any, make_machine: Any, text: str, filename: str, line: int, column: int
) -> None:
    make_machine()
    response = read(api, text, filename)
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["field"]) == ("InvalidDefinitionFile", "text")
    assert (body["line"], body["column"]) == (line, column), body
    assert body["message"].startswith(f"Line {line}, column {column}: ")


def test_a_file_that_is_not_one_object_says_what_it_holds(api: Any, make_machine: Any) -> None:
    make_machine()
    for text, what in [("- a\n- b\n", "a list"), ("", "nothing"), ("42", "a single value")]:
        response = read(api, text, "x.yaml")
        assert response.status_code == 400
        assert what in response.json()["message"]


def test_yaml_dates_stay_text_and_infinity_is_refused(api: Any, make_machine: Any) -> None:
    make_machine()
    dated = read(api, "StartAt: A\nComment: 2024-05-01\nStates: {A: {Type: Succeed}}\n", "a.yaml")
    assert dated.json()["definition"]["Comment"] == "2024-05-01"
    infinite = read(api, "StartAt: A\nStates: {A: {Type: Wait, Seconds: .inf}}\n", "a.yaml")
    assert infinite.status_code == 400
    assert "inf" in infinite.json()["message"]
    too_big = read(api, '{"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": 1e400}}}')
    assert (too_big.status_code, too_big.json()["field"]) == (400, "text")


def test_bad_requests_name_the_field(api: Any, make_machine: Any) -> None:
    make_machine()
    assert api.post(URL, {"filename": "a.yaml"}, format="json").json()["field"] == "text"
    wrong = api.post(URL, {"text": "{}", "filename": 3}, format="json")
    assert (wrong.status_code, wrong.json()["field"]) == (400, "filename")


def test_someone_who_may_not_see_the_machine_gets_a_404(
    outsider_api: Any, make_machine: Any
) -> None:
    make_machine()
    response = outsider_api.post(URL, {"text": YAML}, format="json")
    assert response.status_code == 404


def test_yamls_common_mistakes_are_said_in_plain_words(api: Any, make_machine: Any) -> None:
    make_machine()
    indented = read(api, "StartAt: A\nStates:\n  A:\n    Type: Pass\n   End: true\n", "a.yaml")
    assert "indentation here does not line up" in indented.json()["message"]
    tabbed = read(api, "StartAt: A\nStates:\n\tA: {}\n", "a.yaml")
    assert "indent with spaces" in tabbed.json()["message"]
    assert tabbed.json()["line"] == 3
