"""JSONPath as AWS Step Functions (Jayway) evaluates it."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asl.errors import ExpressionError, StatesError
from asl.jsonpath import PathNotFound, compile_path, compile_reference_path, json_equal, json_type

STORE = {
    "name": "shop",
    "items": [
        {"id": 1, "price": 8.95, "tags": ["a"], "kind": "book"},
        {"id": 2, "price": 12.99, "tags": ["a", "b"], "kind": "book"},
        {"id": 3, "price": 22, "kind": "bike"},
    ],
    "owner": {"name": "ada", "address": {"city": "Paris"}},
    "odd key": {"a.b": 1, "it's": 2},
}


def evaluate(text: str, data: object = STORE) -> object:
    return compile_path(text).evaluate(data, None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$", STORE),
        ("$.name", "shop"),
        ("$.owner.address.city", "Paris"),
        ("$['owner']['name']", "ada"),
        ('$["owner"]["name"]', "ada"),
        ("$.items[0].id", 1),
        ("$.items[-1].id", 3),
        ("$.items[1].tags[1]", "b"),
        ("$['odd key']['a.b']", 1),
        ("$['odd key']['it\\'s']", 2),
        ("$.items.length()", 3),
        ("$.owner.name.length()", 3),
    ],
)
def test_it_reads_definite_paths(text: str, expected: object) -> None:
    path = compile_path(text)
    assert path.is_definite
    assert path.evaluate(STORE, None, None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$.items[*].id", [1, 2, 3]),
        ("$.owner.*", ["ada", {"city": "Paris"}]),
        ("$.items[0:2].id", [1, 2]),
        ("$.items[1:].id", [2, 3]),
        ("$.items[:1].id", [1]),
        ("$.items[-2:].id", [2, 3]),
        ("$.items[::2].id", [1, 3]),
        ("$.items[0,2].id", [1, 3]),
        ("$..city", ["Paris"]),
        ("$..id", [1, 2, 3]),
        ("$.items[?(@.price > 10)].id", [2, 3]),
        ("$.items[?(@.price >= 22)].id", [3]),
        ("$.items[?(@.kind == 'book' && @.price < 10)].id", [1]),
        ("$.items[?(@.kind == 'bike' || @.id == 1)].id", [1, 3]),
        ("$.items[?(!(@.kind == 'book'))].id", [3]),
        ("$.items[?(@.tags)].id", [1, 2]),
        ("$.items[?(@.kind != 'book')].id", [3]),
        ("$.items[?(@.kind =~ /BI.*/i)].id", [3]),
        ("$.items[?(@.id in [1, 3])].id", [1, 3]),
        ("$.items[?(@.id nin [1, 3])].id", [2]),
        ("$.items[?(@.tags.length() > 1)].id", [2]),
        ("$.items[?(@.price > $.items[0].price)].id", [2, 3]),
        ("$.missing[*]", []),
        ("$.items[*].missing", []),
    ],
)
def test_it_returns_a_list_of_matches_for_indefinite_paths(text: str, expected: object) -> None:
    path = compile_path(text)
    assert not path.is_definite
    assert path.evaluate(STORE, None, None) == expected


def test_it_compares_numbers_and_strings_only_with_their_own_kind_in_filters() -> None:
    data = {"xs": [{"v": 1}, {"v": "1"}, {"v": True}, {"v": 1.0}]}
    assert evaluate("$.xs[?(@.v == 1)]", data) == [{"v": 1}, {"v": 1.0}]
    assert evaluate("$.xs[?(@.v == '1')]", data) == [{"v": "1"}]
    assert evaluate("$.xs[?(@.v == true)]", data) == [{"v": True}]


def test_it_applies_a_filter_to_an_object_as_to_a_single_candidate() -> None:
    assert evaluate("$.owner[?(@.name == 'ada')].name") == ["ada"]
    assert evaluate("$.owner[?(@.name == 'bob')].name") == []


def test_it_merges_a_trailing_list_of_names_into_one_object() -> None:
    path = compile_path("$.owner['name','nope','address']")
    assert path.is_definite
    assert path.evaluate(STORE) == {"name": "ada", "address": {"city": "Paris"}}


def test_it_walks_every_descendant_with_a_deep_wildcard() -> None:
    assert evaluate("$..*", {"a": {"b": 1}, "c": [2]}) == [{"b": 1}, [2], 1, 2]


def test_it_reads_the_context_object_and_variables() -> None:
    context = {"Execution": {"Id": "arn:x"}}
    assert compile_path("$$.Execution.Id").evaluate({}, context, None) == "arn:x"
    assert compile_path("$$").evaluate({}, context, None) == context
    variables = {"order": {"total": 5}, "flag": False}
    assert compile_path("$order.total").evaluate({}, None, variables) == 5
    assert compile_path("$flag").evaluate({}, None, variables) is False
    assert compile_path("$order").variable == "order"


@pytest.mark.parametrize(
    "text",
    ["$.nope", "$.name.first", "$.items[3]", "$.items[-4]", "$.owner[0]", "$.items.id", "$v"],
)
def test_it_raises_path_not_found_with_the_path_when_a_definite_path_misses(text: str) -> None:
    with pytest.raises(PathNotFound) as raised:
        compile_path(text).evaluate(STORE, {}, {})
    assert raised.value.path == text
    assert isinstance(raised.value, StatesError)


def test_it_does_not_index_into_strings_or_treat_booleans_as_numbers() -> None:
    with pytest.raises(PathNotFound):
        evaluate("$.name[0]")
    with pytest.raises(PathNotFound):
        evaluate("$.length()", True)


@pytest.mark.parametrize(
    "text", ["", "name", "$.", "$[", "$..", "$.a[?(@.x >)]", "$[1:2:3:4]", "$[x]", "$[::0]", "$.a)"]
)
def test_it_rejects_malformed_paths_with_an_expression_error_naming_them(text: str) -> None:
    with pytest.raises(ExpressionError) as raised:
        compile_path(text)
    assert f"'{text}'" in str(raised.value)


def test_it_rejects_a_path_that_is_not_a_string() -> None:
    with pytest.raises(ExpressionError, match="must be a string"):
        compile_path(3)  # type: ignore[arg-type]


def test_it_keeps_a_backslash_that_does_not_escape_the_enclosing_quote() -> None:
    assert evaluate("$['a\\\"b']", {'a\\"b': 1}) == 1


def test_it_writes_a_result_path_by_copying_only_the_spine() -> None:
    data = {"keep": {"big": [1, 2, 3]}, "a": {"b": 1}}
    result = compile_reference_path("$.a.c.d").assign(data, 42)
    assert result == {"keep": {"big": [1, 2, 3]}, "a": {"b": 1, "c": {"d": 42}}}
    assert data == {"keep": {"big": [1, 2, 3]}, "a": {"b": 1}}
    assert result["keep"] is data["keep"]


def test_it_replaces_the_whole_input_for_the_root_path() -> None:
    assert compile_reference_path("$").assign({"a": 1}, [1]) == [1]


def test_it_writes_into_an_existing_array_item() -> None:
    data = {"xs": [{"v": 1}, {"v": 2}]}
    assert compile_reference_path("$.xs[1].v").assign(data, 9) == {"xs": [{"v": 1}, {"v": 9}]}
    assert data["xs"][1] == {"v": 2}


@pytest.mark.parametrize(
    ("text", "data"),
    [("$.a.b", {"a": "text"}), ("$.xs[5]", {"xs": []}), ("$.a", [1])],
)
def test_it_fails_with_result_path_match_failure_when_it_cannot_write(
    text: str, data: object
) -> None:
    with pytest.raises(StatesError) as raised:
        compile_reference_path(text).assign(data, 1)
    assert raised.value.error == "States.ResultPathMatchFailure"
    assert text in str(raised.value.cause)


@pytest.mark.parametrize("text", ["$.a[*]", "$..a", "$.a[?(@.b)]", "$.a.length()", "$.a[0:1]"])
def test_it_refuses_indefinite_reference_paths(text: str) -> None:
    with pytest.raises(ExpressionError, match="only names and array indexes"):
        compile_reference_path(text)


def test_it_reads_through_a_reference_path() -> None:
    assert compile_reference_path("$.owner.name").evaluate(STORE) == "ada"


def test_it_compares_json_values_without_confusing_booleans_and_numbers() -> None:
    assert json_equal({"a": [1, 2.0]}, {"a": [1.0, 2]})
    assert not json_equal([True], [1])
    assert not json_equal({"a": 1}, {"a": 1, "b": 2})
    assert not json_equal(None, False)


def test_it_scans_deeply_nested_input_without_overflowing_the_stack() -> None:
    deep: dict[str, object] = {"v": 0}
    for level in range(1, 5000):
        deep = {"v": level, "next": deep}
    values = compile_path("$..v").evaluate(deep)
    assert values == list(range(4999, -1, -1))


@pytest.mark.parametrize(
    ("item", "name"),
    [
        (None, "null"),
        (True, "boolean"),
        (1, "number"),
        (1.5, "number"),
        ("s", "string"),
        ([], "array"),
        ({}, "object"),
    ],
)
def test_it_names_json_types_as_aws_does(item: Any, name: str) -> None:
    assert json_type(item) == name


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("$", "$"),
        ("$.a.b", "$['a']['b']"),
        ("$.a[0].b", "$['a'][0]['b']"),
        ("$['odd key'].x", "$['odd key']['x']"),
        ("$$.Execution.Id", "$$['Execution']['Id']"),
        ("$order.total", "$order['total']"),
        ("$.a[*].b", "$['a'][*]['b']"),
        ("$..b", "$..['b']"),
        ("$.a[1:3]", "$['a'][1:3]"),
        ("$.a[0,2]", "$['a'][0,2]"),
        ("$.a['x','y']", "$['a']['x','y']"),
        ("$.a[?(@.b > 1)]", "$['a'][?]"),
        ("$.a.length()", "$['a'].length()"),
    ],
)
def test_it_gives_the_normalized_form_aws_prints_in_messages(text: str, normalized: str) -> None:
    assert compile_path(text).normalized == normalized


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=False)
    | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["a", "b"]), inner, max_size=2),
    max_leaves=8,
)
_SEGMENTS = st.sampled_from(
    [
        ".a",
        ".b",
        "[0]",
        "[-1]",
        "[*]",
        "..a",
        "..*",
        "[1:]",
        "[::-1]",
        "[0,1]",
        "['a','b']",
        "[?(@.a)]",
        "[?(@ > 1)]",
        "[?(@.a == 'x' || @.b < 2)]",
        "[?(@.a =~ /x.*/)]",
        "[?(@.a in [1, 2])]",
        ".length()",
        "[?(@.a size 2)]",
        "[",
        "]",
        "(",
        "'",
        ".",
        "?",
        "@",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(["$", "$$", "$a", "@", ""]), st.lists(_SEGMENTS, max_size=4), _JSON_VALUES)
def test_it_answers_any_path_and_input_with_a_value_or_its_own_errors(
    root: str, segments: list[str], data: Any
) -> None:
    text = root + "".join(segments)
    try:
        path = compile_path(text)
    except ExpressionError:
        return
    # Whatever it meets, a compiled path answers or raises its own StatesError.
    with contextlib.suppress(StatesError):
        path.evaluate(data, data, {"a": data})
    try:
        reference = compile_reference_path(text)
    except ExpressionError:
        return
    if reference.path.root == "input":
        with contextlib.suppress(StatesError):
            reference.assign(data, 1)
