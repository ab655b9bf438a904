"""API v1 tickets: each route parses input, calls one selector or service, and serialises."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from tugi.catalog.selectors import service_list_for
from tugi.cmdb.selectors import ci_list_for
from tugi.core.errors import InvalidInput
from tugi.directory.selectors import contact_list_for, organisation_list_for, staff_list_for
from tugi.tickets import selectors, services
from tugi.tickets.models import TicketKind, TicketSource, TicketState

from .schemas import (
    AssignIn,
    EntryIn,
    EntryOut,
    Error,
    TicketIn,
    TicketOut,
    TicketPage,
    TransitionIn,
    ValidationErrorOut,
)

router = Router(tags=["tickets"])

# Every route can answer these; a route adds the refusals its service can give.
ALWAYS = {401: Error, 404: Error, 422: ValidationErrorOut}
REFUSALS = {**ALWAYS, 400: Error, 403: Error, 409: Error}
MAX_LIMIT = 200


class ListParams(Schema):
    state: TicketState | None = None
    kind: TicketKind | None = None
    organisation_id: int | None = None
    service_id: int | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    open: bool | None = Field(None, description="true: open tickets only; false: closed, cancelled, resolved")
    q: str = Field("", description="a ticket reference, or words of the title")
    sort: Literal["activity", "-activity", "created", "priority", "reference"] = "activity"
    limit: int = Field(50, description=f"page size; more than {MAX_LIMIT} is treated as {MAX_LIMIT}")
    offset: int = Field(0, ge=0)


@router.get("/tickets", response={200: TicketPage, **ALWAYS})
def list_tickets(request: HttpRequest, params: Query[ListParams]):
    """Tickets the caller may see, newest activity first. Paged by ``limit`` (at most 200) and
    ``offset``; ``has_more`` says whether another page follows."""
    limit = max(1, min(params.limit, MAX_LIMIT))
    offset = params.offset
    filters = selectors.TicketFilters(
        state=params.state,
        kind=params.kind,
        organisation_id=params.organisation_id,
        service_id=params.service_id,
        assignee_id=params.assignee_id,
        unassigned=params.unassigned,
        is_open=params.open,
        query=params.q,
    )
    # One row more than the page tells whether another page follows, without a COUNT query.
    rows = list(selectors.ticket_list_for(request.actor, filters, params.sort)[offset : offset + limit + 1])
    return {"items": rows[:limit], "limit": limit, "offset": offset, "has_more": len(rows) > limit}


def _get_or_invalid(qs, pk, field, message):
    if pk is None:
        return None
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise InvalidInput(message, field=field)
    return obj


@router.post("/tickets", response={201: TicketOut, **REFUSALS})
def create_ticket(request: HttpRequest, payload: TicketIn):
    """Register a ticket (K1). A client reports for themself in their own organisation; the desk
    may name any contact as the requester, or nobody (S2). Ids the caller may not see are refused
    as unknown (400), like ids that do not exist."""
    actor = request.actor
    requester = _get_or_invalid(
        contact_list_for(actor), payload.requester_id, "requester_id", _("Unknown requester.")
    )
    organisation = _get_or_invalid(
        organisation_list_for(actor), payload.organisation_id, "organisation_id", _("Unknown organisation.")
    )
    service = _get_or_invalid(
        service_list_for(actor), payload.service_id, "service_id", _("Unknown service.")
    )
    cis = list(ci_list_for(actor).filter(pk__in=payload.configuration_item_ids))
    if len(cis) != len(set(payload.configuration_item_ids)):
        raise InvalidInput(_("Unknown configuration item."), field="configuration_item_ids")
    ticket = services.ticket_create(
        actor=actor,
        kind=payload.kind,
        title=payload.title,
        description=payload.description,
        source=TicketSource.API,
        requester=requester,
        organisation=organisation,
        service=service,
        configuration_items=cis,
        impact=payload.impact,
        urgency=payload.urgency,
    )
    return Status(201, ticket)


@router.get("/tickets/{reference}", response={200: TicketOut, **ALWAYS})
def get_ticket(request: HttpRequest, reference: str):
    """One ticket by its reference (or a former reference, after reclassification). A ticket the
    caller may not see is 404, exactly like one that does not exist."""
    return selectors.ticket_get_for(request.actor, reference)


@router.get("/tickets/{reference}/entries", response={200: list[EntryOut], **ALWAYS})
def list_entries(request: HttpRequest, reference: str):
    """The conversation in order: replies, events and, for the desk only, internal notes (K2)."""
    ticket = selectors.ticket_get_for(request.actor, reference)
    return list(selectors.ticket_conversation_for(request.actor, ticket))


@router.post("/tickets/{reference}/entries", response={201: EntryOut, **REFUSALS})
def add_entry(request: HttpRequest, reference: str, payload: EntryIn):
    """Add a reply that every party is told about (K2), or with ``internal: true`` a note for the
    desk only (a client gets 403). A desk reply that names a price or a magnitude is refused with
    409 ``price_mentioned`` until it is sent again with ``send_anyway: true`` (K20)."""
    ticket = selectors.ticket_get_for(request.actor, reference)
    entry = services.ticket_add_entry(
        actor=request.actor,
        ticket=ticket,
        body=payload.body,
        is_internal=payload.internal,
        channel=TicketSource.API,
        price_confirmed=payload.send_anyway,
    )
    return Status(201, entry)


@router.post("/tickets/{reference}/transitions", response={200: TicketOut, **REFUSALS})
def transition(request: HttpRequest, reference: str, payload: TransitionIn):
    """Move the ticket along its lifecycle. 409 with the reason when the ticket's state does not
    allow the action now; 400 with ``field`` when a required reason (K3) or date is missing; 403
    when the caller may not take the action (a client may cancel, postpone, close or reopen)."""
    ticket = selectors.ticket_get_for(request.actor, reference)
    return services.ticket_transition(
        actor=request.actor, ticket=ticket, action=payload.action, reason=payload.reason, until=payload.until
    )


@router.post("/tickets/{reference}/assign", response={200: TicketOut, **REFUSALS})
def assign(request: HttpRequest, reference: str, payload: AssignIn):
    """Assign the ticket to a specialist, or unassign it with ``assignee_id: null``. The desk only."""
    ticket = selectors.ticket_get_for(request.actor, reference)
    # A client sees no staff list, so their id resolves to nobody and the service refuses them (403).
    assignee = _get_or_invalid(
        staff_list_for(request.actor),
        payload.assignee_id if request.actor.is_staff else None,
        "assignee_id",
        _("Unknown staff member."),
    )
    return services.ticket_assign(actor=request.actor, ticket=ticket, assignee=assignee)
