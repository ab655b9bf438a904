"""API v1: a staff member's saved views (issue 6), their own named queues as the console keeps them:
a name and the queue page's filters as a query string. Listed, saved and deleted through
tugi.tickets.saved_views, as the console's queue page does; the desk only, a client gets 403."""

from __future__ import annotations

import datetime as dt
from typing import get_args
from urllib.parse import parse_qsl, urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy
from ninja import Field, Path, Router, Schema, Status

from tugi.tickets import saved_views
from tugi.tickets.models import SavedView

from .schemas import ALWAYS, REFUSALS, desk_only
from .tickets import ListParams

router = Router(tags=["saved views"])

PARAMETERS = ", ".join(saved_views.QUEUE_PARAMETERS)

# The queue page's parameter names as GET /tickets names them; the others are the same.
API_NAMES = {"service": "service_id", "organisation": "organisation_id", "assignee": "assignee_id"}
API_SORTS = frozenset(get_args(ListParams.model_fields["sort"].annotation))


def api_query(query: str) -> str | None:
    """The saved query in the words of ``GET /tickets``, or None when that list cannot sort the same way."""
    params = dict(parse_qsl(query))
    if params.get("sort", "activity") not in API_SORTS:
        return None
    return urlencode([(API_NAMES.get(name, name), value) for name, value in params.items()])


class SavedViewOut(Schema):
    id: int
    name: str
    query: str = Field(..., description=f"the queue page's filters as a query string (of {PARAMETERS})")
    console_url: str = Field(..., description="the console's queue page with these filters (a path on this site)")
    api_url: str | None = Field(..., description="``GET /tickets`` with the same filters (a path on this site); "
                                "null for a descending sort that list does not offer")
    created_at: dt.datetime

    @staticmethod
    def resolve_console_url(obj: SavedView) -> str:
        return f"{reverse('console:queue')}?{obj.query}" if obj.query else reverse("console:queue")

    @staticmethod
    def resolve_api_url(obj: SavedView) -> str | None:
        query = api_query(obj.query)
        if query is None:
            return None
        return f"{reverse('api-v1:list_tickets')}?{query}" if query else reverse("api-v1:list_tickets")


class SavedViewIn(Schema):
    name: str = Field(..., description="1 to 80 characters; your view of the same name is replaced")
    query: str = Field("", description=f"the queue page's filters as a query string, at most 500 characters "
                       f"(of {PARAMETERS}); other parameters, and values the page would ignore, are left out")


_DESK_ONLY = gettext_lazy("Saved views are for the service desk.")


@router.get("/saved-views", response={200: list[SavedViewOut], **ALWAYS})
def list_saved_views(request: HttpRequest):
    """Your own saved views, by name (the desk only): the named queues of your console."""
    desk_only(request, _DESK_ONLY)
    return list(saved_views.saved_views_for(request.actor))


@router.post("/saved-views", response={201: SavedViewOut, **REFUSALS})
def save_saved_view(request: HttpRequest, payload: SavedViewIn):
    """Save a view of the queue under a name, as the console's "Save these filters as a view" does;
    a view of the same name is replaced."""
    desk_only(request, _DESK_ONLY)
    return Status(201, saved_views.saved_view_save(actor=request.actor, name=payload.name, query=payload.query))


@router.post("/saved-views/{view_id}/delete", response={204: None, **REFUSALS})
def delete_saved_view(request: HttpRequest, view_id: int = Path(..., ge=1, le=saved_views.MAX_ID)):
    """Delete one of your saved views; another person's is 404, as one that does not exist."""
    desk_only(request, _DESK_ONLY)
    saved_views.saved_view_delete(actor=request.actor, view_id=view_id)
    return Status(204, None)
