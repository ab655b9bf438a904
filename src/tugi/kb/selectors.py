"""Reads of the knowledge base, scoped to the actor (K18): clients see public, published articles
only; the desk sees everything; a visitor who has not signed in sees no articles, only the guide
(K14), which the acknowledgement mail links to."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from tugi.core.actors import Actor
from tugi.core.audit import audit_events_for
from tugi.core.errors import NotFound

from .guide_text import DEFAULT_GUIDE_BODY, DEFAULT_GUIDE_TITLE
from .models import Article, Category, Guide, Visibility, fold

MAX_SEARCH_WORDS = 8
SUGGESTION_MIN_CHARS = 3
SUGGESTION_LIMIT = 5


def _sees_everything(actor: Actor) -> bool:
    return actor.is_staff or actor.is_system


def _public(qs: QuerySet[Article]) -> QuerySet[Article]:
    return qs.filter(visibility=Visibility.PUBLIC, is_published=True)


def search_words(text: str | None) -> list[str]:
    """The distinct folded words of a query, at most MAX_SEARCH_WORDS of them."""
    words: list[str] = []
    for word in fold(text or "").split():
        if word not in words:
            words.append(word)
    return words[:MAX_SEARCH_WORDS]


def article_list_for(
    actor: Actor,
    query: str | None = None,
    category: Category | str | None = None,
    *,
    visibility: str | None = None,
) -> QuerySet[Article]:
    """Articles the actor may read, ordered by category and title. ``query`` keeps those whose
    title or text contains every word; ``category`` is a Category or its slug."""
    qs = Article.objects.select_related("category")
    if not _sees_everything(actor):
        qs = _public(qs) if actor.is_client else qs.none()
    for word in search_words(query):
        qs = qs.filter(search_text__contains=word)
    if isinstance(category, Category):
        qs = qs.filter(category=category)
    elif category:
        qs = qs.filter(category__slug=category)
    if visibility:
        qs = qs.filter(visibility=visibility)
    return qs.order_by("category__order", "category__name", "title")


def article_get_for(actor: Actor, slug: str) -> Article:
    """One article; NotFound both when it does not exist and when the actor may not read it."""
    try:
        return article_list_for(actor).get(slug=slug)
    except Article.DoesNotExist:
        raise NotFound() from None


def faq_suggestions_for(actor: Actor, title: str, *, limit: int = SUGGESTION_LIMIT) -> list[Article]:
    """FAQ articles that may answer a problem being reported, best match first. Only public,
    published ones — what the client would see — also when the desk reports for a client.
    A match on any word counts (a title rarely holds all of an article's words); each word
    found scores, and a word in the title scores more."""
    if not actor.is_authenticated or len(title.strip()) < SUGGESTION_MIN_CHARS:
        return []
    words = [w for w in search_words(title) if len(w) >= SUGGESTION_MIN_CHARS]
    if not words:
        return []
    qs = _public(Article.objects.select_related("category"))
    score = Value(0)
    for word in words:
        score = score + Case(When(search_text__contains=word, then=Value(1)), default=Value(0),
                             output_field=IntegerField())
        # icontains folds only ASCII on SQLite: the title bonus orders results, it never hides one.
        score = score + Case(When(title__icontains=word, then=Value(1)), default=Value(0),
                             output_field=IntegerField())
    matching = Q()
    for word in words:
        matching |= Q(search_text__contains=word)
    return list(qs.filter(matching).annotate(score=score).order_by("-score", "title")[:limit])


def category_list_for(actor: Actor) -> QuerySet[Category]:
    """Categories with ``article_count``, the articles in each the actor may read. Clients see
    only the categories that hold something for them."""
    if _sees_everything(actor):
        qs = Category.objects.annotate(article_count=Count("articles"))
    elif actor.is_client:
        public = Q(articles__visibility=Visibility.PUBLIC, articles__is_published=True)
        qs = Category.objects.annotate(article_count=Count("articles", filter=public)).filter(article_count__gt=0)
    else:
        return Category.objects.none()
    # Meta.ordering does not reach a grouped query: say it again.
    return qs.order_by("order", "name")


def category_get_for(actor: Actor, slug: str) -> Category:
    try:
        return category_list_for(actor).get(slug=slug)
    except Category.DoesNotExist:
        raise NotFound() from None


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: object
    new: object


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime.datetime
    who: str
    action: str
    changes: list[FieldChange]


HISTORY_ACTIONS = {
    "kb.article_create": _("created"),
    "kb.article_update": _("changed"),
    "kb.article_delete": _("deleted"),
}


def _field_label(name: str) -> str:
    try:
        return str(Article._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _shown(name: str, value: object) -> object:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name == "visibility" and value in Visibility.values:
        return Visibility(value).label
    return value


def article_history_for(actor: Actor, article: Article) -> list[HistoryEntry]:
    """The article's edits from the audit trail, newest first, with the old and new value of each
    changed field; the desk's only."""
    if not _sees_everything(actor):
        return []
    entries = []
    for event in audit_events_for(article).order_by("-created_at", "-id"):
        changes = []
        for name, value in (event.changes or {}).items():
            old, new = value if event.action == "kb.article_update" and isinstance(value, list) else (None, value)
            changes.append(FieldChange(label=_field_label(name), old=_shown(name, old), new=_shown(name, new)))
        entries.append(HistoryEntry(at=event.created_at, who=event.actor_label,
                                    action=str(HISTORY_ACTIONS.get(event.action, event.action)), changes=changes))
    return entries


def guide_get_for(actor: Actor) -> Guide:
    """The guide is for everyone, signed in or not (K14). Created with the default text the
    first time it is read, so a new installation has a useful page from the start."""
    guide = Guide.objects.filter(pk=Guide.SINGLETON_PK).first()
    if guide is not None:
        return guide
    try:
        with transaction.atomic():
            return Guide.objects.create(pk=Guide.SINGLETON_PK, title=DEFAULT_GUIDE_TITLE, body=DEFAULT_GUIDE_BODY)
    except IntegrityError:
        # Two first readers at once: the other one created it.
        return Guide.objects.get(pk=Guide.SINGLETON_PK)
