from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one person about one event, rendered in their language when queued and
    delivered by a task. A failed send is tried again later with growing pauses, and given up
    after a number of attempts; failures stay visible with the error (the console's outbox)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed, will retry")
        GAVE_UP = "gave_up", _("failed, given up")

    created_at = models.DateTimeField(auto_now_add=True)
    event = models.CharField(max_length=64)
    subject_reference = models.CharField(_("about"), max_length=32, db_index=True)
    recipient_email = models.EmailField()
    recipient_name = models.CharField(max_length=200)
    language = models.CharField(max_length=5)
    subject = models.CharField(max_length=250)
    body = models.TextField()
    # One file sent with the message, such as a calendar invitation (K21): name, MIME type, text.
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment_text = models.TextField(blank=True)
    # The mail thread (K2, K14): this message's own Message-ID, and the earlier messages of the
    # ticket's thread it answers, all without angle brackets; References is space-separated.
    message_id = models.CharField(max_length=250, blank=True, db_index=True)
    in_reply_to = models.CharField(max_length=250, blank=True)
    references = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="notification_status_idx"),
            models.Index(fields=["status", "next_attempt_at"], name="notification_retry_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient_email}"


class ThreadMessage(models.Model):
    """A Message-ID that belongs to a ticket's mail thread: one the desk sent, or one it received
    (K2, K14). A reply is matched to its ticket by these, before the subject is looked at; the
    desk's outgoing mail sets In-Reply-To and References from them, so the client's mail program
    keeps one conversation. Kept by the ticket's reference; a reclassified ticket's rows follow it."""

    message_id = models.CharField(max_length=250, unique=True)  # without the angle brackets
    reference = models.CharField(max_length=32, db_index=True)
    is_incoming = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thread message")
        verbose_name_plural = _("thread messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"<{self.message_id}> {self.reference}"
