"""The desk's reports, each as lists of plain rows, for the console's pages and their CSV export.
Every report checks first that the actor may read it (the desk only); the counting happens in the
database, in one grouped pass over the period's rows per report whatever their number, and the
fine-grained groups it returns are added up here per service, organisation or month."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tugi.catalog.selectors import service_list_for
from tugi.core.actors import Actor
from tugi.core.errors import InvalidInput, PermissionDenied
from tugi.directory.selectors import organisation_list_for
from tugi.tickets import reporting
from tugi.tickets.models import TicketKind
from tugi.tickets.priority import Priority
from tugi.worklog.models import TimeDispute, TimeEntry

from . import policies

# Beyond this many months a period's chart shows only the months that have tickets.
MONTHS_FILLED_AT_MOST = 60


def check_may_read(actor: Actor) -> None:
    """Refuses (403) anyone but the desk: every report starts here."""
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


def report_filters(actor: Actor, *, since: dt.date | None = None, until: dt.date | None = None,
                   service_id: int | None = None, organisation_id: int | None = None,
                   today: dt.date | None = None) -> ReportFilters:
    """A report's filters as a page's form or an API query gives them, checked: the default period
    (the last twelve months) where an end is missing, and a period whose one given end lies past
    the other's default becomes that one day. Refuses, naming the field, a start after the end and
    a service or organisation the actor may not choose (the choices of the page's form)."""
    check_may_read(actor)
    if since and until and since > until:
        raise InvalidInput(_("The period's start is after its end: please swap the dates."), field="until")
    if service_id is not None and not service_list_for(actor).filter(pk=service_id).exists():
        raise InvalidInput(_("Unknown service."), field="service")
    if organisation_id is not None and not organisation_list_for(actor).filter(pk=organisation_id).exists():
        raise InvalidInput(_("Unknown organisation."), field="organisation")
    default_since, default_until = default_period(today)
    filters = ReportFilters(since or default_since, until or default_until, service_id, organisation_id)
    if filters.since > filters.until:  # only one end given, past the other's default
        filters = ReportFilters(filters.since, filters.since, service_id, organisation_id)
    return filters


def _share(met: int, breached: int) -> float | None:
    """The share met, in per cent, of the targets that are decided (met or breached)."""
    return round(100 * met / (met + breached), 1) if met + breached else None


def _missing(group: str) -> str:
    return _("No service") if group == "service" else _("No organisation")


def _add_up(rows, groups: dict[str, tuple[str, str]], counts: tuple[str, ...]) -> dict[str, list[dict]]:
    """Fine-grained rows of one grouped query, added up per group: {group: [{"key", "label", counts...}]},
    each group's rows by label. ``groups`` names, per group, the row's key and label fields."""
    sums: dict[str, dict] = {group: {} for group in groups}
    for row in rows:
        for group, (key, label) in groups.items():
            total = sums[group].setdefault(row[key], {"key": row[key], "label": row[label] or _missing(group),
                                                      **dict.fromkeys(counts, 0)})
            for name in counts:
                total[name] += row[name] or 0
    return {group: sorted(found.values(), key=lambda r: (r["label"].casefold(), r["key"] is None, r["key"] or 0))
            for group, found in sums.items()}


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


SLA_COUNTS = reporting.SLA_COUNTS

SLA_GROUP_LABELS = {
    "service": gettext_lazy("Per service"),
    "organisation": gettext_lazy("Per organisation"),
    "month": gettext_lazy("Per month"),
}


def sla_compliance_report(actor: Actor, filters: ReportFilters, *, now: dt.datetime | None = None
                          ) -> dict[str, list[SLARow]]:
    """K8: the SLA's response and resolution targets met per service, per organisation and per
    month of the tickets created in the period: one query, added up here per group. Every month of
    the period has its row, a month without tickets too, so the chart shows the gap."""
    check_may_read(actor)
    rows = reporting.sla_compliance(filters.scope(), now=now)
    services = dict(service_list_for(actor).filter(pk__in={row["service_id"] for row in rows})
                    .values_list("pk", "name"))
    organisations = dict(organisation_list_for(actor).filter(pk__in={row["organisation_id"] for row in rows})
                         .values_list("pk", "name"))
    months = {}
    for row in rows:
        row["service_name"] = services.get(row["service_id"])
        row["organisation_name"] = organisations.get(row["organisation_id"])
        key = (row["year"], row["month"])
        if key not in months:
            month = dt.date(row["year"], row["month"], 1)
            months[key] = (month, _month_label(month))
        row["month"], row["month_name"] = months[key]
    sums = _add_up(rows, {"service": ("service_id", "service_name"),
                          "organisation": ("organisation_id", "organisation_name"),
                          "month": ("month", "month_name")}, SLA_COUNTS)
    seen = {row["key"] for row in sums["month"]}
    sums["month"] += [{"key": month, "label": _month_label(month), **dict.fromkeys(SLA_COUNTS, 0)}
                      for month in filters.months() if month not in seen]  # a month without tickets shows too
    sums["month"].sort(key=lambda row: row["key"])
    return {group: [SLARow(**row) for row in sums[group]] for group in ("service", "organisation", "month")}


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


def backlog_group(group: str | None) -> str:
    """The backlog's grouping as asked (by kind when none is named); an unknown one is refused."""
    if not group:
        return "kind"
    if group not in BACKLOG_GROUP_LABELS:
        raise InvalidInput(_("Group the backlog by one of: %(groups)s.") % {"groups": ", ".join(BACKLOG_GROUP_LABELS)},
                           field="group")
    return group


def backlog_totals(rows: list[BacklogRow]) -> tuple[tuple[int, ...], int]:
    """The backlog's open tickets in each age bucket (in the order of AGE_BUCKETS) and in all."""
    totals = tuple(sum(row.counts[i] for row in rows) for i in range(len(AGE_BUCKETS)))
    return totals, sum(totals)


def backlog_report(actor: Actor, filters: ReportFilters, *, group: str = "kind", now: dt.datetime | None = None
                   ) -> list[BacklogRow]:
    """The open tickets now by how long they have been open, per kind, priority, service or
    organisation (one query). The period does not apply: the backlog is what is open today."""
    check_may_read(actor)
    if group not in BACKLOG_GROUP_LABELS:
        group = "kind"
    return [
        BacklogRow(key=row["key"], label=_backlog_label(group, row["key"]),
                   counts=tuple(row[name] for name in AGE_BUCKETS), total=row["total"])
        for row in reporting.backlog_by_age(filters.scope(), group, now=now)
    ]


# --- time spent (K12) -----------------------------------------------------------------------------

TIME_GROUPS = {
    "organisation": ("organisation_id", "organisation_name"),
    "service": ("service_id", "service_name"),
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
    in the period: one query per organisation and service, added up here. Only valid entries
    count: a corrected entry counts through its correction, a removed one not at all."""
    check_may_read(actor)
    qs = TimeEntry.objects.filter(state=TimeEntry.State.ACTIVE, work_date__gte=filters.since,
                                  work_date__lte=filters.until)
    if filters.service_id:
        qs = qs.filter(ticket__service_id=filters.service_id)
    if filters.organisation_id:
        qs = qs.filter(ticket__organisation_id=filters.organisation_id)
    rows = (qs.values(organisation_id=F("ticket__organisation_id"), organisation_name=F("ticket__organisation__name"),
                      service_id=F("ticket__service_id"), service_name=F("ticket__service__name"))
            .annotate(entries=Count("pk"), logged=Sum("minutes"),
                      billable=Coalesce(Sum("minutes", filter=Q(is_billable=True)), 0))
            .order_by())
    sums = _add_up(rows, TIME_GROUPS, ("entries", "logged", "billable"))
    return {group: [TimeRow(key=row["key"], label=row["label"], entries=row["entries"], minutes=row["logged"],
                            billable_minutes=row["billable"]) for row in sums[group]]
            for group in TIME_GROUPS}


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
    removed, or still waiting for the desk's answer), per month, organisation and service: one
    query, added up here. Every month of the period has its row."""
    check_may_read(actor)
    scope = filters.scope()
    qs = TimeDispute.objects.filter(created_at__gte=scope.since, created_at__lt=scope.until)
    if filters.service_id:
        qs = qs.filter(entry__ticket__service_id=filters.service_id)
    if filters.organisation_id:
        qs = qs.filter(entry__ticket__organisation_id=filters.organisation_id)
    tz = timezone.get_current_timezone()
    rows = list(qs.values(organisation_id=F("entry__ticket__organisation_id"),
                          organisation_name=F("entry__ticket__organisation__name"),
                          service_id=F("entry__ticket__service_id"), service_name=F("entry__ticket__service__name"),
                          year=ExtractYear("created_at", tzinfo=tz), month=ExtractMonth("created_at", tzinfo=tz))
                .annotate(**{name: Count("pk", filter=Q(outcome="" if name == "open" else name))
                             for name in DISPUTE_OUTCOMES})
                .order_by())
    for row in rows:
        row["month"] = dt.date(row["year"], row["month"], 1)
        row["month_name"] = _month_label(row["month"])
    sums = _add_up(rows, {"month": ("month", "month_name"), "organisation": ("organisation_id", "organisation_name"),
                          "service": ("service_id", "service_name")}, DISPUTE_OUTCOMES)
    seen = {row["key"] for row in sums["month"]}
    sums["month"] += [{"key": month, "label": _month_label(month), **dict.fromkeys(DISPUTE_OUTCOMES, 0)}
                      for month in filters.months() if month not in seen]  # a month without disputes shows too
    sums["month"].sort(key=lambda row: row["key"])
    return {group: [DisputeRow(key=row["key"], label=row["label"], counts=tuple(row[o] for o in DISPUTE_OUTCOMES))
                    for row in sums[group]]
            for group in DISPUTE_GROUP_LABELS}
