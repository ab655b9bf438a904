"""Extra cost (K16) and hardware and software orders (K20).

A cost notice tells the client, before the work starts, what the extra cost is for and how much it
is; chargeable work waits for the client's acceptance. A consultation is the desk's question to the
service-catalogue owner when it is unsure whether something is chargeable. An order is a service
request for hardware or software that goes straight to the service's manager."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tugi.catalog.models import Service
from tugi.core.models import TimestampedModel
from tugi.directory.models import Contact, StaffMember
from tugi.tickets.models import Ticket


class CostNoticeStatus(models.TextChoices):
    AWAITING_PRICE = "awaiting_price", _("waiting for a price")
    AWAITING_CLIENT = "awaiting_client", _("waiting for the client's decision")
    ACCEPTED = "accepted", _("accepted by the client")
    DECLINED = "declined", _("declined by the client")


class CostNotice(TimestampedModel):
    """What the extra cost is for and how much it is (K16). The desk may write it without an
    amount; a service manager or the catalogue owner prices it; then the client decides."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="cost_notices")
    description = models.TextField(_("what the extra cost is for"))
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    status = models.CharField(
        _("status"), max_length=20, choices=CostNoticeStatus.choices, default=CostNoticeStatus.AWAITING_PRICE
    )
    created_by = models.ForeignKey(
        StaffMember, verbose_name=_("written by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by_label = models.CharField(_("written by"), max_length=200)
    priced_by = models.ForeignKey(
        StaffMember, verbose_name=_("amount entered by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    priced_at = models.DateTimeField(_("amount entered"), null=True, blank=True)
    decided_by = models.ForeignKey(
        Contact, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    client_comment = models.TextField(_("the client's comment"), blank=True)

    class Meta:
        verbose_name = _("cost notice")
        verbose_name_plural = _("cost notices")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "status"], name="cost_notice_ticket_idx")]
        constraints = [
            # The client can only be asked about a cost that has an amount.
            models.CheckConstraint(
                condition=Q(status="awaiting_price") | Q(amount__isnull=False), name="cost_notice_priced"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.description[:60]}"

    @property
    def is_decided(self) -> bool:
        return self.status in (CostNoticeStatus.ACCEPTED, CostNoticeStatus.DECLINED)


class CostConsultation(models.Model):
    """The desk asks the service-catalogue owner whether the work is chargeable (K16); the owner's
    answer is kept, and a "chargeable" answer marks the ticket chargeable."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="cost_consultations")
    question = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        StaffMember, verbose_name=_("asked by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    asked_by_label = models.CharField(_("asked by"), max_length=200)
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)
    is_chargeable = models.BooleanField(_("chargeable"), null=True, blank=True)
    answer = models.TextField(_("explanation"), blank=True)
    answered_by = models.ForeignKey(
        StaffMember, verbose_name=_("answered by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("cost consultation")
        verbose_name_plural = _("cost consultations")
        ordering = ["asked_at", "id"]
        indexes = [models.Index(fields=["answered_at", "asked_at"], name="cost_consultation_open_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.question[:60]}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class OrderKind(models.TextChoices):
    HARDWARE = "hardware", _("hardware")
    SOFTWARE = "software", _("software")


class Order(models.Model):
    """A hardware or software order (K20): a service request that goes straight to the manager
    of the chosen service. It has no price: quotes come from the service manager as a cost notice."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="order")
    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=OrderKind.choices)
    item = models.CharField(_("what"), max_length=250)
    quantity = models.PositiveIntegerField(_("quantity"), default=1, validators=[MinValueValidator(1)])
    justification = models.TextField(_("why it is needed"))
    deliver_to = models.CharField(_("for whom / where"), max_length=250)
    ordered_by_label = models.CharField(_("ordered by"), max_length=200)
    ordered_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("ordered"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("purchase", "order")
        verbose_name_plural = _("orders")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.item}"
