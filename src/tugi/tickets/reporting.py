"""The aggregate reads of tickets behind the desk's reports (issue 5): SLA compliance (K8) and the
open backlog by age. Each function is one grouped query, however many tickets there are: the
database counts, Python only names the groups. No actor here: ``tugi.reports.selectors`` checks
who may read a report before it calls these.

Every read first narrows to the period (tickets created in it) or to the open tickets, so a year's
report on a desk with a million tickets reads a year, not the whole history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from .models import OPEN_STATES, Ticket, TicketState


@dataclass(frozen=True)
class TicketScope:
    """Which tickets a report reads: created in [since, until), optionally of one service or
    organisation. Both ends are timezone-aware instants."""

    since: dt.datetime
    until: dt.datetime
    service_id: int | None = None
    organisation_id: int | None = None


def _of_scope(qs: QuerySet[Ticket], scope: TicketScope, *, by_creation: bool = True) -> QuerySet[Ticket]:
    if by_creation:
        qs = qs.filter(created_at__gte=scope.since, created_at__lt=scope.until)
    if scope.service_id:
        qs = qs.filter(service_id=scope.service_id)
    if scope.organisation_id:
        qs = qs.filter(organisation_id=scope.organisation_id)
    return qs


# --- SLA compliance (K8) ------------------------------------------------------------------------

def _sla_counts(now: dt.datetime) -> dict:
    """Met, breached and still running, for the response and the resolution target. A target is
    met when the answer (the first public reply, the resolution) came by its due time; it is
    breached when it came later, or has not come and the due time has passed. A ticket without a
    due time (no SLA applies, or its resolution clock stands still) counts in neither."""
    responded_in_time = Q(first_response_at__isnull=False, first_response_at__lte=F("response_due_at"))
    responded_late = Q(first_response_at__gt=F("response_due_at"))
    unanswered_overdue = Q(first_response_at__isnull=True, response_due_at__lt=now)
    unanswered_running = Q(first_response_at__isnull=True, response_due_at__gte=now)
    resolved_in_time = Q(resolved_at__isnull=False, resolved_at__lte=F("resolution_due_at"))
    resolved_late = Q(resolved_at__gt=F("resolution_due_at"))
    unresolved_overdue = Q(resolved_at__isnull=True, resolution_due_at__lt=now)
    unresolved_running = Q(resolved_at__isnull=True, resolution_due_at__gte=now)
    return {
        "response_met": Count("pk", filter=responded_in_time),
        "response_breached": Count("pk", filter=responded_late | unanswered_overdue),
        "response_running": Count("pk", filter=unanswered_running),
        "resolution_met": Count("pk", filter=resolved_in_time),
        "resolution_breached": Count("pk", filter=resolved_late | unresolved_overdue),
        "resolution_running": Count("pk", filter=unresolved_running),
        "tickets": Count("pk"),
    }


SLA_COUNTS = ("tickets", "response_met", "response_breached", "response_running", "resolution_met",
              "resolution_breached", "resolution_running")


def sla_compliance(scope: TicketScope, *, now: dt.datetime | None = None) -> list[dict]:
    """SLA figures of the tickets created in the scope, one row per service, organisation and month
    of creation (in the desk's time zone) that has tickets: dicts with ``service_id``,
    ``organisation_id``, ``year`` and ``month`` (1-12) and the counts of SLA_COUNTS. One query, so
    the tickets are read once, grouped by ids only (the names are the caller's, from the few
    services and organisations found); the caller adds the rows up per service, organisation or
    month, where three grouped queries would read the period three times. A cancelled ticket is
    left out: there was nothing left to respond to or resolve."""
    now = now or timezone.now()
    qs = _of_scope(Ticket.objects.all(), scope).exclude(state=TicketState.CANCELLED)
    qs = qs.filter(Q(response_due_at__isnull=False) | Q(resolution_due_at__isnull=False))
    # The month as two integers, not a truncated datetime: no time-zone conversion per row in Python.
    tz = timezone.get_current_timezone()
    qs = qs.annotate(year=ExtractYear("created_at", tzinfo=tz), month=ExtractMonth("created_at", tzinfo=tz))
    return list(qs.values("service_id", "organisation_id", "year", "month").annotate(**_sla_counts(now)).order_by())


# --- the backlog by age ---------------------------------------------------------------------------

# The age buckets of an open ticket, from its creation: (name, younger than). The last is open-ended.
AGE_BUCKETS = (
    ("under_1_day", dt.timedelta(days=1)),
    ("1_to_3_days", dt.timedelta(days=3)),
    ("3_to_7_days", dt.timedelta(days=7)),
    ("7_to_30_days", dt.timedelta(days=30)),
    ("over_30_days", None),
)

BACKLOG_GROUPS = {"kind": "kind", "priority": "priority", "service": "service__name",
                  "organisation": "organisation__name"}


def backlog_by_age(scope: TicketScope, group: str, *, now: dt.datetime | None = None) -> list[dict]:
    """The open tickets now, per kind, priority, service or organisation, counted in the age
    buckets of AGE_BUCKETS: a list of dicts with ``key`` (the group's value), one count per bucket
    and ``total``. The scope's period is not used (the backlog is what is open now); its service and
    organisation are."""
    field = BACKLOG_GROUPS[group]
    now = now or timezone.now()
    counts, younger_bound = {}, None
    for bucket, age in AGE_BUCKETS:
        within = Q(created_at__lte=now - younger_bound) if younger_bound else Q()
        if age:
            within &= Q(created_at__gt=now - age)
        counts[bucket] = Count("pk", filter=within)
        younger_bound = age
    qs = _of_scope(Ticket.objects.filter(state__in=OPEN_STATES), scope, by_creation=False)
    rows = qs.values(field).annotate(**counts, total=Count("pk")).order_by(field)
    return [{**row, "key": row[field]} for row in rows]
