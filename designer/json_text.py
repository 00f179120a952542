"""The REST API's one rule for the members AWS's API carries as JSON text: an execution's
input (StartExecution, StartSyncExecution, a start through an alias, a rerun), a task's output
(SendTaskSuccess), TestState's definition, input, variables and context.

A string is JSON text, read as AWS reads it, so a body written as an SDK writes it means the
same on both APIs: "{\\"a\\": 1}" is the object {"a": 1}. Any other JSON value (an object,
an array, a number, true, false) is that value itself. A string *value* is sent as JSON text
too ("\\"hello\\"" is the string "hello"); a string that is not JSON text ("hello") is refused,
as AWS refuses it, rather than guessed at: guessing would read the string "42" as a number.

https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
"""

from __future__ import annotations

import json
from typing import Any

from designer.actions import ActionError

# The OpenAPI description of such a member (designer/api_schema and the executor's serializers).
HELP = (
    "JSON text, as AWS's API and its SDKs send it (a string is always read as JSON text: "
    '"{\\"a\\": 1}" is the object {"a": 1}, "\\"hi\\"" the string "hi"), or the JSON value '
    "itself (an object, array, number or boolean)."
)


def value_of(value: Any, field: str, code: str = "ValidationException") -> Any:
    """The JSON value a member means: a string is read as JSON text, anything else is itself
    (None, a member left out, stays None for the caller's default)."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except RecursionError:
        raise ActionError(f"{field} is nested too deeply.", field=field, code=code) from None
    except ValueError as problem:
        raise ActionError(
            f"{field} is not JSON text ({problem}); send a string value as JSON text, "
            'such as "\\"hello\\"".',
            field=field,
            code=code,
        ) from None
