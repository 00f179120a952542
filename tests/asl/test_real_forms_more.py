"""More forms that real, deployed definitions use (as in AWS's public sample collections),
written afresh; ``test_real_forms`` holds the first set.  Each definition must validate
without a warning, and each self-contained one must run to the output the cited page says.
"""

from __future__ import annotations

from typing import Any

import pytest

import asl
from asl.validate import diagnose, validate
from tests.asl.clock import VirtualClock

PATHS_DOC = "https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html"
INTRINSICS_DOC = "https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html"
JSONATA_DOC = "https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html"
VARIABLES_DOC = "https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html"


def run(definition: dict[str, Any], data: Any, clock: VirtualClock | None = None) -> Any:
    return asl.run(definition, data, clock=clock or VirtualClock())


# JSONPath as Jayway reads it: bracket notation for names with '-', negative indexes,
# slices, unions, deep scan, length(), and filters with &&, ||, =~, in, a root reference
# and a bare existence test (PATHS_DOC: "Step Functions uses the Jayway JsonPath syntax").
PATH_SHAPES = {
    "StartAt": "Pick",
    "States": {
        "Pick": {
            "Type": "Pass",
            "Parameters": {
                "quoted.$": "$['run-info']['batch']",
                "hyphen.$": "$.run-info.batch",
                "last.$": "$.rows[-1].n",
                "tail.$": "$.rows[-1:]",
                "head.$": "$.rows[:1]",
                "middle.$": "$.rows[1:2]",
                "union.$": "$.rows[0,2].n",
                "deep.$": "$..n",
                "size.$": "$.rows.length()",
                "between.$": "$.rows[?(@.n > 1 && @.n < 3)].n",
                "either.$": "$.rows[?(@.n == 1 || @.tag == 'c')].n",
                "regex.$": "$.rows[?(@.tag =~ /^[ab].*/)].n",
                "listed.$": "$.rows[?(@.tag in ['a', 'c'])].n",
                "upto.$": "$.rows[?(@.n <= $.limit)].n",
                "flagged.$": "$.rows[?(@.hot)].n",
                "label.$": "States.Format('{}/{}', $$.Execution.Name, $['run-info']['batch'])",
            },
            "End": True,
        }
    },
}
PATH_INPUT = {
    "run-info": {"batch": 7},
    "limit": 2,
    "rows": [{"n": 1, "tag": "a", "hot": True}, {"n": 2, "tag": "b"}, {"n": 3, "tag": "c"}],
}


def test_jsonpath_brackets_slices_and_filters_select_what_jayway_selects() -> None:
    # PATHS_DOC; a definite path gives a value, an indefinite one (slice, union, filter,
    # deep scan) a list.
    assert diagnose(PATH_SHAPES, "STANDARD") == []
    result = run(PATH_SHAPES, PATH_INPUT)
    assert result.status == "SUCCEEDED", result.cause
    assert result.output == {
        "quoted": 7,
        "hyphen": 7,
        "last": 3,
        "tail": [{"n": 3, "tag": "c"}],
        "head": [{"n": 1, "tag": "a", "hot": True}],
        "middle": [{"n": 2, "tag": "b"}],
        "union": [1, 3],
        "deep": [1, 2, 3],
        "size": 3,
        "between": [2],
        "either": [1, 3],
        "regex": [1, 2],
        "listed": [1, 3],
        "upto": [1, 2],
        "flagged": [1],
        "label": "execution/7",  # asl.run names the execution "execution"
    }


# Intrinsics nested in one another, a string literal holding escaped JSON, and the array,
# encoding and hashing functions (INTRINSICS_DOC).
INTRINSIC_SHAPES = {
    "StartAt": "Shape",
    "States": {
        "Shape": {
            "Type": "Pass",
            "Parameters": {
                "merged.$": "States.JsonMerge(States.StringToJson($.body), "
                'States.StringToJson(\'{"added": "yes"}\'), false)',
                "chunks.$": "States.ArrayPartition(States.ArrayRange(1, 7, 1), 3)",
                "has.$": "States.ArrayContains($.xs, 2)",
                "second.$": "States.ArrayGetItem($.xs, 1)",
                "once.$": "States.ArrayUnique($.dups)",
                "encoded.$": "States.Base64Encode('hello')",
                "decoded.$": "States.Base64Decode('aGVsbG8=')",
                "sha.$": "States.Hash('abc', 'SHA-256')",
                "text.$": "States.JsonToString($.obj)",
                "mixed.$": "States.Array('a', 1, true, null, $.obj)",
                "less.$": "States.MathAdd(States.ArrayLength($.xs), -5)",
                "quoted.$": "States.Format('it\\'s {} \\{not a slot\\}', $.who)",
                "typed.$": "States.Format('{} {} {} {}', $.n, $.f, $.b, $.z)",
                "dotted.name.$": "$.who",
            },
            "End": True,
        }
    },
}
INTRINSIC_INPUT = {
    "body": '{"kept": 1}',
    "xs": [1, 2, 3],
    "dups": [1, 1, 2],
    "obj": {"k": "v"},
    "who": "ann",
    "n": 3,
    "f": 1.5,
    "b": True,
    "z": None,
}


def test_nested_intrinsics_give_the_documented_values() -> None:
    assert diagnose(INTRINSIC_SHAPES, "EXPRESS") == []
    result = run(INTRINSIC_SHAPES, INTRINSIC_INPUT)
    assert result.status == "SUCCEEDED", result.cause
    assert result.output == {
        "merged": {"kept": 1, "added": "yes"},
        "chunks": [[1, 2, 3], [4, 5, 6], [7]],
        "has": True,
        "second": 2,
        "once": [1, 2],
        "encoded": "aGVsbG8=",
        "decoded": "hello",
        "sha": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "text": '{"k":"v"}',
        "mixed": ["a", 1, True, None, {"k": "v"}],
        "less": -2,
        # Reserved characters are escaped with a backslash (INTRINSICS_DOC).
        "quoted": "it's ann {not a slot}",
        "typed": "3 1.5 true null",
        # Only the final '.$' marks a dynamic field; dots before it stay in the name.
        "dotted.name": "ann",
    }


# The Map fields before ItemProcessor/ItemSelector, which AWS still accepts: Iterator and
# Parameters; MaxConcurrency 0 means no limit.
# https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html
LEGACY_MAP = {
    "StartAt": "Each",
    "States": {
        "Each": {
            "Type": "Map",
            "ItemsPath": "$.ids",
            "Parameters": {"id.$": "$$.Map.Item.Value", "run.$": "$.run"},
            "MaxConcurrency": 0,
            "Iterator": {"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": True}}},
            "ResultPath": "$.out",
            "End": True,
        }
    },
}


def test_the_legacy_map_fields_validate_and_run() -> None:
    assert diagnose(LEGACY_MAP, "STANDARD") == []
    result = run(LEGACY_MAP, {"ids": [1, 2], "run": "r"})
    assert (result.status, result.output) == (
        "SUCCEEDED",
        {"ids": [1, 2], "run": "r", "out": [{"id": 1, "run": "r"}, {"id": 2, "run": "r"}]},
    )


# A quorum: Parallel branches poll, a branch that reaches its goal stops the others by
# failing with an error of its own, and Catch turns that error into the way out.  Choice
# rules nest Or inside And and read the execution input from the context object.
# https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html
# https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
# https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html
def _poller(n: int) -> dict[str, Any]:
    return {
        "StartAt": f"Look{n}",
        "States": {
            f"Look{n}": {
                "Type": "Pass",
                "Result": {"done": n == 2},
                "ResultPath": "$.probe",
                "Next": f"Done{n}?",
            },
            f"Done{n}?": {
                "Type": "Choice",
                "Choices": [
                    {
                        "Or": [
                            {
                                "And": [
                                    {"Variable": f"$$.Execution.Input.force{n}", "IsPresent": True},
                                    {
                                        "Variable": f"$$.Execution.Input.force{n}",
                                        "BooleanEquals": True,
                                    },
                                ]
                            },
                            {"Variable": "$.probe.done", "BooleanEquals": True},
                        ],
                        "Next": f"Reached{n}",
                    }
                ],
                "Default": f"Later{n}",
            },
            f"Later{n}": {"Type": "Wait", "Seconds": 60, "Next": f"GiveUp{n}"},
            f"GiveUp{n}": {"Type": "Fail", "Error": "Quorum.TimedOut"},
            f"Reached{n}": {"Type": "Fail", "Error": "Quorum.Met", "Cause": f"branch {n}"},
        },
    }


QUORUM = {
    "StartAt": "Poll",
    "States": {
        "Poll": {
            "Type": "Parallel",
            "Parameters": {"ticket.$": "States.UUID()"},
            "Branches": [_poller(1), _poller(2), _poller(3)],
            "Catch": [
                {"ErrorEquals": ["Quorum.Met"], "ResultPath": "$.why", "Next": "Met"},
                {"ErrorEquals": ["Quorum.TimedOut"], "Next": "Late"},
            ],
            "Next": "Late",
        },
        "Met": {"Type": "Pass", "OutputPath": "$.why", "End": True},
        "Late": {"Type": "Fail", "Error": "NoQuorum"},
    },
}


def test_a_parallel_quorum_ends_through_its_catch() -> None:
    assert diagnose(QUORUM, "STANDARD") == []
    clock = VirtualClock()
    result = run(QUORUM, {}, clock)
    # Branch 2 fails at once; the other branches are stopped before their Wait ends.
    assert (result.status, result.output) == (
        "SUCCEEDED",
        {"Error": "Quorum.Met", "Cause": "branch 2"},
    )
    assert clock.elapsed == 0


def test_the_quorum_choice_reads_the_execution_input() -> None:
    result = run(QUORUM, {"force1": True})
    assert result.status == "SUCCEEDED", result.cause
    assert result.output["Error"] == "Quorum.Met"


# JSONata Map: Items, an ItemSelector that reads $states.context.Map.Item and a variable of
# the outer scope, Assign over $states.result, and Output (JSONATA_DOC, VARIABLES_DOC;
# https://docs.aws.amazon.com/step-functions/latest/dg/state-map.html).
JSONATA_MAP = {
    "QueryLanguage": "JSONata",
    "StartAt": "Init",
    "States": {
        "Init": {
            "Type": "Pass",
            "Assign": {"rate": "{% $states.input.rate %}"},
            "Output": {"rows": "{% $states.input.rows %}"},
            "Next": "Price",
        },
        "Price": {
            "Type": "Map",
            "Items": "{% $states.input.rows %}",
            "ItemSelector": {
                "row": "{% $states.context.Map.Item.Value %}",
                "index": "{% $states.context.Map.Item.Index %}",
                "rate": "{% $rate %}",
            },
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "Times",
                "States": {
                    "Times": {
                        "Type": "Pass",
                        "Output": "{% $states.input.row.price * $states.input.rate + $states.input.index %}",
                        "End": True,
                    }
                },
            },
            "Assign": {"total": "{% $sum($states.result) %}"},
            "Output": "{% $states.result %}",
            "Next": "Report",
        },
        "Report": {
            "Type": "Pass",
            "Output": {"total": "{% $total %}", "each": "{% $states.input %}"},
            "End": True,
        },
    },
}


def test_a_jsonata_map_selects_items_and_assigns_its_total() -> None:
    assert diagnose(JSONATA_MAP, "EXPRESS") == []
    result = run(JSONATA_MAP, {"rate": 2, "rows": [{"price": 1}, {"price": 5}]})
    assert (result.status, result.output) == ("SUCCEEDED", {"total": 13, "each": [2, 11]})


# A variable assigned inside an iteration belongs to the iteration's scope (VARIABLES_DOC).
ITERATION_SCOPE = {
    "QueryLanguage": "JSONata",
    "StartAt": "Init",
    "States": {
        "Init": {"Type": "Pass", "Assign": {"base": 10}, "Next": "Each"},
        "Each": {
            "Type": "Map",
            "Items": [1, 2, 3],
            "ItemProcessor": {
                "StartAt": "Keep",
                "States": {
                    "Keep": {
                        "Type": "Pass",
                        "Assign": {"mine": "{% $states.input + $base %}"},
                        "Next": "Give",
                    },
                    "Give": {"Type": "Pass", "Output": "{% $mine %}", "End": True},
                },
            },
            "End": True,
        },
    },
}


def test_an_iteration_reads_outer_variables_and_keeps_its_own() -> None:
    assert diagnose(ITERATION_SCOPE, "STANDARD") == []
    result = run(ITERATION_SCOPE, {})
    assert (result.status, result.output) == ("SUCCEEDED", [11, 12, 13])


# JSONata Parallel: Arguments is every branch's input, Output combines $states.result.
# https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html
JSONATA_PARALLEL = {
    "QueryLanguage": "JSONata",
    "StartAt": "Both",
    "States": {
        "Both": {
            "Type": "Parallel",
            "Arguments": {"x": "{% $states.input.x %}"},
            "Branches": [
                {
                    "StartAt": "Add",
                    "States": {
                        "Add": {"Type": "Pass", "Output": "{% $states.input.x + 1 %}", "End": True}
                    },
                },
                {
                    "StartAt": "Mul",
                    "States": {
                        "Mul": {"Type": "Pass", "Output": "{% $states.input.x * 10 %}", "End": True}
                    },
                },
            ],
            "Output": {"sum": "{% $states.result[0] + $states.result[1] %}"},
            "End": True,
        }
    },
}


def test_a_jsonata_parallel_passes_its_arguments_to_every_branch() -> None:
    assert diagnose(JSONATA_PARALLEL, "STANDARD") == []
    result = run(JSONATA_PARALLEL, {"x": 2, "ignored": True})
    assert (result.status, result.output) == ("SUCCEEDED", {"sum": 23})


# JSONata Wait, a rule's own Output, a Succeed with Output, and a Fail whose Error and
# Cause are expressions.
# https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html
# https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html
JSONATA_WAIT_FAIL = {
    "QueryLanguage": "JSONata",
    "StartAt": "Pause",
    "States": {
        "Pause": {"Type": "Wait", "Seconds": "{% $states.input.delay %}", "Next": "Good?"},
        "Good?": {
            "Type": "Choice",
            "Choices": [
                {"Condition": "{% $states.input.ok %}", "Output": {"via": "rule"}, "Next": "Done"}
            ],
            "Default": "Broken",
        },
        "Done": {"Type": "Succeed", "Output": {"got": "{% $states.input.via %}"}},
        "Broken": {
            "Type": "Fail",
            "Error": "{% 'Bad.' & $states.input.kind %}",
            "Cause": "{% $string($states.input.delay) & ' seconds lost' %}",
        },
    },
}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"delay": 3, "ok": True}, ("SUCCEEDED", {"got": "rule"}, None, None)),
        (
            {"delay": 3, "ok": False, "kind": "Input"},
            ("FAILED", None, "Bad.Input", "3 seconds lost"),
        ),
    ],
    ids=["rule-output", "computed-fail"],
)
def test_jsonata_wait_choice_and_fail(data: dict[str, Any], expected: tuple[Any, ...]) -> None:
    assert diagnose(JSONATA_WAIT_FAIL, "STANDARD") == []
    clock = VirtualClock()
    result = run(JSONATA_WAIT_FAIL, data, clock)
    assert (result.status, result.output, result.error, result.cause) == expected
    assert clock.elapsed == 3


# A JSONata Catch assigns from $states.errorOutput and outputs it.
# https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
JSONATA_CATCH = {
    "QueryLanguage": "JSONata",
    "StartAt": "Try",
    "States": {
        "Try": {
            "Type": "Parallel",
            "Branches": [
                {
                    "StartAt": "Boom",
                    "States": {"Boom": {"Type": "Fail", "Error": "Oops", "Cause": "because"}},
                }
            ],
            "Catch": [
                {
                    "ErrorEquals": ["Oops"],
                    "Assign": {"why": "{% $states.errorOutput.Cause %}"},
                    "Output": "{% $states.errorOutput %}",
                    "Next": "Tell",
                }
            ],
            "End": True,
        },
        "Tell": {
            "Type": "Pass",
            "Output": {"why": "{% $why %}", "error": "{% $states.input.Error %}"},
            "End": True,
        },
    },
}


def test_a_jsonata_catch_assigns_from_the_error_output() -> None:
    assert diagnose(JSONATA_CATCH, "STANDARD") == []
    result = run(JSONATA_CATCH, {})
    assert (result.status, result.output) == ("SUCCEEDED", {"why": "because", "error": "Oops"})


# A wide Choice: Not over Or, And over IsTimestamp and a timestamp comparison, an escaped
# '*' in StringMatches, IsNull, IsNumeric and a *Path comparison; the first match wins.
# https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
WIDE_CHOICE = {
    "StartAt": "Route",
    "States": {
        "Route": {
            "Type": "Choice",
            "Choices": [
                {
                    "Not": {
                        "Or": [
                            {"Variable": "$.kind", "StringEquals": "a"},
                            {"Variable": "$.kind", "StringEquals": "b"},
                        ]
                    },
                    "Next": "Other",
                },
                {
                    "And": [
                        {"Variable": "$.when", "IsTimestamp": True},
                        {"Variable": "$.when", "TimestampGreaterThan": "2024-01-01T00:00:00Z"},
                    ],
                    "Next": "Recent",
                },
                {"Variable": "$.name", "StringMatches": "log-\\*-*", "Next": "Star"},
                {"Variable": "$.n", "IsNull": True, "Next": "Nothing"},
                {"Variable": "$.n", "IsNumeric": True, "Next": "Number"},
                {"Variable": "$.when", "TimestampLessThanEqualsPath": "$.cutoff", "Next": "Early"},
            ],
            "Default": "Other",
        },
        **{
            name: {"Type": "Pass", "Result": name, "End": True}
            for name in ("Other", "Recent", "Star", "Nothing", "Number", "Early")
        },
    },
}
OLD = {"when": "2023-05-01T00:00:00Z", "cutoff": "2023-06-01T00:00:00Z"}


@pytest.mark.parametrize(
    ("data", "chosen"),
    [
        ({"kind": "z"}, "Other"),
        ({"kind": "a", "when": "2024-02-01T00:00:00Z"}, "Recent"),
        ({"kind": "a", **OLD, "name": "log-*-x", "n": 1}, "Star"),
        ({"kind": "b", **OLD, "name": "log-a-x", "n": None}, "Nothing"),
        ({"kind": "b", **OLD, "name": "x", "n": 5}, "Number"),
        ({"kind": "b", **OLD, "name": "x", "n": "5"}, "Early"),
    ],
)
def test_a_wide_choice_takes_the_first_matching_rule(data: dict[str, Any], chosen: str) -> None:
    assert diagnose(WIDE_CHOICE, "EXPRESS") == []
    result = run(WIDE_CHOICE, data)
    assert (result.status, result.output) == ("SUCCEEDED", chosen)


# Wait until a timestamp from the input, then until a fixed one; OutputPath after a Wait.
# https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html
WAIT_UNTIL = {
    "StartAt": "UntilGiven",
    "States": {
        "UntilGiven": {"Type": "Wait", "TimestampPath": "$.at", "Next": "UntilFixed"},
        "UntilFixed": {
            "Type": "Wait",
            "Timestamp": "2025-03-01T12:01:00Z",
            "OutputPath": "$.keep",
            "End": True,
        },
    },
}


def test_waits_until_the_given_and_the_fixed_timestamps() -> None:
    assert diagnose(WAIT_UNTIL, "STANDARD") == []
    clock = VirtualClock()  # 2025-03-01T12:00:00Z
    result = run(WAIT_UNTIL, {"at": "2025-03-01T12:00:30Z", "keep": {"k": 1}}, clock)
    assert (result.status, result.output, clock.elapsed) == ("SUCCEEDED", {"k": 1}, 60)


# Parallel with InputPath, a ResultSelector over the branch results by index, and a
# ResultPath into fields the input does not have yet.
# https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html
PARALLEL_SELECT = {
    "StartAt": "Fan",
    "States": {
        "Fan": {
            "Type": "Parallel",
            "InputPath": "$.in",
            "Branches": [
                {
                    "StartAt": "One",
                    "States": {"One": {"Type": "Pass", "Result": {"x": 1}, "End": True}},
                },
                {"StartAt": "Two", "States": {"Two": {"Type": "Pass", "End": True}}},
            ],
            "ResultSelector": {"first.$": "$[0].x", "second.$": "$[1]"},
            "ResultPath": "$.results.fan",
            "Next": "Discard",
        },
        "Discard": {"Type": "Pass", "Result": {"lost": True}, "ResultPath": None, "End": True},
    },
}


def test_parallel_results_are_selected_and_placed_in_the_raw_input() -> None:
    assert diagnose(PARALLEL_SELECT, "STANDARD") == []
    result = run(PARALLEL_SELECT, {"in": {"k": 2}})
    # ResultPath combines the result with the state's input before InputPath.
    assert (result.status, result.output) == (
        "SUCCEEDED",
        {"in": {"k": 2}, "results": {"fan": {"first": 1, "second": {"k": 2}}}},
    )


# Service integrations as deployed definitions write them: .sync jobs, a Lambda callback,
# AWS SDK calls, a Lambda function ARN and an activity ARN as the Resource, path-given
# timeouts, and retriers from the specific error down to States.ALL.
# https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html
# https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
# https://docs.aws.amazon.com/step-functions/latest/dg/concepts-activities.html
# https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
SERVICE_PATTERNS = {
    "StartAt": "Container",
    "States": {
        "Container": {
            "Type": "Task",
            "Resource": "arn:aws:states:::ecs:runTask.sync",
            "Parameters": {
                "LaunchType": "FARGATE",
                "Cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/c",
                "TaskDefinition": "t:1",
                "Overrides": {
                    "ContainerOverrides": [
                        {
                            "Name": "app",
                            "Environment": [{"Name": "RUN", "Value.$": "$$.Execution.Id"}],
                        }
                    ]
                },
            },
            "ResultPath": None,
            "Next": "Glue",
        },
        "Glue": {
            "Type": "Task",
            "Resource": "arn:aws:states:::glue:startJobRun.sync",
            "Parameters": {"JobName": "nightly", "Arguments": {"--day.$": "$.day"}},
            "ResultSelector": {"state.$": "$.JobRunState", "run.$": "$$.Execution.Name"},
            "ResultPath": "$.glue",
            "Next": "Batch",
        },
        "Batch": {
            "Type": "Task",
            "Resource": "arn:aws:states:::batch:submitJob.sync",
            "Parameters": {"JobName": "j", "JobQueue": "q", "JobDefinition": "d"},
            "TimeoutSecondsPath": "$.timeout",
            "ResultPath": None,
            "Next": "Ask",
        },
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": "notify", "Payload": {"token.$": "$$.Task.Token"}},
            "TimeoutSeconds": 3600,
            "HeartbeatSecondsPath": "$.heartbeat",
            "ResultPath": "$.answer",
            "Next": "Read",
        },
        "Read": {
            "Type": "Task",
            "Resource": "arn:aws:states:::aws-sdk:dynamodb:getItem",
            "Parameters": {"TableName": "t", "Key": {"pk": {"S.$": "$.id"}}},
            "ResultSelector": {"item.$": "$.Item"},
            "Retry": [
                {
                    "ErrorEquals": ["DynamoDb.ProvisionedThroughputExceededException"],
                    "MaxAttempts": 0,
                },
                {"ErrorEquals": ["States.ALL"], "MaxAttempts": 15, "BackoffRate": 2},
            ],
            "Next": "Legacy",
        },
        "Legacy": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:legacy",
            "Next": "Approve",
        },
        "Approve": {
            "Type": "Task",
            "Resource": "arn:aws:states:us-east-1:123456789012:activity:approve",
            "TimeoutSeconds": 300,
            "HeartbeatSeconds": 60,
            "Next": "Tell",
        },
        "Tell": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sns:publish",
            "Parameters": {
                "TopicArn": "arn:aws:sns:us-east-1:123456789012:t",
                "Message.$": "States.JsonToString($)",
            },
            "End": True,
        },
    },
}


def test_the_service_patterns_validate_and_express_refuses_the_waiting_ones() -> None:
    assert diagnose(SERVICE_PATTERNS, "STANDARD") == []
    # Express workflows support neither .sync, .waitForTaskToken nor activities:
    # https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html
    refused = {d.location for d in validate(SERVICE_PATTERNS, "EXPRESS")}
    assert refused == {
        f"/States/{name}/Resource" for name in ("Container", "Glue", "Batch", "Ask", "Approve")
    }


# A JSONPath machine may have JSONata states, which read the variables JSONPath states
# assigned; the other way round is refused (JSONATA_DOC, "QueryLanguage").
MIXED_LANGUAGES = {
    "StartAt": "Keep",
    "States": {
        "Keep": {
            "Type": "Pass",
            "Parameters": {"x.$": "$.x"},
            "Assign": {"seen.$": "$.x"},
            "Next": "Twice",
        },
        "Twice": {
            "Type": "Pass",
            "QueryLanguage": "JSONata",
            "Output": {"y": "{% $states.input.x * 2 %}", "seen": "{% $seen %}"},
            "End": True,
        },
    },
}


def test_a_jsonpath_machine_may_hold_jsonata_states() -> None:
    assert diagnose(MIXED_LANGUAGES, "STANDARD") == []
    result = run(MIXED_LANGUAGES, {"x": 4})
    assert (result.status, result.output) == ("SUCCEEDED", {"y": 8, "seen": 4})
    reversed_ = {
        "QueryLanguage": "JSONata",
        "StartAt": "A",
        "States": {"A": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": True}},
    }
    assert [d.code for d in validate(reversed_)] == ["QUERY_LANGUAGE_CONFLICT"]


# The functions Step Functions adds to JSONata, the context object, and templates whose
# literal arrays and objects hold expressions (JSONATA_DOC).
JSONATA_FUNCTIONS = {
    "QueryLanguage": "JSONata",
    "StartAt": "Use",
    "States": {
        "Use": {
            "Type": "Pass",
            "Output": {
                "first": "{% $states.context.Execution.Input.a %}",
                "state": "{% $states.context.State.Name %}",
                "parsed": "{% $parse('{\"k\": 1}').k %}",
                "md5": "{% $hash('abc', 'MD5') %}",
                "steps": "{% $range(0, 10, 5) %}",
                "id_length": "{% $length($uuid()) %}",
                "pairs": "{% $partition([1, 2, 3], 2) %}",
                "literal": [1, "{% 1 + 1 %}", {"yes": "{% true %}"}],
            },
            "End": True,
        }
    },
}


def test_the_added_jsonata_functions_run() -> None:
    assert diagnose(JSONATA_FUNCTIONS, "EXPRESS") == []
    result = run(JSONATA_FUNCTIONS, {"a": "A"})
    assert (result.status, result.output) == (
        "SUCCEEDED",
        {
            "first": "A",
            "state": "Use",
            "parsed": 1,
            "md5": "900150983cd24fb0d6963f7d28e17f72",
            "steps": [0, 5, 10],
            "id_length": 36,
            "pairs": [[1, 2], [3]],
            "literal": [1, 2, {"yes": True}],
        },
    )


# Distributed Maps nested in one another over S3 objects, in batches, with OutputPath and
# ResultPath null, a 100% tolerated failure rate and a Catch for States.ItemReaderFailed.
# https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
# https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html
NESTED_DISTRIBUTED = {
    "StartAt": "Objects",
    "States": {
        "Objects": {
            "Type": "Map",
            "ItemReader": {
                "Resource": "arn:aws:states:::s3:listObjectsV2",
                "Parameters": {"Bucket": "in", "Prefix": "day/"},
            },
            "ItemBatcher": {"MaxItemsPerBatch": 100},
            "MaxConcurrency": 50,
            "ToleratedFailurePercentage": 100,
            "OutputPath": None,
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Batch",
                "States": {
                    "Batch": {
                        "Type": "Map",
                        "ItemsPath": "$.Items",
                        "ItemBatcher": {"MaxItemsPerBatch": 10},
                        "ResultPath": None,
                        "ItemProcessor": {
                            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                            "StartAt": "Fetch",
                            "States": {
                                "Fetch": {
                                    "Type": "Task",
                                    "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
                                    "Parameters": {"Bucket": "in", "Key.$": "$.Items[0].Key"},
                                    "End": True,
                                }
                            },
                        },
                        "End": True,
                    }
                },
            },
            "Catch": [{"ErrorEquals": ["States.ItemReaderFailed"], "Next": "NoObjects"}],
            "Next": "Done",
        },
        "NoObjects": {"Type": "Pass", "Next": "Done"},
        "Done": {"Type": "Succeed"},
    },
}

# An empty BatchInput is allowed: every batch gets it beside its Items.
# https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html
EMPTY_BATCH_INPUT = {
    "StartAt": "Batches",
    "States": {
        "Batches": {
            "Type": "Map",
            "ItemBatcher": {"BatchInput": {}, "MaxItemsPerBatch": 2},
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                "StartAt": "Echo",
                "States": {"Echo": {"Type": "Pass", "End": True}},
            },
            "End": True,
        }
    },
}


def test_nested_distributed_maps_validate_and_batches_run() -> None:
    assert diagnose(NESTED_DISTRIBUTED, "STANDARD") == []
    assert diagnose(EMPTY_BATCH_INPUT, "STANDARD") == []
    result = run(EMPTY_BATCH_INPUT, [1, 2, 3])
    assert (result.status, result.output) == (
        "SUCCEEDED",
        [{"BatchInput": {}, "Items": [1, 2]}, {"BatchInput": {}, "Items": [3]}],
    )


# Names may hold spaces, quotes, slashes and non-ASCII letters, up to 80 characters; Version,
# TimeoutSeconds and Comment are top-level fields, and a Wait of 0 seconds is a no-op.
# https://states-language.net/#toplevelfields
# https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html
LONG_NAME = "n" * 80
ODD_NAMES = {
    "Comment": "names as people write them",
    "Version": "1.0",
    "TimeoutSeconds": 60,
    "StartAt": 'Check "stock" / größe',
    "States": {
        'Check "stock" / größe': {
            "Type": "Wait",
            "Seconds": 0,
            "Comment": "no wait",
            "Next": LONG_NAME,
        },
        LONG_NAME: {"Type": "Succeed"},
    },
}


def test_odd_state_names_and_top_level_fields() -> None:
    assert diagnose(ODD_NAMES, "STANDARD") == []
    result = run(ODD_NAMES, {"k": 1})
    assert (result.status, result.output) == ("SUCCEEDED", {"k": 1})


# Retriers with every field; HeartbeatSeconds on a request-response task; a JSONata HTTP
# task whose query and timeout are expressions.
# https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
# https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html
# https://docs.aws.amazon.com/step-functions/latest/dg/call-https-apis.html
TASK_FIELDS = {
    "StartAt": "Emit",
    "States": {
        "Emit": {
            "Type": "Task",
            "Resource": "arn:aws:states:::events:putEvents",
            "Parameters": {"Entries": [{"Detail": {"m": "x"}, "DetailType": "d", "Source": "s"}]},
            "HeartbeatSeconds": 300,
            "ResultPath": None,
            "Retry": [
                {
                    "ErrorEquals": ["States.Timeout", "States.TaskFailed"],
                    "IntervalSeconds": 3,
                    "MaxAttempts": 4,
                    "BackoffRate": 1.5,
                    "MaxDelaySeconds": 10,
                    "JitterStrategy": "NONE",
                }
            ],
            "End": True,
        }
    },
}
JSONATA_HTTP = {
    "QueryLanguage": "JSONata",
    "StartAt": "Get",
    "States": {
        "Get": {
            "Type": "Task",
            "Resource": "arn:aws:states:::http:invoke",
            "Arguments": {
                "ApiEndpoint": "https://example.com/search",
                "Method": "GET",
                "Authentication": {
                    "ConnectionArn": "arn:aws:events:us-east-1:123456789012:connection/c/1"
                },
                "QueryParameters": {"q": "{% $states.input.q %}"},
            },
            "TimeoutSeconds": "{% $states.input.patience %}",
            "Output": "{% $states.result.ResponseBody %}",
            "End": True,
        }
    },
}


@pytest.mark.parametrize("definition", [TASK_FIELDS, JSONATA_HTTP], ids=["retry", "http"])
def test_more_task_fields_validate(definition: dict[str, Any]) -> None:
    assert diagnose(definition, "STANDARD") == []
    assert diagnose(definition, "EXPRESS") == []
