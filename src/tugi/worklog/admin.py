"""Time entries and disputes in the admin: to look, never to change. The record is evidence (K12):
a change goes through the services (a dispute's answer), which chain it and write the audit trail."""

from django.contrib import admin

from .models import TimeDispute, TimeEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TimeEntry)
class TimeEntryAdmin(ReadOnlyAdmin):
    list_display = ("ticket", "work_date", "author_label", "minutes", "is_billable", "state", "created_at")
    list_filter = ("state", "is_billable")
    list_select_related = ("ticket",)
    search_fields = ("ticket__reference", "author_label", "description")
    date_hierarchy = "work_date"


@admin.register(TimeDispute)
class TimeDisputeAdmin(ReadOnlyAdmin):
    list_display = ("entry", "raised_by_label", "created_at", "outcome", "answered_by_label", "answered_at")
    list_filter = ("outcome",)
    list_select_related = ("entry",)
    search_fields = ("reason", "justification", "raised_by_label")
