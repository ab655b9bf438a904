"""Every read of the phone channel, scoped to the actor: an agent sees the calls at their own
extension or answered by them, nobody else's; a client sees no call at all (K13)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from tugi.core.actors import Actor
from tugi.core.errors import NotFound
from tugi.directory.models import StaffMember, digits_of
from tugi.tickets.selectors import TicketFilters, ticket_list_for

from .models import Call, CallState, PhoneExtension

# A call the agent hung up a moment ago stays in the pop for this long, so it can still be logged.
LOG_AFTER_HANGUP = dt.timedelta(minutes=30)
RINGING_AT_MOST = dt.timedelta(hours=2)  # a call whose hang-up never came does not pop forever
MIN_MATCH_DIGITS = 7  # as the services match a number to a contact


def extension_of(actor: Actor) -> str | None:
    if not actor.is_staff or actor.user_id is None:
        return None
    return PhoneExtension.objects.filter(user_id=actor.user_id).values_list("extension", flat=True).first()


def _own_calls(actor: Actor) -> QuerySet[Call]:
    if not actor.is_staff or actor.user_id is None:
        return Call.objects.none()
    mine = Q(answered_by_id=actor.user_id)
    extension = extension_of(actor)
    if extension:
        # Ringing at my extension, or answered there and not (yet) known to be someone else's.
        mine |= Q(extension=extension) & (Q(answered_by__isnull=True) | Q(answered_by_id=actor.user_id))
    return Call.objects.filter(mine).select_related("contact__organisation", "ticket")


def current_calls_for(actor: Actor, *, now: dt.datetime | None = None) -> list[Call]:
    """The calls to pop for the agent: ringing or answered at their extension, and those they hung
    up lately without logging them, newest first."""
    now = now or timezone.now()
    live = Q(state__in=(CallState.NEW, CallState.ANSWERED), started_at__gte=now - RINGING_AT_MOST)
    unlogged = Q(state=CallState.HUNG_UP, ticket__isnull=True, answered_at__isnull=False,
                 ended_at__gte=now - LOG_AFTER_HANGUP)
    return list(_own_calls(actor).filter(live | unlogged).order_by("-started_at")[:3])


def call_get_for(actor: Actor, pk) -> Call:
    try:
        return _own_calls(actor).get(pk=int(pk))
    except (Call.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None


@dataclass(frozen=True)
class CallPop:
    """One call as the pop shows it: the call, the number at the other end (empty when it is a
    staff member's personal phone, K13), and the open tickets of the contact it was matched to."""

    call: Call
    number: str
    open_tickets: list = field(default_factory=list)


def _personal_phone_digits() -> list[str]:
    phones = StaffMember.objects.exclude(personal_phone="").values_list("personal_phone", flat=True)
    return [digits for digits in (digits_of(phone) for phone in phones) if len(digits) >= MIN_MATCH_DIGITS]


def _is_personal_phone(number: str, personal: list[str]) -> bool:
    digits = digits_of(number)
    return len(digits) >= MIN_MATCH_DIGITS and any(
        digits.endswith(phone) or phone.endswith(digits) for phone in personal)


def call_pop_for(actor: Actor, *, now: dt.datetime | None = None) -> list[CallPop]:
    """The agent's current calls (``current_calls_for``), each with the caller's open tickets as
    the console's pop lists them, and the number withheld when it is a staff member's personal
    phone, which no answer carries (K13)."""
    calls = current_calls_for(actor, now=now)
    personal = _personal_phone_digits() if calls else []
    pops = []
    for call in calls:
        open_tickets = [] if call.contact_id is None else list(
            ticket_list_for(actor, TicketFilters(requester_id=call.contact_id, is_open=True))[:10])
        number = "" if _is_personal_phone(call.other_party, personal) else call.other_party
        pops.append(CallPop(call=call, number=number, open_tickets=open_tickets))
    return pops
