"""Every write of the phone channel (K13): telephony tokens, call events as they come, and the
agent's two actions on a call: log it on a ticket, or open a new phone ticket for the caller."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tugi.core.actors import Actor
from tugi.core.audit import audit_record
from tugi.core.errors import InvalidInput, PermissionDenied
from tugi.directory.models import Contact, StaffMember, digits_of
from tugi.tickets import services as tickets
from tugi.tickets.models import Ticket, TicketKind, TicketSource
from tugi.tickets.priority import Impact, Urgency

from .models import Call, CallDirection, CallEvent, CallState, PhoneExtension, TelephonyToken

# The shapes telephony systems push, each mapped to one of ours.
EVENTS = {
    "new": CallState.NEW, "ringing": CallState.NEW, "incoming": CallState.NEW, "initiated": CallState.NEW,
    "answered": CallState.ANSWERED, "connected": CallState.ANSWERED, "established": CallState.ANSWERED,
    "hangup": CallState.HUNG_UP, "hung_up": CallState.HUNG_UP, "ended": CallState.HUNG_UP,
    "completed": CallState.HUNG_UP, "missed": CallState.HUNG_UP,
}
DIRECTIONS = {"inbound": CallDirection.INBOUND, "in": CallDirection.INBOUND, "incoming": CallDirection.INBOUND,
              "outbound": CallDirection.OUTBOUND, "out": CallDirection.OUTBOUND, "outgoing": CallDirection.OUTBOUND}
ORDER = {CallState.NEW: 0, CallState.ANSWERED: 1, CallState.HUNG_UP: 2}
MIN_MATCH_DIGITS = 7


# --- tokens ----------------------------------------------------------------------------------

def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def telephony_token_create(*, actor: Actor, name: str) -> tuple[TelephonyToken, str]:
    if not (actor.is_staff or actor.is_system):
        raise PermissionDenied(_("Only the service desk can connect a telephony system."))
    token = secrets.token_urlsafe(32)
    row = TelephonyToken.objects.create(name=(name or "telephony")[:200], digest=_digest(token), hint=token[:6])
    audit_record(actor=actor, action="phone.token_create", obj=row)
    return row, token


def telephony_token_valid(token: str) -> bool:
    if not token:
        return False
    digest = _digest(token)
    found = TelephonyToken.objects.filter(digest=digest, is_active=True).values_list("digest", flat=True).first()
    return found is not None and hmac.compare_digest(found, digest)


# --- call events -----------------------------------------------------------------------------

def contact_for_number(number: str) -> Contact | None:
    """The active contact whose phone ends in the same digits (a number dialled as +372 5…, 5… or
    003725… is the same): only when exactly one matches, never a guess between two."""
    digits = digits_of(number)
    if len(digits) < MIN_MATCH_DIGITS:
        return None
    tail = digits[-MIN_MATCH_DIGITS - 1:]
    found = [c for c in Contact.objects.filter(is_active=True, phone_digits__endswith=tail)
             .select_related("organisation")[:5]
             if c.phone_digits.endswith(digits) or digits.endswith(c.phone_digits)]
    return found[0] if len(found) == 1 else None


def _answering_user_id(agent: str, extension: str) -> int | None:
    """Who answered: the desk member the telephony system names, else the one at the extension."""
    if agent:
        found = (StaffMember.objects.filter(is_active=True)
                 .filter(Q(user__username=agent) | Q(email__iexact=agent)).values_list("user_id", flat=True)[:2])
        if len(found) == 1:
            return found[0]
    if extension:
        return PhoneExtension.objects.filter(extension=extension).values_list("user_id", flat=True).first()
    return None


@dataclass(frozen=True)
class IncomingCallEvent:
    event: str
    call_id: str
    direction: str = ""
    caller: str = ""
    called: str = ""
    extension: str = ""
    agent: str = ""  # the answering desk member's user name or e-mail, when the system knows it
    at: dt.datetime | None = None


def _clean(value: str, limit: int) -> str:
    return "".join(ch for ch in (value or "") if ch.isprintable())[:limit].strip()


@transaction.atomic
def call_event_record(*, incoming: IncomingCallEvent, payload: dict | None = None) -> Call:
    """Record one event of a call. Events may come twice or out of order (a hang-up before the
    answer arrives): a call never goes back to an earlier state, and a repeat changes nothing."""
    state = EVENTS.get(incoming.event.strip().lower())
    if state is None:
        raise InvalidInput(_("Unknown call event “%(event)s”: send new, answered or hangup.")
                           % {"event": incoming.event[:40]}, field="event")
    call_id = _clean(incoming.call_id, 200)
    if not call_id:
        raise InvalidInput(_("Every call event needs its call_id."), field="call_id")
    direction = DIRECTIONS.get((incoming.direction or "").strip().lower())
    if incoming.direction and direction is None:
        raise InvalidInput(_("The direction must be inbound or outbound."), field="direction")
    at = incoming.at or timezone.now()
    call = Call.objects.select_for_update().filter(call_id=call_id).first()
    if call is None:
        try:
            with transaction.atomic():
                call = Call.objects.create(call_id=call_id, started_at=at, state=CallState.NEW,
                                           direction=direction or CallDirection.INBOUND)
        except IntegrityError:
            call = Call.objects.select_for_update().get(call_id=call_id)
    if direction:
        call.direction = direction
    call.caller = _clean(incoming.caller, 60) or call.caller
    call.called = _clean(incoming.called, 60) or call.called
    extension = _clean(incoming.extension, 40)
    if extension:
        call.extension = extension
    if call.contact_id is None and call.other_party:
        call.contact = contact_for_number(call.other_party)
    if state == CallState.ANSWERED and call.answered_at is None:
        call.answered_at = at
        call.answered_by_id = _answering_user_id(_clean(incoming.agent, 200), call.extension)
    if state == CallState.HUNG_UP and call.ended_at is None:
        call.ended_at = at
    if ORDER[state] > ORDER[CallState(call.state)]:
        call.state = state
    call.save(update_fields=["direction", "caller", "called", "extension", "contact", "answered_at", "answered_by",
                             "ended_at", "state"])
    CallEvent.objects.create(call=call, event=state.value, payload=payload or {})
    return call


# --- the agent's actions on a call -----------------------------------------------------------

def _check_own(actor: Actor, call: Call) -> None:
    if not actor.is_staff:
        raise PermissionDenied(_("Only the service desk logs calls."))


def _call_text(call: Call, note: str) -> str:
    start = timezone.localtime(call.answered_at or call.started_at)
    heading = (_("Phone call from %(number)s at %(time)s.") if call.direction == CallDirection.INBOUND
               else _("Phone call to %(number)s at %(time)s.")) % {
        "number": call.other_party or _("an unknown number"), "time": start.strftime("%Y-%m-%d %H:%M")}
    return f"{heading}\n\n{note}".strip()


@transaction.atomic
def call_log_on_ticket(*, actor: Actor, call: Call, ticket: Ticket, note: str) -> Call:
    """Log the call on a ticket the agent can see (K13): an internal note with the number and time."""
    _check_own(actor, call)
    call = Call.objects.select_for_update().get(pk=call.pk)
    tickets.ticket_add_entry(actor=actor, ticket=ticket, body=_call_text(call, note), is_internal=True,
                             channel=TicketSource.PHONE)
    call.ticket = ticket
    call.save(update_fields=["ticket"])
    audit_record(actor=actor, action="phone.call_log", obj=call, changes={"ticket": ticket.reference})
    return call


@transaction.atomic
def call_open_ticket(*, actor: Actor, call: Call, kind: str, title: str, description: str = "",
                     impact: int = Impact.LOW, urgency: int = Urgency.MEDIUM) -> Ticket:
    """A new phone ticket for the caller the call was matched to (K13: logged as a phone ticket)."""
    _check_own(actor, call)
    call = Call.objects.select_for_update(of=("self",)).select_related("contact").get(pk=call.pk)
    if call.contact is None:
        raise InvalidInput(_("The caller is not known yet: find them in the phone intake first."))
    ticket = tickets.ticket_create(
        actor=actor, kind=kind or TicketKind.INCIDENT, title=title, description=_call_text(call, description),
        source=TicketSource.PHONE, requester=call.contact, impact=impact, urgency=urgency)
    call.ticket = ticket
    call.save(update_fields=["ticket"])
    audit_record(actor=actor, action="phone.call_ticket", obj=call, changes={"ticket": ticket.reference})
    return ticket
