"""Breach prediction and escalation (issue 5): when a share of a ticket's response or resolution
target has run (by default 75 % and 100 %), the assignee, then the service manager, are told, once
each. The periodic job works through the armed steps whose moment has come (an index on them), so
its cost follows the tickets near their due time, not the total. Two overlapping runs do not wait
for or repeat each other: rows are locked with SKIP LOCKED where the database has it, and a step is
claimed by an update that only one run can win."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tugi.core.actors import system_actor
from tugi.core.audit import audit_record
from tugi.directory.models import StaffMember
from tugi.notifications.services import Recipient, notify
from tugi.tickets.models import OPEN_STATES, Ticket
from tugi.tickets.services import ticket_event_add

from .models import SLAEscalation, SLATarget
from .services import ASSIGNEE, SERVICE_MANAGER, escalation_step

BATCH_SIZE = 200
MAX_BATCHES = 50  # one run does at most 10,000 steps; the next run continues


def _staff(person: StaffMember | None) -> Recipient | None:
    if person is None or not person.is_active or not person.email:
        return None
    return Recipient(email=person.email, name=person.name, language=person.language, is_staff=True)


def escalation_recipients(ticket: Ticket, roles: tuple[str, ...]) -> list[StaffMember]:
    """Who hears at this step. Without an assignee the service manager hears instead; a ticket
    without a service has no manager of its own, so the desk's service managers hear."""
    people: list[StaffMember] = []
    managers: list[StaffMember] = []
    if ticket.service_id:
        managers = [ticket.service.service_manager]
    else:
        managers = list(StaffMember.objects.filter(is_service_manager=True, is_active=True))
    for role in roles:
        if role == ASSIGNEE and ticket.assignee_id:
            people.append(ticket.assignee)
        elif role in (ASSIGNEE, SERVICE_MANAGER):
            people.extend(managers)
    unique = {person.pk: person for person in people if person.is_active}
    return list(unique.values())


def _still_needed(row: SLAEscalation, ticket: Ticket) -> bool:
    if ticket.state not in OPEN_STATES:
        return False
    if row.target == SLATarget.RESPONSE:
        return ticket.first_response_at is None
    return ticket.resolution_due_at is not None and not ticket.is_sla_paused


def _escalate(row: SLAEscalation, now: dt.datetime) -> bool:
    """Tell whoever this step names, once. False when another run got it first or it is not needed."""
    ticket = row.ticket
    step = escalation_step(row.threshold)
    if not _still_needed(row, ticket) or step is None:
        SLAEscalation.objects.filter(pk=row.pk, status=SLAEscalation.Status.ARMED).update(
            status=SLAEscalation.Status.SKIPPED, sent_at=now
        )
        return False
    people = escalation_recipients(ticket, step.roles)
    names = ", ".join(person.name for person in people)[:500]
    claimed = SLAEscalation.objects.filter(pk=row.pk, status=SLAEscalation.Status.ARMED).update(
        status=SLAEscalation.Status.SENT, sent_at=now, notified=names
    )
    if not claimed:
        return False
    target_label = SLATarget(row.target).label
    due_at = ticket.response_due_at if row.target == SLATarget.RESPONSE else ticket.resolution_due_at
    notify(
        event="sla_escalation",
        about=ticket.reference,
        recipients=[r for r in (_staff(person) for person in people) if r],
        context={"ticket": ticket, "target": row.target, "threshold": row.threshold, "due_at": due_at,
                 "is_breached": row.threshold >= 100},
    )
    actor = system_actor()
    ticket_event_add(
        actor=actor, ticket=ticket, is_internal=True,
        body=_("SLA escalation: %(percent)s %% of the %(target)s time has run. Told: %(names)s.")
        % {"percent": row.threshold, "target": target_label, "names": names or _("nobody (no one to tell)")},
    )
    audit_record(actor=actor, action="sla.escalate", obj=ticket,
                 changes={"target": row.target, "threshold": row.threshold, "notified": names})
    return True


def _due_rows(now: dt.datetime, limit: int) -> list[SLAEscalation]:
    rows = (
        SLAEscalation.objects.filter(status=SLAEscalation.Status.ARMED, due_at__lte=now)
        .select_related("ticket__assignee", "ticket__service__service_manager", "ticket__organisation")
        .order_by("due_at")
    )
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True, of=("self",))
    return list(rows[:limit])


def sla_escalations_run(*, now: dt.datetime | None = None, batch_size: int = BATCH_SIZE) -> int:
    """The periodic job: every armed step whose moment has come is sent (or skipped when no longer
    needed). Returns how many people-notifying steps were sent."""
    now = now or timezone.now()
    sent = 0
    for _batch in range(MAX_BATCHES):
        with transaction.atomic():
            rows = _due_rows(now, batch_size)
            for row in rows:
                sent += _escalate(row, now)
        if len(rows) < batch_size:
            break
    return sent


def escalation_job_query(now: dt.datetime | None = None):
    """The job's read, for the benchmark's query plan."""
    now = now or timezone.now()
    return SLAEscalation.objects.filter(Q(status=SLAEscalation.Status.ARMED) & Q(due_at__lte=now)).order_by("due_at")
