"""asl.arns writes and reads the ARN forms of AWS's documentation
(https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-resource-names.html)."""

from __future__ import annotations

import pytest

import asl.arns as arns
from asl.arns import Arn

R, A = "eu-west-1", "111122223333"


def test_it_builds_each_form() -> None:
    assert arns.state_machine("M", R, A) == f"arn:aws:states:{R}:{A}:stateMachine:M"
    assert arns.version("M", 3, R, A) == f"arn:aws:states:{R}:{A}:stateMachine:M:3"
    assert arns.alias("M", "PROD", R, A) == f"arn:aws:states:{R}:{A}:stateMachine:M:PROD"
    assert arns.execution("M", "e", R, A) == f"arn:aws:states:{R}:{A}:execution:M:e"
    assert arns.activity("act", R, A) == f"arn:aws:states:{R}:{A}:activity:act"


@pytest.mark.parametrize(
    ("arn", "parsed"),
    [
        (arns.state_machine("M", R, A), Arn("stateMachine", R, A, "M")),
        (arns.version("M", 12, R, A), Arn("version", R, A, "M", "12")),
        (arns.alias("M", "PROD", R, A), Arn("alias", R, A, "M", "PROD")),
        # A qualifier with a leading zero is no version number: an alias name.
        (arns.alias("M", "01", R, A), Arn("alias", R, A, "M", "01")),
        (arns.execution("M", "e", R, A), Arn("execution", R, A, "M", "e")),
        (f"arn:aws:states:{R}:{A}:express:M:e:uuid", Arn("execution", R, A, "M", "e")),
        (arns.activity("act", R, A), Arn("activity", R, A, "act")),
        (f"arn:aws-cn:states:{R}:{A}:activity:act", Arn("activity", R, A, "act")),
    ],
)
def test_it_parses_what_it_builds(arn: str, parsed: Arn) -> None:
    assert arns.parse(arn) == parsed


@pytest.mark.parametrize(
    "arn",
    [
        None,
        42,
        "",
        "arn:aws:lambda:us-east-1:1:function:f",
        f"arn:aws:states:{R}:{A}:stateMachine",
        f"arn:aws:states:{R}:{A}:stateMachine:M:1:2",
        f"arn:aws:states:{R}:{A}:stateMachine:M:",
        f"arn:aws:states::{A}:stateMachine:M",
        f"arn:aws:states:{R}:{A}:execution:M",
        f"arn:aws:states:{R}:{A}:activity:a:b",
        f"arn:aws:states:{R}:{A}:mapRun:M:x",  # a Map Run names MACHINE/LABEL
    ],
)
def test_it_reads_nothing_from_what_is_not_one(arn: object) -> None:
    assert arns.parse(arn) is None


def test_version_is_a_number_only_for_versions() -> None:
    assert arns.parse(arns.version("M", 7, R, A)).version == 7  # type: ignore[union-attr]
    assert arns.parse(arns.alias("M", "x", R, A)).version is None  # type: ignore[union-attr]


@pytest.mark.parametrize("qualifier", ["³", "٣", "0", "01"])
def test_a_qualifier_that_is_not_a_version_number_is_an_alias_name(qualifier: str) -> None:
    # A version ARN ends in the version's number, 1 and up
    # (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-version.html);
    # anything else after the machine's name is an alias's name (a missing one is not found).
    parsed = arns.parse(f"arn:aws:states:{R}:{A}:stateMachine:M:{qualifier}")
    assert parsed is not None and (parsed.kind, parsed.version) == ("alias", None)


def test_it_reads_a_map_run_by_its_machine_label_and_id() -> None:
    """arn:aws:states:REGION:ACCOUNT:mapRun:MACHINE/LABEL:ID (API_DescribeMapRun.html)."""
    assert arns.parse(f"arn:aws:states:{R}:{A}:mapRun:M/Map:x") == arns.Arn(
        "mapRun", R, A, "M", "Map:x"
    )


def test_it_names_the_child_executions_of_a_map_run() -> None:
    """A Map Run's child workflow is MACHINE/LABEL (API_ListMapRuns.html's stateMachineArn);
    each item's child execution is an execution of it (API_ListExecutions.html, mapRunArn),
    and its ARN leads back to the Map Run and the item."""
    run = arns.map_run("M", "Each", "1b4e", R, A)
    assert run == f"arn:aws:states:{R}:{A}:mapRun:M/Each:1b4e"
    assert arns.child_workflow(run) == f"arn:aws:states:{R}:{A}:stateMachine:M/Each"
    child, name = arns.child_execution(run, 12)
    assert (child, name) == (f"arn:aws:states:{R}:{A}:execution:M/Each:1b4e-12", "1b4e-12")
    assert arns.map_run_of(child) == (run, 12)


@pytest.mark.parametrize(
    "arn",
    [
        arns.execution("M", "e-1", R, A),  # no label: a run of the machine itself
        f"arn:aws:states:{R}:{A}:execution:M/Each:1b4e",  # no item
        f"arn:aws:states:{R}:{A}:execution:M/Each:1b4e-01",
        f"arn:aws:states:{R}:{A}:execution:M/Each:-1",
        f"arn:aws:states:{R}:{A}:execution:M/Each/x:1b4e-1",
        f"arn:aws:states:{R}:{A}:express:M/Each:1b4e-1:x",
        f"arn:aws:states:{R}:{A}:mapRun:M/Each:1b4e",
        "execution:M/Each:1b4e-1",
        None,
    ],
)
def test_it_reads_no_map_run_from_other_arns(arn: object) -> None:
    assert arns.map_run_of(arn) is None
