"""Mail that arrived (K14, K2, S2): every message is kept as it came, with what the intake made of it.

Nothing that arrives is ever lost: the raw bytes are stored before anything is decided, and what
cannot become a ticket or an entry stays here, quarantined with the reason, for the desk to retry
or discard (a discarded message keeps its row and the discarder's reason)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InboundState(models.TextChoices):
    RECEIVED = "received", _("received, not yet handled")
    CREATED = "created", _("ticket created")
    ADDED = "added", _("added to ticket")
    QUARANTINED = "quarantined", _("quarantined")
    LOOP = "loop", _("ignored: automatic reply")
    BOUNCE = "bounce", _("bounce recorded")
    DISCARDED = "discarded", _("discarded")


class QuarantineReason(models.TextChoices):
    """Why a message could not be turned into a ticket or an entry. The code is kept with the row;
    the label is shown in the reader's language; ``reason_detail`` adds the particulars."""

    MALFORMED = "malformed", _("The message could not be read.")
    REFUSED = "refused", _("Tugi refused the ticket or the entry.")
    CLOSED_TICKET = "closed_ticket", _("The message answers a ticket that is already closed.")
    STRANGER_SUBJECT = "stranger_subject", _(
        "An unknown sender names an existing ticket only in the subject: check who wrote it, add the "
        "sender as a contact if they belong to the ticket, then retry."
    )
    NO_SENDER = "no_sender", _("The message has no sender address.")
    ERROR = "error", _("An unexpected error occurred while handling the message.")


class InboundMessage(models.Model):
    """One message as it arrived, stored once: ``message_key`` is its Message-ID, or for mail
    without one a hash of its content (the same however often it is delivered)."""

    message_key = models.CharField(_("Message-ID"), max_length=250, unique=True)
    has_message_id = models.BooleanField(default=True)
    raw = models.BinaryField(_("original message"))
    size = models.PositiveIntegerField(_("size"), default=0)
    source = models.CharField(_("source"), max_length=300)  # imap:<mailbox>, lmtp, pipe, import:<path>
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=InboundState.choices, default=InboundState.RECEIVED)
    reference = models.CharField(_("ticket"), max_length=32, blank=True)
    threaded_by = models.CharField(_("matched by"), max_length=16, blank=True)  # in-reply-to, references, subject
    sender = models.CharField(_("sender"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=250, blank=True)
    automatic_reason = models.CharField(_("automatic message"), max_length=250, blank=True)
    reason_code = models.CharField(_("reason code"), max_length=20, choices=QuarantineReason.choices, blank=True)
    reason_detail = models.TextField(_("reason"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    discarded_by_label = models.CharField(_("discarded by"), max_length=200, blank=True)
    discard_reason = models.TextField(_("reason for discarding"), blank=True)

    class Meta:
        verbose_name = _("incoming message")
        verbose_name_plural = _("incoming messages")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["state", "received_at"], name="inbound_state_idx"),
            models.Index(fields=["reference"], name="inbound_reference_idx"),
        ]

    def __str__(self) -> str:
        return f"<{self.message_key}> {self.state}"

    @property
    def reason(self) -> str:
        """The quarantine reason in the reader's language, with the particulars."""
        if not self.reason_code:
            return self.reason_detail
        label = str(QuarantineReason(self.reason_code).label)
        return f"{label} {self.reason_detail}".strip()

    @property
    def is_quarantined(self) -> bool:
        return self.state == InboundState.QUARANTINED
