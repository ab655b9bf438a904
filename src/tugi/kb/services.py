"""Every write to the knowledge base (K18) and the guide (K14). Only the desk writes. Each write
is one transaction with its audit event; an article's edits keep the old and new text in the
audit trail, which is the article's history."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tugi.core.actors import Actor
from tugi.core.audit import audit_record, diff_fields
from tugi.core.errors import InvalidInput, PermissionDenied

from .models import Article, Category, Guide, Visibility
from .selectors import guide_get_for

ARTICLE_FIELDS = ["title", "body", "category", "visibility", "is_published"]
CATEGORY_FIELDS = ["name", "order"]
# Path words of the portal and console pages next to the articles' own addresses.
RESERVED_SLUGS = frozenset({"new", "suggest", "guide", "categories"})
SLUG_ATTEMPTS = 5


def _require_staff(actor: Actor) -> None:
    if not (actor.is_staff or actor.is_system):
        raise PermissionDenied(_("Only the service desk can change the knowledge base."))


def _required_text(value: str, *, field: str, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(_("Please fill in this field."), field=field)
    if max_length and len(value) > max_length:
        raise InvalidInput(
            _("Please shorten this to %(max)d characters at most.") % {"max": max_length}, field=field
        )
    return value


def _visibility(value: str) -> str:
    if value not in Visibility.values:
        raise InvalidInput(_("Please choose whether the article is public or internal."), field="visibility")
    return value


def _unique_slug(model, text: str, *, fallback: str, max_length: int) -> str:
    base = slugify(text)[: max_length - 4].strip("-") or fallback
    candidate, number = base, 1
    while candidate in RESERVED_SLUGS or model.objects.filter(slug=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _create_with_slug(model, *, text: str, fallback: str, **fields):
    """Create a row with a slug made unique; a second writer taking the same slug at the same
    moment makes the unique constraint refuse, and the next attempt takes the next number."""
    max_length = model._meta.get_field("slug").max_length
    for attempt in range(SLUG_ATTEMPTS):
        slug = _unique_slug(model, text, fallback=fallback, max_length=max_length)
        try:
            with transaction.atomic():
                return model.objects.create(slug=slug, **fields)
        except IntegrityError:
            if attempt == SLUG_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


# --- articles --------------------------------------------------------------------------------

@transaction.atomic
def article_create(
    *,
    actor: Actor,
    title: str,
    body: str,
    category: Category | None = None,
    visibility: str = Visibility.PUBLIC,
    is_published: bool = True,
) -> Article:
    _require_staff(actor)
    title = _required_text(title, field="title", max_length=Article._meta.get_field("title").max_length)
    body = _required_text(body, field="body")
    article = _create_with_slug(
        Article, text=title, fallback="article", title=title, body=body, category=category,
        visibility=_visibility(visibility), is_published=is_published, author_label=actor.label[:200],
    )
    audit_record(actor=actor, action="kb.article_create", obj=article,
                 changes={name: getattr(article, name) for name in ARTICLE_FIELDS})
    return article


@transaction.atomic
def article_update(
    *,
    actor: Actor,
    article: Article,
    title: str,
    body: str,
    category: Category | None,
    visibility: str,
    is_published: bool,
) -> Article:
    """Changes the article; the slug stays, so links already given out keep working."""
    _require_staff(actor)
    locked = Article.objects.select_for_update().get(pk=article.pk)
    before = {name: getattr(locked, name) for name in ARTICLE_FIELDS}
    locked.title = _required_text(title, field="title", max_length=Article._meta.get_field("title").max_length)
    locked.body = _required_text(body, field="body")
    locked.category = category
    locked.visibility = _visibility(visibility)
    locked.is_published = is_published
    changes = diff_fields(locked, before, ARTICLE_FIELDS)
    if changes:
        locked.save(update_fields=[*changes, "updated_at"])
        audit_record(actor=actor, action="kb.article_update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def article_delete(*, actor: Actor, article: Article) -> None:
    """Removes the article; its last text stays in the audit trail."""
    _require_staff(actor)
    locked = Article.objects.select_for_update().get(pk=article.pk)
    audit_record(actor=actor, action="kb.article_delete", obj=locked,
                 changes={"slug": locked.slug, **{name: getattr(locked, name) for name in ARTICLE_FIELDS}})
    locked.delete()


# --- categories ------------------------------------------------------------------------------

@transaction.atomic
def category_create(*, actor: Actor, name: str, order: int = 0) -> Category:
    _require_staff(actor)
    name = _required_text(name, field="name", max_length=Category._meta.get_field("name").max_length)
    category = _create_with_slug(Category, text=name, fallback="category", name=name, order=max(order, 0))
    audit_record(actor=actor, action="kb.category_create", obj=category, changes={"name": name, "order": order})
    return category


@transaction.atomic
def category_update(*, actor: Actor, category: Category, name: str, order: int) -> Category:
    _require_staff(actor)
    locked = Category.objects.select_for_update().get(pk=category.pk)
    before = {field: getattr(locked, field) for field in CATEGORY_FIELDS}
    locked.name = _required_text(name, field="name", max_length=Category._meta.get_field("name").max_length)
    locked.order = max(order, 0)
    changes = diff_fields(locked, before, CATEGORY_FIELDS)
    if changes:
        locked.save(update_fields=list(changes))
        audit_record(actor=actor, action="kb.category_update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def category_delete(*, actor: Actor, category: Category) -> None:
    """Removes the category; its articles stay, without a category."""
    _require_staff(actor)
    locked = Category.objects.select_for_update().get(pk=category.pk)
    audit_record(actor=actor, action="kb.category_delete", obj=locked,
                 changes={"name": locked.name, "articles": list(locked.articles.values_list("slug", flat=True))})
    locked.delete()


# --- the guide -------------------------------------------------------------------------------

@transaction.atomic
def guide_update(*, actor: Actor, title: str, body: str) -> Guide:
    _require_staff(actor)
    guide = guide_get_for(actor)
    guide = Guide.objects.select_for_update().get(pk=guide.pk)
    before = {"title": guide.title, "body": guide.body}
    guide.title = _required_text(title, field="title", max_length=Guide._meta.get_field("title").max_length)
    guide.body = _required_text(body, field="body")
    changes = diff_fields(guide, before, ["title", "body"])
    if changes:
        guide.updated_by_label = actor.label[:200]
        guide.save(update_fields=[*changes, "updated_by_label", "updated_at"])
        audit_record(actor=actor, action="kb.guide_update", obj=guide, changes=changes)
    return guide
