"""The desk's writes on stored mail (K14): retrying a quarantined message after a fix, and
discarding one with a reason (the row and its raw message stay: nothing that arrived is lost)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tugi.core.actors import Actor
from tugi.core.audit import audit_record
from tugi.core.errors import InvalidInput, PermissionDenied

from ..models import InboundMessage, InboundState
from .intake import IntakeResult, message_retry


def can_handle_mail(actor: Actor) -> bool:
    return actor.is_staff or actor.is_system


def _require(actor: Actor) -> None:
    if not can_handle_mail(actor):
        raise PermissionDenied(_("Only the service desk can handle incoming mail."))


def inbound_retry(*, actor: Actor, message: InboundMessage) -> IntakeResult:
    """Run the intake again on the stored message, as if it had just arrived."""
    _require(actor)
    if message.state not in (InboundState.QUARANTINED, InboundState.RECEIVED):
        raise InvalidInput(_("Only a quarantined message can be tried again; this one is already handled."))
    result = message_retry(message)
    with transaction.atomic():
        audit_record(actor=actor, action="inbound_message.retry", obj=message,
                     changes={"state": result.state, "reference": result.reference, "reason": result.reason})
    return result


@transaction.atomic
def inbound_discard(*, actor: Actor, message: InboundMessage, reason: str) -> InboundMessage:
    """Put a quarantined message aside for good (spam, a test, a duplicate sent by hand). The
    reason is required: the next person to look must know why it was not turned into a ticket."""
    _require(actor)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Please say why the message is discarded."), field="reason")
    message = InboundMessage.objects.select_for_update().get(pk=message.pk)
    if message.state != InboundState.QUARANTINED:
        raise InvalidInput(_("Only a quarantined message can be discarded; this one is already handled."))
    message.state = InboundState.DISCARDED
    message.discard_reason = reason
    message.discarded_by_label = actor.label[:200]
    message.handled_at = timezone.now()
    message.save(update_fields=["state", "discard_reason", "discarded_by_label", "handled_at"])
    audit_record(actor=actor, action="inbound_message.discard", obj=message, changes={"reason": reason})
    return message
