"""API v1: the FAQ and knowledge base (K18) and the guide to reporting a problem (K14), through the
same selectors and services as the portal's FAQ and the console's knowledge-base pages. A client
reads public, published articles; the desk reads everything and writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from tugi.core.errors import InvalidInput, NotFound
from tugi.kb import selectors, services
from tugi.kb.models import Visibility

from .schemas import ALWAYS, REFUSALS

router = Router(tags=["knowledge base"])

FAQ_PAGE_SIZE = 100


class CategoryRef(Schema):
    slug: str
    name: str


class ArticleListItem(Schema):
    slug: str
    title: str
    category: CategoryRef | None
    visibility: str = Field(..., description="public (clients see it when published) or internal")
    is_published: bool
    updated_at: dt.datetime


class ChangeOut(Schema):
    label: str
    old: Any = None
    new: Any = None

    @staticmethod
    def resolve_label(obj) -> str:
        return str(obj.label)

    @staticmethod
    def resolve_old(obj):
        return None if obj.old is None else str(obj.old)

    @staticmethod
    def resolve_new(obj):
        return None if obj.new is None else str(obj.new)


class HistoryOut(Schema):
    at: dt.datetime
    who: str
    action: str
    changes: list[ChangeOut]


class ArticleOut(ArticleListItem):
    body: str
    author: str = Field(..., alias="author_label")
    created_at: dt.datetime
    history: list[HistoryOut] = Field(..., description="who changed what and when (empty for clients)")


class ArticleIn(Schema):
    title: str
    body: str
    category: str | None = Field(None, description="a category's slug; null: none")
    visibility: Visibility = Visibility.PUBLIC
    is_published: bool = True


class CategoryOut(Schema):
    slug: str
    name: str
    order: int
    article_count: int = Field(0, description="the articles in it the caller may read")


class CategoryIn(Schema):
    name: str
    order: int = Field(0, ge=0)


class GuideOut(Schema):
    title: str
    body: str
    updated_at: dt.datetime


class GuideIn(Schema):
    title: str
    body: str


class ArticleSearch(Schema):
    q: str = Field("", max_length=200, description="every word must be in the title or text")
    category: str = Field("", description="a category's slug")


class SuggestionParams(Schema):
    title: str = Field("", max_length=200, description="the title of the problem being reported")


def _category(request: HttpRequest, slug: str | None):
    if not slug:
        return None
    try:
        return selectors.category_get_for(request.actor, slug)
    except NotFound:
        raise InvalidInput(_("Unknown category."), field="category") from None


def _detail(request: HttpRequest, article):
    article.history = selectors.article_history_for(request.actor, article)
    return article


# --- reading (the portal's FAQ, the console's knowledge base) ---------------------------------------

@router.get("/kb/articles", response={200: list[ArticleListItem], **ALWAYS})
def list_articles(request: HttpRequest, params: Query[ArticleSearch]):
    """The FAQ (K18): articles the caller may read by category and title, at most 100; a client
    sees public, published ones only."""
    return selectors.article_list_for(request.actor, query=params.q, category=params.category)[:FAQ_PAGE_SIZE]


@router.get("/kb/suggestions", response={200: list[ArticleListItem], **ALWAYS})
def suggestions(request: HttpRequest, params: Query[SuggestionParams]):
    """FAQ articles that may answer a problem before it is reported, best match first: what the
    report form shows under the title (public, published articles only)."""
    return selectors.faq_suggestions_for(request.actor, params.title)


@router.get("/kb/articles/{slug}", response={200: ArticleOut, **ALWAYS})
def get_article(request: HttpRequest, slug: str):
    """One article; 404 for one the caller may not read. The desk also gets its history."""
    return _detail(request, selectors.article_get_for(request.actor, slug))


@router.get("/kb/categories", response={200: list[CategoryOut], **ALWAYS})
def list_categories(request: HttpRequest):
    """The categories, with how many articles in each the caller may read (a client sees only
    those that hold something for them)."""
    return selectors.category_list_for(request.actor)


@router.get("/guide", response={200: GuideOut}, auth=None)
def get_guide(request: HttpRequest):
    """How to report a problem well (K14). Open to everyone, like the page the acknowledgement
    mail links to."""
    return selectors.guide_get_for(request.actor)


# --- writing (the desk) ------------------------------------------------------------------------------

@router.post("/kb/articles", response={201: ArticleOut, **REFUSALS})
def create_article(request: HttpRequest, payload: ArticleIn):
    """Write an article (the desk only). Its address (slug) is made from the title and kept."""
    article = services.article_create(
        actor=request.actor, title=payload.title, body=payload.body, category=_category(request, payload.category),
        visibility=payload.visibility, is_published=payload.is_published,
    )
    return Status(201, _detail(request, article))


@router.post("/kb/articles/{slug}", response={200: ArticleOut, **REFUSALS})
def update_article(request: HttpRequest, slug: str, payload: ArticleIn):
    """Change an article (the desk only); its address stays, so links already sent keep working."""
    article = selectors.article_get_for(request.actor, slug)
    article = services.article_update(
        actor=request.actor, article=article, title=payload.title, body=payload.body,
        category=_category(request, payload.category), visibility=payload.visibility,
        is_published=payload.is_published,
    )
    return _detail(request, article)


@router.post("/kb/articles/{slug}/delete", response={204: None, **REFUSALS})
def delete_article(request: HttpRequest, slug: str):
    """Remove an article (the desk only); its last text stays in the audit trail."""
    article = selectors.article_get_for(request.actor, slug)
    services.article_delete(actor=request.actor, article=article)
    return Status(204, None)


@router.post("/kb/categories", response={201: CategoryOut, **REFUSALS})
def create_category(request: HttpRequest, payload: CategoryIn):
    """Add a category (the desk only)."""
    category = services.category_create(actor=request.actor, name=payload.name, order=payload.order)
    return Status(201, selectors.category_get_for(request.actor, category.slug))


@router.post("/kb/categories/{slug}", response={200: CategoryOut, **REFUSALS})
def update_category(request: HttpRequest, slug: str, payload: CategoryIn):
    """Rename or reorder a category (the desk only)."""
    category = selectors.category_get_for(request.actor, slug)
    services.category_update(actor=request.actor, category=category, name=payload.name, order=payload.order)
    return selectors.category_get_for(request.actor, slug)


@router.post("/kb/categories/{slug}/delete", response={204: None, **REFUSALS})
def delete_category(request: HttpRequest, slug: str):
    """Remove a category; its articles stay, without one (the desk only)."""
    category = selectors.category_get_for(request.actor, slug)
    services.category_delete(actor=request.actor, category=category)
    return Status(204, None)


@router.post("/guide", response={200: GuideOut, **REFUSALS})
def update_guide(request: HttpRequest, payload: GuideIn):
    """Change the guide to reporting a problem (K14; the desk only)."""
    return services.guide_update(actor=request.actor, title=payload.title, body=payload.body)
