"""Bounces mark the contact's address (K14): the desk sees that its mail does not reach the person
and can phone them (K13) or correct the address."""

from __future__ import annotations

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from tugi.core.actors import Actor, system_actor
from tugi.core.audit import audit_record
from tugi.directory.models import Contact


@transaction.atomic
def contacts_mark_bounced(*, address: str, reason: str, actor: Actor | None = None) -> int:
    """Mark every active contact with this address (case-insensitive) as bouncing; how many."""
    actor = actor or system_actor("Mail")
    now = timezone.now()
    contacts = list(
        Contact.objects.select_for_update().annotate(email_lower=Lower("email"))
        .filter(email_lower=address.strip().lower(), is_active=True)
    )
    for contact in contacts:
        contact.email_bounced_at = now
        contact.email_bounce_reason = (reason or "")[:250]
        contact.save(update_fields=["email_bounced_at", "email_bounce_reason", "updated_at"])
        audit_record(actor=actor, action="contact.email_bounced", obj=contact,
                     changes={"email": contact.email, "reason": contact.email_bounce_reason})
    return len(contacts)
