"""Questions and answers between the client and the desk, the client's word on a resolution with
its satisfaction rating (K11), and the client's requests for another priority (K15)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tugi.catalog.models import Service
from tugi.directory.models import Organisation, StaffMember
from tugi.tickets.models import Ticket
from tugi.tickets.priority import Priority


class Question(models.Model):
    """A question on a ticket (K11). The desk asks the client (the ticket waits for the answer) or
    the client asks the desk (it goes to the assignee, or the service manager)."""

    class Direction(models.TextChoices):
        TO_CLIENT = "to_client", _("to the client")
        TO_DESK = "to_desk", _("to the service desk")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="questions")
    direction = models.CharField(_("asked"), max_length=10, choices=Direction.choices)
    text = models.TextField(_("question"))
    asked_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_by_label = models.CharField(_("asked by"), max_length=200)
    asked_at = models.DateTimeField(_("asked"), default=timezone.now)
    # Whether asking put the ticket in "waiting for client": only then does the answer resume it.
    has_paused_ticket = models.BooleanField(default=False)
    answer = models.TextField(_("answer"), blank=True)
    answered_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_by_label = models.CharField(_("answered by"), max_length=200, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["asked_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "asked_at"], name="question_ticket_idx"),
            # The reminder job reads only unanswered, unreminded questions to clients.
            models.Index(fields=["asked_at"], name="question_reminder_due_idx",
                         condition=Q(direction="to_client", answered_at__isnull=True, reminded_at__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""), name="question_answered_has_answer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.text[:60]}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def is_to_client(self) -> bool:
        return self.direction == self.Direction.TO_CLIENT


class Satisfaction(models.Model):
    """The client's word on a resolution (K11): confirmed (with an optional rating and comment), not
    confirmed (their words reopen the ticket), or no answer in time (closed automatically, no rating).
    The service, assignee and organisation are kept as they were, so the report does not shift
    when a ticket is reassigned later."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="satisfaction_responses")
    is_confirmed = models.BooleanField(_("confirmed"))
    is_automatic = models.BooleanField(_("closed without an answer"), default=False)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_label = models.CharField(_("by"), max_length=200)
    at = models.DateTimeField(_("at"), default=timezone.now)
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assignee = models.ForeignKey(StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("satisfaction")
        verbose_name_plural = _("satisfaction")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["ticket", "at"], name="satisfaction_ticket_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                                   name="satisfaction_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.rating or '-'}"


class PriorityRequest(models.Model):
    """The client asks for a higher or lower priority, with a reason; the desk accepts or declines
    with an answer (K15). At most one is pending per ticket."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="priority_requests")
    current_priority = models.PositiveSmallIntegerField(_("priority when asked"), choices=Priority.choices)
    desired_priority = models.PositiveSmallIntegerField(_("desired priority"), choices=Priority.choices)
    reason = models.TextField(_("reason"))
    requested_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by_label = models.CharField(_("requested by"), max_length=200)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    answer = models.TextField(_("answer"), blank=True)
    decided_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_label = models.CharField(_("decided by"), max_length=200, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("priority request")
        verbose_name_plural = _("priority requests")
        ordering = ["requested_at", "id"]
        indexes = [models.Index(fields=["ticket", "requested_at"], name="priority_request_ticket_idx")]
        constraints = [
            models.UniqueConstraint(fields=["ticket"], condition=Q(status="pending"),
                                    name="priority_request_one_pending"),
            models.CheckConstraint(condition=Q(desired_priority__gte=1, desired_priority__lte=5),
                                   name="priority_request_priority_1_to_5"),
            models.CheckConstraint(condition=Q(status="pending") | ~Q(answer=""),
                                   name="priority_request_decided_has_answer"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.current_priority} → {self.desired_priority} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_higher(self) -> bool:
        """Priority 1 is the highest: a smaller number is a higher priority."""
        return self.desired_priority < self.current_priority
