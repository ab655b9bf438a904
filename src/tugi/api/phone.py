"""API v1 routes of the support phone (K13), beside the console's call pop: the signed-in agent's
current calls with the caller's contact and open tickets, logging a call on a ticket, and opening a
new phone ticket from a call. The desk only, as the pages; an agent acts only on their own calls
(another's is 404). No answer carries a staff member's personal phone."""

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Path, Router, Schema, Status

from tugi.channels.phone import selectors, services
from tugi.core.errors import InvalidInput, NotFound
from tugi.tickets.models import TicketKind
from tugi.tickets.selectors import ticket_get_for

from .schemas import ALWAYS, MAX_ID, REFUSALS, Ref, TicketOut, desk_only

router = Router(tags=["phone"])



class CallerOut(Schema):
    id: int
    name: str
    organisation: Ref
    is_vip: bool = Field(..., description="the caller's organisation is a VIP")
    is_representative: bool

    @staticmethod
    def resolve_is_vip(obj) -> bool:
        return obj.organisation.is_vip


class OpenTicketOut(Schema):
    reference: str
    title: str
    state: str


class CallOut(Schema):
    id: int
    state: str = Field(..., description="new (ringing), answered or hung_up (not logged yet)")
    direction: str = Field(..., description="inbound or outbound")
    number: str = Field(..., description="the number at the other end; empty when unknown or a staff member's "
                                         "personal phone (K13)")
    started_at: dt.datetime
    answered_at: dt.datetime | None
    ended_at: dt.datetime | None
    contact: CallerOut | None = Field(None, description="the contact the number matched; null: find the caller "
                                                        "with GET /contacts?q=")
    open_tickets: list[OpenTicketOut] = Field(..., description="the caller's open tickets (at most 10)")
    logged_on: str | None = Field(None, description="the ticket the call is logged on")


class CallPopOut(Schema):
    extension: str | None = Field(..., description="the agent's phone extension; null: no call can pop")
    calls: list[CallOut] = Field(..., description="ringing or on the line, and hung up lately but not logged; "
                                                  "newest first")


class LoggedCallOut(Schema):
    id: int
    logged_on: str = Field(..., description="the ticket's reference")


class LogCallIn(Schema):
    reference: str = Field(..., min_length=1, max_length=30, description="the ticket the call was about")
    note: str = Field("", description="what was said")


class CallTicketIn(Schema):
    kind: TicketKind = TicketKind.INCIDENT
    title: str = Field(..., min_length=1, max_length=250, description="what is wrong, in a few words")
    description: str = Field("", description="details")


_DESK_ONLY = gettext_lazy("Calls are the service desk's own.")


def _call_out(pop: selectors.CallPop) -> dict:
    call = pop.call
    return {"id": call.pk, "state": call.state, "direction": call.direction, "number": pop.number,
            "started_at": call.started_at, "answered_at": call.answered_at, "ended_at": call.ended_at,
            "contact": call.contact, "open_tickets": pop.open_tickets,
            "logged_on": call.ticket.reference if call.ticket else None}


CallId = Path(..., ge=1, le=MAX_ID)


@router.get("/calls/current", response={200: CallPopOut, **ALWAYS})
def current_calls(request: HttpRequest):
    """The call pop for the signed-in agent: the calls at their extension, each with the caller's
    contact and open tickets, as the console shows them (K13)."""
    desk_only(request, _DESK_ONLY)
    return {"extension": selectors.extension_of(request.actor),
            "calls": [_call_out(pop) for pop in selectors.call_pop_for(request.actor)]}


@router.post("/calls/{call_id}/log", response={200: LoggedCallOut, **REFUSALS})
def log_call(request: HttpRequest, payload: LogCallIn, call_id: int = CallId):
    """Log the call on a ticket: an internal phone note with the number, the time and what was
    said. Only the agent whose call it is (another's call is 404)."""
    desk_only(request, _DESK_ONLY)
    call = selectors.call_get_for(request.actor, call_id)
    reference = payload.reference.strip()
    try:
        ticket = ticket_get_for(request.actor, reference)
    except NotFound:
        raise InvalidInput(_("There is no ticket %(ref)s.") % {"ref": reference[:30]}, field="reference") from None
    call = services.call_log_on_ticket(actor=request.actor, call=call, ticket=ticket, note=payload.note)
    return {"id": call.pk, "logged_on": ticket.reference}


@router.post("/calls/{call_id}/ticket", response={201: TicketOut, **REFUSALS})
def open_ticket(request: HttpRequest, payload: CallTicketIn, call_id: int = CallId):
    """A new phone ticket for the caller the call was matched to, the call logged on it (K13)."""
    desk_only(request, _DESK_ONLY)
    call = selectors.call_get_for(request.actor, call_id)
    ticket = services.call_open_ticket(actor=request.actor, call=call, kind=payload.kind, title=payload.title,
                                       description=payload.description)
    return Status(201, ticket_get_for(request.actor, ticket.reference))
