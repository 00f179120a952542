"""What the AWS resources of a state machine do when it goes, however it goes (DeleteStateMachine,
the REST API's DELETE, the admin): its tags, kept by ARN, go with it. Aliases, versions'
publications and roles go by their foreign keys."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from awsapi.models import Activity, Tag
from awsapi.params import activity_arn, machine_arn
from designer.models import StateMachine


@receiver(post_delete, sender=StateMachine)
def untag_deleted_machine(sender: Any, instance: StateMachine, **kwargs: Any) -> None:
    Tag.objects.filter(resource_arn=machine_arn(instance)).delete()


@receiver(post_delete, sender=Activity)
def untag_deleted_activity(sender: Any, instance: Activity, **kwargs: Any) -> None:
    Tag.objects.filter(resource_arn=activity_arn(instance.name)).delete()
