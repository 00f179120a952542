"""An activity worker, as AWS's documentation describes one: poll GetActivityTask, heartbeat
while working, answer with SendTaskSuccess (or SendTaskFailure).
https://docs.aws.amazon.com/step-functions/latest/dg/concepts-activities.html"""

from __future__ import annotations

import argparse
import json
import socket

import boto3


def work(task_input: dict) -> dict:
    """The work itself: totals an order's lines."""
    lines = task_input["lines"]
    return {
        "order": task_input["order"],
        "total": sum(line["price"] * line["qty"] for line in lines),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("activity_arn")
    parser.add_argument("--tasks", type=int, default=0, help="stop after this many (0: never)")
    args = parser.parse_args()
    sfn = boto3.client("stepfunctions")
    worker = f"worker-{socket.gethostname()}"
    done = 0
    while not args.tasks or done < args.tasks:
        task = sfn.get_activity_task(activityArn=args.activity_arn, workerName=worker)
        token = task.get("taskToken")
        if not token:  # the long poll ended with no task: poll again
            continue
        sfn.send_task_heartbeat(taskToken=token)
        try:
            output = work(json.loads(task["input"]))
        except (KeyError, TypeError, ValueError) as exc:
            sfn.send_task_failure(taskToken=token, error="BadOrder", cause=repr(exc))
        else:
            sfn.send_task_success(taskToken=token, output=json.dumps(output))
        done += 1
        print(f"answered {done}", flush=True)


if __name__ == "__main__":
    main()
