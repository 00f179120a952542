"""Intrinsic functions as the AWS developer guide specifies them."""

from __future__ import annotations

import contextlib
import hashlib
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asl.errors import ExpressionError, StatesError
from asl.intrinsics import FUNCTIONS, compile_intrinsic, is_intrinsic
from asl.jsonpath import PathNotFound

INPUT = {
    "name": "Ada",
    "nums": [1, 2, 3, 4, 5],
    "obj": {"Arg1": 1, "Arg2": [], "s": "x"},
    "other": {"Arg2": [9], "z": None},
    "csv": "a,b,,c",
    "n": 3,
}
CONTEXT = {"StateMachine": {"Name": "orders-v2-prod"}}
VARIABLES = {"greeting": "hello"}


def call(text: str, data: object = INPUT) -> object:
    return compile_intrinsic(text).evaluate(data, CONTEXT, VARIABLES)


def fails(text: str, data: object = INPUT) -> StatesError:
    with pytest.raises(StatesError) as raised:
        call(text, data)
    assert raised.value.error == "States.IntrinsicFailure"
    return raised.value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("States.Format('Hello, {}!', $.name)", "Hello, Ada!"),
        ("States.Format('{} and {}', $.n, $.other.z)", "3 and null"),
        ("States.Format('{}', $.obj)", "{Arg1=1, Arg2=[], s=x}"),
        ("States.Format('{}', $.nums)", "[1, 2, 3, 4, 5]"),
        ("States.Format('{} {}', 1.5, true)", "1.5 true"),
        ("States.Format('\\{\\} {} \\'q\\' \\\\', 'x')", "{} x 'q' \\"),
        ("States.Format('{}', $greeting)", "hello"),
        ("States.Format($.template, $.name)", "Hi Ada"),
    ],
)
def test_it_formats_strings_the_way_aws_prints_values(text: str, expected: str) -> None:
    data = {**INPUT, "template": "Hi {}"}
    assert call(text, data) == expected


def test_it_builds_arrays_from_any_arguments() -> None:
    assert call("States.Array()") == []
    assert call("States.Array($.name, 1, -2.5, true, null, 'x')") == [
        "Ada",
        1,
        -2.5,
        True,
        None,
        "x",
    ]


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (1, [[1], [2], [3], [4], [5]]),
        (2, [[1, 2], [3, 4], [5]]),
        (5, [[1, 2, 3, 4, 5]]),
        (9, [[1, 2, 3, 4, 5]]),
    ],
)
def test_it_partitions_arrays_into_chunks(size: int, expected: object) -> None:
    assert call(f"States.ArrayPartition($.nums, {size})") == expected


def test_it_partitions_an_empty_array_into_nothing() -> None:
    assert call("States.ArrayPartition(States.Array(), 2)") == []


def test_it_refuses_a_chunk_size_that_is_not_positive() -> None:
    assert "chunk size" in str(fails("States.ArrayPartition($.nums, 0)").cause)


def test_it_finds_values_in_arrays_by_json_equality() -> None:
    assert call("States.ArrayContains($.nums, 3)") is True
    assert call("States.ArrayContains($.nums, 3.0)") is True
    assert call("States.ArrayContains($.nums, 9)") is False
    assert call("States.ArrayContains(States.Array(1), true)") is False
    data = {"xs": [[1, 2], {"a": 1}], "v": {"a": 1}}
    assert call("States.ArrayContains($.xs, $.v)", data) is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("States.ArrayRange(1, 9, 2)", [1, 3, 5, 7, 9]),
        ("States.ArrayRange(0, 3, 1)", [0, 1, 2, 3]),
        ("States.ArrayRange(9, 1, -3)", [9, 6, 3]),
        ("States.ArrayRange(5, 1, 1)", []),
        ("States.ArrayRange(1, 1000, 1)", list(range(1, 1001))),
    ],
)
def test_it_makes_inclusive_ranges(text: str, expected: object) -> None:
    assert call(text) == expected


def test_it_limits_ranges_to_a_thousand_items_and_a_non_zero_step() -> None:
    assert "1001 items" in str(fails("States.ArrayRange(0, 1000, 1)").cause)
    assert "must not be 0" in str(fails("States.ArrayRange(0, 10, 0)").cause)
    assert "integer" in str(fails("States.ArrayRange(0, 1.5, 1)").cause)


def test_it_gets_items_by_index_and_refuses_out_of_bounds_ones() -> None:
    assert call("States.ArrayGetItem($.nums, 0)") == 1
    assert call("States.ArrayGetItem($.nums, $.n)") == 4
    assert "out of bounds" in str(fails("States.ArrayGetItem($.nums, 5)").cause)
    assert "out of bounds" in str(fails("States.ArrayGetItem($.nums, -1)").cause)


def test_it_measures_and_deduplicates_arrays() -> None:
    assert call("States.ArrayLength($.nums)") == 5
    data = {"xs": [1, 1.0, True, "1", {"a": 1}, {"a": 1}, None, None]}
    assert call("States.ArrayUnique($.xs)", data) == [1, True, "1", {"a": 1}, None]
    assert "must be array" in str(fails("States.ArrayLength($.name)").cause)


def test_it_encodes_and_decodes_base64_utf8() -> None:
    assert call("States.Base64Encode('Data to encode')") == "RGF0YSB0byBlbmNvZGU="
    assert call("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')") == "Data to encode"
    assert call("States.Base64Decode(States.Base64Encode('héllo ✓'))") == "héllo ✓"
    assert "not valid base64" in str(fails("States.Base64Decode('***')").cause)


def test_it_limits_base64_and_hash_inputs_to_ten_thousand_characters() -> None:
    data = {"big": "x" * 10_001, "ok": "x" * 10_000}
    assert call("States.Base64Encode($.ok)", data)
    assert "10001 characters" in str(fails("States.Base64Encode($.big)", data).cause)
    assert "10001 characters" in str(fails("States.Hash($.big, 'MD5')", data).cause)


@pytest.mark.parametrize("algorithm", ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"])
def test_it_hashes_with_every_algorithm_aws_offers(algorithm: str) -> None:
    expected = hashlib.new(algorithm.replace("-", "").lower(), b"Ada").hexdigest()
    assert call(f"States.Hash($.name, '{algorithm}')") == expected


def test_it_refuses_an_unknown_hash_algorithm() -> None:
    assert "SHA-2" in str(fails("States.Hash($.name, 'SHA-2')").cause)


def test_it_merges_objects_shallowly_only() -> None:
    merged = call("States.JsonMerge($.obj, $.other, false)")
    assert merged == {"Arg1": 1, "Arg2": [9], "s": "x", "z": None}
    assert "deep merge" in str(fails("States.JsonMerge($.obj, $.other, true)").cause)
    assert INPUT["obj"] == {"Arg1": 1, "Arg2": [], "s": "x"}


def test_it_converts_between_json_and_strings() -> None:
    assert call("States.StringToJson('{\"a\": [1, null]}')") == {"a": [1, None]}
    assert call("States.JsonToString($.obj)") == '{"Arg1":1,"Arg2":[],"s":"x"}'
    assert call("States.StringToJson(States.JsonToString($.obj))") == INPUT["obj"]
    assert "not valid JSON" in str(fails("States.StringToJson('{')").cause)


def test_it_adds_integers_rounding_halves_up_like_aws() -> None:
    assert call("States.MathAdd(-9, 3)") == -6
    assert call("States.MathAdd(1.49, 1.5)") == 3
    assert call("States.MathAdd(1.5, 1.51)") == 4
    assert call("States.MathAdd(-1.5, 0)") == -1
    assert call("States.MathAdd(-0.5, 0.5)") == 1
    assert call("States.MathAdd($.n, -1)") == 2
    assert "between" in str(fails("States.MathAdd(2147483648, 1)").cause)
    assert "number" in str(fails("States.MathAdd('1', 1)").cause)


def test_it_draws_random_integers_in_range_and_repeats_them_for_a_seed() -> None:
    draws = {call("States.MathRandom(1, 4)") for _ in range(200)}
    assert draws == {1, 2, 3}
    seeded = {call("States.MathRandom(0, 1000, 42)") for _ in range(5)}
    assert len(seeded) == 1
    assert "less than" in str(fails("States.MathRandom(5, 5)").cause)


def test_it_splits_strings_on_any_delimiter_character_dropping_empty_pieces() -> None:
    assert call("States.StringSplit($.csv, ',')") == ["a", "b", "c"]
    assert call("States.StringSplit('This.is+a,test', '.+,')") == ["This", "is", "a", "test"]
    assert call("States.StringSplit(',,,', ',')") == []
    assert call("States.StringSplit(' ', ',')") == [" "]


def test_it_generates_version_4_uuids() -> None:
    first, second = call("States.UUID()"), call("States.UUID()")
    assert isinstance(first, str)
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", first
    )
    assert first != second


def test_it_evaluates_nested_calls_and_context_paths() -> None:
    text = (
        "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), "
        "States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))"
    )
    assert call(text) == "prod"


def test_it_reads_path_arguments_containing_commas_and_parentheses() -> None:
    data = {"a": {"x": 1, "y": 2}, "xs": [{"v": 1}, {"v": 5}]}
    assert call("States.Array($.a['x','y'], $.xs[?(@.v > 2)].v)", data) == [
        {"x": 1, "y": 2},
        [5],
    ]


def test_it_lets_a_missing_path_argument_surface_as_path_not_found() -> None:
    with pytest.raises(PathNotFound) as raised:
        call("States.Array($.nope)")
    assert raised.value.path == "$.nope"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("States.Nope(1)", "unknown function 'States.Nope'"),
        ("States.Array(", "expected an argument"),
        ("States.ArrayRange(1, 2)", "takes 3 arguments, not 2"),
        ("States.MathRandom(1)", "takes 2 to 3 arguments"),
        ("States.UUID(1)", "takes 0 arguments"),
        ("States.Format('{} {}', 1)", "2 placeholders but 1 values"),
        ("States.Array(foo)", "'foo' is not a number"),
        ("States.Array($.)", "Invalid JSONPath '$.'"),
        ("States.Array('open)", "unterminated string"),
        ("States.Array(1) extra", "unexpected text"),
        ("States.Array(1 2)", "expected ',' or ')'"),
    ],
)
def test_it_rejects_malformed_calls_at_compile_time(text: str, message: str) -> None:
    with pytest.raises(ExpressionError) as raised:
        compile_intrinsic(text)
    assert message in str(raised.value)
    assert text in str(raised.value)


def test_it_limits_nesting_to_ten_calls() -> None:
    ten = "States.Array(" * 10 + "1" + ")" * 10
    assert call(ten) == [[[[[[[[[[1]]]]]]]]]]
    with pytest.raises(ExpressionError, match="nested at most 10"):
        compile_intrinsic("States.Array(" + ten + ")")


def test_it_tells_calls_from_paths() -> None:
    assert is_intrinsic("States.Array()")
    assert not is_intrinsic("$.States")


def test_it_refuses_non_finite_numbers_instead_of_crashing() -> None:
    data = {"inf": float("inf"), "nan": float("nan")}
    assert "finite" in str(fails("States.MathAdd($.inf, 1)", data).cause)
    assert "finite" in str(fails("States.MathRandom(1, 5, $.nan)", data).cause)
    with pytest.raises(ExpressionError, match="'Infinity' is not a number"):
        compile_intrinsic("States.Array(Infinity)")


_LITERALS = st.sampled_from(
    ["1", "-2", "0", "2.5", "true", "null", "'x'", "'a,b'", "'{}'", "'SHA-256'", "1001", "$", "$.a"]
)


def _calls(depth: int) -> st.SearchStrategy[str]:
    argument = _LITERALS if depth == 0 else st.one_of(_LITERALS, _calls(depth - 1))
    return st.tuples(st.sampled_from(sorted(FUNCTIONS)), st.lists(argument, max_size=3)).map(
        lambda call: f"{call[0]}({', '.join(call[1])})"
    )


_INPUTS = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats() | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["a", "b"]), inner, max_size=2),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(_calls(2), _INPUTS)
def test_it_answers_any_call_on_any_input_with_a_value_or_its_own_errors(
    text: str, data: object
) -> None:
    try:
        intrinsic = compile_intrinsic(text)
    except ExpressionError:
        return
    # Whatever it meets, a compiled call answers or raises its own StatesError.
    with contextlib.suppress(StatesError):
        intrinsic.evaluate({"a": data}, data, None)
