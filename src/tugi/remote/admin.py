from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import RemoteAccessOrder


@admin.register(RemoteAccessOrder)
class RemoteAccessOrderAdmin(admin.ModelAdmin):
    """The admin never shows the account details (K19): the encrypted columns are not fields of the
    form, and the list shows "••••" in their place."""

    list_display = ("ticket", "method", "configuration_item", "account", "status", "ordered_by_label", "created_at")
    list_select_related = ("ticket", "configuration_item")
    list_filter = ("status", "method")
    raw_id_fields = ("ticket", "configuration_item", "ordered_by_user")
    exclude = ("account_identifier_encrypted", "password_encrypted")
    readonly_fields = ("account", "status", "revoked_at", "revoked_by_label", "ordered_by_label")

    @admin.display(description=_("account"))
    def account(self, obj: RemoteAccessOrder) -> str:
        return obj.masked or "—"

    def has_add_permission(self, request) -> bool:
        # Orders carry secrets, which enter through the service alone.
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # A stored secret belongs to the ticket and the item it was given for: moving it to another
        # ticket would show it to that ticket's desk. Changes go through the services (replace, revoke).
        return False
