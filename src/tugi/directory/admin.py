from django.contrib import admin

from .models import Contact, Organisation, StaffMember


class ContactInline(admin.TabularInline):
    model = Contact
    fields = ("name", "email", "phone", "language", "is_representative", "is_active")
    extra = 0
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "is_vip", "registry_code")
    list_filter = ("kind", "is_vip")
    search_fields = ("name", "registry_code", "email_domains")
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "email", "phone", "language", "is_representative", "is_active")
    list_filter = ("is_representative", "language", "is_active", "organisation__kind")
    search_fields = ("name", "email", "phone", "organisation__name")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation", "user")


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "is_agent", "is_service_manager", "is_catalogue_owner", "is_active")
    list_filter = ("is_agent", "is_service_manager", "is_catalogue_owner", "is_active")
    search_fields = ("name", "email")
    autocomplete_fields = ("user",)
