from django.contrib import admin

from .models import InboundMessage


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    """Read-only: the desk retries and discards in the console, where the service keeps the audit trail."""

    list_display = ("received_at", "state", "sender", "subject", "reference", "source", "attempts")
    list_filter = ("state", "reason_code")
    search_fields = ("message_key", "sender", "subject", "reference")
    exclude = ("raw",)
    readonly_fields = [f.name for f in InboundMessage._meta.fields if f.name != "raw"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # nothing that arrived is ever lost

    def has_change_permission(self, request, obj=None):
        return False
