"""The reports in the console: each page shows its chart and its table, filters by period, service and
organisation, and exports the same figures as CSV (K8; the desk of conftest.py)."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import OrganisationFactory
from tugi.tickets import services

pytestmark = pytest.mark.django_db

PERIOD = {"since": "2026-01-01", "until": "2026-03-31"}


def browser(person):
    client = Client()
    client.force_login(person.user)
    return client


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("route", ["console:reports", "console:reports_sla", "console:reports_sla_csv",
                                   "console:reports_backlog", "console:reports_backlog_csv"])
def test_the_reports_are_for_the_desk(cast, route):
    assert browser(cast.representative_a).get(reverse(route)).status_code == 403
    assert browser(cast.agent).get(reverse(route)).status_code == 200
    assert Client().get(reverse(route)).status_code == 302  # to sign in


def test_k8_the_sla_page_draws_the_charts_and_tables_of_the_period(cast, desk):
    page = browser(cast.service_manager).get(reverse("console:reports_sla"), PERIOD).content.decode()
    assert page.count('<svg class="chart"') == 5  # per month; response and resolution per service and organisation
    assert "<title>ERP: met 1</title>" in page and "<title>ERP: breached 1</title>" in page
    assert ">50 %</text>" in page and ">100 %</text>" in page  # ERP's and Mail's response share at the bars' end
    assert ">2026-02</text>" in page  # a month under the columns
    assert '<th scope="row">Beeta AS</th>' in page and '<th scope="row">2026-03</th>' in page
    assert 'href="/console/reports/sla.csv?since=2026-01-01&amp;until=2026-03-31"' in page
    assert 'href="/static/tugi/charts.css"' in page


def test_k8_the_sla_csv_has_a_header_and_a_row_per_group_and_name(cast, desk):
    response = browser(cast.agent).get(reverse("console:reports_sla_csv"), PERIOD)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="sla-2026-01-01-2026-03-31.csv"' in response["Content-Disposition"]
    header, *rows = rows_of(response)
    assert header[:4] == ["group", "name", "tickets", "response_met"] and header[-1] == "resolution_met_percent"
    assert ["service", "ERP", "3", "1", "1", "1", "50.0", "1", "1", "1", "50.0"] in rows
    assert ["organisation", "Beeta AS", "2", "1", "0", "1", "100.0", "0", "1", "1", "0.0"] in rows
    assert ["month", "2026-03", "1", "0", "0", "1", "", "0", "0", "1", ""] in rows  # nothing decided: no share
    assert [row[0] for row in rows].count("month") == 3


def test_k8_the_filters_narrow_the_report_to_one_organisation(cast, desk):
    rows = rows_of(browser(cast.agent).get(reverse("console:reports_sla_csv"),
                                           {**PERIOD, "organisation": cast.org_b.pk}))[1:]
    assert {row[1] for row in rows if row[0] == "organisation"} == {"Beeta AS"}
    assert {row[1] for row in rows if row[0] == "service"} == {"ERP", "Mail"}


def test_a_name_that_looks_like_a_formula_stays_text_in_the_csv(cast, desk, time_machine):
    sneaky = OrganisationFactory(name="=HYPERLINK(\"http://evil\")")
    services.ticket_create(actor=cast.actor("agent"), kind="incident", title="x", source="agent",
                           organisation=sneaky, service=desk.erp)
    rows = rows_of(browser(cast.agent).get(reverse("console:reports_backlog_csv"), {"group": "organisation"}))
    assert ["organisation", "'=HYPERLINK(\"http://evil\")", "1", "0", "0", "0", "0", "1"] in rows


def test_bad_filters_are_explained_and_the_page_still_shows_the_default_period(cast, desk):
    response = browser(cast.agent).get(reverse("console:reports_sla"),
                                       {"since": "2026-03-31", "until": "2026-01-01", "service": "999999"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "please swap the dates" in page and "Select a valid choice" in page
    assert 'value="2026-03-31"' in page  # what was typed is kept, to correct it


def test_the_backlog_page_groups_by_what_is_asked(cast, desk):
    page = browser(cast.agent).get(reverse("console:reports_backlog"), {"group": "priority"}).content.decode()
    assert '<th scope="row">3 medium</th>' in page and "<title>3 medium: over 30 days 2</title>" in page
    rows = rows_of(browser(cast.agent).get(reverse("console:reports_backlog_csv"), {"group": "kind"}))
    assert rows[0] == ["group", "name", "under_1_day", "1_to_3_days", "3_to_7_days", "7_to_30_days", "over_30_days",
                       "total"]
    assert rows[1:] == [["kind", "incident", "1", "0", "0", "0", "2", "3"]]

