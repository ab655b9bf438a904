from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "event", "subject_reference", "recipient_email", "status", "attempts")
    list_filter = ("status", "event", "language")
    search_fields = ("subject_reference", "recipient_email", "subject", "message_id")
    readonly_fields = [f.name for f in Notification._meta.fields]
