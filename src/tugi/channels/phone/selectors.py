"""Every read of the phone channel, scoped to the actor: an agent sees the calls at their own
extension or answered by them, nobody else's; a client sees no call at all (K13)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from tugi.core.actors import Actor
from tugi.core.errors import NotFound

from .models import Call, CallState, PhoneExtension

# A call the agent hung up a moment ago stays in the pop for this long, so it can still be logged.
LOG_AFTER_HANGUP = dt.timedelta(minutes=30)
RINGING_AT_MOST = dt.timedelta(hours=2)  # a call whose hang-up never came does not pop forever


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
