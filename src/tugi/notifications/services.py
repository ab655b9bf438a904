"""Who is told what. A domain service decides the recipients and the event; this renders the
message in each recipient's language and queues its delivery after the transaction commits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from .models import Notification


@dataclass(frozen=True)
class Attachment:
    """A file to send with the message: a calendar invitation is
    ``Attachment("invite.ics", "text/calendar; method=REQUEST", ics_text)``."""

    name: str
    content_type: str
    text: str


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    language: str = "et"
    is_staff: bool = False


def notify(
    *, event: str, about: str, recipients: Iterable[Recipient], context: dict[str, Any],
    attachment: Attachment | None = None,
) -> list[Notification]:
    """Queue ``notifications/<event>.txt`` to each recipient once (by address). The template's
    first line is the subject. Staff recipients get ``is_staff`` in the context, so a template can
    add internal detail for them alone."""
    seen: set[str] = set()
    rows = []
    for recipient in recipients:
        key = recipient.email.strip().lower()
        if not key or key in seen:
            continue
        seen.add(key)
        with translation.override(recipient.language):
            text = render_to_string(
                f"notifications/{event}.txt", {**context, "recipient": recipient, "is_staff": recipient.is_staff}
            )
        subject, _, body = text.strip().partition("\n")
        rows.append(
            Notification(
                event=event,
                subject_reference=about,
                recipient_email=recipient.email,
                recipient_name=recipient.name,
                language=recipient.language,
                subject=subject.strip()[:250],
                body=body.strip(),
                attachment_name=attachment.name if attachment else "",
                attachment_type=attachment.content_type if attachment else "",
                attachment_text=attachment.text if attachment else "",
            )
        )
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created]
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return created


def _enqueue(ids: list[int]) -> None:
    from .tasks import deliver_notification

    for pk in ids:
        deliver_notification.enqueue(pk)
