from django.contrib import admin

from .models import Call, CallEvent, PhoneExtension, TelephonyToken


@admin.register(PhoneExtension)
class PhoneExtensionAdmin(admin.ModelAdmin):
    list_display = ("extension", "user")
    raw_id_fields = ("user",)
    search_fields = ("extension", "user__username")


@admin.register(TelephonyToken)
class TelephonyTokenAdmin(admin.ModelAdmin):
    # Made by `tugi phone_token`, which shows the token once; here it can only be switched off.
    list_display = ("name", "hint", "is_active", "created_at")
    readonly_fields = ("name", "hint", "created_at")

    def has_add_permission(self, request):
        return False


class CallEventInline(admin.TabularInline):
    model = CallEvent
    extra = 0
    readonly_fields = ("event", "received_at", "payload")
    can_delete = False


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("call_id", "direction", "caller", "called", "state", "extension", "answered_by", "contact",
                    "ticket", "started_at")
    list_filter = ("state", "direction")
    list_select_related = ("answered_by", "contact", "ticket")
    search_fields = ("call_id", "caller", "called")
    # What the telephony system said is evidence: not edited here.
    readonly_fields = [field.name for field in Call._meta.fields]
    inlines = [CallEventInline]
