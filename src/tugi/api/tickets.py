"""API v1 tickets: each route parses input, calls one selector or service, and serialises."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Schema

from tugi.catalog.selectors import service_list_for
from tugi.cmdb.selectors import ci_list_for
from tugi.core.errors import InvalidInput
from tugi.directory.selectors import contact_list_for, organisation_list_for, staff_list_for
from tugi.tickets import selectors, services
from tugi.tickets.models import TicketSource

from .schemas import AssignIn, EntryIn, EntryOut, Error, TicketIn, TicketOut, TicketPage, TransitionIn

router = Router(tags=["tickets"])
ERRORS = {400: Error, 403: Error, 404: Error, 409: Error}


class ListParams(Schema):
    state: str | None = None
    kind: str | None = None
    organisation_id: int | None = None
    service_id: int | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    open: bool | None = None
    q: str = ""
    sort: str = "activity"
    limit: int = 50
    offset: int = 0


def _ref(obj):
    return None if obj is None else {"id": obj.pk, "name": obj.name}


def _ticket_out(ticket) -> dict:
    return {
        **{f: getattr(ticket, f) for f in (
            "reference", "kind", "title", "description", "state", "priority", "impact", "urgency", "source",
            "created_at", "updated_at", "last_activity_at", "resolved_at", "closed_at")},
        "organisation": _ref(ticket.organisation),
        "requester": _ref(ticket.requester),
        "service": _ref(ticket.service),
        "assignee": _ref(ticket.assignee),
    }


@router.get("/tickets", response={200: TicketPage, 400: Error})
def list_tickets(request: HttpRequest, params: Query[ListParams]):
    """Tickets the caller may see, newest activity first. Paged by ``limit`` (at most 200) and
    ``offset``; ``has_more`` says whether another page follows."""
    limit = max(1, min(params.limit, 200))
    offset = max(0, params.offset)
    filters = selectors.TicketFilters(
        state=params.state, kind=params.kind, organisation_id=params.organisation_id,
        service_id=params.service_id, assignee_id=params.assignee_id, unassigned=params.unassigned,
        is_open=params.open, query=params.q,
    )
    rows = list(selectors.ticket_list_for(request.actor, filters, params.sort)[offset:offset + limit + 1])
    items = [
        {"reference": t.reference, "kind": t.kind, "title": t.title, "state": t.state, "priority": t.priority,
         "organisation": _ref(t.organisation), "assignee": _ref(t.assignee), "last_activity_at": t.last_activity_at}
        for t in rows[:limit]
    ]
    return {"items": items, "limit": limit, "offset": offset, "has_more": len(rows) > limit}


def _get_or_invalid(qs, pk, field, message):
    if pk is None:
        return None
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise InvalidInput(message, field=field)
    return obj


@router.post("/tickets", response={201: TicketOut, **ERRORS})
def create_ticket(request: HttpRequest, payload: TicketIn):
    actor = request.actor
    requester = _get_or_invalid(contact_list_for(actor), payload.requester_id, "requester_id", "Unknown requester.")
    organisation = _get_or_invalid(
        organisation_list_for(actor), payload.organisation_id, "organisation_id", "Unknown organisation."
    )
    service = _get_or_invalid(service_list_for(actor), payload.service_id, "service_id", "Unknown service.")
    cis = list(ci_list_for(actor).filter(pk__in=payload.configuration_item_ids))
    if len(cis) != len(set(payload.configuration_item_ids)):
        raise InvalidInput("Unknown configuration item.", field="configuration_item_ids")
    ticket = services.ticket_create(
        actor=actor, kind=payload.kind, title=payload.title, description=payload.description,
        source=TicketSource.API, requester=requester, organisation=organisation, service=service,
        configuration_items=cis, impact=payload.impact, urgency=payload.urgency,
    )
    return 201, _ticket_out(ticket)


@router.get("/tickets/{reference}", response={200: TicketOut, 404: Error})
def get_ticket(request: HttpRequest, reference: str):
    return _ticket_out(selectors.ticket_get_for(request.actor, reference))


@router.get("/tickets/{reference}/entries", response={200: list[EntryOut], 404: Error})
def list_entries(request: HttpRequest, reference: str):
    ticket = selectors.ticket_get_for(request.actor, reference)
    return list(selectors.ticket_conversation_for(request.actor, ticket))


@router.post("/tickets/{reference}/entries", response={201: EntryOut, **ERRORS})
def add_entry(request: HttpRequest, reference: str, payload: EntryIn):
    ticket = selectors.ticket_get_for(request.actor, reference)
    entry = services.ticket_add_entry(
        actor=request.actor, ticket=ticket, body=payload.body, is_internal=payload.internal, channel=TicketSource.API
    )
    return 201, entry


@router.post("/tickets/{reference}/transitions", response={200: TicketOut, **ERRORS})
def transition(request: HttpRequest, reference: str, payload: TransitionIn):
    ticket = selectors.ticket_get_for(request.actor, reference)
    ticket = services.ticket_transition(
        actor=request.actor, ticket=ticket, action=payload.action, reason=payload.reason, until=payload.until
    )
    return _ticket_out(ticket)


@router.post("/tickets/{reference}/assign", response={200: TicketOut, **ERRORS})
def assign(request: HttpRequest, reference: str, payload: AssignIn):
    with transaction.atomic():
        ticket = selectors.ticket_get_for(request.actor, reference)
        assignee = None
        if payload.assignee_id is not None:
            assignee = staff_list_for(request.actor).filter(pk=payload.assignee_id).first()
            if assignee is None and request.actor.is_staff:
                raise InvalidInput("Unknown staff member.", field="assignee_id")
        ticket = services.ticket_assign(actor=request.actor, ticket=ticket, assignee=assignee)
    return _ticket_out(ticket)

