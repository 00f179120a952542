"""What only the AWS protocol needs: access keys, activities, tags and published versions."""

from __future__ import annotations

from django.db import models


class AccessKey(models.Model):
    """A SigV4 access key of one user. SigV4 signs with the secret itself (an HMAC key), so
    the server must be able to read it back: it is kept encrypted (awsapi.keys), shown once
    when made and never again."""

    user = models.ForeignKey("auth.User", models.CASCADE, related_name="access_keys")
    access_key_id = models.CharField(max_length=20, unique=True)
    encrypted_secret = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.access_key_id} of {self.user}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Activity(models.Model):
    """An activity made with CreateActivity. Its tasks are the PendingTask rows of its name;
    as on AWS, activity names are one namespace for the whole account."""

    name = models.CharField(max_length=80, unique=True)
    owner = models.ForeignKey("auth.User", models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PublishedVersion(models.Model):
    """A version published with PublishStateMachineVersion (or `publish` on create/update).
    Every saved definition is a StateMachineVersion; AWS shows only the published ones as
    versions, numbered as they are here."""

    version = models.OneToOneField(
        "designer.StateMachineVersion", models.CASCADE, related_name="published"
    )
    description = models.CharField(max_length=256, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.version)


class Tag(models.Model):
    """A tag of a state machine or an activity, by the resource's ARN."""

    resource_arn = models.CharField(max_length=256, db_index=True)
    key = models.CharField(max_length=128)
    value = models.CharField(max_length=256, blank=True, default="")

    class Meta:
        ordering = ["resource_arn", "key"]
        constraints = [
            models.UniqueConstraint(fields=["resource_arn", "key"], name="unique_tag_key")
        ]

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class Alias(models.Model):
    """A state machine alias: a name that routes new executions between one or two published
    versions by weight (CreateStateMachineAlias)."""

    state_machine = models.ForeignKey(
        "designer.StateMachine", models.CASCADE, related_name="aliases"
    )
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=256, blank=True, default="")
    # [{"version": 3, "weight": 90}, {"version": 4, "weight": 10}]: weights add up to 100.
    routing = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["state_machine", "name"]
        constraints = [
            models.UniqueConstraint(fields=["state_machine", "name"], name="unique_alias_name")
        ]

    def __str__(self) -> str:
        return f"{self.state_machine}:{self.name}"


class StartedThrough(models.Model):
    """The version or alias ARN an execution was started with, which DescribeExecution and
    ListExecutions report (an execution started on the machine's own ARN has none)."""

    execution = models.OneToOneField(
        "executor.Execution", models.CASCADE, primary_key=True, related_name="started_through"
    )
    version_number = models.PositiveIntegerField()
    alias_name = models.CharField(max_length=80, blank=True, default="", db_index=True)

    def __str__(self) -> str:
        return f"{self.execution_id} through {self.alias_name or self.version_number}"


class StateMachineRole(models.Model):
    """The IAM role ARN a program gave its state machine (roleArn). Statecraft runs the tasks
    itself and assumes no role, but shows the one given, as programs read it back."""

    state_machine = models.OneToOneField(
        "designer.StateMachine", models.CASCADE, primary_key=True, related_name="aws_role"
    )
    role_arn = models.CharField(max_length=256)

    def __str__(self) -> str:
        return self.role_arn
