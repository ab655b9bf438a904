from django.contrib import admin

from .models import ResolutionPlan, Risk, SolutionStep


@admin.register(ResolutionPlan)
class ResolutionPlanAdmin(admin.ModelAdmin):
    list_display = ("ticket", "version", "author_label", "created_at")
    list_select_related = ("ticket",)
    readonly_fields = ("ticket", "version", "text", "reason", "author_label", "author_user", "created_at")
    search_fields = ("ticket__reference",)


@admin.register(SolutionStep)
class SolutionStepAdmin(admin.ModelAdmin):
    list_display = ("ticket", "position", "text", "done_at", "confirmed_at", "failed_at")
    list_select_related = ("ticket",)
    raw_id_fields = ("ticket", "confirmed_by_user")
    search_fields = ("ticket__reference",)


@admin.register(Risk)
class RiskAdmin(admin.ModelAdmin):
    list_display = ("ticket", "text", "likelihood", "impact", "recorded_at")
    list_select_related = ("ticket",)
    raw_id_fields = ("ticket", "recorded_by_user")
    search_fields = ("ticket__reference",)
