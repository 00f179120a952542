"""The far side of a callback (`.waitForTaskToken`) task: another process, which finds the
task token the waiting state was scheduled with and answers it with SendTaskSuccess.
On AWS the token usually travels in the message the state sends (here the SQS MessageBody);
this program reads it from the TaskScheduled event of GetExecutionHistory, which carries the
state's resolved parameters, token included.
https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token"""

from __future__ import annotations

import argparse
import json
import time

import boto3


def scheduled_token(sfn, execution_arn: str) -> str | None:
    pages = sfn.get_paginator("get_execution_history").paginate(
        executionArn=execution_arn, reverseOrder=True
    )
    for page in pages:
        for event in page["events"]:
            if event["type"] == "TaskScheduled":
                parameters = json.loads(event["taskScheduledEventDetails"]["parameters"])
                return parameters["MessageBody"]["token"]
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("execution_arn")
    parser.add_argument("--decision", default="approved")
    args = parser.parse_args()
    sfn = boto3.client("stepfunctions")
    deadline = time.monotonic() + 60
    token = None
    while token is None and time.monotonic() < deadline:
        token = scheduled_token(sfn, args.execution_arn)
        if token is None:
            time.sleep(0.2)
    if token is None:
        raise SystemExit("the execution never scheduled its callback task")
    sfn.send_task_heartbeat(taskToken=token)
    sfn.send_task_success(taskToken=token, output=json.dumps({"decision": args.decision}))
    print("answered", flush=True)


if __name__ == "__main__":
    main()
