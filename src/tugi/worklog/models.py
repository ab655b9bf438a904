"""Time entries and their disputes (K12).

A time entry says who worked on a ticket, on which day, how long, what was done and whether it is
billable. It is evidence: entries form a hash chain (each carries the hash of the one before, see
``tugi.core.hashchain``), and nothing is ever deleted. A correction is a new active entry pointing
at the old one, whose state becomes "corrected"; a removal only sets the state "removed". The
state is the one field outside the hash, and ``tugi audit verify`` holds it against the audit trail.

A dispute is the client's objection to one entry, with a reason; the desk or the service manager
answers it with a justification and an outcome: the entry kept, corrected or removed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tugi.core.models import ChainedModel
from tugi.tickets.models import Ticket

MAX_MINUTES = 24 * 60  # one entry is at most one day's work


class TimeEntry(ChainedModel):
    class State(models.TextChoices):
        ACTIVE = "active", _("valid")
        CORRECTED = "corrected", _("corrected")
        REMOVED = "removed", _("removed")

    CHAINED_FIELDS = ("created_at", "ticket_id", "author_id", "author_label", "work_date", "minutes",
                      "description", "is_billable", "corrected_from_id")

    # PROTECT everywhere: the record is evidence, it does not vanish with what it points at.
    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.PROTECT,
                               related_name="time_entries")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("who worked"), on_delete=models.PROTECT,
                               related_name="time_entries")
    author_label = models.CharField(_("who worked"), max_length=200)
    work_date = models.DateField(_("date of the work"))
    minutes = models.PositiveIntegerField(_("minutes"))
    description = models.TextField(_("what was done"))
    is_billable = models.BooleanField(_("billable"), default=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ACTIVE)
    corrected_from = models.ForeignKey("self", verbose_name=_("corrects the entry"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="corrections")
    created_at = models.DateTimeField(_("logged"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        ordering = ["work_date", "created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "work_date", "id"], name="time_entry_ticket_idx"),
            # Reports by period: time spent per organisation and service, active entries only.
            models.Index(fields=["work_date", "state"], name="time_entry_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gte=1) & Q(minutes__lte=MAX_MINUTES),
                                   name="time_entry_minutes_range"),
            models.CheckConstraint(condition=Q(state__in=["active", "corrected", "removed"]),
                                   name="time_entry_state_known"),
        ]

    def __str__(self) -> str:
        return f"{self.work_date} {self.author_label} {self.minutes} min"

    def prepare_for_chain(self) -> None:
        self.created_at = timezone.now()

    @property
    def is_active(self) -> bool:
        return self.state == self.State.ACTIVE

    @property
    def duration(self) -> str:
        return format_minutes(self.minutes)


def format_minutes(minutes: int) -> str:
    """``90`` → ``1:30`` (hours and minutes), the way time sheets write it in both languages."""
    minutes = int(minutes or 0)
    return f"{minutes // 60}:{minutes % 60:02d}"


class TimeDispute(models.Model):
    class Outcome(models.TextChoices):
        OPEN = "", _("waiting for an answer")
        KEPT = "kept", _("kept")
        CORRECTED = "corrected", _("corrected")
        REMOVED = "removed", _("removed")

    entry = models.ForeignKey(TimeEntry, verbose_name=_("time entry"), on_delete=models.PROTECT,
                              related_name="disputes")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("disputed by"), on_delete=models.PROTECT,
                                  related_name="+")
    raised_by_label = models.CharField(_("disputed by"), max_length=200)
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("disputed"), default=timezone.now, editable=False)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OPEN,
                               blank=True)
    justification = models.TextField(_("justification"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_by_label = models.CharField(_("answered by"), max_length=200, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    correction = models.ForeignKey(TimeEntry, verbose_name=_("the corrected entry"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("dispute of a time entry")
        verbose_name_plural = _("disputes of time entries")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["outcome", "created_at"], name="time_dispute_outcome_idx")]
        constraints = [
            # One open dispute per entry at a time: the desk answers it before the next.
            models.UniqueConstraint(fields=["entry"], condition=Q(outcome=""), name="time_dispute_one_open"),
            models.CheckConstraint(condition=Q(outcome="") | Q(answered_at__isnull=False),
                                   name="time_dispute_answered_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.reason[:60]}"

    @property
    def is_open(self) -> bool:
        return self.outcome == self.Outcome.OPEN
