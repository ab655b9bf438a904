from django.contrib import admin

from .models import Contact, Organisation, PortalAccessRequest, StaffMember


class ContactInline(admin.TabularInline):
    model = Contact
    fields = ("name", "email", "phone", "language", "is_representative", "is_active", "portal_access")
    readonly_fields = ("portal_access",)
    extra = 0
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    # K17: a VIP organisation's tickets get the on-call path outside working hours.
    list_display = ("name", "kind", "is_vip", "registry_code")
    list_filter = ("kind", "is_vip")
    search_fields = ("name", "registry_code", "email_domains")
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = (
        "name", "organisation", "email", "phone", "language", "is_representative", "is_active", "portal_access"
    )
    list_filter = ("is_representative", "language", "is_active", "portal_access", "email_bounced_at",
                   "organisation__kind")
    search_fields = ("name", "email", "phone", "organisation__name")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation", "user")
    # Portal access changes only through the catalogue owner's console page, which audits it (K18).
    readonly_fields = ("portal_access", "portal_access_reason", "portal_access_changed_at")

    def save_model(self, request, obj, form, change):
        # A corrected address has not bounced (K14): the mark was the old address's.
        if change and "email" in form.changed_data and "email_bounced_at" not in form.changed_data:
            obj.email_bounced_at, obj.email_bounce_reason = None, ""
        super().save_model(request, obj, form, change)


@admin.register(PortalAccessRequest)
class PortalAccessRequestAdmin(admin.ModelAdmin):
    """The history of portal-access requests, to read. Decisions are made in the console (K18)."""

    list_display = ("name", "email", "organisation_name", "contact", "status", "created_at", "decided_by")
    list_filter = ("status",)
    search_fields = ("name", "email", "organisation_name", "contact__name")
    list_select_related = ("contact", "decided_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "is_agent", "is_service_manager", "is_catalogue_owner", "is_on_call", "is_active")
    list_filter = ("is_agent", "is_service_manager", "is_catalogue_owner", "is_on_call", "is_active")
    search_fields = ("name", "email")
    autocomplete_fields = ("user",)
