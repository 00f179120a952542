from django.apps import AppConfig


class AwsapiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "awsapi"
    verbose_name = "AWS Step Functions API"

    def ready(self) -> None:
        from awsapi import signals  # noqa: F401  (connects the receivers)
