from django.contrib import admin

from .models import BusinessCalendar, ClosedDay, OpenDay, OrganisationSLAPolicy, SLAPolicy, WorkingHours


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0


class ClosedDayInline(admin.TabularInline):
    model = ClosedDay
    extra = 0


class OpenDayInline(admin.TabularInline):
    model = OpenDay
    extra = 0


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ("name", "time_zone", "holiday_country", "holiday_subdivision", "is_24_7")
    list_filter = ("is_24_7", "holiday_country")
    search_fields = ("name",)
    inlines = [WorkingHoursInline, ClosedDayInline, OpenDayInline]


@admin.register(SLAPolicy)
class SLAPolicyAdmin(admin.ModelAdmin):
    list_display = ("__str__", "service", "priority", "response_target", "resolution_target", "calendar")
    list_filter = ("priority", "calendar")
    search_fields = ("service__name", "service__code")
    list_select_related = ("service", "calendar")
    autocomplete_fields = ("service",)


@admin.register(OrganisationSLAPolicy)
class OrganisationSLAPolicyAdmin(admin.ModelAdmin):
    list_display = ("organisation", "service", "priority", "response_target", "resolution_target", "calendar")
    list_filter = ("priority", "calendar")
    search_fields = ("organisation__name", "service__name", "service__code")
    list_select_related = ("organisation", "service", "calendar")
    autocomplete_fields = ("organisation", "service")
