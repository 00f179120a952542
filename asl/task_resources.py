"""What a Task's Resource asks for: its integration pattern, the resource beneath the
pattern's suffix, and whether it is an activity. The one place that reads these forms.

Service integrations name their pattern with a suffix of the resource ARN
(https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html):

    arn:aws:states:::sqs:sendMessage                        Request Response
    arn:aws:states:::states:startExecution.sync:2           Run a Job (.sync, .sync:2)
    arn:aws:states:::lambda:invoke.waitForTaskToken         Wait for Callback

and an activity is ``arn:aws:states:REGION:ACCOUNT:activity:NAME``
(https://docs.aws.amazon.com/step-functions/latest/dg/concepts-activities.html).
"""

from __future__ import annotations

import re
from typing import Literal

Pattern = Literal["request_response", "sync", "wait_for_task_token"]

_SUFFIX = re.compile(r"\.(?:(?P<sync>sync(?::\d+)?)|waitForTaskToken)$")
_ACTIVITY = re.compile(r"^arn:aws[a-z-]*:states:[^:]*:[^:]*:activity:(.+)$")


def pattern(resource: str) -> Pattern:
    found = _SUFFIX.search(resource)
    if found is None:
        return "request_response"
    return "sync" if found.group("sync") else "wait_for_task_token"


def base(resource: str) -> str:
    """The resource without its pattern suffix: what is called."""
    return _SUFFIX.sub("", resource, count=1)


def activity_name(resource: str) -> str | None:
    found = _ACTIVITY.match(resource)
    return found.group(1) if found else None
