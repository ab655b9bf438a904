"""API v1: the console's queues (mine, unassigned, open, waiting, all) as filters of the ticket list,
and their counts, capped as the console caps them. Reading only, through tugi.tickets.selectors.

The queues are the console's named views; the console keeps them in ``console/queues.py``, which an
adapter may not import from another adapter, so the same five filters are named here too."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router, Schema

from tugi.core.actors import Actor
from tugi.core.errors import PermissionDenied
from tugi.tickets.models import TicketState
from tugi.tickets.selectors import TicketFilters, ticket_count_for

from .schemas import Error, ValidationErrorOut

router = Router(tags=["queues"])

QueueKey = Literal["mine", "unassigned", "open", "waiting", "all"]

QUEUES = (
    ("mine", gettext_lazy("Mine")),
    ("unassigned", gettext_lazy("Unassigned")),
    ("open", gettext_lazy("All open")),
    ("waiting", gettext_lazy("Waiting for client")),
    ("all", gettext_lazy("All")),
)


def _queue(actor: Actor, key: str | None) -> TicketFilters:
    if key == "mine":
        if actor.is_client:  # the portal's "my tickets": what they reported themselves
            return TicketFilters(requester_id=actor.contact_id or -1)
        return TicketFilters(assignee_id=actor.staff_id or -1, is_open=True)
    if key == "unassigned":
        return TicketFilters(unassigned=True, is_open=True)
    if key == "waiting":
        return TicketFilters(state=TicketState.WAITING_FOR_CLIENT)
    if key == "open":
        return TicketFilters(is_open=True)
    return TicketFilters()


def queue_filters(actor: Actor, key: str | None, **narrowing) -> TicketFilters:
    """The queue's filters, narrowed by every filter given (None and "" narrow nothing). A
    state given asks for that state whether open or not, as the console's filter does."""
    changes = {name: value for name, value in narrowing.items() if value is not None and value != ""}
    if not changes.get("unassigned", True):  # "not only the unassigned" narrows nothing
        del changes["unassigned"]
    if "state" in changes and "is_open" not in changes:
        changes["is_open"] = None
    return replace(_queue(actor, key), **changes)


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
    for key, label in QUEUES:
        count = ticket_count_for(actor, _queue(actor, key))
        result.append({"key": key, "label": str(label), "count": count.value, "is_capped": count.is_capped})
    return result
