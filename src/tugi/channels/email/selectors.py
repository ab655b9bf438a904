"""Reading the stored mail (K14): the quarantine and the other messages, for the desk only — a
message may name any client and hold anything a stranger sent."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from tugi.core.actors import Actor
from tugi.core.errors import NotFound, PermissionDenied

from ..models import InboundMessage, InboundState

LIST_FIELDS = ("id", "message_key", "source", "received_at", "handled_at", "state", "reference", "sender",
               "subject", "reason_code", "reason_detail", "automatic_reason", "attempts", "discard_reason")


def can_see_mail(actor: Actor) -> bool:
    return actor.is_staff or actor.is_system


def _require(actor: Actor) -> None:
    if not can_see_mail(actor):
        raise PermissionDenied(_("The incoming mail is for the service desk only."))


def inbound_list_for(actor: Actor, *, state: str = InboundState.QUARANTINED) -> QuerySet[InboundMessage]:
    """Messages in one state, newest first, without their raw bytes (a list never needs them)."""
    _require(actor)
    qs = InboundMessage.objects.only(*LIST_FIELDS)
    return qs.filter(state=state) if state else qs


def inbound_counts_for(actor: Actor) -> dict[str, int]:
    _require(actor)
    return dict(InboundMessage.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n"))


def inbound_get_for(actor: Actor, pk: int) -> InboundMessage:
    _require(actor)
    message = InboundMessage.objects.filter(pk=pk).first()
    if message is None:
        raise NotFound()
    return message
