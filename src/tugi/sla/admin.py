from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tugi.directory.actors import actor_for_user

from .models import (
    BusinessCalendar,
    ClosedDay,
    OpenDay,
    OrganisationSLAPolicy,
    SLAEscalation,
    SLAPolicy,
    WorkingHours,
)
from .recompute import sla_recompute, tickets_on_calendar, tickets_under_policy


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0


class ClosedDayInline(admin.TabularInline):
    model = ClosedDay
    extra = 0


class OpenDayInline(admin.TabularInline):
    model = OpenDay
    extra = 0


def _recompute_after_commit(request, where: Q | None, about, reason: str) -> None:
    """K8: the open tickets concerned follow the change, keeping their pauses; after the commit, so
    the recomputation reads the saved calendar or policy."""

    def run():
        done = sla_recompute(actor=actor_for_user(request.user), where=where, reason=reason, about=about)
        messages.info(request, _("%(count)s open tickets got new SLA due times.") % {"count": done})

    transaction.on_commit(run)


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
        _recompute_after_commit(request, tickets_on_calendar(calendar), calendar, f"calendar {calendar} changed")


class PolicyAdminMixin:
    def save_model(self, request, obj, form, change):
        before = type(obj).objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        where = tickets_under_policy(obj)
        if before is not None:
            where |= tickets_under_policy(before)  # a policy moved to another priority or service
        _recompute_after_commit(request, where, obj, f"SLA policy {obj} changed")

    def delete_model(self, request, obj):
        where = tickets_under_policy(obj)
        super().delete_model(request, obj)
        _recompute_after_commit(request, where, None, f"SLA policy {obj} deleted")

    def delete_queryset(self, request, queryset):
        where = Q(pk__in=[])
        for policy in queryset:
            where |= tickets_under_policy(policy)
        super().delete_queryset(request, queryset)
        _recompute_after_commit(request, where, None, "SLA policies deleted")


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
