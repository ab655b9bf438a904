"""The backlog by age: the tickets open now, counted by how long ago they were created, per kind,
priority, service or organisation (the desk of conftest.py, plus three younger service requests)."""

import datetime as dt

import pytest

from tugi.core.errors import PermissionDenied
from tugi.reports.selectors import AGE_BUCKETS, backlog_report
from tugi.tickets.priority import Impact, Urgency

from .conftest import NOW, PERIOD, report_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def backlog(cast, desk, time_machine):
    """Open now: t3 (38 days old) and t6 (95 days) in over 30 days, t4 (3 hours) in under a day, and
    three P2 service requests of B aged 2, 5 and 10 days. t1 and t2 are resolved, t5 cancelled."""
    for days in (2, 5, 10):
        report_ticket(cast, when=NOW - dt.timedelta(days=days), organisation=cast.org_b, service=desk.mail,
                      kind="service_request", impact=Impact.HIGH, urgency=Urgency.MEDIUM, time_machine=time_machine)
    time_machine.move_to(NOW, tick=False)


def test_the_buckets_run_from_under_a_day_to_over_thirty_days():
    assert AGE_BUCKETS == ("under_1_day", "1_to_3_days", "3_to_7_days", "7_to_30_days", "over_30_days")


def test_the_open_backlog_by_kind_and_age(cast, backlog):
    rows = backlog_report(cast.actor("agent"), PERIOD, group="kind")
    assert [(row.label, row.counts, row.total) for row in rows] == [
        ("incident", (1, 0, 0, 0, 2), 3),
        ("service request", (0, 1, 1, 1, 0), 3),
    ]


def test_the_open_backlog_by_priority(cast, backlog):
    rows = backlog_report(cast.actor("agent"), PERIOD, group="priority")
    assert [(row.label, row.total) for row in rows] == [("2 high", 3), ("3 medium", 3)]


def test_the_open_backlog_by_organisation_of_one_service(cast, desk, backlog):
    rows = backlog_report(cast.actor("agent"), type(PERIOD)(PERIOD.since, PERIOD.until, service_id=desk.erp.pk),
                          group="organisation")
    assert [(row.label, row.counts) for row in rows] == [("Alfa OÜ", (0, 0, 0, 0, 1)), ("Beeta AS", (1, 0, 0, 0, 0))]


def test_the_backlog_ignores_the_period_it_is_what_is_open_now(cast, backlog):
    long_ago = type(PERIOD)(dt.date(2020, 1, 1), dt.date(2020, 1, 31))
    assert sum(row.total for row in backlog_report(cast.actor("agent"), long_ago)) == 6


def test_a_ticket_just_past_a_bucket_boundary_moves_to_the_older_bucket(cast, backlog, time_machine):
    agent = cast.actor("agent")
    time_machine.move_to(NOW + dt.timedelta(days=1, minutes=1), tick=False)  # t4 is now a day and a minute old
    rows = {row.label: row.counts for row in backlog_report(agent, PERIOD)}
    assert rows["incident"] == (0, 1, 0, 0, 2)


def test_the_backlog_takes_one_query(cast, backlog, django_assert_max_num_queries):
    agent = cast.actor("agent")
    with django_assert_max_num_queries(1):
        backlog_report(agent, PERIOD, group="service")


def test_a_client_may_not_read_the_backlog(cast):
    with pytest.raises(PermissionDenied):
        backlog_report(cast.actor("representative_a"), PERIOD)
