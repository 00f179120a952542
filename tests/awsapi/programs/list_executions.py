"""Lists every execution of a state machine, a page at a time, following nextToken as AWS's
API reference describes (https://docs.aws.amazon.com/step-functions/latest/apireference/
API_ListExecutions.html). Prints one JSON summary line."""

from __future__ import annotations

import argparse
import json
from collections import Counter

import boto3


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("state_machine_arn")
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--status")
    args = parser.parse_args()
    sfn = boto3.client("stepfunctions")
    request = {"stateMachineArn": args.state_machine_arn, "maxResults": args.page_size}
    if args.status:
        request["statusFilter"] = args.status
    names, pages, statuses = [], 0, Counter()
    while True:
        page = sfn.list_executions(**request)
        pages += 1
        for execution in page["executions"]:
            names.append(execution["name"])
            statuses[execution["status"]] += 1
        if "nextToken" not in page:
            break
        request["nextToken"] = page["nextToken"]
    print(
        json.dumps(
            {
                "count": len(names),
                "distinct": len(set(names)),
                "pages": pages,
                "statuses": statuses,
                "first": names[:1],
                "last": names[-1:],
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
