"""Reading the desk's outgoing mail: the console's outbox of messages not (yet) delivered."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from tugi.core.actors import Actor
from tugi.core.errors import NotFound

from . import policies
from .models import Notification

UNDELIVERED = (Notification.Status.QUEUED, Notification.Status.FAILED, Notification.Status.GAVE_UP)


def outbox_list_for(actor: Actor, *, status: str = "") -> QuerySet[Notification]:
    """Messages still queued, failed and waiting for a retry, or given up; newest first. Others see
    nothing rather than an error, as other lists do."""
    if not policies.may_see_outbox(actor):
        return Notification.objects.none()
    statuses = [status] if status in UNDELIVERED else list(UNDELIVERED)
    return Notification.objects.filter(status__in=statuses).defer("body", "attachment_text")


def outbox_counts_for(actor: Actor) -> dict[str, int]:
    if not policies.may_see_outbox(actor):
        return {}
    rows = Notification.objects.filter(status__in=UNDELIVERED).values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def notification_get_for(actor: Actor, pk: int) -> Notification:
    row = Notification.objects.filter(pk=pk).first() if policies.may_see_outbox(actor) else None
    if row is None:
        raise NotFound()
    return row


def notification_sent_to(address: str, message_ids: list[str]) -> bool:
    """Whether the desk sent one of these messages (Message-IDs without angle brackets) to this
    address: for the mail intake, which believes a bounce only about mail of its own (K14)."""
    ids = [message_id for message_id in message_ids if message_id][:50]
    return bool(ids) and Notification.objects.filter(message_id__in=ids, recipient_email__iexact=address).exists()
