"""Delivering queued notifications: one task per message, idempotent, retried with growing pauses
and given up after ``TUGI_MAIL_SEND_ATTEMPTS`` with the last error kept (the console's outbox)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import default_task_backend, task

from .models import Notification

log = logging.getLogger(__name__)
LONGEST_PAUSE = dt.timedelta(hours=6)


def retry_pause(attempts: int) -> dt.timedelta:
    """The pause after the ``attempts``-th failure: the base, then four times longer each time (a
    mail server down for maintenance gets an hour or more), at most six hours."""
    seconds = settings.TUGI_MAIL_RETRY_SECONDS * 4 ** max(attempts - 1, 0)
    return min(dt.timedelta(seconds=seconds), LONGEST_PAUSE)


def _brackets(message_id: str) -> str:
    return f"<{message_id}>"


_SPECIALS = re.compile(r'[][\\()<>@,:;".]')
_ESCAPES = re.compile(r'[\\"]')


def mailbox(name: str, address: str) -> str:
    """``name <address>`` with the name quoted when it must be, as ``email.utils.formataddr`` does:
    a display name with a comma (``Tamm, Mari``, as Outlook writes it) is otherwise read as two
    addresses. Unlike formataddr it leaves non-ASCII alone, so Django encodes the name and turns an
    internationalised domain into punycode instead of failing."""
    name = " ".join(name.split())  # a folded display name must not put a line break in the header
    if not name:
        return address
    if _SPECIALS.search(name):
        name = '"' + _ESCAPES.sub(r"\\\g<0>", name) + '"'
    return f"{name} <{address}>"


def build_message(row: Notification) -> EmailMultiAlternatives:
    """The mail as the client's program gets it: text and HTML alternatives, the calendar
    invitation (K21) as an attachment, and the thread's headers (K2, K14)."""
    headers = {"Auto-Submitted": "auto-generated"}  # RFC 3834: no out-of-office answers to the desk
    if row.message_id:
        headers["Message-ID"] = _brackets(row.message_id)
    if row.in_reply_to:
        headers["In-Reply-To"] = _brackets(row.in_reply_to)
    if row.references:
        headers["References"] = " ".join(_brackets(m) for m in row.references.split())
    # Replies go to the support address, where the intake reads them, even when the sender is not it.
    support = settings.TUGI_SUPPORT_EMAIL
    reply_to = [support] if support and parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower() != support.lower() else []
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mailbox(row.recipient_name, row.recipient_email)],
        reply_to=reply_to,
        headers=headers,
    )
    with translation.override(row.language):
        html = render_to_string("notifications/layout/mail.html", {
            "subject": row.subject, "body": row.body, "language": row.language,
        })
    message.attach_alternative(html, "text/html")
    if row.attachment_name:
        message.attach(row.attachment_name, row.attachment_text, row.attachment_type)
    return message


@task()
def deliver_notification(notification_id: int) -> str:
    """Send one queued notification. Idempotent: a message already sent, given up, or whose next
    attempt is not yet due (a second copy of the task) is left alone."""
    retry_at = None
    with transaction.atomic():
        row = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if row is None:
            return "missing"
        if row.status == Notification.Status.SENT:
            return "already sent"
        if row.status == Notification.Status.GAVE_UP:
            return "given up"
        now = timezone.now()
        if row.status == Notification.Status.FAILED and row.next_attempt_at and row.next_attempt_at > now:
            return "not due"
        row.attempts += 1
        try:
            build_message(row).send()
        except ValueError as exc:
            # An address the mail library cannot write (Django's "Invalid address"): retrying will not
            # mend it. Given up at once, with the error in the outbox, instead of rolling back and
            # leaving the message queued with nothing shown.
            row.error = f"{type(exc).__name__}: {exc}"[:2000]
            row.status = Notification.Status.GAVE_UP
            row.next_attempt_at = None
            row.save(update_fields=["status", "error", "attempts", "next_attempt_at"])
            log.warning("Gave up sending notification %s, the address cannot be used: %s", row.pk, exc)
            return "given up"
        except OSError as exc:  # SMTP and socket failures (smtplib.SMTPException is an OSError)
            row.error = f"{type(exc).__name__}: {exc}"[:2000]
            if row.attempts >= settings.TUGI_MAIL_SEND_ATTEMPTS:
                row.status = Notification.Status.GAVE_UP
                row.next_attempt_at = None
                log.warning("Gave up sending notification %s after %s attempts: %s", row.pk, row.attempts, exc)
            else:
                row.status = Notification.Status.FAILED
                row.next_attempt_at = retry_at = now + retry_pause(row.attempts)
            row.save(update_fields=["status", "error", "attempts", "next_attempt_at"])
        else:
            row.status = Notification.Status.SENT
            row.sent_at = timezone.now()
            row.error = ""
            row.next_attempt_at = None
            row.save(update_fields=["status", "sent_at", "error", "attempts", "next_attempt_at"])
            return "sent"
    if retry_at is not None:
        transaction.on_commit(lambda: _schedule_retry(notification_id, retry_at))
        return "failed, will retry"
    return "given up"


@task()
def deliver_notifications(notification_ids: list[int]) -> dict[str, int]:
    """Send several queued notifications, each as ``deliver_notification`` does (its own transaction,
    its own retries): how a bulk job hands over its messages (``deliveries_batched``)."""
    outcomes: dict[str, int] = {}
    for pk in notification_ids:
        outcome = deliver_notification.call(pk)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def _schedule_retry(notification_id: int, when: dt.datetime) -> None:
    """A backend that can run a task later (the database worker, RQ) gets the retry now; with
    others the periodic job ``notifications.retry_due`` queues it when it is due."""
    if default_task_backend.supports_defer:
        deliver_notification.using(run_after=when).enqueue(notification_id)
