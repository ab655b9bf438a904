"""K12: time spent per organisation and service counts only valid entries, and the disputes report
shows what clients disputed and how the desk answered, per month, organisation and service.

On the desk of conftest.py (period January to March 2026):

| entry | ticket (org, service) | work date  | minutes        | dispute (raised)      | outcome            |
|-------|-----------------------|------------|----------------|-----------------------|--------------------|
| e1    | t1 (A, ERP)           | 12 Jan     | 60 billable    | 10 Mar                | still open         |
| e2    | t1 (A, ERP)           | 12 Jan     | 30 not billable| —                     |                    |
| e3    | t1 (A, ERP)           | 12 Jan     | 15 billable    | 2 Feb                 | kept               |
| e4    | t2 (A, ERP)           | 13 Jan     | 45 billable    | 16 Feb                | removed            |
| e5    | t3 (B, Mail)          | 10 Feb     | 120 billable   | 2 Mar                 | corrected to 90    |
| e6    | t6 (A, ERP)           | 15 Dec 2025| 50 billable    | outside the period    |                    |
"""

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ContactFactory
from tugi.core.errors import PermissionDenied
from tugi.directory.actors import actor_for_contact
from tugi.reports.selectors import disputes_report, time_spent_report
from tugi.worklog import services as worklog

from .conftest import NOW, PERIOD, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(cast, desk, time_machine):
    agent, manager = cast.actor("agent"), cast.actor("service_manager")
    t = desk.tickets
    rep_a = cast.actor("representative_a")
    rep_b = actor_for_contact(ContactFactory(organisation=cast.org_b, name="Berit Beeta", is_representative=True,
                                             user__username="berit"))

    def log(ticket, day, minutes, billable=True):
        return worklog.time_entry_add(actor=agent, ticket=ticket, work_date=day, minutes=minutes,
                                      description="Work", is_billable=billable)

    def dispute(who, entry, when):
        time_machine.move_to(when, tick=False)
        return worklog.time_entry_dispute(actor=who, entry=entry, reason="Too long")

    e1 = log(t["t1"], dt.date(2026, 1, 12), 60)
    log(t["t1"], dt.date(2026, 1, 12), 30, billable=False)
    e3 = log(t["t1"], dt.date(2026, 1, 12), 15)
    e4 = log(t["t2"], dt.date(2026, 1, 13), 45)
    e5 = log(t["t3"], dt.date(2026, 2, 10), 120)
    log(t["t6"], dt.date(2025, 12, 15), 50)
    worklog.time_dispute_answer(actor=agent, dispute=dispute(rep_a, e3, at(2026, 2, 2, 10)), outcome="kept",
                                justification="The log shows it")
    worklog.time_dispute_answer(actor=manager, dispute=dispute(rep_a, e4, at(2026, 2, 16, 10)), outcome="removed",
                                justification="Our mistake")
    worklog.time_dispute_answer(actor=agent, dispute=dispute(rep_b, e5, at(2026, 3, 2, 10)), outcome="corrected",
                                justification="It was an hour and a half", minutes=90)
    dispute(rep_a, e1, at(2026, 3, 10, 10))
    time_machine.move_to(NOW, tick=False)


def test_k12_time_spent_counts_only_valid_entries_of_the_period(cast, logged):
    report = time_spent_report(cast.actor("agent"), PERIOD)
    assert [(r.label, r.entries, r.minutes, r.billable_minutes) for r in report["organisation"]] == [
        ("Alfa OÜ", 3, 105, 75),  # e1, e2, e3; e4 was removed, e6 is December's
        ("Beeta AS", 1, 90, 90),  # e5 counts as corrected: 90, not 120
    ]
    assert [(r.label, r.hours, r.billable_hours) for r in report["service"]] == [
        ("ERP", 1.75, 1.25), ("Mail", 1.5, 1.5)]


def test_k12_time_spent_of_one_organisation(cast, logged):
    report = time_spent_report(cast.actor("agent"), type(PERIOD)(PERIOD.since, PERIOD.until,
                                                                 organisation_id=cast.org_b.pk))
    assert [(r.label, r.minutes) for r in report["service"]] == [("Mail", 90)]


def test_k12_disputes_and_their_outcomes(cast, logged):
    report = disputes_report(cast.actor("agent"), PERIOD)
    # counts: open, kept, corrected, removed
    assert [(r.label, r.counts) for r in report["month"]] == [
        ("2026-01", (0, 0, 0, 0)), ("2026-02", (0, 1, 0, 1)), ("2026-03", (1, 0, 1, 0))]
    assert [(r.label, r.counts, r.raised) for r in report["organisation"]] == [
        ("Alfa OÜ", (1, 1, 0, 1), 3), ("Beeta AS", (0, 0, 1, 0), 1)]
    assert [(r.label, r.raised) for r in report["service"]] == [("ERP", 3), ("Mail", 1)]


def test_k12_each_worklog_report_reads_in_one_query(cast, logged, django_assert_max_num_queries):
    agent = cast.actor("agent")
    with django_assert_max_num_queries(1):
        time_spent_report(agent, PERIOD)
    with django_assert_max_num_queries(1):
        disputes_report(agent, PERIOD)


def test_k12_a_client_may_not_read_the_worklog_reports(cast):
    with pytest.raises(PermissionDenied):
        time_spent_report(cast.actor("representative_a"), PERIOD)
    with pytest.raises(PermissionDenied):
        disputes_report(cast.actor("client_a"), PERIOD)


def test_k12_the_time_and_disputes_pages_and_their_csv(cast, logged):
    client = Client()
    client.force_login(cast.service_manager.user)
    query = {"since": "2026-01-01", "until": "2026-03-31"}
    page = client.get(reverse("console:reports_time"), query).content.decode()
    assert page.count('<svg class="chart"') == 2 and "<title>Alfa OÜ: billable 1.25</title>" in page
    download = client.get(reverse("console:reports_time_csv"), query).content
    assert download.startswith("\ufeff".encode())  # a spreadsheet program reads it as UTF-8
    rows = list(csv.reader(io.StringIO(download.decode("utf-8-sig"))))
    assert rows[0] == ["group", "name", "entries", "minutes", "hours", "billable_minutes", "billable_hours"]
    assert ["organisation", "Beeta AS", "1", "90", "1.50", "90", "1.50"] in rows
    page = client.get(reverse("console:reports_disputes"), query).content.decode()
    assert page.count('<svg class="chart"') == 3 and "<title>Alfa OÜ: removed 1</title>" in page
    download = client.get(reverse("console:reports_disputes_csv"), query).content
    assert download.startswith("\ufeff".encode())  # a spreadsheet program reads it as UTF-8
    rows = list(csv.reader(io.StringIO(download.decode("utf-8-sig"))))
    assert rows[0] == ["group", "name", "raised", "open", "kept", "corrected", "removed"]
    assert ["month", "2026-03", "2", "1", "0", "1", "0"] in rows


@pytest.mark.parametrize("route", ["console:reports_time", "console:reports_time_csv", "console:reports_disputes",
                                   "console:reports_disputes_csv"])
def test_k12_the_worklog_reports_are_for_the_desk(cast, route):
    client = Client()
    client.force_login(cast.client_a.user)
    assert client.get(reverse(route)).status_code == 403
