"""The desk's reports in the console (issue 5): SLA compliance (K8), the backlog by age, time spent
(K12) and disputes (K12), each a page with its charts and tables and a CSV export of the same
figures. The figures come from tugi.reports.selectors; these views only read the filters."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tugi.catalog.selectors import service_list_for
from tugi.directory.selectors import organisation_list_for
from tugi.reports import charts, selectors
from tugi.reports.selectors import ReportFilters

from .csv_export import csv_response
from .decorators import staff_required
from .reports_forms import BacklogFilterForm, ReportFilterForm


def _filters(request, form_class=ReportFilterForm):
    """The filters of the request; the default ones (the last twelve months, everything) where the
    form is not valid, which the page shows beside the fields."""
    form = form_class(request.GET or None, services=service_list_for(request.actor).order_by("name"),
                      organisations=organisation_list_for(request.actor).order_by("name"))
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = selectors.report_filters(
        request.actor, since=data.get("since"), until=data.get("until"),
        service_id=data["service"].pk if data.get("service") else None,
        organisation_id=data["organisation"].pk if data.get("organisation") else None,
    )
    return form, filters, data.get("group") or "kind"


def _page(request, template: str, form, filters: ReportFilters, **context):
    return render(request, f"console/reports/{template}.html", {
        "form": form, "filters": filters, "query": request.GET.urlencode(), **context,
    })


def _csv(name: str, filters: ReportFilters, header: list[str], rows) -> HttpResponse:
    """The report as CSV, as the satisfaction report does it: machine names in the header, the
    people's names guarded against spreadsheet formulas."""
    return csv_response(f"{name}-{filters.since}-{filters.until}.csv", header, rows)


def _figure(value) -> str:
    return "" if value is None else f"{value:.1f}"


@staff_required
def reports_index(request):
    return render(request, "console/reports/index.html")


# --- SLA compliance (K8) --------------------------------------------------------------------------

@staff_required
def reports_sla(request):
    form, filters, _group = _filters(request)
    report = selectors.sla_compliance_report(request.actor, filters)
    groups = [
        (group, str(selectors.SLA_GROUP_LABELS[group]), report[group],
         charts.sla_target_chart(f"{group}-response", report[group], "response",
                                 _("Response target met, %(group)s") % {"group": selectors.SLA_GROUP_LABELS[group]}),
         charts.sla_target_chart(f"{group}-resolution", report[group], "resolution",
                                 _("Resolution target met, %(group)s") % {"group": selectors.SLA_GROUP_LABELS[group]}))
        for group in ("service", "organisation")
    ]
    month_chart = charts.sla_month_chart("month", report["month"], _("SLA targets met per month"))
    return _page(request, "sla", form, filters, groups=groups, months=report["month"], month_chart=month_chart)


@staff_required
def reports_sla_csv(request):
    _form, filters, _group = _filters(request)
    report = selectors.sla_compliance_report(request.actor, filters)
    return _csv("sla", filters, [
        "group", "name", "tickets", "response_met", "response_breached", "response_running", "response_met_percent",
        "resolution_met", "resolution_breached", "resolution_running", "resolution_met_percent",
    ], (
        (group, row.label, row.tickets, row.response_met, row.response_breached, row.response_running,
         _figure(row.response_share), row.resolution_met, row.resolution_breached, row.resolution_running,
         _figure(row.resolution_share))
        for group, rows in report.items() for row in rows
    ))


# --- the backlog by age ---------------------------------------------------------------------------

def _buckets() -> list[tuple[str, str]]:
    return [(name, str(selectors.AGE_LABELS[name])) for name in selectors.AGE_BUCKETS]


@staff_required
def reports_backlog(request):
    form, filters, group = _filters(request, BacklogFilterForm)
    rows = selectors.backlog_report(request.actor, filters, group=group)
    label = selectors.BACKLOG_GROUP_LABELS.get(group, selectors.BACKLOG_GROUP_LABELS["kind"])
    chart = charts.backlog_chart("backlog", rows, _buckets(), _("Open tickets by age, %(group)s") % {"group": label})
    totals, total = selectors.backlog_totals(rows)
    return _page(request, "backlog", form, filters, rows=rows, chart=chart, buckets=_buckets(), group_label=label,
                 totals=totals, total=total)


@staff_required
def reports_backlog_csv(request):
    _form, filters, group = _filters(request, BacklogFilterForm)
    rows = selectors.backlog_report(request.actor, filters, group=group)
    response = _csv("backlog", filters, ["group", "name", *selectors.AGE_BUCKETS, "total"],
                    ((group, row.label, *row.counts, row.total) for row in rows))
    response["Content-Disposition"] = 'attachment; filename="backlog.csv"'  # what is open now: no period
    return response


# --- time spent and disputes (K12) ----------------------------------------------------------------

@staff_required
def reports_time(request):
    form, filters, _group = _filters(request)
    report = selectors.time_spent_report(request.actor, filters)
    groups = [
        (group, str(label), report[group],
         charts.time_chart(f"time-{group}", report[group], _("Hours logged, %(group)s") % {"group": label}))
        for group, label in selectors.TIME_GROUP_LABELS.items()
    ]
    return _page(request, "time", form, filters, groups=groups)


@staff_required
def reports_time_csv(request):
    _form, filters, _group = _filters(request)
    report = selectors.time_spent_report(request.actor, filters)
    return _csv("time-spent", filters, ["group", "name", "entries", "minutes", "hours", "billable_minutes",
                                        "billable_hours"], (
        (group, row.label, row.entries, row.minutes, f"{row.hours:.2f}", row.billable_minutes,
         f"{row.billable_hours:.2f}")
        for group, rows in report.items() for row in rows
    ))


@staff_required
def reports_disputes(request):
    form, filters, _group = _filters(request)
    report = selectors.disputes_report(request.actor, filters)
    outcomes = selectors.outcome_labels()
    groups = [
        (group, str(label), report[group],
         charts.disputes_chart(f"disputes-{group}", report[group], outcomes,
                               _("Disputes and their outcomes, %(group)s") % {"group": label}))
        for group, label in selectors.DISPUTE_GROUP_LABELS.items()
    ]
    return _page(request, "disputes", form, filters, groups=groups, outcomes=outcomes)


@staff_required
def reports_disputes_csv(request):
    _form, filters, _group = _filters(request)
    report = selectors.disputes_report(request.actor, filters)
    return _csv("disputes", filters, ["group", "name", "raised", *selectors.DISPUTE_OUTCOMES], (
        (group, row.label, row.raised, *row.counts) for group, rows in report.items() for row in rows
    ))
