from django.contrib import admin

from executor.models import Execution, HistoryEvent


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
