"""The admin shows the knowledge base read-only: articles, categories and the guide change in the
console, through the services, so every edit lands in the audit trail (one way to do each thing)."""

from django.contrib import admin

from .models import Article, Category, Guide


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdmin):
    list_display = ("name", "slug", "order")
    search_fields = ("name", "slug")


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ("title", "category", "visibility", "is_published", "author_label", "updated_at")
    list_filter = ("visibility", "is_published", "category")
    search_fields = ("title", "slug", "body")
    list_select_related = ("category",)


@admin.register(Guide)
class GuideAdmin(ReadOnlyAdmin):
    list_display = ("title", "updated_by_label", "updated_at")
    search_fields = ("title",)
