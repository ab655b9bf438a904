from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import Notification


@task()
def deliver_notification(notification_id: int) -> str:
    """Send one queued notification. Idempotent: a notification already sent is not sent again."""
    with transaction.atomic():
        row = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if row is None:
            return "missing"
        if row.status == Notification.Status.SENT:
            return "already sent"
        row.attempts += 1
        message = EmailMessage(
            subject=row.subject,
            body=row.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[f"{row.recipient_name} <{row.recipient_email}>"],
        )
        if row.attachment_name:
            message.attach(row.attachment_name, row.attachment_text, row.attachment_type)
        try:
            message.send()
        except OSError as exc:  # SMTP and socket failures; shown in the console, retried later
            row.status = Notification.Status.FAILED
            row.error = str(exc)
            row.save(update_fields=["status", "error", "attempts"])
            return "failed"
        row.status = Notification.Status.SENT
        row.sent_at = timezone.now()
        row.error = ""
        row.save(update_fields=["status", "sent_at", "error", "attempts"])
    return "sent"
