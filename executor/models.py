from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db import connections, models

from designer.models import StateMachine, StateMachineVersion

STATUSES = (
    ("RUNNING", "Running"),
    ("SUCCEEDED", "Succeeded"),
    ("FAILED", "Failed"),
    ("TIMED_OUT", "Timed out"),
    ("ABORTED", "Aborted"),
)


class Execution(models.Model):
    """One run of a state machine version. The row is the source of truth: the interpreter's
    checkpoint lives here, so any worker can continue the run after any other stopped."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Indexed with its start date below (lists), and with the name by the unique constraint.
    state_machine = models.ForeignKey(
        StateMachine, models.CASCADE, related_name="executions", db_index=False
    )
    # Indexed with its start date below (the version filter of the executions page).
    version = models.ForeignKey(
        StateMachineVersion, models.PROTECT, related_name="executions", db_index=False
    )
    name = models.CharField(max_length=80)
    status = models.CharField(max_length=10, choices=STATUSES, default="RUNNING")
    input = models.JSONField(null=True, blank=True)
    output = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    cause = models.TextField(blank=True, default="")
    start_date = models.DateTimeField()
    stop_date = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey("auth.User", models.SET_NULL, null=True, blank=True)

    # What the durable runner needs to continue: the interpreter's state, the number of the
    # last history event written, who is advancing it now and when it should next wake up.
    checkpoint = models.JSONField(null=True, blank=True)
    last_event_id = models.PositiveIntegerField(default=0)
    lease_owner = models.CharField(max_length=64, blank=True, default="")
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # How many times in a row a worker took the lease over from one whose lease ran out
    # (it died or overran); the runner fails a run that keeps taking its workers down.
    lease_takeovers = models.PositiveSmallIntegerField(default=0)
    wake_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # When the sweep last re-enqueued it: one lost message is retried, not a storm of them.
    swept_at = models.DateTimeField(null=True, blank=True)
    # A stop asked for while a worker held the execution: that worker (or the next) applies it.
    stop_requested = models.JSONField(null=True, blank=True)
    redrive_count = models.PositiveIntegerField(default=0)
    # A rerun from a state of an earlier run: the run it came from, and the top-level state
    # it begins at instead of the definition's StartAt (blank: it starts at StartAt).
    rerun_of = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="reruns"
    )
    start_at = models.CharField(max_length=80, blank=True, default="")

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["state_machine", "name"], name="unique_execution_name")
        ]
        # Every index costs each lease and each save of a running execution: only these.
        indexes = [
            models.Index(fields=["status", "lease_expires_at"]),
            # The executions page pages on (start_date, id) with and without a status or
            # machine filter (executor/listing.py); each filter needs its own keyset index.
            models.Index(fields=["-start_date", "-id"], name="execution_list_idx"),
            models.Index(fields=["status", "-start_date", "-id"], name="execution_status_list_idx"),
            models.Index(
                fields=["state_machine", "-start_date", "-id"], name="execution_machine_list_idx"
            ),
            models.Index(
                fields=["version", "-start_date", "-id"], name="execution_version_list_idx"
            ),
            # The counts per status of one machine (or of the few a viewer may see).
            models.Index(fields=["state_machine", "status"], name="execution_machine_status_idx"),
            # Name search across machines is indexed by migration 0004: on PostgreSQL with
            # varchar_pattern_ops, which LIKE 'prefix%' can use whatever the collation.
        ]

    def __str__(self) -> str:
        return f"{self.state_machine.name}/{self.name}"

    @property
    def is_finished(self) -> bool:
        return self.status != "RUNNING"


def aws_event(
    event_id: int,
    previous_event_id: int,
    type: str,
    timestamp: Any,
    details_key: str,
    details: Any,
) -> dict[str, Any]:
    """The one shape of a history event wherever it leaves the server (the REST API, the
    WebSocket, the AWS API): AWS's HistoryEvent, its details under the member named after
    its type (stateEnteredEventDetails, taskScheduledEventDetails, ...).
    https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html

    ``timestamp`` is passed as its protocol writes it: a datetime for the AWS API (whose
    encoder writes epoch seconds), ISO 8601 text (json_timestamp) for JSON clients."""
    event: dict[str, Any] = {
        "id": event_id,
        "previousEventId": previous_event_id,
        "timestamp": timestamp,
        "type": type,
    }
    if details_key:
        event[details_key] = details
    return event


def json_timestamp(timestamp: dt.datetime) -> str:
    """An event's time in the REST API and over the WebSocket: ISO 8601 in UTC."""
    return timestamp.isoformat().replace("+00:00", "Z")


class EventRow(NamedTuple):
    """A history event as its table's columns."""

    execution_id: Any
    event_id: int
    previous_event_id: int
    type: str
    details_key: str
    timestamp: dt.datetime
    details: Any

    @classmethod
    def of(cls, execution_id: Any, event: dict[str, Any]) -> EventRow:
        """The row of an event as the interpreter writes it (AWS's shape)."""
        details_key = next((k for k in event if k.endswith("EventDetails")), "")
        return cls(
            execution_id,
            event["id"],
            event.get("previousEventId") or 0,
            event["type"],
            details_key,
            event["timestamp"],
            event[details_key] if details_key else {},
        )

    def as_json(self) -> dict[str, Any]:
        """As JSON clients get it (the WebSocket, the REST API): AWS's shape."""
        return aws_event(
            self.event_id,
            self.previous_event_id,
            self.type,
            json_timestamp(self.timestamp),
            self.details_key,
            self.details,
        )


def store_events(
    model: type[models.Model], owner: str, rows: list[EventRow]
) -> list[dict[str, Any]]:
    """Stores new events (EventRow, its first field the id of whose history they are, in
    ``model``'s column ``owner``) and returns them as JSON clients get them.
    On PostgreSQL they go in with COPY: an INSERT of many rows binds every value in
    Python, and made storing events half the CPU of an advance."""
    connection = connections[model._default_manager.db]
    if rows and connection.vendor == "postgresql":
        table = model._meta.db_table
        columns = ", ".join([owner, *EventRow._fields[1:]])
        with (
            connection.wrap_database_errors,
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                # As JSONField encodes: json.dumps with its defaults.
                copy.write_row(row._replace(details=json.dumps(row.details)))
    elif rows:
        fields = EventRow._fields[1:]
        model._default_manager.bulk_create(
            [model(**{owner: row[0]}, **dict(zip(fields, row[1:], strict=True))) for row in rows],
            batch_size=1000,
        )
    return [row.as_json() for row in rows]


class EventShape:
    """What a history event row answers (HistoryEvent, ChildHistoryEvent: the same columns
    beside the history they belong to), in the shape of AWS GetExecutionHistory's."""

    event_id: int
    previous_event_id: int
    type: str
    details_key: str
    timestamp: dt.datetime
    details: Any

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"

    def as_aws(self) -> dict[str, Any]:
        """The event exactly as AWS's GetExecutionHistory returns it."""
        return aws_event(
            self.event_id,
            self.previous_event_id,
            self.type,
            self.timestamp,
            self.details_key,
            self.details,
        )

    def as_json(self) -> dict[str, Any]:
        """The same event for JSON clients (REST, WebSocket): its time as ISO 8601 text."""
        return {**self.as_aws(), "timestamp": json_timestamp(self.timestamp)}


class HistoryEventQuerySet(models.QuerySet["HistoryEvent"]):
    def append(self, execution_id: Any, events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """Stores new events (as the interpreter writes them) and returns them as JSON
        clients get them (for the live stream)."""
        rows = [EventRow.of(execution_id, event) for event in events]
        return store_events(HistoryEvent, "execution_id", rows)


class HistoryEvent(EventShape, models.Model):
    """One event of an execution, numbered 1..n, in the shape of AWS GetExecutionHistory."""

    # Indexed by the unique constraint (execution, event_id): a second index would only slow
    # down storing events.
    execution = models.ForeignKey(Execution, models.CASCADE, related_name="events", db_index=False)
    event_id = models.PositiveIntegerField()
    previous_event_id = models.PositiveIntegerField(default=0)
    type = models.CharField(max_length=48)
    # AWS names the details member after the event type (stateEnteredEventDetails, ...).
    details_key = models.CharField(max_length=64, blank=True, default="")
    timestamp = models.DateTimeField()
    details = models.JSONField(default=dict, blank=True)

    objects = HistoryEventQuerySet.as_manager()

    class Meta:
        ordering = ["execution", "event_id"]
        constraints = [
            models.UniqueConstraint(fields=["execution", "event_id"], name="unique_event_id")
        ]
        indexes = [
            # The Choice traces (executor/choice_traces.py) are worked out from these events
            # when asked: a partial index finds them in a long history, and costs an insert
            # only for them.
            models.Index(
                fields=["execution", "event_id"],
                condition=models.Q(type="ChoiceStateEntered"),
                name="choice_entered_idx",
            )
        ]


class PendingTask(models.Model):
    """A Task state waiting for the outside world: a Celery task, an HTTP call, an activity
    worker, or a `.waitForTaskToken` callback (which people answer as approvals).

    The answer is written here first and the execution advanced after; the runner applies
    the answers it finds, so an answer that arrives while another worker holds the execution
    is never lost."""

    KINDS = (
        ("function", "Registered function"),
        ("celery", "Celery task"),
        ("http", "HTTP call"),
        ("activity", "Activity"),
        ("callback", "Task token callback"),
    )

    execution = models.ForeignKey(Execution, models.CASCADE, related_name="pending_tasks")
    request_id = models.CharField(max_length=200)
    token = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=KINDS)
    state_name = models.CharField(max_length=80)
    resource = models.CharField(max_length=2048)
    activity = models.CharField(max_length=80, blank=True, default="", db_index=True)
    payload = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    heartbeat_seconds = models.FloatField(null=True, blank=True)
    heartbeat_deadline = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    outcome = models.JSONField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The group whose members alone may answer (besides "operate" on the machine), from the
    # Approval the task describes (executor.approvals); blank: any operator.
    approver_group = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["execution", "request_id"], name="unique_request")
        ]
        indexes = [
            models.Index(fields=["kind", "activity", "claimed_at"]),
            models.Index(fields=["answered_at", "deadline"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.state_name} of {self.execution_id}"


class TaskAnswer(models.Model):
    """Who answered a task token, when, and what they said. AWS's history has no field for it,
    so it is kept beside the history; the PendingTask it answered is deleted once applied,
    this stays as long as the execution."""

    execution = models.ForeignKey(Execution, models.CASCADE, related_name="task_answers")
    state_name = models.CharField(max_length=80)
    resource = models.CharField(max_length=2048)
    approved = models.BooleanField()  # SendTaskSuccess (True) or SendTaskFailure
    comment = models.TextField(blank=True, default="")
    answered_by = models.ForeignKey("auth.User", models.SET_NULL, null=True, blank=True)
    # Kept as it was then: the user may be renamed or deleted later.
    answered_by_name = models.CharField(max_length=150, blank=True, default="")
    answered_at = models.DateTimeField()
    outcome = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["answered_at", "pk"]

    def __str__(self) -> str:
        return f"{'approved' if self.approved else 'rejected'} {self.state_name}"


class MapRun(models.Model):
    """A Map Run of a Distributed Map state, as the last advance left it (the stepper keeps
    the truth in its checkpoint, asl.map_runs; this row lets the APIs list and find runs by
    ARN without reading checkpoints). ``update_requested`` holds an UpdateMapRun not yet
    applied: the next advance applies it under the execution's lease and clears it."""

    arn = models.CharField(max_length=512, unique=True)
    execution = models.ForeignKey(Execution, models.CASCADE, related_name="map_runs")
    state_name = models.CharField(max_length=80)
    status = models.CharField(max_length=10, default="RUNNING")
    start_date = models.DateTimeField()
    stop_date = models.DateTimeField(null=True, blank=True)
    max_concurrency = models.PositiveIntegerField(default=0)
    tolerated_failure_count = models.PositiveIntegerField(null=True, blank=True)
    tolerated_failure_percentage = models.FloatField(null=True, blank=True)
    item_counts = models.JSONField(default=dict)
    update_requested = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return self.arn


class MapRunChild(models.Model):
    """The child execution of one item of a Map Run, as the stepper reported it
    (asl.map_runs.take_children), written with the advance that ran it. DescribeExecution
    and ListExecutions(mapRunArn) read these rows: one item's row, or a page of them, never
    the parent's checkpoint, whose registry holds only each item's status."""

    map_run = models.ForeignKey(MapRun, models.CASCADE, related_name="children")
    index = models.PositiveIntegerField()
    status = models.CharField(max_length=10, default="RUNNING")
    input = models.JSONField(null=True, blank=True)
    output = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    cause = models.TextField(blank=True, default="")
    start_date = models.DateTimeField()
    stop_date = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # Also the index that finds an item and pages a run's items in order.
            models.UniqueConstraint(fields=["map_run", "index"], name="map_run_child_once")
        ]

    def __str__(self) -> str:
        return f"{self.map_run.arn} #{self.index}"


class ChildHistoryEvent(EventShape, models.Model):
    """One event of the own history of a Map Run's child execution, numbered 1..n per child
    (asl.map_runs.take_child_events), written with the advance that ran it; what
    GetExecutionHistory answers for the child's ARN. The parent's history has none of them."""

    # Indexed by the unique constraint (child, event_id).
    child = models.ForeignKey(MapRunChild, models.CASCADE, related_name="events", db_index=False)
    event_id = models.PositiveIntegerField()
    previous_event_id = models.PositiveIntegerField(default=0)
    type = models.CharField(max_length=48)
    # AWS names the details member after the event type (stateEnteredEventDetails, ...).
    details_key = models.CharField(max_length=64, blank=True, default="")
    timestamp = models.DateTimeField()
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["child", "event_id"]
        constraints = [
            models.UniqueConstraint(fields=["child", "event_id"], name="unique_child_event_id")
        ]
