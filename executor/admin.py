from django.contrib import admin

from executor.models import Execution, HistoryEvent, TaskAnswer


@admin.register(Execution)
class ExecutionAdmin(admin.ModelAdmin):
    list_display = ["name", "state_machine", "status", "start_date", "stop_date"]
    list_filter = ["status", "state_machine"]
    search_fields = ["name", "id"]
    readonly_fields = ["checkpoint", "last_event_id", "lease_owner", "lease_expires_at"]


@admin.register(HistoryEvent)
class HistoryEventAdmin(admin.ModelAdmin):
    list_display = ["execution", "event_id", "type", "timestamp"]
    list_filter = ["type"]


@admin.register(TaskAnswer)
class TaskAnswerAdmin(admin.ModelAdmin):
    """Who answered which task token: an audit trail, read-only."""

    list_display = ["state_name", "execution", "approved", "answered_by_name", "answered_at"]
    list_filter = ["approved"]
    search_fields = ["state_name", "answered_by_name", "comment"]
    readonly_fields = [f.name for f in TaskAnswer._meta.fields]
