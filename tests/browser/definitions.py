"""The machines the browser tests draw and run."""

from typing import Any

ORDER: dict[str, Any] = {
    "Comment": "Check an order, then ship it or say it is out of stock.",
    "StartAt": "Receive order",
    "States": {
        "Receive order": {"Type": "Pass", "Next": "Is it in stock?"},
        "Is it in stock?": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.quantity", "NumericLessThanEquals": 10, "Next": "Pack"}],
            "Default": "Out of stock",
        },
        "Pack": {"Type": "Wait", "Seconds": 1, "Next": "Ship"},
        "Ship": {"Type": "Pass", "Result": "shipped", "ResultPath": "$.status", "End": True},
        "Out of stock": {"Type": "Fail", "Error": "OutOfStock", "Cause": "Not enough items."},
    },
}

IN_STOCK_PATH = ["Receive order", "Is it in stock?", "Pack", "Ship"]

# A branch that fails inside a Parallel whose Catch recovers: the Parallel shows as caught.
RECOVERING: dict[str, Any] = {
    "StartAt": "Both",
    "States": {
        "Both": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "Fine", "States": {"Fine": {"Type": "Pass", "End": True}}},
                {
                    "StartAt": "Broken",
                    "States": {
                        "Broken": {"Type": "Fail", "Error": "Broken", "Cause": "on purpose"}
                    },
                },
            ],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Recover"}],
            "Next": "Done",
        },
        "Recover": {"Type": "Pass", "End": True},
        "Done": {"Type": "Succeed"},
    },
}

# Waits a little: stopped during the wait, it succeeds when redriven.
PAUSE: dict[str, Any] = {
    "StartAt": "Prepare",
    "States": {
        "Prepare": {"Type": "Pass", "Next": "Pause"},
        "Pause": {"Type": "Wait", "Seconds": 2, "Next": "Done"},
        "Done": {"Type": "Pass", "End": True},
    },
}

# Waits a long time: a run that stays RUNNING until it is stopped.
LONG_PAUSE: dict[str, Any] = {
    "StartAt": "Pause",
    "States": {"Pause": {"Type": "Wait", "Seconds": 3600, "End": True}},
}

# A Task Statecraft cannot call, with .waitForTaskToken: it waits for a person's answer.
APPROVAL: dict[str, Any] = {
    "StartAt": "Ask manager",
    "States": {
        "Ask manager": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"amount.$": "$.amount", "token.$": "$$.Task.Token"},
            "ResultPath": "$.decision",
            "Next": "Pay",
        },
        "Pay": {"Type": "Pass", "End": True},
    },
}

# A Map whose items above 3 fail; its Catch carries the run on.
SORTING_MAP: dict[str, Any] = {
    "StartAt": "Each item",
    "States": {
        "Each item": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "MaxConcurrency": 1,
            "ItemProcessor": {
                "StartAt": "Look",
                "States": {
                    "Look": {
                        "Type": "Choice",
                        "Choices": [{"Variable": "$", "NumericGreaterThan": 3, "Next": "Too big"}],
                        "Default": "Keep",
                    },
                    "Keep": {"Type": "Pass", "End": True},
                    "Too big": {"Type": "Fail", "Error": "TooBig"},
                },
            },
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Sorted"}],
            "Next": "Sorted",
        },
        "Sorted": {"Type": "Succeed"},
    },
}

# An approval only members of the group "finance" may answer (executor.approvals).
SIGN_OFF: dict[str, Any] = {
    "StartAt": "Sign off",
    "States": {
        "Sign off": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {
                "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/approvals",
                "MessageBody": {
                    "Approval": {"Prompt": "Sign off?", "ApproverGroup": "finance"},
                    "Input.$": "$",
                    "TaskToken.$": "$$.Task.Token",
                },
            },
            "ResultPath": "$.approval",
            "End": True,
        }
    },
}
