"""Every read of time entries and disputes (K12), scoped to the actor. An entry is as visible as its
ticket (the caller has the ticket from ``tugi.tickets.selectors``); the desk's lists of open
disputes are the desk's own."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from tugi.core.actors import Actor
from tugi.core.errors import NotFound
from tugi.tickets.models import Ticket

from . import policies
from .models import TimeDispute, TimeEntry, format_minutes


def time_entries_for(actor: Actor, ticket: Ticket) -> QuerySet[TimeEntry]:
    """The ticket's entries, corrected and removed ones too (the exchange stays on the ticket), each
    with its disputes, oldest work first."""
    if not policies.can_see_entries(actor):
        return TimeEntry.objects.none()
    disputes = TimeDispute.objects.order_by("created_at", "id")
    return (TimeEntry.objects.filter(ticket=ticket).select_related("corrected_from")
            .prefetch_related(Prefetch("disputes", queryset=disputes))
            .order_by("work_date", "created_at", "id"))


def time_entry_get_for(actor: Actor, ticket: Ticket, pk: int) -> TimeEntry:
    entry = time_entries_for(actor, ticket).filter(pk=pk).first()
    if entry is None:
        raise NotFound()
    return entry


def time_dispute_get_for(actor: Actor, ticket: Ticket, pk: int) -> TimeDispute:
    if not policies.can_see_entries(actor):
        raise NotFound()
    dispute = TimeDispute.objects.filter(pk=pk, entry__ticket=ticket).select_related("entry").first()
    if dispute is None:
        raise NotFound()
    return dispute


@dataclass
class Totals:
    billable: int = 0
    not_billable: int = 0

    @property
    def total(self) -> int:
        return self.billable + self.not_billable

    @property
    def billable_text(self) -> str:
        return format_minutes(self.billable)

    @property
    def not_billable_text(self) -> str:
        return format_minutes(self.not_billable)

    @property
    def total_text(self) -> str:
        return format_minutes(self.total)


@dataclass
class Worklog:
    entries: list[TimeEntry]
    totals: Totals
    open_disputes: list[TimeDispute] = field(default_factory=list)

    @property
    def answered_disputes(self) -> list[TimeDispute]:
        return [d for e in self.entries for d in e.disputes.all() if not d.is_open]


def worklog_for(actor: Actor, ticket: Ticket) -> Worklog:
    """What the ticket's time panel shows: every entry with its disputes, and the totals of the valid
    entries, billable and not (two queries)."""
    entries = list(time_entries_for(actor, ticket))
    totals = Totals()
    for entry in entries:
        if entry.is_active:
            if entry.is_billable:
                totals.billable += entry.minutes
            else:
                totals.not_billable += entry.minutes
    open_disputes = [d for e in entries for d in e.disputes.all() if d.is_open]
    return Worklog(entries=entries, totals=totals, open_disputes=open_disputes)


def open_disputes_for(actor: Actor) -> QuerySet[TimeDispute]:
    """The disputes waiting for the desk's answer, oldest first (indexed on outcome, created_at)."""
    if not (actor.is_staff or actor.is_system):
        return TimeDispute.objects.none()
    return (TimeDispute.objects.filter(outcome=TimeDispute.Outcome.OPEN)
            .select_related("entry", "entry__ticket", "entry__ticket__organisation")
            .order_by("created_at", "id"))
