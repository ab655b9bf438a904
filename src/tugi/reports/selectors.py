"""The desk's reports, each as lists of plain rows, for the console's pages and their CSV export.
Every report checks first that the actor may read it (the desk only); the counting happens in the
database, a few grouped queries per report whatever the number of tickets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tugi.core.actors import Actor
from tugi.core.errors import PermissionDenied
from tugi.tickets import reporting
from tugi.tickets.models import TicketKind
from tugi.tickets.priority import Priority
from tugi.worklog.models import TimeDispute, TimeEntry

from . import policies

# Beyond this many months a period's chart shows only the months that have tickets.
MONTHS_FILLED_AT_MOST = 60


def _check(actor: Actor) -> None:
    if not policies.can_read_reports(actor):
        raise PermissionDenied(_("The reports are for the service desk."))


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last twelve months: from the first day of the month eleven months back to today."""
    today = today or timezone.localdate()
    months = today.year * 12 + today.month - 1 - 11
    return dt.date(months // 12, months % 12 + 1, 1), today


@dataclass(frozen=True)
class ReportFilters:
    """A report's period, both days included, and optionally one service or organisation."""

    since: dt.date
    until: dt.date
    service_id: int | None = None
    organisation_id: int | None = None

    @classmethod
    def default(cls) -> ReportFilters:
        return cls(*default_period())

    def scope(self) -> reporting.TicketScope:
        tz = timezone.get_current_timezone()
        return reporting.TicketScope(
            since=dt.datetime.combine(self.since, dt.time.min, tzinfo=tz),
            until=dt.datetime.combine(self.until + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
            service_id=self.service_id, organisation_id=self.organisation_id,
        )

    def months(self) -> list[dt.date]:
        """The first day of every month the period touches (none when it is too long to draw)."""
        first = self.since.year * 12 + self.since.month - 1
        last = self.until.year * 12 + self.until.month - 1
        if last - first >= MONTHS_FILLED_AT_MOST:
            return []
        return [dt.date(m // 12, m % 12 + 1, 1) for m in range(first, last + 1)]


def _share(met: int, breached: int) -> float | None:
    """The share met, in per cent, of the targets that are decided (met or breached)."""
    return round(100 * met / (met + breached), 1) if met + breached else None


def _missing(group: str) -> str:
    return _("No service") if group == "service" else _("No organisation")


def _month_label(month: dt.date) -> str:
    return f"{month:%Y-%m}"


# --- SLA compliance (K8) --------------------------------------------------------------------------

@dataclass(frozen=True)
class SLARow:
    """One service, organisation or month: how many response and resolution targets were met,
    breached, or are still running, and the share met of those decided."""

    key: object
    label: str
    tickets: int
    response_met: int
    response_breached: int
    response_running: int
    resolution_met: int
    resolution_breached: int
    resolution_running: int

    @property
    def response_share(self) -> float | None:
        return _share(self.response_met, self.response_breached)

    @property
    def resolution_share(self) -> float | None:
        return _share(self.resolution_met, self.resolution_breached)


SLA_COUNTS = ("tickets", "response_met", "response_breached", "response_running", "resolution_met",
              "resolution_breached", "resolution_running")

SLA_GROUP_LABELS = {
    "service": gettext_lazy("Per service"),
    "organisation": gettext_lazy("Per organisation"),
    "month": gettext_lazy("Per month"),
}


def sla_compliance_report(actor: Actor, filters: ReportFilters, *, now: dt.datetime | None = None
                          ) -> dict[str, list[SLARow]]:
    """K8: the SLA's response and resolution targets met per service, per organisation and per
    month of the tickets created in the period (three queries). Every month of the period has its
    row, a month without tickets too, so the chart shows the gap."""
    _check(actor)
    scope = filters.scope()
    report = {}
    for group in ("service", "organisation"):
        report[group] = [
            SLARow(key=row["key"], label=row["name"] or _missing(group), **{name: row[name] for name in SLA_COUNTS})
            for row in reporting.sla_compliance(scope, group, now=now)
        ]
    tz = timezone.get_current_timezone()
    by_month = {timezone.localtime(row["key"], tz).date() if isinstance(row["key"], dt.datetime) else row["key"]: row
                for row in reporting.sla_compliance(scope, "month", now=now)}
    months = filters.months() or sorted(by_month)
    report["month"] = [
        SLARow(key=month, label=_month_label(month),
               **{name: by_month[month][name] if month in by_month else 0 for name in SLA_COUNTS})
        for month in months
    ]
    return report


# --- the backlog by age ---------------------------------------------------------------------------

AGE_LABELS = {
    "under_1_day": gettext_lazy("under 1 day"),
    "1_to_3_days": gettext_lazy("1–3 days"),
    "3_to_7_days": gettext_lazy("3–7 days"),
    "7_to_30_days": gettext_lazy("7–30 days"),
    "over_30_days": gettext_lazy("over 30 days"),
}
AGE_BUCKETS = tuple(name for name, _age in reporting.AGE_BUCKETS)

BACKLOG_GROUP_LABELS = {
    "kind": gettext_lazy("By kind"),
    "priority": gettext_lazy("By priority"),
    "service": gettext_lazy("By service"),
    "organisation": gettext_lazy("By organisation"),
}


@dataclass(frozen=True)
class BacklogRow:
    """One kind, priority, service or organisation: its open tickets in the age buckets, in the
    order of AGE_BUCKETS, and in all."""

    key: object
    label: str
    counts: tuple[int, ...]
    total: int


def _backlog_label(group: str, key) -> str:
    if group == "kind":
        return str(TicketKind(key).label) if key in TicketKind.values else str(key)
    if group == "priority":
        return str(Priority(key).label) if key in Priority.values else str(key)
    return _missing(group) if key is None else key


def backlog_report(actor: Actor, filters: ReportFilters, *, group: str = "kind", now: dt.datetime | None = None
                   ) -> list[BacklogRow]:
    """The open tickets now by how long they have been open, per kind, priority, service or
    organisation (one query). The period does not apply: the backlog is what is open today."""
    _check(actor)
    if group not in BACKLOG_GROUP_LABELS:
        group = "kind"
    return [
        BacklogRow(key=row["key"], label=_backlog_label(group, row["key"]),
                   counts=tuple(row[name] for name in AGE_BUCKETS), total=row["total"])
        for row in reporting.backlog_by_age(filters.scope(), group, now=now)
    ]


# --- time spent (K12) -----------------------------------------------------------------------------

TIME_GROUPS = {
    "organisation": ("ticket__organisation_id", "ticket__organisation__name"),
    "service": ("ticket__service_id", "ticket__service__name"),
}
TIME_GROUP_LABELS = {"organisation": gettext_lazy("Per organisation"), "service": gettext_lazy("Per service")}


@dataclass(frozen=True)
class TimeRow:
    """One organisation or service: the valid time logged on its tickets in the period."""

    key: object
    label: str
    entries: int
    minutes: int
    billable_minutes: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)

    @property
    def billable_hours(self) -> float:
        return round(self.billable_minutes / 60, 2)


def time_spent_report(actor: Actor, filters: ReportFilters) -> dict[str, list[TimeRow]]:
    """K12: the time logged on the tickets of each organisation and service, by the day of the work
    in the period (two queries). Only valid entries count: a corrected entry counts through its
    correction, a removed one not at all."""
    _check(actor)
    qs = TimeEntry.objects.filter(state=TimeEntry.State.ACTIVE, work_date__gte=filters.since,
                                  work_date__lte=filters.until)
    if filters.service_id:
        qs = qs.filter(ticket__service_id=filters.service_id)
    if filters.organisation_id:
        qs = qs.filter(ticket__organisation_id=filters.organisation_id)
    report = {}
    for group, (key, name) in TIME_GROUPS.items():
        rows = (qs.values(key, name)
                .annotate(entries=Count("pk"), total=Sum("minutes"),
                          billable=Coalesce(Sum("minutes", filter=Q(is_billable=True)), 0))
                .order_by(name, key))
        report[group] = [TimeRow(key=row[key], label=row[name] or _missing(group), entries=row["entries"],
                                 minutes=row["total"], billable_minutes=row["billable"]) for row in rows]
    return report


# --- disputes of time (K12) -----------------------------------------------------------------------

DISPUTE_OUTCOMES = ("open", "kept", "corrected", "removed")  # "open" is the empty outcome: not answered yet
DISPUTE_GROUP_LABELS = {
    "month": gettext_lazy("Per month"),
    "organisation": gettext_lazy("Per organisation"),
    "service": gettext_lazy("Per service"),
}


def outcome_labels() -> list[tuple[str, str]]:
    return [(name, str(TimeDispute.Outcome("" if name == "open" else name).label)) for name in DISPUTE_OUTCOMES]


@dataclass(frozen=True)
class DisputeRow:
    """One month, organisation or service: the disputes raised in the period, by their outcome in
    the order of DISPUTE_OUTCOMES."""

    key: object
    label: str
    counts: tuple[int, ...]

    @property
    def raised(self) -> int:
        return sum(self.counts)


def disputes_report(actor: Actor, filters: ReportFilters) -> dict[str, list[DisputeRow]]:
    """K12: the disputes of time entries raised in the period and how they ended (kept, corrected,
    removed, or still waiting for the desk's answer), per month, organisation and service (three
    queries). Every month of the period has its row."""
    _check(actor)
    scope = filters.scope()
    qs = TimeDispute.objects.filter(created_at__gte=scope.since, created_at__lt=scope.until)
    if filters.service_id:
        qs = qs.filter(entry__ticket__service_id=filters.service_id)
    if filters.organisation_id:
        qs = qs.filter(entry__ticket__organisation_id=filters.organisation_id)
    counts = {name: Count("pk", filter=Q(outcome="" if name == "open" else name)) for name in DISPUTE_OUTCOMES}
    report = {}
    for group, key, name in (("organisation", "entry__ticket__organisation_id", "entry__ticket__organisation__name"),
                             ("service", "entry__ticket__service_id", "entry__ticket__service__name")):
        rows = qs.values(key, name).annotate(**counts).order_by(name, key)
        report[group] = [DisputeRow(key=row[key], label=row[name] or _missing(group),
                                    counts=tuple(row[outcome] for outcome in DISPUTE_OUTCOMES)) for row in rows]
    tz = timezone.get_current_timezone()
    by_month = {
        timezone.localtime(row["month"], tz).date(): row
        for row in qs.annotate(month=TruncMonth("created_at", tzinfo=tz)).values("month").annotate(**counts)
        .order_by("month")
    }
    report["month"] = [
        DisputeRow(key=month, label=_month_label(month),
                   counts=tuple(by_month[month][outcome] if month in by_month else 0 for outcome in DISPUTE_OUTCOMES))
        for month in filters.months() or sorted(by_month)
    ]
    return {group: report[group] for group in DISPUTE_GROUP_LABELS}
