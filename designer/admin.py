from django.contrib import admin

from designer.models import RoleGrant, StateMachine, StateMachineVersion


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


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ["role", "user", "group", "state_machine", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "group__name", "state_machine__name"]
    raw_id_fields = ["user", "group", "state_machine"]
