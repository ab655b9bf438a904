"""The knowledge base: FAQ articles in categories (K18) and the one "how to report a problem"
guide page (K14). Writes go through services.py, which keeps each edit in the audit trail."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tugi.core.models import TimestampedModel


def fold(text: str) -> str:
    """The form both the stored search text and the searched words take. SQLite's LIKE folds
    the case of ASCII letters only, so "Õ" would not find "õ": folding in Python works the same
    on SQLite and PostgreSQL."""
    return " ".join(text.casefold().split())


class Category(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    order = models.PositiveIntegerField(pgettext_lazy("sort", "order"), default=0,
                                        help_text=_("Smaller numbers come first."))

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Visibility(models.TextChoices):
    PUBLIC = "public", _("public")
    INTERNAL = "internal", _("internal")


class Article(TimestampedModel):
    title = models.CharField(_("title"), max_length=200)
    # Set once from the first title and kept when the title changes, so links already sent
    # in mail and written in other articles keep working.
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="articles",
    )
    body = models.TextField(_("text"))
    visibility = models.CharField(_("visibility"), max_length=16, choices=Visibility.choices,
                                  default=Visibility.PUBLIC)
    is_published = models.BooleanField(_("published"), default=True)
    author_label = models.CharField(_("author"), max_length=200, blank=True)
    search_text = models.TextField(_("search text"), blank=True, editable=False)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["title"]
        indexes = [models.Index(fields=["visibility", "is_published"], name="kb_article_visible_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC and self.is_published

    def save(self, *args, **kwargs):
        # A derived column, not a side effect: it must never disagree with the title and text.
        self.search_text = fold(f"{self.title}\n{self.body}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


class Guide(models.Model):
    """The single "how to report a problem" page (K14). One row, pk 1; the selector creates it
    with a default text the first time anyone reads it."""

    SINGLETON_PK = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_PK, editable=False)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    updated_by_label = models.CharField(_("updated by"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("guide to reporting a problem")
        verbose_name_plural = _("guide to reporting a problem")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="kb_guide_single_row")]

    def __str__(self) -> str:
        return self.title
