"""The data limits, as AWS sets them, and the caps that keep a state from building anything
much larger before they are checked.

AWS limits a state's input and output, and an execution's, to 256 KiB of UTF-8 JSON text
("Maximum input or output size for a task, state, or execution", Step Functions service
quotas); over it a state fails with ``States.DataLimitExceeded``, which ``States.ALL`` does
not catch. The interpreter checks its data against that limit when a state hands it on; the
caps here stop the expressions that could build far more than that on the way there (a JSONata
range, ``$pad``, ``&``, ``States.Format``) before they allocate it: a check after building a
1 GB string comes too late.
"""

from __future__ import annotations

from datetime import UTC, datetime

from asl.errors import StatesError
from asl.frames import Unprefixed

DEFAULT_PAYLOAD_LIMIT = 256 * 1024
DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded"
# A longer string cannot be part of any payload: each character takes at least one byte.
MAX_STRING_CHARS = DEFAULT_PAYLOAD_LIMIT
# Nor a longer array: each item takes at least two bytes (a digit and a comma).
MAX_SEQUENCE_ITEMS = DEFAULT_PAYLOAD_LIMIT // 2


# AWS reads whole numbers such as a SecondsPath value as Java longs.
MAX_LONG = 2**63 - 1
# A wait past the end of the calendar Python can hold never ends; a day short of its last
# moment, so that a clock adding the wait as float seconds cannot round past it.
LATEST_WAKE_UP = datetime(9999, 12, 31, tzinfo=UTC)


def json_size(text: str) -> int:
    """The size of JSON text in UTF-8 bytes (short texts are measured without encoding)."""
    if len(text) * 4 <= DEFAULT_PAYLOAD_LIMIT:
        return len(text)
    return len(text.encode("utf-8"))


def too_large(what: str, size: int, limit: int, unit: str) -> StatesError:
    return StatesError(
        DATA_LIMIT_EXCEEDED,
        f"{what} would have {size} {unit}, more than the {limit} a payload can hold.",
    )


def check_input(state: str, text: str, limit: int) -> None:
    """Fails a state whose effective input (after Parameters or Arguments) is over the limit,
    in AWS's words for a task's; the quota holds for every state's input."""
    if json_size(text) > limit:
        raise Unprefixed(
            DATA_LIMIT_EXCEEDED,
            f"The state/task '{state}' has an input with a size exceeding the maximum "
            "number of bytes service limit.",
        )


def check_string(what: str, length: int) -> None:
    """Refuses a string of ``length`` characters before it is built."""
    if length > MAX_STRING_CHARS:
        raise too_large(what, length, MAX_STRING_CHARS, "characters")


def check_items(what: str, count: int) -> None:
    """Refuses an array of ``count`` items before it is built."""
    if count > MAX_SEQUENCE_ITEMS:
        raise too_large(what, count, MAX_SEQUENCE_ITEMS, "items")


# -- counts and sizes a definition may use (checked by asl.validate) ----------------------
# State and state machine names: at most 80 characters
# (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html).
MAX_NAME_LENGTH = 80
# Parallel and Map nest machines; past this depth the definition is refused instead of
# risking the interpreter's stack (AWS's own limits are far lower in practice).
MAX_STATE_NESTING = 40
# Choice rules nested deeper than this are refused rather than risk exhausting the stack.
MAX_RULE_DEPTH = 50
# AWS caps every duration and count field (TimeoutSeconds, IntervalSeconds, Seconds ...)
# at this value.
MAX_SECONDS = 99_999_999
# Retry's MaxDelaySeconds must stay under a year
# (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
MAX_DELAY_SECONDS = 31_622_400
# A Map Run's Label: at most 40 characters
# (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html).
MAX_LABEL_CHARS = 40
# ItemBatcher: one batch holds at most 256 KiB, and a batch's item count is capped like
# every count (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html).
MAX_BATCH_BYTES = 262_144
MAX_BATCH_ITEMS = 100_000_000

# -- intrinsic functions ------------------------------------------------------------------
# (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html)
# States.ArrayRange: "The array returned can contain a maximum of 1000 items".
MAX_ARRAY_RANGE_ITEMS = 1000
# States.Base64Encode, States.Base64Decode and States.Hash take at most 10,000 characters.
MAX_INTRINSIC_STRING_CHARS = 10_000
# Intrinsic functions nest at most 10 deep.
MAX_INTRINSIC_NESTING = 10

# -- executions ---------------------------------------------------------------------------
# RedriveExecution: at most 1,000 redrives of one execution
# (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html).
MAX_REDRIVES = 1000
