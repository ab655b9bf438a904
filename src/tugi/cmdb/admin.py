from django.contrib import admin

from .models import CIRelation, ConfigurationItem


class RelationInline(admin.TabularInline):
    model = CIRelation
    fk_name = "source"
    extra = 0
    autocomplete_fields = ("target",)


@admin.register(ConfigurationItem)
class ConfigurationItemAdmin(admin.ModelAdmin):
    list_display = ("name", "ci_type", "organisation", "service", "criticality", "status", "hostname", "serial_number")
    list_filter = ("ci_type", "criticality", "status")
    search_fields = ("name", "hostname", "serial_number", "asset_tag", "organisation__name")
    list_select_related = ("organisation", "service")
    autocomplete_fields = ("organisation", "service")
    inlines = [RelationInline]
