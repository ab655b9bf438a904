"""API v1 routes of the desk's reports (issue 5): SLA compliance (K8), the backlog by age, time
spent and disputes of time (K12), the same figures as the console's report pages and their CSV
exports, as JSON. Each route reads the filters, calls the reports' selectors as the page does, and
serialises; the desk only (the selectors refuse a client)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tugi.core.errors import InvalidInput
from tugi.core.forms import DateField
from tugi.reports import selectors
from tugi.reports.selectors import AGE_BUCKETS, DISPUTE_OUTCOMES, ReportFilters

from .schemas import REFUSALS

router = Router(tags=["reports"])



# --- the filters ----------------------------------------------------------------------------------

class ScopeParams(Schema):
    service_id: int | None = Field(None, description="one service only")
    organisation_id: int | None = Field(None, description="one organisation only")


class PeriodParams(ScopeParams):
    since: str | None = Field(None, description="the period's first day, YYYY-MM-DD (default: the first day of "
                              "the month eleven months back)", json_schema_extra={"format": "date"})
    until: str | None = Field(None, description="the period's last day, YYYY-MM-DD (default: today)",
                              json_schema_extra={"format": "date"})


class BacklogParams(ScopeParams):
    group: str | None = Field(None, description="kind (the default), priority, service or organisation")


def _date(value: str | None, field: str) -> dt.date | None:
    """A day as the page's date field reads it, with the same formats and years."""
    try:
        return DateField(required=False).clean(value)
    except forms.ValidationError as error:
        raise InvalidInput(" ".join(error.messages), field=field) from None


def _filters(request: HttpRequest, params: ScopeParams, *, since: str | None = None,
             until: str | None = None) -> ReportFilters:
    selectors.check_may_read(request.actor)  # a client is refused whatever the filters
    return selectors.report_filters(request.actor, since=_date(since, "since"), until=_date(until, "until"),
                                    service_id=params.service_id, organisation_id=params.organisation_id)


class FiltersOut(Schema):
    since: dt.date
    until: dt.date
    service_id: int | None
    organisation_id: int | None


# --- SLA compliance (K8) --------------------------------------------------------------------------

class _SLAFigures(Schema):
    name: str = Field(..., alias="label")
    tickets: int
    response_met: int
    response_breached: int
    response_running: int
    response_met_percent: float | None = Field(
        ..., alias="response_share",
        description="of the decided targets (met or breached); null when none is")
    resolution_met: int
    resolution_breached: int
    resolution_running: int
    resolution_met_percent: float | None = Field(..., alias="resolution_share")


class SLARowOut(_SLAFigures):
    id: int | None = Field(..., alias="key", description="null: the tickets without one")


class SLAMonthOut(_SLAFigures):
    month: dt.date = Field(..., alias="key", description="the month's first day")


class SLAReportOut(Schema):
    filters: FiltersOut
    service: list[SLARowOut]
    organisation: list[SLARowOut]
    month: list[SLAMonthOut] = Field(..., description="every month of the period, a month without tickets too")


@router.get("/reports/sla", response={200: SLAReportOut, **REFUSALS})
def sla_report(request: HttpRequest, params: Query[PeriodParams]):
    """SLA compliance (K8) of the tickets created in the period: response and resolution targets
    met, breached and still running, per service, organisation and month (``console:reports_sla``).
    Cancelled tickets and tickets without an SLA are not counted. The desk only."""
    filters = _filters(request, params, since=params.since, until=params.until)
    return {"filters": filters, **selectors.sla_compliance_report(request.actor, filters)}


# --- the backlog by age ---------------------------------------------------------------------------

class AgesOut(Schema):
    """Open tickets by how long ago they were created (the console's CSV columns)."""

    under_1_day: int
    from_1_to_3_days: int = Field(..., alias="1_to_3_days")
    from_3_to_7_days: int = Field(..., alias="3_to_7_days")
    from_7_to_30_days: int = Field(..., alias="7_to_30_days")
    over_30_days: int


class BacklogRowOut(Schema):
    key: int | str | None = Field(..., description="the kind, the priority (1-5), or the service's or "
                                  "organisation's name; null: the tickets without one")
    name: str
    ages: AgesOut
    total: int

    @staticmethod
    def resolve_name(row) -> str:
        return row.label

    @staticmethod
    def resolve_ages(row) -> dict[str, int]:
        return dict(zip(AGE_BUCKETS, row.counts, strict=True))


class BacklogReportOut(Schema):
    group: str
    service_id: int | None
    organisation_id: int | None
    rows: list[BacklogRowOut]
    totals: AgesOut
    total: int


@router.get("/reports/backlog", response={200: BacklogReportOut, **REFUSALS}, by_alias=True)
def backlog_report(request: HttpRequest, params: Query[BacklogParams]):
    """The tickets open now by age, per kind, priority, service or organisation, with the totals
    (``console:reports_backlog``). What is open now: no period. The desk only."""
    filters = _filters(request, params)
    group = selectors.backlog_group(params.group)
    rows = selectors.backlog_report(request.actor, filters, group=group)
    totals, total = selectors.backlog_totals(rows)
    return {"group": group, "service_id": filters.service_id, "organisation_id": filters.organisation_id,
            "rows": rows, "totals": dict(zip(AGE_BUCKETS, totals, strict=True)), "total": total}


# --- time spent and disputes (K12) ----------------------------------------------------------------

class TimeRowOut(Schema):
    id: int | None = Field(..., alias="key", description="null: the tickets without one")
    name: str = Field(..., alias="label")
    entries: int
    minutes: int
    hours: float
    billable_minutes: int
    billable_hours: float


class TimeReportOut(Schema):
    filters: FiltersOut
    organisation: list[TimeRowOut]
    service: list[TimeRowOut]


@router.get("/reports/time", response={200: TimeReportOut, **REFUSALS})
def time_report(request: HttpRequest, params: Query[PeriodParams]):
    """Time logged (K12) for work done in the period, per organisation and service
    (``console:reports_time``). Only valid entries count: a corrected entry as corrected, a removed
    one not at all. The desk only."""
    filters = _filters(request, params, since=params.since, until=params.until)
    return {"filters": filters, **selectors.time_spent_report(request.actor, filters)}


def _outcome_count(outcome: str) -> staticmethod:
    """A resolver reading one outcome's count out of the report row's counts."""
    position = DISPUTE_OUTCOMES.index(outcome)
    return staticmethod(lambda row: row.counts[position])


class _DisputeFigures(Schema):
    name: str = Field(..., alias="label")
    raised: int
    open: int = Field(..., description="not answered yet")
    kept: int
    corrected: int
    removed: int

    resolve_open = _outcome_count("open")
    resolve_kept = _outcome_count("kept")
    resolve_corrected = _outcome_count("corrected")
    resolve_removed = _outcome_count("removed")


class DisputeRowOut(_DisputeFigures):
    id: int | None = Field(..., alias="key", description="null: the tickets without one")


class DisputeMonthOut(_DisputeFigures):
    month: dt.date = Field(..., alias="key", description="the month's first day")


class DisputesReportOut(Schema):
    filters: FiltersOut
    month: list[DisputeMonthOut] = Field(..., description="every month of the period, a month without disputes too")
    organisation: list[DisputeRowOut]
    service: list[DisputeRowOut]


@router.get("/reports/disputes", response={200: DisputesReportOut, **REFUSALS})
def disputes_report(request: HttpRequest, params: Query[PeriodParams]):
    """Disputes of time entries (K12) raised in the period and how they ended, per month,
    organisation and service (``console:reports_disputes``). The desk only."""
    filters = _filters(request, params, since=params.since, until=params.until)
    return {"filters": filters, **selectors.disputes_report(request.actor, filters)}
