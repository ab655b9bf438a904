"""K8: the SLA compliance report counts, per service, organisation and month, the response and
resolution targets met, breached and still running (the desk of conftest.py)."""

import datetime as dt

import pytest

from tugi.core.errors import PermissionDenied
from tugi.reports.selectors import ReportFilters, default_period, sla_compliance_report

from .conftest import PERIOD

pytestmark = pytest.mark.django_db


def figures(row):
    return (row.tickets, row.response_met, row.response_breached, row.response_running,
            row.resolution_met, row.resolution_breached, row.resolution_running)


def test_k8_sla_compliance_per_service(cast, desk):
    report = sla_compliance_report(cast.actor("agent"), PERIOD)
    by_service = {row.label: row for row in report["service"]}
    assert list(by_service) == ["ERP", "Mail"]  # by name; the cancelled t5 and December's t6 are not counted
    assert figures(by_service["ERP"]) == (3, 1, 1, 1, 1, 1, 1)
    assert (by_service["ERP"].response_share, by_service["ERP"].resolution_share) == (50.0, 50.0)
    assert figures(by_service["Mail"]) == (1, 1, 0, 0, 0, 1, 0)  # t3: answered in time, never resolved
    assert (by_service["Mail"].response_share, by_service["Mail"].resolution_share) == (100.0, 0.0)


def test_k8_sla_compliance_per_organisation(cast, desk):
    report = sla_compliance_report(cast.actor("service_manager"), PERIOD)
    by_organisation = {row.label: row for row in report["organisation"]}
    assert figures(by_organisation["Alfa OÜ"]) == (2, 1, 1, 0, 1, 1, 0)
    assert figures(by_organisation["Beeta AS"]) == (2, 1, 0, 1, 0, 1, 1)
    assert by_organisation["Beeta AS"].response_share == 100.0  # the running target is not decided yet


def test_k8_sla_compliance_per_month_has_every_month_of_the_period(cast, desk):
    months = sla_compliance_report(cast.actor("agent"), PERIOD)["month"]
    assert [row.label for row in months] == ["2026-01", "2026-02", "2026-03"]
    assert [row.key for row in months] == [dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)]
    assert [figures(row) for row in months] == [(2, 1, 1, 0, 1, 1, 0), (1, 1, 0, 0, 0, 1, 0), (1, 0, 0, 1, 0, 0, 1)]
    assert months[2].response_share is None  # nothing decided in March: no share, not 0 %


def test_k8_a_month_without_tickets_is_shown_empty(cast, desk):
    months = sla_compliance_report(cast.actor("agent"), ReportFilters(dt.date(2025, 11, 1), dt.date(2026, 1, 31)))[
        "month"]
    assert [(row.label, row.tickets) for row in months] == [("2025-11", 0), ("2025-12", 1), ("2026-01", 2)]


def test_k8_sla_compliance_of_one_service_or_organisation(cast, desk):
    agent = cast.actor("agent")
    only_mail = sla_compliance_report(agent, ReportFilters(PERIOD.since, PERIOD.until, service_id=desk.mail.pk))
    assert [row.label for row in only_mail["service"]] == ["Mail"]
    assert [row.label for row in only_mail["organisation"]] == ["Beeta AS"]
    only_a = sla_compliance_report(agent, ReportFilters(PERIOD.since, PERIOD.until, organisation_id=cast.org_a.pk))
    assert [(row.label, row.tickets) for row in only_a["service"]] == [("ERP", 2)]


def test_k8_a_ticket_created_on_the_last_day_of_the_period_counts(cast, desk):
    report = sla_compliance_report(cast.actor("agent"), ReportFilters(dt.date(2026, 3, 1), dt.date(2026, 3, 20)))
    assert [row.tickets for row in report["service"]] == [1]  # t4, created on 20 March at 9:00


def test_k8_the_sla_report_reads_the_tickets_once(cast, desk, django_assert_max_num_queries):
    """One pass over the period's tickets, then the names of the services and organisations found."""
    agent = cast.actor("agent")
    with django_assert_max_num_queries(3) as queries:
        sla_compliance_report(agent, PERIOD)
    assert sum('FROM "tickets_ticket"' in query["sql"] for query in queries.captured_queries) == 1


@pytest.mark.parametrize("who", ["client_a", "representative_a", "client_b"])
def test_a_client_may_not_read_the_sla_report(cast, who):
    with pytest.raises(PermissionDenied):
        sla_compliance_report(cast.actor(who), PERIOD)


def test_the_default_period_is_the_last_twelve_months():
    assert default_period(dt.date(2026, 3, 20)) == (dt.date(2025, 4, 1), dt.date(2026, 3, 20))
    assert default_period(dt.date(2026, 12, 31)) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
