"""Outgoing webhooks: subscriptions and their delivery log.

A subscription names a receiver (URL and shared secret), the event types it wants and, optionally,
one organisation whose tickets it is about. Each ticket event a subscription wants becomes one
delivery row (unique per subscription and event), which the sender posts, signs, retries with
backoff and finally marks delivered or given up. The rows are the log the console shows."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tugi.core.models import TimestampedModel
from tugi.directory.models import Organisation


class EventType(models.TextChoices):
    TICKET_CREATED = "ticket.created", _("ticket created")
    TICKET_UPDATED = "ticket.updated", _("ticket updated")
    TICKET_STATE_CHANGED = "ticket.state_changed", _("ticket state changed")
    ENTRY_ADDED = "entry.added", _("public reply added")


class WebhookSubscription(TimestampedModel):
    name = models.CharField(_("name"), max_length=200)
    target_url = models.URLField(_("target URL"), max_length=500)
    # Kept readable: the HMAC needs it. Shown only to the staff who manage subscriptions.
    secret = models.CharField(_("secret"), max_length=128)
    event_types = models.JSONField(_("event types"), default=list)
    # PROTECT: removing the filter silently would send every organisation's events to this receiver.
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("Only this organisation's tickets; empty for all."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by_label = models.CharField(_("created by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def wants(self, event_type: str, organisation_id: int | None) -> bool:
        if not self.is_active or event_type not in self.event_types:
            return False
        return self.organisation_id is None or self.organisation_id == organisation_id


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed, will retry")
    GIVEN_UP = "given_up", _("given up")


class WebhookDelivery(models.Model):
    subscription = models.ForeignKey(
        WebhookSubscription, verbose_name=_("subscription"), on_delete=models.CASCADE, related_name="deliveries"
    )
    # The audit event the delivery tells of: its id is the event's id (the outbox's cursor).
    event_id = models.BigIntegerField(_("event id"))
    event_type = models.CharField(_("event type"), max_length=40, choices=EventType.choices)
    ticket_reference = models.CharField(_("ticket"), max_length=16, blank=True)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=12, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_response_code = models.PositiveIntegerField(_("last response code"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-id"]
        constraints = [
            # Exactly once per subscription and event, however often the outbox reads the event.
            models.UniqueConstraint(fields=["subscription", "event_id"], name="webhook_delivery_once"),
        ]
        indexes = [
            # The sender's query: what is due now (pending or failed, by time).
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} #{self.event_id} → {self.subscription}"

    @property
    def is_final(self) -> bool:
        return self.status in (DeliveryStatus.DELIVERED, DeliveryStatus.GIVEN_UP)


class WebhookCursor(models.Model):
    """The outbox's place in the audit log: every audit event up to ``last_event_id`` has been
    turned into deliveries. One row (pk 1), locked by the run that moves it."""

    last_event_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("webhook outbox cursor")
        verbose_name_plural = _("webhook outbox cursors")

    def __str__(self) -> str:
        return f"after audit event {self.last_event_id}"
