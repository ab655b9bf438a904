"""Saved views (issue 6): a staff member's own named queues, each a name and the queue page's filters
as its query string. The read (``saved_views_for``) and the writes (``saved_view_save``,
``saved_view_delete``) for the console and the API alike.

A saved view is one person's bookmark, like their choice of language, so its writes leave no audit
event: nothing on a ticket or of anybody else changes."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tugi.core.actors import Actor
from tugi.core.errors import InvalidInput, NotFound, PermissionDenied

from .models import SavedView, TicketKind, TicketState
from .queues import VIEWS_BY_KEY

NAME_MAX_LENGTH = 80
QUERY_MAX_LENGTH = 500
MAX_ID = 2**63 - 1

# The query parameters of the console's queue page (the filter form, the queue tabs and the sort
# links), in the order a saved query keeps them. Anything else (the page number too) is left out.
QUEUE_PARAMETERS = ("view", "q", "state", "kind", "service", "organisation", "assignee", "sort")
SORT_COLUMNS = ("activity", "created", "priority", "reference")  # each also descending, "-activity"


def _is_id(value: str) -> bool:
    return value.isdigit() and 0 < int(value) <= MAX_ID


# What the queue page reads from each parameter; a value it would ignore is not kept either.
_KEEPS = {
    "view": lambda v: v in VIEWS_BY_KEY,
    "q": lambda v: bool(v.strip()),
    "state": lambda v: v in TicketState.values,
    "kind": lambda v: v in TicketKind.values,
    "service": _is_id,
    "organisation": _is_id,
    "assignee": _is_id,
    "sort": lambda v: v.removeprefix("-") in SORT_COLUMNS,
}


def saved_views_for(actor: Actor) -> QuerySet[SavedView]:
    """The actor's own saved views, by name. Nobody sees another person's; a client has none."""
    if not actor.is_staff or actor.staff_id is None:
        return SavedView.objects.none()
    return SavedView.objects.filter(owner_id=actor.staff_id)


def saved_view_query(query: str) -> str:
    """The query string as the queue page reads it: its own parameters, each once (the last given,
    as the page takes it), with the values it understands. Raises InvalidInput when too long."""
    text = (query or "").strip().removeprefix("?")
    too_long = _("The filters of a saved view can be at most %(limit)d characters long.") % {
        "limit": QUERY_MAX_LENGTH}
    if len(text) > QUERY_MAX_LENGTH:
        raise InvalidInput(too_long, field="query")
    if "\x00" in text:
        raise InvalidInput(_("Null characters are not allowed."), field="query")
    given = dict(parse_qsl(text))
    kept = urlencode([(name, given[name]) for name in QUEUE_PARAMETERS
                      if name in given and "\x00" not in given[name] and _KEEPS[name](given[name])])
    if len(kept) > QUERY_MAX_LENGTH:  # written out, letters such as "ä" take more room
        raise InvalidInput(too_long, field="query")
    return kept


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Please give the view a name."), field="name")
    if len(name) > NAME_MAX_LENGTH:
        raise InvalidInput(_("The name of a view can be at most %(limit)d characters long.") % {
            "limit": NAME_MAX_LENGTH}, field="name")
    if "\x00" in name:
        raise InvalidInput(_("Null characters are not allowed."), field="name")
    return name


def _require_staff(actor: Actor) -> None:
    if not actor.is_staff or actor.staff_id is None:
        raise PermissionDenied(_("Saved views are for the service desk."))


@transaction.atomic
def saved_view_save(*, actor: Actor, name: str, query: str) -> SavedView:
    """Save the actor's view; a view of the same name is replaced (its filters change)."""
    _require_staff(actor)
    saved, _created = SavedView.objects.update_or_create(
        owner_id=actor.staff_id, name=_clean_name(name), defaults={"query": saved_view_query(query)},
    )
    return saved


@transaction.atomic
def saved_view_delete(*, actor: Actor, view_id: int) -> None:
    """Delete one of the actor's own views; another person's is NotFound, as one that never was."""
    _require_staff(actor)
    try:
        view_id = int(view_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    deleted, _counts = saved_views_for(actor).filter(pk=view_id).delete() if 0 < view_id <= MAX_ID else (0, {})
    if not deleted:
        raise NotFound()
