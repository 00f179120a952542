from django.contrib import admin

from designer.models import StateMachine, StateMachineVersion


class VersionInline(admin.TabularInline):
    model = StateMachineVersion
    extra = 0
    readonly_fields = ["number", "definition", "layout", "created_at"]
    can_delete = False


@admin.register(StateMachine)
class StateMachineAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "owner", "updated_at"]
    search_fields = ["name"]
    inlines = [VersionInline]
