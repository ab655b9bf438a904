from django.contrib import admin

from tugi.sla.models import SLAEscalation

from .models import ConversationEntry, KindChange, Participant, Ticket, TicketCI, TicketLink


class EntryInline(admin.TabularInline):
    model = ConversationEntry
    fields = ("created_at", "kind", "is_internal", "author_label", "body")
    readonly_fields = fields
    extra = 0
    can_delete = False


class CIInline(admin.TabularInline):
    model = TicketCI
    fields = ("configuration_item", "status", "added_by_label", "decided_by_label", "decided_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


class EscalationInline(admin.TabularInline):
    """The ticket's escalation steps, reached or not (issue 5): the job writes them."""

    model = SLAEscalation
    fields = ("target", "threshold", "due_at", "status", "sent_at", "notified")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Read-mostly: changes to tickets go through the console and the services, which keep the
    audit trail and tell the parties."""

    list_display = ("reference", "title", "kind", "state", "priority", "organisation", "assignee", "last_activity_at")
    list_filter = ("kind", "state", "priority", "source", "out_of_hours")
    search_fields = ("reference", "title")
    list_select_related = ("organisation", "assignee")
    show_full_result_count = False
    readonly_fields = [f.name for f in Ticket._meta.fields]
    inlines = [CIInline, EscalationInline, EntryInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(
    TicketLink, list_display=("source", "kind", "target", "created_at"), raw_id_fields=("source", "target")
)
admin.site.register(KindChange, list_display=("old_reference", "new_reference", "changed_by_label", "changed_at"),
                    raw_id_fields=("ticket",))
admin.site.register(Participant, list_display=("ticket", "contact", "staff", "role"),
                    raw_id_fields=("ticket", "contact", "staff"))
