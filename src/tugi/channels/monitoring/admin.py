from django.contrib import admin

from .models import Alert, AlertRule, AlertSource


@admin.register(AlertSource)
class AlertSourceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "kind", "is_active", "resolve_on_recovery", "token_hint")
    list_filter = ("kind", "is_active")
    # The token is made (and shown once) by the console's page or `alert_source_create`; here only its start.
    readonly_fields = ("token_hint", "storm_ticket")
    raw_id_fields = ("default_service", "default_organisation", "default_configuration_item")


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    list_display = ("position", "name", "source", "configuration_item", "service", "organisation", "impact",
                    "urgency", "is_active")
    list_display_links = ("name",)
    list_filter = ("source", "is_active")
    raw_id_fields = ("configuration_item", "service", "organisation")


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "fingerprint", "status", "count", "first_seen_at", "last_seen_at", "ticket")
    list_filter = ("source", "status")
    list_select_related = ("source", "ticket")
    search_fields = ("fingerprint", "title")
    # Alerts are what the monitoring systems said: evidence, not something to edit.
    readonly_fields = [field.name for field in Alert._meta.fields]
