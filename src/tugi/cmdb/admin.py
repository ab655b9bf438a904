from django.contrib import admin

from .models import CIRelation, ConfigurationItem, ThirdPartyWork


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


@admin.register(ThirdPartyWork)
class ThirdPartyWorkAdmin(admin.ModelAdmin):
    """Read-only: declarations go through the services, which tell the assignees (K9)."""

    list_display = ("configuration_item", "party", "starts_at", "ends_at", "declared_by_label", "is_declared_by_client")
    list_filter = ("is_declared_by_client",)
    search_fields = ("party", "what", "configuration_item__name")
    list_select_related = ("configuration_item",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
