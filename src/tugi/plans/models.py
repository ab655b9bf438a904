"""The plan of the work on a ticket, as the client follows it: the resolution plan and its
versions (K6), the solution's steps the client confirms one by one (K5), and the risks or
follow-on problems the specialist foresees (K10)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tugi.tickets.models import Ticket


class ResolutionPlan(models.Model):
    """One version of a ticket's resolution plan (K6). A change is a new row, never an edit, so
    the client can read every earlier version and why it changed."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="plan_versions")
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("plan"))
    reason = models.TextField(_("reason for the change"), blank=True)
    author_label = models.CharField(max_length=200)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("resolution plan")
        verbose_name_plural = _("resolution plans")
        ordering = ["ticket", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "version"], name="plan_ticket_version_unique"),
            # From the second version on, a change says why (K6).
            models.CheckConstraint(condition=Q(version=1) | ~Q(reason=""), name="plan_change_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} v{self.version}"


class SolutionStep(models.Model):
    """One step of the solution (K5): the specialist marks it done, the client confirms it, or
    says that it did not work (then it is open again, with the client's words kept)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="solution_steps")
    position = models.PositiveIntegerField(_("position"))
    text = models.TextField(_("step"))
    created_by_label = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    done_by_label = models.CharField(max_length=200, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    confirmed_by_label = models.CharField(max_length=200, blank=True)
    confirmed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed by the client"), null=True, blank=True)
    failed_by_label = models.CharField(max_length=200, blank=True)
    failed_at = models.DateTimeField(_("reported as not working"), null=True, blank=True)
    failed_comment = models.TextField(_("what did not work"), blank=True)

    class Meta:
        verbose_name = _("solution step")
        verbose_name_plural = _("solution steps")
        ordering = ["ticket", "position", "id"]
        indexes = [models.Index(fields=["ticket", "position"], name="step_ticket_position_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(confirmed_at__isnull=True) | Q(done_at__isnull=False),
                                   name="step_confirmed_only_when_done"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:60]}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def awaits_client(self) -> bool:
        return self.is_done and not self.is_confirmed


class Level(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class Risk(models.Model):
    """A risk or possible follow-on problem the specialist foresees (K10); the client is told at
    once and sees it on the ticket."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="risks")
    text = models.TextField(_("risk or follow-on problem"))
    likelihood = models.CharField(_("likelihood"), max_length=8, choices=Level.choices, blank=True)
    impact = models.CharField(_("impact"), max_length=8, choices=Level.choices, blank=True)
    recorded_by_label = models.CharField(max_length=200)
    recorded_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["ticket", "recorded_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]
