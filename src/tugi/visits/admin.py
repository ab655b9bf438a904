from django.contrib import admin

from .models import AccessRequirement, Appointment


@admin.register(AccessRequirement)
class AccessRequirementAdmin(admin.ModelAdmin):
    list_display = ("ticket", "kind", "what", "needed_from", "confirmed_at", "withdrawn_at")
    list_select_related = ("ticket",)
    raw_id_fields = ("ticket", "confirmed_by_user")


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ("ticket", "kind", "starts_at", "ends_at", "staff", "status", "sequence")
    list_select_related = ("ticket", "staff")
    raw_id_fields = ("ticket",)
    readonly_fields = ("uid", "sequence", "last_ics")
