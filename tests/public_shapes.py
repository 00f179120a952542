"""Test machines with the shapes real, public AWS definitions have: written for this suite
after reading AWS's sample collections (aws-samples/step-functions-workflows-collection, the
Step Functions workshop, the developer guide's examples), not copied from them.

The shapes: Map in Parallel in Map; names with ':', quotes, slashes-free punctuation, unicode
and the 80-character maximum; Choices with many rules and And/Or/Not at depth; long Catch and
Retry lists; callbacks (.waitForTaskToken) in Parallel branches; a Distributed Map reading a
CSV from S3 with a batcher and a result writer; JSONata with Assign and Output; the legacy
Iterator/Parameters Map; loops; and the service integrations machines call most.
"""

from __future__ import annotations

from typing import Any

ACCOUNT = "123456789012"
LAMBDA = f"arn:aws:lambda:eu-west-1:{ACCOUNT}:function:"


def task(resource: str, **rest: Any) -> dict[str, Any]:
    return {"Type": "Task", "Resource": resource, **rest}


def inline_map(start: str, states: dict[str, Any], **rest: Any) -> dict[str, Any]:
    return {
        "Type": "Map",
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "INLINE"},
            "StartAt": start,
            "States": states,
        },
        **rest,
    }


DEEP_NESTING = {
    "Comment": "Regions, each with warehouses checked at once, each checking its shelves.",
    "StartAt": "List regions",
    "States": {
        "List regions": task(LAMBDA + "list-regions", Next="Each region"),
        "Each region": inline_map(
            "Check region",
            {
                "Check region": {
                    "Type": "Parallel",
                    "Branches": [
                        {
                            "StartAt": "Each warehouse",
                            "States": {
                                "Each warehouse": inline_map(
                                    "Count shelf",
                                    {
                                        "Count shelf": task(LAMBDA + "count", Next="Low stock?"),
                                        "Low stock?": {
                                            "Type": "Choice",
                                            "Choices": [
                                                {
                                                    "Variable": "$.count",
                                                    "NumericLessThan": 5,
                                                    "Next": "Reorder",
                                                }
                                            ],
                                            "Default": "Shelf ok",
                                        },
                                        "Reorder": task(LAMBDA + "reorder", End=True),
                                        "Shelf ok": {"Type": "Succeed"},
                                    },
                                    ItemsPath="$.warehouses",
                                    End=True,
                                )
                            },
                        },
                        {
                            "StartAt": "Audit region",
                            "States": {"Audit region": {"Type": "Pass", "End": True}},
                        },
                    ],
                    "End": True,
                }
            },
            ItemsPath="$.regions",
            MaxConcurrency=2,
            Next="Report",
        ),
        "Report": {"Type": "Succeed"},
    },
}

ODD_NAMES = {
    "StartAt": 'Step 1: load the "daily" file',
    "States": {
        'Step 1: load the "daily" file': {
            "Type": "Pass",
            "Next": "Étape 2 — vérifier (ß, ü, 注文)",
        },
        "Étape 2 — vérifier (ß, ü, 注文)": {"Type": "Pass", "Next": "x" * 80},
        "x" * 80: {"Type": "Pass", "Next": "arn:aws:lambda:looks-like-an-arn"},
        "arn:aws:lambda:looks-like-an-arn": {"Type": "Pass", "Next": "it's done 🎉"},
        "it's done 🎉": {"Type": "Succeed"},
    },
}


def rule(variable: str, test: str, value: Any, target: str) -> dict[str, Any]:
    return {"Variable": variable, test: value, "Next": target}


WIDE_CHOICE = {
    "StartAt": "Route ticket",
    "States": {
        "Route ticket": {
            "Type": "Choice",
            "Choices": [
                rule("$.priority", "StringEquals", "P1", "Page on-call"),
                rule("$.priority", "StringEquals", "P2", "Queue urgent"),
                rule("$.customer.tier", "StringEquals", "gold", "Queue urgent"),
                rule("$.amount", "NumericGreaterThan", 10000, "Finance review"),
                rule("$.amount", "NumericLessThanEquals", 0, "Reject"),
                rule("$.region", "StringMatches", "eu-*", "EU desk"),
                rule("$.openedAt", "TimestampLessThan", "2020-01-01T00:00:00Z", "Archive"),
                rule("$.vip", "BooleanEquals", True, "Page on-call"),
                {"Variable": "$.assignee", "IsPresent": False, "Next": "Triage"},
                {"Variable": "$.notes", "IsNull": True, "Next": "Triage"},
                {
                    "And": [
                        rule("$.amount", "NumericGreaterThanEquals", 100, "unused"),
                        {
                            "Or": [
                                {"Variable": "$.country", "StringEquals": "DE"},
                                {"Not": {"Variable": "$.country", "StringEquals": "FR"}},
                            ]
                        },
                    ],
                    "Next": "EU desk",
                },
                {
                    "Variable": "$.limit",
                    "NumericLessThanPath": "$.amount",
                    "Next": "Finance review",
                },
                {"Variable": "$.tags", "IsString": False, "Next": "Triage"},
                {"Variable": "$.score", "IsNumeric": True, "Next": "Queue normal"},
            ],
            "Default": "Queue normal",
        },
        "Page on-call": {"Type": "Succeed"},
        "Queue urgent": {"Type": "Succeed"},
        "Queue normal": {"Type": "Succeed"},
        "Finance review": {"Type": "Succeed"},
        "Reject": {"Type": "Fail", "Error": "Rejected"},
        "EU desk": {"Type": "Succeed"},
        "Archive": {"Type": "Succeed"},
        "Triage": {"Type": "Succeed"},
    },
}
# A nested rule does not take a Next: the first And's member above must not either.
del WIDE_CHOICE["States"]["Route ticket"]["Choices"][10]["And"][0]["Next"]

BIG_CATCH = {
    "StartAt": "Charge card",
    "States": {
        "Charge card": task(
            "arn:aws:states:::lambda:invoke",
            Parameters={"FunctionName": LAMBDA + "charge:live", "Payload.$": "$"},
            ResultSelector={"charge.$": "$.Payload"},
            Retry=[
                {
                    "ErrorEquals": [
                        "Lambda.ServiceException",
                        "Lambda.AWSLambdaException",
                        "Lambda.SdkClientException",
                        "Lambda.TooManyRequestsException",
                    ],
                    "IntervalSeconds": 1,
                    "MaxAttempts": 3,
                    "BackoffRate": 2,
                    "JitterStrategy": "FULL",
                },
                {"ErrorEquals": ["States.Timeout"], "MaxAttempts": 1},
                {
                    "ErrorEquals": ["RateLimited"],
                    "IntervalSeconds": 5,
                    "MaxDelaySeconds": 60,
                    "BackoffRate": 3,
                    "MaxAttempts": 6,
                },
            ],
            Catch=[
                {"ErrorEquals": ["CardDeclined"], "ResultPath": "$.error", "Next": "Tell customer"},
                {"ErrorEquals": ["CardExpired"], "ResultPath": "$.error", "Next": "Tell customer"},
                {"ErrorEquals": ["FraudSuspected"], "ResultPath": "$.error", "Next": "Hold order"},
                {"ErrorEquals": ["States.Timeout"], "ResultPath": "$.error", "Next": "Retry later"},
                {
                    "ErrorEquals": ["States.TaskFailed"],
                    "ResultPath": "$.error",
                    "Next": "Retry later",
                },
                {"ErrorEquals": ["States.Permissions"], "Next": "Alert ops"},
                {"ErrorEquals": ["States.ResultPathMatchFailure"], "Next": "Alert ops"},
                {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Alert ops"},
            ],
            TimeoutSeconds=30,
            Next="Paid",
        ),
        "Paid": {"Type": "Succeed"},
        "Tell customer": task(
            "arn:aws:states:::sns:publish",
            Parameters={
                "TopicArn": f"arn:aws:sns:eu-west-1:{ACCOUNT}:customers",
                "Message.$": "$.error.Cause",
            },
            Next="Declined",
        ),
        "Hold order": {"Type": "Pass", "Next": "Declined"},
        "Retry later": {"Type": "Wait", "Seconds": 600, "Next": "Charge card"},
        "Alert ops": task(
            "arn:aws:states:::events:putEvents",
            Parameters={
                "Entries": [{"Source": "shop", "DetailType": "ChargeFailed", "Detail.$": "$"}]
            },
            Next="Declined",
        ),
        "Declined": {
            "Type": "Fail",
            "Error": "PaymentFailed",
            "Cause": "The card was not charged.",
        },
    },
}

CALLBACKS_IN_PARALLEL = {
    "Comment": "Three approvers, each asked over a different channel; all must agree.",
    "StartAt": "Ask everyone",
    "States": {
        "Ask everyone": {
            "Type": "Parallel",
            "Branches": [
                {
                    "StartAt": "Ask by SNS",
                    "States": {
                        "Ask by SNS": task(
                            "arn:aws:states:::sns:publish.waitForTaskToken",
                            Parameters={
                                "TopicArn": f"arn:aws:sns:eu-west-1:{ACCOUNT}:approver-1",
                                "Message": {"token.$": "$$.Task.Token", "order.$": "$"},
                            },
                            TimeoutSeconds=3600,
                            End=True,
                        )
                    },
                },
                {
                    "StartAt": "Ask by SQS",
                    "States": {
                        "Ask by SQS": task(
                            "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                            Parameters={
                                "QueueUrl": f"https://sqs.eu-west-1.amazonaws.com/{ACCOUNT}/approvals",
                                "MessageBody": {"TaskToken.$": "$$.Task.Token"},
                            },
                            HeartbeatSeconds=600,
                            End=True,
                        )
                    },
                },
                {
                    "StartAt": "Ask by Lambda",
                    "States": {
                        "Ask by Lambda": task(
                            "arn:aws:states:::lambda:invoke.waitForTaskToken",
                            Parameters={
                                "FunctionName": "ask-approver",
                                "Payload": {"token.$": "$$.Task.Token"},
                            },
                            End=True,
                        )
                    },
                },
            ],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Not approved"}],
            "Next": "Approved",
        },
        "Approved": {"Type": "Succeed"},
        "Not approved": {"Type": "Fail"},
    },
}

DISTRIBUTED_MAP = {
    "StartAt": "Each row",
    "States": {
        "Each row": {
            "Type": "Map",
            "ItemReader": {
                "Resource": "arn:aws:states:::s3:getObject",
                "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
                "Parameters": {"Bucket": "sales-data", "Key.$": "$.key"},
            },
            "ItemBatcher": {"MaxItemsPerBatch": 100, "BatchInput": {"source.$": "$.key"}},
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                "StartAt": "Load batch",
                "States": {
                    "Load batch": task(
                        "arn:aws:states:::dynamodb:putItem",
                        Parameters={"TableName": "sales", "Item": {"id": {"S.$": "$.Items[0].id"}}},
                        End=True,
                    )
                },
            },
            "MaxConcurrency": 1000,
            "ToleratedFailurePercentage": 5,
            "ResultWriter": {
                "Resource": "arn:aws:states:::s3:putObject",
                "Parameters": {"Bucket": "sales-results", "Prefix": "runs"},
            },
            "Label": "SalesRows",
            "End": True,
        }
    },
}

JSONATA = {
    "QueryLanguage": "JSONata",
    "StartAt": "Price order",
    "States": {
        "Price order": {
            "Type": "Pass",
            "Assign": {
                "currency": "{% $states.input.currency %}",
                "lines": "{% $count($states.input.items) %}",
            },
            "Output": {"total": "{% $sum($states.input.items.(price * qty)) %}"},
            "Next": "Each line",
        },
        "Each line": {
            "Type": "Map",
            "Items": "{% $states.input.items %}",
            "ItemSelector": {
                "line": "{% $states.context.Map.Item.Value %}",
                "currency": "{% $currency %}",
            },
            "ItemProcessor": {
                "StartAt": "Check line",
                "States": {"Check line": {"Type": "Pass", "End": True}},
            },
            "Output": "{% $states.result %}",
            "Next": "Big order?",
        },
        "Big order?": {
            "Type": "Choice",
            "Choices": [{"Condition": "{% $lines > 10 %}", "Next": "Review"}],
            "Default": "Done",
        },
        "Review": {"Type": "Wait", "Seconds": "{% 60 %}", "Next": "Done"},
        "Done": {"Type": "Succeed", "Output": "{% {'currency': $currency} %}"},
    },
}

LEGACY_ITERATOR = {
    "StartAt": "Each file",
    "States": {
        "Each file": {
            "Type": "Map",
            "ItemsPath": "$.files",
            "Parameters": {"file.$": "$$.Map.Item.Value", "bucket.$": "$.bucket"},
            "Iterator": {
                "StartAt": "Resize",
                "States": {
                    "Resize": task(LAMBDA + "resize", Next="Store"),
                    "Store": task(
                        "arn:aws:states:::s3:putObject",
                        Parameters={"Bucket.$": "$.bucket", "Key.$": "$.file", "Body.$": "$"},
                        End=True,
                    ),
                },
            },
            "ResultPath": None,
            "End": True,
        }
    },
}


def polling_loop(checks: int = 12) -> dict[str, Any]:
    """A job started, then polled through a chain of checks with waits and a loop back."""
    states: dict[str, Any] = {
        "Start job": task(
            "arn:aws:states:::glue:startJobRun", Parameters={"JobName": "nightly"}, Next="Check 1"
        ),
    }
    for i in range(1, checks + 1):
        states[f"Check {i}"] = task(
            "arn:aws:states:::aws-sdk:glue:getJobRun",
            Parameters={"JobName": "nightly", "RunId.$": "$.JobRunId"},
            ResultPath="$.run",
            Next=f"Done {i}?",
        )
        states[f"Done {i}?"] = {
            "Type": "Choice",
            "Choices": [
                {
                    "Variable": "$.run.JobRun.JobRunState",
                    "StringEquals": "SUCCEEDED",
                    "Next": "Finished",
                },
                {
                    "Variable": "$.run.JobRun.JobRunState",
                    "StringEquals": "FAILED",
                    "Next": "Job failed",
                },
            ],
            "Default": f"Wait {i}",
        }
        states[f"Wait {i}"] = {
            "Type": "Wait",
            "Seconds": 30 * i,
            "Next": f"Check {i + 1}" if i < checks else "Check 1",
        }
    states["Finished"] = {"Type": "Succeed"}
    states["Job failed"] = {"Type": "Fail", "ErrorPath": "$.run.JobRun.ErrorMessage"}
    return {"StartAt": "Start job", "States": states}


SERVICE_CALLS = {
    "StartAt": "Call partner API",
    "States": {
        "Call partner API": task(
            "arn:aws:states:::http:invoke",
            Parameters={
                "ApiEndpoint": "https://api.example.com/orders",
                "Method": "POST",
                "Authentication": {
                    "ConnectionArn": f"arn:aws:events:eu-west-1:{ACCOUNT}:connection/partner/abc"
                },
                "RequestBody.$": "$",
            },
            Next="Run container",
        ),
        "Run container": task(
            "arn:aws:states:::ecs:runTask.sync",
            Parameters={"Cluster": "jobs", "TaskDefinition": "export:3", "LaunchType": "FARGATE"},
            Next="Start child",
        ),
        "Start child": task(
            "arn:aws:states:::states:startExecution.sync:2",
            Parameters={
                "StateMachineArn": f"arn:aws:states:eu-west-1:{ACCOUNT}:stateMachine:child",
                "Input": {"parent.$": "$$.Execution.Id"},
            },
            Next="Read item",
        ),
        "Read item": task(
            "arn:aws:states:::dynamodb:getItem",
            Parameters={"TableName": "orders", "Key": {"id": {"S.$": "$.id"}}},
            ResultSelector={"order.$": "$.Item"},
            Next="Wait for worker",
        ),
        "Wait for worker": task(
            f"arn:aws:states:eu-west-1:{ACCOUNT}:activity:label-printer",
            TimeoutSeconds=900,
            HeartbeatSeconds=60,
            End=True,
        ),
    },
}

PUBLIC_SHAPES: dict[str, dict[str, Any]] = {
    "deep-nesting": DEEP_NESTING,
    "odd-names": ODD_NAMES,
    "wide-choice": WIDE_CHOICE,
    "big-catch": BIG_CATCH,
    "callbacks-in-parallel": CALLBACKS_IN_PARALLEL,
    "distributed-map": DISTRIBUTED_MAP,
    "jsonata": JSONATA,
    "legacy-iterator": LEGACY_ITERATOR,
    "polling-loop": polling_loop(),
    "service-calls": SERVICE_CALLS,
}


def every_state(scope: dict[str, Any]) -> list[str]:
    """The name of every state at every depth."""
    names = []
    for name, state in scope["States"].items():
        names.append(name)
        inner = state.get("ItemProcessor") or state.get("Iterator")
        for graph in ([inner] if inner else []) + list(state.get("Branches", [])):
            names.extend(every_state(graph))
    return names
