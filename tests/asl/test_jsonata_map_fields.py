"""Which Map fields a JSONata Map state accepts in inline mode.

Each test names the page of the AWS Step Functions developer guide its rule comes from
(https://docs.aws.amazon.com/step-functions/latest/dg/).
"""

from __future__ import annotations

from typing import Any

import pytest

import asl
from asl.validate import diagnose
from tests.asl.clock import VirtualClock

PROCESSOR = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
PREFIX = "An error occurred while executing the state 'S' (entered at the event id #2). "


def run(states: dict[str, Any], data: Any) -> asl.RunResult:
    definition = {"QueryLanguage": "JSONata", "StartAt": "S", "States": states}
    return asl.run(definition, data, clock=VirtualClock())


def mapping(**fields: Any) -> dict[str, Any]:
    return {"S": {"Type": "Map", "ItemProcessor": PROCESSOR, "End": True, **fields}}


# -- Which Map fields JSONata accepts in inline mode ----------------------------------------


@pytest.mark.parametrize("field", ["ToleratedFailureCount", "ToleratedFailurePercentage"])
@pytest.mark.parametrize("given", ["{% $variable := 1 %}", 1])
def test_an_inline_jsonata_map_accepts_the_tolerated_failure_fields(field: str, given: Any) -> None:
    # AWS runs an inline JSONata Map that sets ToleratedFailureCount or
    # ToleratedFailurePercentage as an expression: recorded against AWS, not written in the
    # guide, which lists the fields with the Distributed Map
    # (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html) and
    # lets JSONata states give such fields as expressions
    # (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html).
    states = mapping(Items=[1, "{% $number('2') %}", 3], **{field: given})
    definition = {"QueryLanguage": "JSONata", "StartAt": "S", "States": states}
    assert diagnose(definition) == []
    result = run(states, {})
    assert (result.status, result.output) == ("SUCCEEDED", [1, 2, 3])


def test_an_inline_jsonata_map_still_checks_the_tolerated_percentage_range() -> None:
    # "ToleratedFailurePercentage ... between 0 and 100"
    # (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html).
    result = run(mapping(Items=[1], ToleratedFailurePercentage="{% 101 %}"), {})
    assert (result.status, result.error) == ("FAILED", "States.Runtime")
    assert result.cause == PREFIX + "ToleratedFailurePercentage must be between 0 and 100."


@pytest.mark.parametrize(
    ("field", "given"),
    [
        ("Label", "Batch"),
        ("ItemBatcher", {"MaxItemsPerBatch": 2}),
        ("ResultWriter", {"WriterConfig": {"OutputType": "JSON"}}),
    ],
)
def test_an_inline_jsonata_map_still_refuses_the_distributed_only_fields(
    field: str, given: Any
) -> None:
    # Label, ItemBatcher and ResultWriter are Distributed Map fields
    # (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html).
    states = mapping(Items=[1], **{field: given})
    definition = {"QueryLanguage": "JSONata", "StartAt": "S", "States": states}
    assert [(d.code, d.location) for d in diagnose(definition)] == [
        ("DISTRIBUTED_ONLY_FIELD", f"/States/S/{field}")
    ]


def test_a_jsonpath_inline_map_still_refuses_the_tolerated_failure_fields() -> None:
    # (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html)
    states = mapping(ItemsPath="$.xs", ToleratedFailureCount=1)
    definition = {"StartAt": "S", "States": states}
    assert [(d.code, d.location) for d in diagnose(definition)] == [
        ("DISTRIBUTED_ONLY_FIELD", "/States/S/ToleratedFailureCount")
    ]


def test_a_jsonata_map_is_told_to_use_item_selector_for_parameters() -> None:
    # JSONata Map states shape each item with ItemSelector; Parameters is its JSONPath-only
    # old name (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html).
    states = mapping(Items=[1], Parameters={"a": 1})
    definition = {"QueryLanguage": "JSONata", "StartAt": "S", "States": states}
    (diagnostic,) = diagnose(definition)
    assert diagnostic.code == "FIELD_NOT_IN_QUERY_LANGUAGE"
    assert diagnostic.message.endswith("Use ItemSelector instead.")
