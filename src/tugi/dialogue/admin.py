from django.contrib import admin

from .models import PriorityRequest, Question, Satisfaction


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("ticket", "direction", "asked_by_label", "asked_at", "answered_at", "reminded_at")
    list_select_related = ("ticket",)
    list_filter = ("direction",)
    raw_id_fields = ("ticket",)
    readonly_fields = ("asked_by_user", "answered_by_user")


@admin.register(Satisfaction)
class SatisfactionAdmin(admin.ModelAdmin):
    list_display = ("ticket", "is_confirmed", "is_automatic", "rating", "by_label", "at")
    list_select_related = ("ticket",)
    list_filter = ("is_confirmed", "is_automatic", "rating")
    raw_id_fields = ("ticket", "service", "assignee", "organisation")
    readonly_fields = ("by_user",)


@admin.register(PriorityRequest)
class PriorityRequestAdmin(admin.ModelAdmin):
    list_display = ("ticket", "current_priority", "desired_priority", "status", "requested_by_label", "decided_at")
    list_select_related = ("ticket",)
    list_filter = ("status",)
    raw_id_fields = ("ticket",)
    readonly_fields = ("requested_by_user", "decided_by_user")
