from django.contrib import admin

from .models import CostConsultation, CostNotice, Order


@admin.register(CostNotice)
class CostNoticeAdmin(admin.ModelAdmin):
    list_display = ("ticket", "description", "amount", "currency", "status", "decided_at")
    list_filter = ("status",)
    list_select_related = ("ticket",)
    raw_id_fields = ("ticket", "created_by", "priced_by", "decided_by")
    # The trail of a cost decision is evidence: it is changed through the services, not here.
    readonly_fields = ("status", "decided_by", "decided_at", "client_comment")
    # What the client decided on stays as they saw it (K16): a new cost is a new notice.
    decided_readonly_fields = ("ticket", "description", "amount", "currency", "created_by", "created_by_label",
                               "priced_by", "priced_at")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.is_decided:
            return (*fields, *self.decided_readonly_fields)
        return fields


@admin.register(CostConsultation)
class CostConsultationAdmin(admin.ModelAdmin):
    list_display = ("ticket", "question", "asked_by_label", "asked_at", "is_chargeable", "answered_at")
    list_select_related = ("ticket",)
    raw_id_fields = ("ticket", "asked_by", "answered_by")


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("ticket", "kind", "item", "quantity", "service", "created_at")
    list_select_related = ("ticket", "service")
    list_filter = ("kind",)
    raw_id_fields = ("ticket", "service", "ordered_by_user")
