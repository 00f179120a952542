from django.contrib import admin

from awsapi.models import AccessKey, Activity, Tag


@admin.register(AccessKey)
class AccessKeyAdmin(admin.ModelAdmin):
    list_display = ("access_key_id", "user", "created_at", "last_used_at", "revoked_at")
    # The encrypted secret is not shown, not even encrypted.
    exclude = ("encrypted_secret",)
    readonly_fields = ("access_key_id", "user", "created_at", "last_used_at")


admin.site.register(Activity)
admin.site.register(Tag)
