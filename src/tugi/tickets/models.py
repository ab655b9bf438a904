from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tugi.catalog.models import Service
from tugi.cmdb.models import ConfigurationItem
from tugi.core.models import TimestampedModel
from tugi.directory.models import Contact, Organisation, StaffMember

from .priority import Impact, Priority, Urgency

if TYPE_CHECKING:
    from tugi.core.actors import Actor


class TicketKind(models.TextChoices):
    """S1: the four kinds of ticket."""

    INCIDENT = "incident", _("incident")
    PROBLEM = "problem", _("problem")
    SERVICE_REQUEST = "service_request", _("service request")
    CHANGE_REQUEST = "change_request", _("change request")


REFERENCE_PREFIX = {
    TicketKind.INCIDENT: "INC",
    TicketKind.PROBLEM: "PRB",
    TicketKind.SERVICE_REQUEST: "REQ",
    TicketKind.CHANGE_REQUEST: "CHG",
}


def make_reference(kind: str, number: int) -> str:
    return f"{REFERENCE_PREFIX[TicketKind(kind)]}-{number:06d}"


class TicketState(models.TextChoices):
    NEW = "new", _("new")
    ASSIGNED = "assigned", _("assigned")
    IN_PROGRESS = "in_progress", _("in progress")
    WAITING_FOR_CLIENT = "waiting_for_client", _("waiting for client")
    POSTPONED = "postponed", _("postponed")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")
    REOPENED = "reopened", _("reopened")


OPEN_STATES = frozenset(
    {
        TicketState.NEW,
        TicketState.ASSIGNED,
        TicketState.IN_PROGRESS,
        TicketState.WAITING_FOR_CLIENT,
        TicketState.POSTPONED,
        TicketState.REOPENED,
    }
)


# The SLA's resolution clock stands still in these states; every stop is a TicketPause (K8).
PAUSED_STATES = frozenset({TicketState.WAITING_FOR_CLIENT, TicketState.POSTPONED})


class TicketSource(models.TextChoices):
    """S1: where a ticket came from."""

    PORTAL = "portal", _("client portal")
    EMAIL = "email", _("email")
    PHONE = "phone", _("phone")
    MONITORING = "monitoring", _("monitoring system")
    API = "api", _("API")
    AGENT = "agent", _("service desk")
    TICKET = "ticket", _("another ticket")


class OutOfHours(models.TextChoices):
    """K17: what happened to a ticket that arrived outside working hours."""

    ON_CALL = "on_call", _("on-call path")
    NEXT_WORKING_TIME = "next_working_time", _("work starts in working hours")


class TicketCounter(models.Model):
    """The last number given per kind, so references read INC-000001, INC-000002, ..."""

    kind = models.CharField(max_length=20, choices=TicketKind.choices, primary_key=True)
    last_number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.kind}: {self.last_number}"


class TicketQuerySet(models.QuerySet):
    def visible_to(self, actor: Actor) -> TicketQuerySet:
        """The one rule of who sees which ticket. Staff and system see all. A client sees tickets of
        their own organisation only: a representative all of them, any other client those they
        reported or take part in. Anyone else sees nothing."""
        if actor.is_staff or actor.is_system:
            return self
        if not actor.is_client or actor.organisation_id is None:
            return self.none()
        own = self.filter(organisation_id=actor.organisation_id)
        if actor.is_representative:
            return own
        return own.filter(
            Q(requester_id=actor.contact_id)
            | Q(pk__in=Participant.objects.filter(contact_id=actor.contact_id).values("ticket_id"))
        )

    def open(self) -> TicketQuerySet:
        return self.filter(state__in=OPEN_STATES)


class Ticket(TimestampedModel):
    # The start of the SLA clock (K8): ticket_create sets it, so the due times go into the same insert.
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=TicketKind.choices)
    number = models.PositiveBigIntegerField(_("number"))
    reference = models.CharField(_("reference"), max_length=16, unique=True)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    requester = models.ForeignKey(
        Contact, verbose_name=_("requester"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="requested_tickets",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="tickets",
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    assignee = models.ForeignKey(
        StaffMember, verbose_name=_("assignee"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="assigned_tickets",
    )
    source = models.CharField(_("source"), max_length=20, choices=TicketSource.choices)
    impact = models.PositiveSmallIntegerField(_("impact"), choices=Impact.choices, default=Impact.LOW)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.MEDIUM)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.LOW)
    state = models.CharField(_("state"), max_length=20, choices=TicketState.choices, default=TicketState.NEW)
    state_reason = models.TextField(_("reason for the state"), blank=True)
    # Where the ticket was when it started waiting for the client: resuming returns there, so a
    # question asked before work started cannot start the work past its guards (K4, K8, K16).
    state_before_wait = models.CharField(max_length=20, choices=TicketState.choices, blank=True)
    postponed_until = models.DateField(_("postponed until"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), db_index=False)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # K8: what the client wished, beside what the SLA commits to (filled by the SLA engine), and the
    # specialist's approximate resolution time, required for mission-critical services and CIs.
    desired_response_by = models.DateTimeField(_("desired response by"), null=True, blank=True)
    desired_resolution_by = models.DateTimeField(_("desired resolution by"), null=True, blank=True)
    response_due_at = models.DateTimeField(_("response due (SLA)"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due (SLA)"), null=True, blank=True)
    approximate_resolution_at = models.DateTimeField(_("approximate resolution time"), null=True, blank=True)
    # K8: which SLA policy gave the due times, for the record (the policy may change later), and when
    # the desk first answered in public (the response target is met then).
    sla_policy_label = models.CharField(_("SLA policy applied"), max_length=200, blank=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    # K17: a ticket that arrived outside working hours either took the on-call path (a critical
    # system, a VIP organisation) or waits for the next working time, which the client is told.
    out_of_hours = models.CharField(_("outside working hours"), max_length=20, choices=OutOfHours.choices,
                                    blank=True)
    work_starts_at = models.DateTimeField(_("work starts"), null=True, blank=True)
    # K6: what the client expects, recorded beside the resolution plan.
    client_expectations = models.TextField(_("client's expectations"), blank=True)
    # K16: the desk may mark work chargeable even on a service that is not.
    is_chargeable = models.BooleanField(_("chargeable work"), default=False)
    # K21: the desk's internal planning; never shown to a client (appointments are).
    planned_start = models.DateTimeField(_("planned start (internal)"), null=True, blank=True)
    planned_end = models.DateTimeField(_("planned end (internal)"), null=True, blank=True)
    # A problem's workaround reaches the clients of its linked incidents.
    workaround = models.TextField(_("workaround"), blank=True)
    configuration_items = models.ManyToManyField(
        ConfigurationItem, through="TicketCI", related_name="tickets", verbose_name=_("configuration items")
    )

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        constraints = [models.UniqueConstraint(fields=["kind", "number"], name="ticket_kind_number_unique")]
        indexes = [
            # The queues: a state (or all) newest activity first, by organisation, by assignee.
            models.Index(fields=["state", "-last_activity_at"], name="ticket_state_activity_idx"),
            models.Index(fields=["-last_activity_at"], name="ticket_activity_idx"),
            models.Index(fields=["organisation", "-last_activity_at"], name="ticket_org_activity_idx"),
            models.Index(fields=["assignee", "state", "-last_activity_at"], name="ticket_assignee_idx"),
            models.Index(fields=["service", "state", "-last_activity_at"], name="ticket_service_idx"),
            models.Index(fields=["kind", "state", "-last_activity_at"], name="ticket_kind_idx"),
            models.Index(fields=["requester", "-last_activity_at"], name="ticket_requester_idx"),
            models.Index(fields=["state", "postponed_until"], name="ticket_postponed_idx",
                         condition=Q(state="postponed")),
            models.Index(fields=["state", "resolved_at"], name="ticket_resolved_idx", condition=Q(state="resolved")),
            # The escalation job reads only open tickets near their resolution due time (issue 5).
            models.Index(fields=["resolution_due_at"], name="ticket_resolution_due_idx",
                         condition=Q(state__in=sorted(OPEN_STATES))),
            # The SLA and time reports read a period of creation with these columns alone (an
            # index-only scan on PostgreSQL; a plain index elsewhere). docs/performance.md, Reports.
            models.Index(fields=["created_at"], name="ticket_created_report_idx",
                         include=["service", "organisation", "state", "response_due_at", "first_response_at",
                                  "resolution_due_at", "resolved_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_sla_paused(self) -> bool:
        """The resolution clock stands still: the ticket waits for the client or is postponed (K8)."""
        return self.state in PAUSED_STATES

    @property
    def is_response_overdue(self) -> bool:
        """Nobody of the desk has answered in public and the SLA's response due time has passed (K8)."""
        return (
            self.is_open and self.first_response_at is None and self.response_due_at is not None
            and self.response_due_at <= timezone.now()
        )

    @property
    def is_resolution_overdue(self) -> bool:
        """The SLA's resolution due time has passed on an open ticket (K8): the queue shows it red."""
        return self.is_open and self.resolution_due_at is not None and self.resolution_due_at <= timezone.now()


class TicketPause(models.Model):
    """A time the SLA's resolution clock stood still (K8): while the ticket waited for the client or
    was postponed. Recomputing the due times replays every pause, so a changed SLA never forgets one.
    ``ended_at`` is empty while the pause lasts."""

    class Reason(models.TextChoices):
        WAITING_FOR_CLIENT = "waiting_for_client", _("waiting for the client")
        POSTPONED = "postponed", _("postponed")

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField(_("paused at"))
    ended_at = models.DateTimeField(_("resumed at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)

    class Meta:
        verbose_name = _("SLA pause")
        verbose_name_plural = _("SLA pauses")
        ordering = ["ticket", "started_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                                   name="ticket_pause_ends_after_start"),
            models.UniqueConstraint(fields=["ticket"], condition=Q(ended_at__isnull=True),
                                    name="ticket_pause_one_open"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.started_at:%Y-%m-%d %H:%M}"


class Participant(models.Model):
    """A person who is told about the ticket: a participant takes part (the requester, a
    colleague who was added), a watcher only follows. One of contact or staff is set."""

    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("participant")
        WATCHER = "watcher", _("watcher")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="participants")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(StaffMember, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.PARTICIPANT)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(contact__isnull=False, staff__isnull=True) | Q(contact__isnull=True, staff__isnull=False),
                name="participant_one_person",
            ),
            models.UniqueConstraint(fields=["ticket", "contact"], name="participant_contact_unique"),
            models.UniqueConstraint(fields=["ticket", "staff"], name="participant_staff_unique"),
        ]
        indexes = [models.Index(fields=["contact"], name="participant_contact_idx")]

    def __str__(self) -> str:
        return str(self.contact or self.staff)


class ConversationEntry(models.Model):
    """The conversation: public replies, internal notes (never shown to a client) and system
    events (state changes, links, reclassification), in order."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("reply")
        NOTE = "note", _("internal note")
        EVENT = "event", _("event")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    is_internal = models.BooleanField(default=False)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(max_length=200)
    author_is_staff = models.BooleanField(default=False)
    channel = models.CharField(max_length=20, choices=TicketSource.choices, default=TicketSource.AGENT)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="entry_ticket_time_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="note") | Q(is_internal=True), name="entry_note_is_internal"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.author_label}"


class TicketCI(models.Model):
    """A ticket's link to a configuration item. The desk confirms that the problem really
    concerns this item, or corrects it (K7); a corrected link is kept, marked rejected."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("not yet confirmed")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("not related")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="ci_links")
    configuration_item = models.ForeignKey(ConfigurationItem, on_delete=models.PROTECT, related_name="ticket_links")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    added_by_label = models.CharField(max_length=200)
    added_at = models.DateTimeField(auto_now_add=True)
    decided_by_label = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ticket", "configuration_item"], name="ticket_ci_unique")]
        indexes = [models.Index(fields=["configuration_item", "status"], name="ticket_ci_item_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_id} → {self.configuration_item_id} ({self.status})"


class TicketLink(models.Model):
    """A link between two tickets, stored once and read from both ends (S1)."""

    class Kind(models.TextChoices):
        AROSE_FROM = "arose_from", _("arose from")
        CAUSED_BY = "caused_by", _("caused by")
        DUPLICATE_OF = "duplicate_of", _("duplicate of")
        CHILD_OF = "child_of", _("child of")
        RELATED_TO = "related_to", _("related to")

    INVERSE_LABELS = {
        Kind.AROSE_FROM: _("gave rise to"),
        Kind.CAUSED_BY: _("causes"),
        Kind.DUPLICATE_OF: _("has duplicate"),
        Kind.CHILD_OF: _("parent of"),
        Kind.RELATED_TO: _("related to"),
    }

    source = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    created_by_label = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="ticket_link_unique"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="ticket_link_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"


class KindChange(models.Model):
    """Reclassification history (K1): what the ticket was, what it became, who and why."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="kind_changes")
    old_kind = models.CharField(max_length=20, choices=TicketKind.choices)
    new_kind = models.CharField(max_length=20, choices=TicketKind.choices)
    old_reference = models.CharField(max_length=16, unique=True)
    new_reference = models.CharField(max_length=16)
    reason = models.TextField()
    changed_by_label = models.CharField(max_length=200)
    changed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.old_reference} → {self.new_reference}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Stored under a random name: the client's file name is kept in the row, never trusted as a path.
    import uuid

    return f"attachments/{instance.ticket_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file added to a ticket, with the report or with an entry of the conversation (K1, K2).
    It is as visible as the entry it came with: a file on an internal note is staff-only."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    entry = models.ForeignKey(
        ConversationEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    is_internal = models.BooleanField(default=False)
    uploaded_by_label = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="attachment_ticket_idx")]

    def __str__(self) -> str:
        return self.filename


class SavedView(models.Model):
    """A staff member's own queue (issue 6): a name and the queue's filters, kept as the query string
    of the console's queue page. It began in the console app, whose table it keeps."""

    owner = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "console_savedview"
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="saved_view_owner_name_unique")]

    def __str__(self) -> str:
        return self.name
