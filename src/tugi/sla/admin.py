from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext as _

from .models import (
    BusinessCalendar,
    ClosedDay,
    OpenDay,
    OrganisationSLAPolicy,
    SLAEscalation,
    SLAPolicy,
    WorkingHours,
)
from .recompute import calendar_scope, policy_scope
from .tasks import sla_recompute_scopes


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0


class ClosedDayInline(admin.TabularInline):
    model = ClosedDay
    extra = 0


class OpenDayInline(admin.TabularInline):
    model = OpenDay
    extra = 0


def _recompute_after_commit(request, scopes: list[dict], reason: str) -> None:
    """K8: the open tickets concerned follow the change, keeping their pauses: a background task,
    queued after the commit so that it reads the saved calendar or policy."""
    label = f"{request.user.get_username()} (admin)"
    transaction.on_commit(lambda: sla_recompute_scopes.enqueue(scopes, reason, label))
    messages.info(request, _("The open tickets concerned get new SLA due times in the background."))


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ("name", "time_zone", "holiday_country", "holiday_subdivision", "is_24_7", "is_on_call")
    list_filter = ("is_24_7", "is_on_call", "holiday_country")
    search_fields = ("name",)
    inlines = [WorkingHoursInline, ClosedDayInline, OpenDayInline]

    def save_related(self, request, form, formsets, change):
        # After the inlines: the working hours are part of the calendar's change.
        super().save_related(request, form, formsets, change)
        calendar = form.instance
        _recompute_after_commit(request, [calendar_scope(calendar)], f"calendar {calendar} changed")


class PolicyAdminMixin:
    def save_model(self, request, obj, form, change):
        before = type(obj).objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        scopes = [policy_scope(obj)]
        if before is not None:
            scopes.append(policy_scope(before))  # a policy moved to another priority or service
        _recompute_after_commit(request, scopes, f"SLA policy {obj} changed")

    def delete_model(self, request, obj):
        scopes = [policy_scope(obj)]
        super().delete_model(request, obj)
        _recompute_after_commit(request, scopes, f"SLA policy {obj} deleted")

    def delete_queryset(self, request, queryset):
        scopes = [policy_scope(policy) for policy in queryset]
        super().delete_queryset(request, queryset)
        _recompute_after_commit(request, scopes, "SLA policies deleted")


@admin.register(SLAPolicy)
class SLAPolicyAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "service", "priority", "response_target", "resolution_target", "calendar")
    list_filter = ("priority", "calendar")
    search_fields = ("service__name", "service__code")
    list_select_related = ("service", "calendar")
    autocomplete_fields = ("service",)


@admin.register(OrganisationSLAPolicy)
class OrganisationSLAPolicyAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ("organisation", "service", "priority", "response_target", "resolution_target", "calendar")
    list_filter = ("priority", "calendar")
    search_fields = ("organisation__name", "service__name", "service__code")
    list_select_related = ("organisation", "service", "calendar")
    autocomplete_fields = ("organisation", "service")


@admin.register(SLAEscalation)
class SLAEscalationAdmin(admin.ModelAdmin):
    """The record of escalations, to read: the job writes it (issue 5)."""

    list_display = ("ticket", "target", "threshold", "due_at", "status", "sent_at", "notified")
    list_filter = ("status", "target", "threshold")
    search_fields = ("ticket__reference",)
    list_select_related = ("ticket",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
