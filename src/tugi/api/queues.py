"""API v1: the console's queues (mine, unassigned, open, waiting, all) as filters of the ticket list,
and their counts, capped as the console caps them. Reading only, through tugi.tickets.selectors.
The queues themselves are named once, in tugi.tickets.queues."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from tugi.core.actors import Actor
from tugi.core.errors import PermissionDenied
from tugi.tickets.queues import VIEWS, queue_filters_for
from tugi.tickets.selectors import TicketFilters, ticket_count_for

from .schemas import Error, ValidationErrorOut

router = Router(tags=["queues"])

QueueKey = Literal["mine", "unassigned", "open", "waiting", "all"]

def queue_filters(actor: Actor, key: str | None, **narrowing) -> TicketFilters:
    """The queue's filters, narrowed by every filter given (None and "" narrow nothing). A
    state given asks for that state whether open or not, as the console's filter does."""
    changes = {name: value for name, value in narrowing.items() if value is not None and value != ""}
    if not changes.get("unassigned", True):  # "not only the unassigned" narrows nothing
        del changes["unassigned"]
    if "state" in changes and "is_open" not in changes:
        changes["is_open"] = None
    return replace(queue_filters_for(actor, key), **changes)


class QueueOut(Schema):
    key: str
    label: str
    count: int
    is_capped: bool


@router.get("/queues", response={200: list[QueueOut], 401: Error, 403: Error, 404: Error, 422: ValidationErrorOut})
def list_queues(request: HttpRequest):
    """The console's queues with their counts; a count at the cap (1000) says ``is_capped`` (the
    console shows ``1000+``). The desk only: ``GET /tickets?view=...`` lists a queue's tickets."""
    actor = request.actor
    if not actor.is_staff:
        raise PermissionDenied(_("The queues are the service desk's."))
    result = []
    for view in VIEWS:
        count = ticket_count_for(actor, view.filters(actor))
        result.append({"key": view.key, "label": str(view.label), "count": count.value, "is_capped": count.is_capped})
    return result
