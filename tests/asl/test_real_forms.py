"""Forms that real, deployed definitions use (as in AWS's public sample collections), written
afresh: each definition here must validate, and each self-contained one must run.

The rules each form follows are cited beside it.
"""

from __future__ import annotations

from typing import Any

import pytest

import asl
from asl.validate import diagnose, validate
from tests.asl.clock import VirtualClock

LAMBDA = "arn:aws:states:::lambda:invoke"

# JSONata states: https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
JSONATA_FALLBACK = {
    "Comment": "Every task falls back to one state, which learns who failed from Catch Output",
    "QueryLanguage": "JSONata",
    "StartAt": "Fetch",
    "States": {
        "Fetch": {
            "Type": "Task",
            "Resource": LAMBDA,
            "Arguments": {"FunctionName": "fetch", "Payload": "{% $states.input %}"},
            "Output": "{% $states.result.Payload %}",
            # JitterStrategy: https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-retrying-after-an-error
            "Retry": [
                {
                    "ErrorEquals": ["Lambda.ServiceException", "Lambda.TooManyRequestsException"],
                    "IntervalSeconds": 1,
                    "MaxAttempts": 3,
                    "BackoffRate": 2,
                    "JitterStrategy": "FULL",
                }
            ],
            "Catch": [
                {
                    "ErrorEquals": ["States.ALL"],
                    "Next": "Fallback",
                    "Output": {"failed": "{% $states.context.State.Name %}"},
                }
            ],
            "Next": "Done",
        },
        "Fallback": {"Type": "Pass", "End": True},
        "Done": {"Type": "Pass", "Output": {}, "End": True},
    },
}

# A Distributed Map over items given inline, in batches, with child workflows that wait for
# other executions (.sync:2 is allowed: the children run as STANDARD):
# https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
DISTRIBUTED_BATCHES = {
    "QueryLanguage": "JSONata",
    "StartAt": "Init",
    "States": {
        "Init": {
            "Type": "Pass",
            "Assign": {"task": "{% $states.input.task %}", "file": "{% 'out-' & $string(1) %}"},
            "Next": "Each",
        },
        "Each": {
            "Type": "Map",
            "Items": "{% $states.input.items%}",
            "Label": "EachItem",
            "MaxConcurrency": 5,
            "ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"task": "{% $task %}"}},
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Child",
                "States": {
                    "Child": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:::states:startExecution.sync:2",
                        "Arguments": {
                            "StateMachineArn": "{% 'arn:aws:states:us-east-1:123456789012:stateMachine:c' %}",
                            "Input": {
                                "items": "{% $states.input.Items %}",
                                "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID": "{% $states.context.Execution.Id %}",
                            },
                        },
                        "End": True,
                    }
                },
            },
            "Assign": {"again": "{% $task %}"},
            "Next": "Check",
        },
        "Check": {
            "Type": "Choice",
            "Choices": [
                {
                    "Condition": '{% $states.input[0].Status = "SUCCEEDED" %}',
                    "Comment": "all went well",
                    "Next": "Ok",
                }
            ],
            "Default": "Broken",
            "Output": {"first": "{% $states.input[0] %}"},
        },
        "Ok": {"Type": "Succeed"},
        "Broken": {"Type": "Fail"},
    },
}

# JSONPath forms: InputPath/OutputPath/ResultPath, ResultSelector, intrinsics, context
# paths, Choice rules with And/Not and *Path comparisons:
# https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html
# https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
# https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
JSONPATH_ORDER = {
    "StartAt": "Prepare",
    "States": {
        "Prepare": {
            "Type": "Pass",
            "Parameters": {
                "id.$": "States.Format('order-{}', $.order.id)",
                "lines.$": "$.order.lines[?(@.qty > 0)]",
                "first.$": "$.order.lines.[0].sku",
                "count.$": "States.ArrayLength($.order.lines)",
                "started.$": "$$.Execution.StartTime",
                "name.$": "$$.State.Name",
                "total.$": "States.MathAdd($.order.extra, 1)",
                "tags.$": "States.StringSplit($.order.tags, ',')",
                "uuid.$": "States.UUID()",
                "static": {"nested": [1, {"kept": "as is"}]},
            },
            "ResultPath": "$.prepared",
            "Next": "Route",
        },
        "Route": {
            "Type": "Choice",
            "Choices": [
                {
                    "And": [
                        {"Variable": "$.prepared.count", "NumericGreaterThan": 0},
                        {"Not": {"Variable": "$.order.rush", "IsPresent": True}},
                        {"Variable": "$.prepared.total", "NumericLessThanEqualsPath": "$.limit"},
                    ],
                    "Next": "Pack",
                },
                {"Variable": "$.order.tags", "StringMatches": "*vip*", "Next": "Pack"},
            ],
            "Default": "Reject",
        },
        "Pack": {
            "Type": "Map",
            "ItemsPath": "$.prepared.lines",
            "ItemSelector": {"sku.$": "$$.Map.Item.Value.sku", "index.$": "$$.Map.Item.Index"},
            "MaxConcurrency": 2,
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "Label",
                "States": {"Label": {"Type": "Pass", "End": True}},
            },
            "ResultPath": "$.packed",
            "OutputPath": "$.packed",
            "End": True,
        },
        "Reject": {"Type": "Fail", "Error": "Rejected", "Cause": "nothing to pack"},
    },
}

ORDER_INPUT = {
    "order": {
        "id": 7,
        "extra": 2,
        "tags": "a,vip",
        "lines": [{"sku": "A", "qty": 1}, {"sku": "B", "qty": 0}, {"sku": "C", "qty": 3}],
    },
    "limit": 10,
}

CALLBACK = {
    "Comment": "A person approves: the token goes out over SQS and comes back",
    "StartAt": "Ask",
    "TimeoutSeconds": 86400,
    "States": {
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {
                "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/approvals",
                "MessageBody": {"token.$": "$$.Task.Token", "input.$": "$"},
            },
            "HeartbeatSeconds": 600,
            "TimeoutSecondsPath": "$.timeout",
            "ResultPath": "$.decision",
            "Catch": [
                {"ErrorEquals": ["States.HeartbeatTimeout", "States.Timeout"], "Next": "Late"},
                {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Late"},
            ],
            "End": True,
        },
        "Late": {"Type": "Fail", "ErrorPath": "$.error.Error", "CausePath": "$.error.Cause"},
    },
}


@pytest.mark.parametrize(
    ("definition", "machine_type"),
    [
        (JSONATA_FALLBACK, "STANDARD"),
        (JSONATA_FALLBACK, "EXPRESS"),
        (DISTRIBUTED_BATCHES, "STANDARD"),
        (JSONPATH_ORDER, "EXPRESS"),
        (CALLBACK, "STANDARD"),
    ],
    ids=["jsonata-fallback", "jsonata-fallback-express", "distributed", "jsonpath", "callback"],
)
def test_a_real_form_validates_without_a_warning(
    definition: dict[str, Any], machine_type: str
) -> None:
    assert diagnose(definition, machine_type) == []


def test_the_callback_form_is_refused_in_an_express_machine() -> None:
    # https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html
    assert [d.code for d in validate(CALLBACK, "EXPRESS")] == ["NOT_IN_EXPRESS"]


def test_the_jsonpath_form_runs() -> None:
    result = asl.run(JSONPATH_ORDER, ORDER_INPUT, clock=VirtualClock())
    assert result.status == "SUCCEEDED", result.cause
    assert result.output == [{"sku": "A", "index": 0}, {"sku": "C", "index": 1}]


def test_the_jsonata_fallback_form_runs_to_its_fallback() -> None:
    # The function is not there: Lambda.ResourceNotFoundException, caught by States.ALL.
    result = asl.run(JSONATA_FALLBACK, {"a": 1}, clock=VirtualClock())
    assert (result.status, result.output) == ("SUCCEEDED", {"failed": "Fetch"})


def test_the_jsonata_fallback_form_runs_to_the_end() -> None:
    result = asl.run(
        JSONATA_FALLBACK,
        {"a": 1},
        functions={"fetch": lambda event, context: {"got": event}},
        clock=VirtualClock(),
    )
    assert (result.status, result.output) == ("SUCCEEDED", {})


# Distributed Map over a CSV object in S3, in batches, with EXPRESS children, a result writer
# and a tolerated failure percentage:
# https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
CSV_ROWS = {
    "StartAt": "Rows",
    "States": {
        "Rows": {
            "Type": "Map",
            "ItemReader": {
                "Resource": "arn:aws:states:::s3:getObject",
                "ReaderConfig": {
                    "InputType": "CSV",
                    "CSVHeaderLocation": "FIRST_ROW",
                    "MaxItems": 9,
                },
                "Parameters": {"Bucket.$": "$.bucket", "Key.$": "$.key"},
            },
            "ItemSelector": {"row.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"},
            "ItemBatcher": {"MaxItemsPerBatch": 10, "MaxInputBytesPerBatch": 262144},
            "MaxConcurrency": 100,
            "ToleratedFailurePercentage": 5,
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                "StartAt": "Work",
                "States": {
                    "Work": {
                        "Type": "Task",
                        "Resource": LAMBDA,
                        "Parameters": {
                            "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:w:$LATEST",
                            "Payload.$": "$",
                        },
                        "OutputPath": "$.Payload",
                        "End": True,
                    }
                },
            },
            "ResultWriter": {
                "Resource": "arn:aws:states:::s3:putObject",
                "Parameters": {"Bucket": "out", "Prefix": "results"},
            },
            "Label": "Rows",
            "End": True,
        }
    },
}

# AWS SDK, HTTP, nested executions and EventBridge callbacks:
# https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
# https://docs.aws.amazon.com/step-functions/latest/dg/call-https-apis.html
# https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html
SERVICES = {
    "StartAt": "List",
    "States": {
        "List": {
            "Type": "Task",
            "Resource": "arn:aws:states:::aws-sdk:s3:listBuckets",
            "Parameters": {},
            "ResultSelector": {"names.$": "$.Buckets[*].Name"},
            "Credentials": {"RoleArn": "arn:aws:iam::123456789012:role/reader"},
            "Next": "Call",
        },
        "Call": {
            "Type": "Task",
            "Resource": "arn:aws:states:::http:invoke",
            "Parameters": {
                "ApiEndpoint": "https://example.com/hook",
                "Method": "POST",
                "Authentication": {
                    "ConnectionArn": "arn:aws:events:us-east-1:123456789012:connection/c/1"
                },
                "RequestBody.$": "$",
                "Headers": {"Content-Type": "application/json"},
            },
            "Next": "Child",
        },
        "Child": {
            "Type": "Task",
            "Resource": "arn:aws:states:::states:startExecution.sync:2",
            "Parameters": {
                "StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:c",
                "Input": {"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"},
            },
            "Next": "Event",
        },
        "Event": {
            "Type": "Task",
            "Resource": "arn:aws:states:::events:putEvents.waitForTaskToken",
            "Parameters": {
                "Entries": [
                    {"Detail": {"token.$": "$$.Task.Token"}, "DetailType": "d", "Source": "s"}
                ]
            },
            "HeartbeatSecondsPath": "$.heartbeat",
            "End": True,
        },
    },
}

# Variables, in both query languages:
# https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
JSONATA_LOOP = {
    "QueryLanguage": "JSONata",
    "StartAt": "Init",
    "States": {
        "Init": {
            "Type": "Pass",
            "Assign": {"total": 0, "items": "{% $states.input.items %}"},
            "Next": "Loop",
        },
        "Loop": {
            "Type": "Choice",
            "Choices": [
                {
                    "Condition": "{% $count($items) > 0 %}",
                    "Assign": {
                        "total": "{% $total + $items[0].price %}",
                        "items": "{% $count($items) > 1 ? $items[[1..$count($items)-1]] : [] %}",
                    },
                    "Next": "Loop",
                }
            ],
            "Default": "Done",
        },
        "Done": {
            "Type": "Pass",
            "Output": {"total": "{% $total %}", "pairs": "{% $partition([1, 2, 3], 2) %}"},
            "End": True,
        },
    },
}
JSONPATH_VARIABLES = {
    "StartAt": "Keep",
    "States": {
        "Keep": {
            "Type": "Pass",
            "Assign": {
                "count": 1,
                "name.$": "$.name",
                "greeting.$": "States.Format('hi {}', $.name)",
            },
            "Next": "Use",
        },
        "Use": {
            "Type": "Pass",
            "Parameters": {"c.$": "$count", "g.$": "$greeting"},
            "Next": "Check",
        },
        "Check": {
            "Type": "Choice",
            "Choices": [{"Variable": "$count", "NumericEquals": 1, "Next": "Yes"}],
            "Default": "No",
        },
        "Yes": {"Type": "Succeed"},
        "No": {"Type": "Fail"},
    },
}


def test_the_csv_and_service_forms_validate() -> None:
    assert diagnose(CSV_ROWS, "STANDARD") == []
    assert diagnose(SERVICES, "STANDARD") == []
    # .sync:2 and .waitForTaskToken: https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html
    assert {d.location for d in validate(SERVICES, "EXPRESS")} == {
        "/States/Child/Resource",
        "/States/Event/Resource",
    }


def test_the_jsonata_variable_loop_runs() -> None:
    data = {"items": [{"price": 2}, {"price": 3}, {"price": 4}]}
    result = asl.run(JSONATA_LOOP, data, clock=VirtualClock())
    assert (result.status, result.output) == ("SUCCEEDED", {"total": 9, "pairs": [[1, 2], [3]]})


def test_the_jsonpath_variables_run() -> None:
    result = asl.run(JSONPATH_VARIABLES, {"name": "ada"}, clock=VirtualClock())
    assert (result.status, result.output) == ("SUCCEEDED", {"c": 1, "g": "hi ada"})
