"""K12 through the pages: the console's time panel (log, totals, answer) and the portal's (entries,
totals, dispute, the answer shown)."""

import pytest
from django import forms
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tugi.console.worklog_forms import DurationField
from tugi.worklog import services
from tugi.worklog.models import TimeDispute, TimeEntry


def as_(person):
    browser = Client()
    browser.force_login(person.user)
    return browser


def test_agent_logs_time_in_hours_and_minutes_K12(cast, ticket):
    response = as_(cast.agent).post(f"/console/worklog/tickets/{ticket.reference}/entries/", {
        "time-work_date": timezone.localdate().isoformat(), "time-duration": "1:15",
        "time-description": "Restored the mailbox", "time-is_billable": "on"})
    assert response.status_code == 302 and response["Location"].endswith("#worklog")
    entry = TimeEntry.objects.get()
    assert entry.minutes == 75 and entry.is_billable and entry.description == "Restored the mailbox"
    page = as_(cast.agent).get(f"/console/tickets/{ticket.reference}/").content.decode()
    assert 'id="worklog"' in page and "Restored the mailbox" in page and "1:15" in page


def test_logging_without_what_was_done_is_refused_and_says_why_K12(cast, ticket):
    browser = as_(cast.agent)
    browser.post(f"/console/worklog/tickets/{ticket.reference}/entries/", {
        "time-work_date": timezone.localdate().isoformat(), "time-duration": "30", "time-description": ""})
    assert not TimeEntry.objects.exists()
    page = browser.get(f"/console/tickets/{ticket.reference}/").content.decode()
    assert "What was done" in page and "required" in page


def test_client_sees_entries_and_totals_and_disputes_K12(cast, ticket, entry):
    services.time_entry_add(actor=cast.actor("agent"), ticket=ticket, work_date=timezone.localdate(), minutes=15,
                            description="Phone call", is_billable=False)
    client = as_(cast.client_a)
    page = client.get(f"/tickets/{ticket.reference}/").content.decode()
    assert "Time spent on your ticket" in page and "Replaced the ERP server&#x27;s disk" in page
    assert "1:30" in page and "0:15" in page and "1:45" in page
    assert f'name="entry{entry.pk}-reason"' in page
    response = client.post(f"/worklog/tickets/{ticket.reference}/entries/{entry.pk}/dispute/",
                           {f"entry{entry.pk}-reason": "Only an hour was spent"})
    assert response.status_code == 302
    made = TimeDispute.objects.get()
    assert made.reason == "Only an hour was spent" and made.raised_by_id == cast.client_a.user_id
    page = client.get(f"/tickets/{ticket.reference}/").content.decode()
    assert "The service desk will answer with a justification." in page
    assert f'name="entry{entry.pk}-reason"' not in page  # one open dispute at a time


def test_desk_answers_and_the_client_reads_the_answer_K12(cast, ticket, entry):
    made = services.time_entry_dispute(actor=cast.actor("client_a"), entry=entry, reason="Only an hour was spent")
    page = as_(cast.agent).get(f"/console/tickets/{ticket.reference}/").content.decode()
    assert "The client disputes 1 entry" in page and f'name="dispute{made.pk}-justification"' in page
    assert "Only an hour was spent" in as_(cast.agent).get("/console/worklog/disputes/").content.decode()
    response = as_(cast.service_manager).post(
        f"/console/worklog/tickets/{ticket.reference}/disputes/{made.pk}/answer/",
        {f"dispute{made.pk}-outcome": "corrected", f"dispute{made.pk}-duration": "60",
         f"dispute{made.pk}-justification": "The visit took an hour"})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.outcome == "corrected" and made.correction.minutes == 60
    page = as_(cast.client_a).get(f"/tickets/{ticket.reference}/").content.decode()
    assert "Answer: the entry is corrected." in page and "The visit took an hour" in page
    assert "<del>1:30</del>" in page


def test_client_of_b_cannot_dispute_an_entry_of_a_K12(cast, ticket, entry):
    response = as_(cast.client_b).post(f"/worklog/tickets/{ticket.reference}/entries/{entry.pk}/dispute/",
                                       {f"entry{entry.pk}-reason": "Mine now"})
    assert response.status_code == 404 and not TimeDispute.objects.exists()


def test_time_is_typed_as_minutes_hours_and_minutes_or_hours_K12():
    field = DurationField()
    assert [field.clean(v) for v in ("90", "1:30", "1,5", "1.25h", " 0:45 ")] == [90, 90, 90, 75, 45]
    for wrong in ("an hour", "1:75", "-5", "1:30:00"):
        with pytest.raises(forms.ValidationError):
            field.clean(wrong)


def _entries_with_disputes(cast, ticket, n):
    for i in range(n):
        made = services.time_entry_add(actor=cast.actor("agent"), ticket=ticket, work_date=timezone.localdate(),
                                       minutes=10 + i, description=f"Work {i}")
        services.time_entry_dispute(actor=cast.actor("client_a"), entry=made, reason=f"Reason {i}")


def _queries(browser, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert browser.get(url).status_code == 200
    return len(captured)


def test_the_time_panels_and_the_disputes_list_do_not_query_per_entry_K12(cast, ticket):
    agent, client = as_(cast.agent), as_(cast.client_a)
    urls = [(agent, f"/console/tickets/{ticket.reference}/"), (client, f"/tickets/{ticket.reference}/"),
            (agent, "/console/worklog/disputes/")]
    _entries_with_disputes(cast, ticket, 2)
    few = [_queries(browser, url) for browser, url in urls]
    _entries_with_disputes(cast, ticket, 5)
    assert [_queries(browser, url) for browser, url in urls] == few
