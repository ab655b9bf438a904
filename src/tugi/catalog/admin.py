from django.contrib import admin

from .models import Service


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "criticality", "is_chargeable", "service_manager", "catalogue_owner", "is_active")
    list_filter = ("criticality", "is_chargeable", "is_active")
    search_fields = ("code", "name", "description")
    list_select_related = ("service_manager", "catalogue_owner")
    autocomplete_fields = ("service_manager", "catalogue_owner")
