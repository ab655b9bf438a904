"""Remote support (K19): the client orders remote management or support of one of their
configuration items and gives the account it needs. The account identifier and password are kept
only as Fernet tokens (see vault.py); nothing here ever renders them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tugi.cmdb.models import ConfigurationItem
from tugi.core.models import TimestampedModel

MASK = "••••"


class RemoteMethod(models.TextChoices):
    TEAMVIEWER = "teamviewer", "TeamViewer"
    RDP = "rdp", _("Remote Desktop (RDP)")
    ANYDESK = "anydesk", "AnyDesk"
    SSH = "ssh", "SSH"
    OTHER = "other", _("other")


class RemoteAccessStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    REVOKED = "revoked", _("revoked")


class RemoteAccessOrder(TimestampedModel):
    ticket = models.ForeignKey("tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE,
                               related_name="remote_access_orders")
    method = models.CharField(_("method"), max_length=16, choices=RemoteMethod.choices)
    method_detail = models.CharField(_("which tool"), max_length=100, blank=True)
    configuration_item = models.ForeignKey(ConfigurationItem, verbose_name=_("device or system"),
                                           on_delete=models.PROTECT, related_name="remote_access_orders")
    # Fernet tokens only, never the clear text; empty once revoked.
    account_identifier_encrypted = models.TextField(blank=True, editable=False)
    password_encrypted = models.TextField(blank=True, editable=False)
    notes = models.TextField(_("notes for the specialist"), blank=True)
    ordered_by_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    ordered_by_label = models.CharField(_("ordered by"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=RemoteAccessStatus.choices,
                              default=RemoteAccessStatus.ACTIVE)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by_label = models.CharField(_("revoked by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("remote access order")
        verbose_name_plural = _("remote access orders")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["ticket", "status"], name="remote_order_ticket_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(~models.Q(status="revoked")
                           | models.Q(account_identifier_encrypted="", password_encrypted="")),
                name="remote_order_revoked_is_wiped",
            )
        ]

    def __str__(self) -> str:
        # The audit log's object label: the method and the item, never a secret.
        return f"{self.method_label} → {self.configuration_item_id and self.configuration_item.name}"

    @property
    def method_label(self) -> str:
        if self.method == RemoteMethod.OTHER and self.method_detail:
            return self.method_detail
        return str(self.get_method_display())

    @property
    def is_active(self) -> bool:
        return self.status == RemoteAccessStatus.ACTIVE

    @property
    def has_secrets(self) -> bool:
        return bool(self.account_identifier_encrypted or self.password_encrypted)

    @property
    def masked(self) -> str:
        """What lists, pages, mail and the API show in place of the account details."""
        return MASK if self.has_secrets else ""
