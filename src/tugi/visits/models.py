"""What the work needs from the client and when it happens: access requirements (K4) and the
appointments the client is invited to (K21)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tugi.directory.models import StaffMember
from tugi.tickets.models import Ticket


class AccessKind(models.TextChoices):
    INFORMATION_SYSTEM = "information_system", _("information system")
    ROOM = "room", _("room")
    BUILDING = "building", _("building")
    OTHER = "other", _("other")


class AccessRequirementQuerySet(models.QuerySet):
    def active(self) -> AccessRequirementQuerySet:
        """Not withdrawn by the desk."""
        return self.filter(withdrawn_at__isnull=True)

    def unconfirmed(self) -> AccessRequirementQuerySet:
        """Still needed and not yet confirmed by the client: what blocks the work (K4)."""
        return self.active().filter(confirmed_at__isnull=True)


class AccessRequirement(models.Model):
    """An access the work needs (K4): to an information system, a room, a building. The client
    confirms that it is there; until then work cannot start and no visit can be planned. The desk
    may record a confirmation given by phone (with who gave it), or withdraw a requirement."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="access_requirements")
    kind = models.CharField(_("kind of access"), max_length=20, choices=AccessKind.choices)
    what = models.CharField(_("what exactly"), max_length=250)
    needed_from = models.DateTimeField(_("needed from"), null=True, blank=True)
    whom_to_ask = models.CharField(_("whom to ask"), max_length=250, blank=True)
    reason = models.TextField(_("why it is needed"), blank=True)
    created_by_label = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by_label = models.CharField(_("confirmed by"), max_length=200, blank=True)
    confirmed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who recorded a confirmation given by phone; empty when the client confirmed it themself.
    recorded_by_label = models.CharField(_("recorded by"), max_length=200, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by_label = models.CharField(max_length=200, blank=True)

    objects = AccessRequirementQuerySet.as_manager()

    class Meta:
        verbose_name = _("access requirement")
        verbose_name_plural = _("access requirements")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "withdrawn_at", "confirmed_at"], name="access_ticket_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.what}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_pending(self) -> bool:
        return not self.is_confirmed and not self.is_withdrawn


class AppointmentKind(models.TextChoices):
    VISIT = "visit", _("visit")
    REMOTE = "remote", _("remote session")


class AppointmentStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    CANCELLED = "cancelled", _("cancelled")


class Appointment(models.Model):
    """A visit or a remote session the client is told of explicitly (K21), with an iCalendar
    invitation: the UID stays the same for the appointment's life, the sequence grows with each
    change, so the client's calendar updates the one event instead of adding another."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="appointments")
    kind = models.CharField(_("kind"), max_length=10, choices=AppointmentKind.choices, default=AppointmentKind.VISIT)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    staff = models.ForeignKey(StaffMember, verbose_name=_("who comes"), on_delete=models.PROTECT, related_name="+")
    location = models.CharField(_("where"), max_length=250, blank=True)
    notes = models.TextField(_("notes for the client"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AppointmentStatus.choices, default=AppointmentStatus.PLANNED
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    uid = models.CharField(max_length=120, unique=True)
    sequence = models.PositiveIntegerField(default=0)
    last_ics = models.TextField(blank=True)
    created_by_label = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["ticket", "starts_at"], name="appointment_ticket_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="appointment_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_planned(self) -> bool:
        return self.status == AppointmentStatus.PLANNED
