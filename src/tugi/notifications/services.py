"""Who is told what. A domain service decides the recipients and the event; this renders the
message in each recipient's language and queues its delivery after the transaction commits.

Every message gets its own Message-ID when it is queued, answers the latest message of its
ticket's thread (In-Reply-To, References) and carries the ticket's reference in its subject, so the
client's mail program keeps one conversation per ticket and a reply finds its ticket (K2, K14)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import make_msgid, parseaddr
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tugi.core.actors import Actor
from tugi.core.audit import audit_record
from tugi.core.errors import InvalidInput, NotFound

from . import policies
from .models import Notification, ThreadMessage

# The prefixes of tickets.models.REFERENCE_PREFIX, written out because notifications sit below the
# tickets app; a test keeps the two the same.
TICKET_REFERENCE = re.compile(r"^(?:CHG|INC|PRB|REQ)-\d{6,}$")


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
    attachment: Attachment | None = None, template: str | None = None, thread: Sequence[str] | None = None,
) -> list[Notification]:
    """Queue ``notifications/<event>.txt`` (or ``notifications/<template>.txt``, a variant of the
    same event) to each recipient once (by address). The template's first line is the subject.
    Staff recipients get ``is_staff`` in the context, so a template can add internal detail for
    them alone. When ``about`` is a ticket's reference, each message joins
    that ticket's mail thread; ``thread``: the Message-IDs it answers, when the caller knows them
    (a ticket just opened by mail answers that mail alone), else they are read."""
    recipients = list(recipients)
    if not recipients:
        return []
    is_ticket = bool(TICKET_REFERENCE.match(about))
    # What the messages answer is read before they are recorded: one batch answers the same message.
    references = (thread_references(about) if thread is None else list(thread)) if is_ticket else []
    seen: set[str] = set()
    rows = []
    for recipient in recipients:
        key = recipient.email.strip().lower()
        if not key or key in seen:
            continue
        seen.add(key)
        with translation.override(recipient.language):
            text = render_to_string(f"notifications/{template or event}.txt",
                                    {**context, "recipient": recipient, "is_staff": recipient.is_staff})
        subject, _newline, body = text.strip().partition("\n")
        rows.append(
            Notification(
                event=event,
                subject_reference=about,
                recipient_email=recipient.email,
                recipient_name=recipient.name,
                language=recipient.language,
                subject=subject_with_reference(subject.strip(), about if is_ticket else "")[:250],
                body=body.strip(),
                message_id=new_message_id(),
                in_reply_to=references[-1] if references else "",
                references=" ".join(references),
                attachment_name=attachment.name if attachment else "",
                attachment_type=attachment.content_type if attachment else "",
                attachment_text=attachment.text if attachment else "",
            )
        )
    created = Notification.objects.bulk_create(rows)
    if is_ticket:  # fresh Message-IDs: one insert for the batch
        ThreadMessage.objects.bulk_create([ThreadMessage(message_id=row.message_id, reference=about, is_incoming=False)
                                           for row in created], ignore_conflicts=True)
    ids = [n.pk for n in created]
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return created


def _enqueue(ids: list[int]) -> None:
    from .tasks import deliver_notification

    if _batch is not None:
        _batch.extend(ids)
        if len(_batch) >= DELIVERY_BATCH:
            _enqueue_batch(_batch[:])
            _batch.clear()
        return
    for pk in ids:
        deliver_notification.enqueue(pk)


def _enqueue_batch(ids: list[int]) -> None:
    from .tasks import deliver_notifications

    deliver_notifications.enqueue(ids)


DELIVERY_BATCH = 50
_batch: list[int] | None = None  # while deliveries_batched() is open in this process


@contextmanager
def deliveries_batched() -> Iterator[None]:
    """For a bulk job of this process (`tugi mail import`): the messages it queues are handed to the
    task queue fifty at a time, one task for each fifty, instead of one task each; the rest when
    the block ends. Should the process die in between, ``notifications_retry_due`` finds what was
    never handed over."""
    global _batch
    outer, _batch = _batch, []
    try:
        yield
    finally:
        pending, _batch = _batch, outer
        if pending:
            _enqueue_batch(pending)


def thread_references(reference: str) -> list[str]:
    """The Message-IDs a new message of the ticket answers (References, the last is In-Reply-To):
    the thread's, without the desk's own messages that were withdrawn unsent, which no client has."""
    thread = list(ThreadMessage.objects.filter(reference=reference).order_by("created_at", "id")
                  .values_list("message_id", "is_incoming"))
    ids = [message_id for message_id, _is_incoming in thread]
    outgoing = {message_id for message_id, is_incoming in thread if not is_incoming}
    if outgoing:
        kept = set(Notification.objects.filter(message_id__in=outgoing).values_list("message_id", flat=True))
        ids = [m for m in ids if m not in outgoing or m in kept]
    limit = 20  # RFC 5322 lets a long References be shortened, keeping the thread's root
    return ids if len(ids) <= limit else [ids[0], *ids[-(limit - 1):]]


def notifications_withdraw_queued(*, event: str, about: str, email: str) -> int:
    """Withdraw messages not yet sent (one answer replaces another in the same transaction): the
    rows go, and so do their Message-IDs from the ticket's thread, so no later message answers one
    the client never got."""
    rows = Notification.objects.filter(event=event, subject_reference=about, recipient_email__iexact=email,
                                       status=Notification.Status.QUEUED)
    ids = list(rows.exclude(message_id="").values_list("message_id", flat=True))
    ThreadMessage.objects.filter(message_id__in=ids, is_incoming=False).delete()
    deleted, _by_model = rows.delete()
    return deleted


def message_id_domain() -> str:
    """The right-hand side of the desk's Message-IDs: the setting, else the sender's domain."""
    configured = settings.TUGI_MAIL_MESSAGE_ID_DOMAIN.strip()
    if configured:
        return configured
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return address.rpartition("@")[2] or "tugi.invalid"


def new_message_id() -> str:
    """A fresh Message-ID without its angle brackets."""
    return make_msgid(domain=message_id_domain()).strip("<>")


def subject_with_reference(subject: str, reference: str) -> str:
    """The subject with ``[reference]`` in front, unless it already names the reference: a reply's
    subject keeps it, so even a client whose mail program drops In-Reply-To reaches the ticket."""
    if not reference:
        return subject
    if re.search(rf"(?<![\w-]){re.escape(reference)}(?!\w)", subject, re.IGNORECASE):
        return subject
    return f"[{reference}] {subject}".strip()


def notification_resend(*, actor: Actor, notification_id: int) -> Notification:
    """Send a queued, failed or given-up message again now, from the console's outbox, with a fresh
    round of attempts. A message already sent is not sent twice."""
    policies.check_may_manage_outbox(actor)
    with transaction.atomic():
        row = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if row is None:
            raise NotFound()
        if row.status == Notification.Status.SENT:
            raise InvalidInput(_("This message has already been sent."), code="already_sent")
        before = {"status": row.status, "attempts": row.attempts}
        row.status = Notification.Status.QUEUED
        row.attempts = 0
        row.next_attempt_at = None
        row.save(update_fields=["status", "attempts", "next_attempt_at"])
        audit_record(actor=actor, action="notification.resend", obj=row,
                     changes={"status": [before["status"], row.status], "attempts": [before["attempts"], 0]})
        pk = row.pk
        transaction.on_commit(lambda: _enqueue([pk]))
    return row


# A message still queued, never tried, this long after it was written was never handed to the task
# queue (the process died after the commit, or the queue was down then).
NEVER_HANDED_OVER = dt.timedelta(minutes=15)


def notifications_retry_due() -> int:
    """The periodic job: queue again every failed message whose next attempt is due, and every
    message that was never handed to the task queue. Backends that can run a task later (the
    database worker) are also told of a retry by the task itself; this catches the others and any
    retry a worker lost. Sending is idempotent, so a message queued twice is sent once."""
    now = timezone.now()
    failed = (Notification.objects.filter(status=Notification.Status.FAILED, next_attempt_at__lte=now)
              .order_by("next_attempt_at").values_list("pk", flat=True)[:500])
    lost = list(Notification.objects.filter(status=Notification.Status.QUEUED, attempts=0,
                                             created_at__lte=now - NEVER_HANDED_OVER)
                .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
                .order_by("created_at").values_list("pk", flat=True)[:500])
    if lost:
        # Handed over again, and not before another quarter of an hour: while the task worker is down,
        # a job that runs every minute must not pile up a copy of each message per run.
        Notification.objects.filter(pk__in=lost).update(next_attempt_at=now + NEVER_HANDED_OVER)
    due = [*failed, *lost]
    if due:
        transaction.on_commit(lambda: _enqueue(due))
    return len(due)
