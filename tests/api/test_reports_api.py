"""The desk's reports through API v1 (issue 6): each route gives the figures of its console page, and
of the CSV the page serves, for the same data and filters; a bad filter is refused with its field;
a client is refused; the query count does not grow with the data.

The data, made through the services at known times (now: Friday 20 March 2026, 12:00 in Tallinn;
every ticket a P3 incident):

| ticket | created         | org | service | SLA                                   | time logged (dispute)             |
|--------|-----------------|-----|---------|---------------------------------------|-----------------------------------|
| t1     | Mon 12 Jan 9:00 | A   | ERP     | response and resolution met           | 60 billable (kept), 30 not        |
| t2     | Tue 10 Feb 9:00 | B   | Mail    | response met, resolution breached     | 120 billable                      |
| t3     | Thu 19 Mar 9:00 | A   | Mail    | response breached, resolution running | 45 billable (open)                |
"""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ServiceFactory
from tests.reports.conftest import NOW, act, at, reply, report_ticket
from tugi.reports import selectors
from tugi.tickets.lifecycle import Action
from tugi.worklog import services as worklog

from .conftest import refusal

pytestmark = pytest.mark.django_db

PERIOD = {"since": "2026-01-01", "until": "2026-03-31"}
REPORTS = ("sla", "backlog", "time", "disputes")


@pytest.fixture
def desk(cast, time_machine):
    erp = cast.service
    mail = ServiceFactory(name="Mail", service_manager=cast.service_manager, catalogue_owner=cast.catalogue_owner)
    agent = cast.actor("agent")

    t1 = report_ticket(cast, when=at(2026, 1, 12, 9), organisation=cast.org_a, service=erp, time_machine=time_machine)
    reply(cast, t1, at(2026, 1, 12, 9, 30), time_machine)
    t1 = act(cast, t1, Action.RESOLVE, at(2026, 1, 12, 10), time_machine)
    t2 = report_ticket(cast, when=at(2026, 2, 10, 9), organisation=cast.org_b, service=mail, time_machine=time_machine)
    t2 = reply(cast, t2, at(2026, 2, 10, 9, 30), time_machine)
    t3 = report_ticket(cast, when=at(2026, 3, 19, 9), organisation=cast.org_a, service=mail, time_machine=time_machine)

    def log(ticket, minutes, billable=True):
        return worklog.time_entry_add(actor=agent, ticket=ticket, work_date=ticket.created_at.date(), minutes=minutes,
                                      description="Work", is_billable=billable)

    kept = log(t1, 60)
    log(t1, 30, billable=False)
    log(t2, 120)
    disputed = log(t3, 45)
    time_machine.move_to(at(2026, 2, 2, 10), tick=False)
    dispute = worklog.time_entry_dispute(actor=cast.actor("representative_a"), entry=kept, reason="Too long")
    worklog.time_dispute_answer(actor=agent, dispute=dispute, outcome="kept", justification="The log shows it")
    time_machine.move_to(at(2026, 3, 19, 15), tick=False)
    worklog.time_entry_dispute(actor=cast.actor("representative_a"), entry=disputed, reason="Nobody came")
    time_machine.move_to(NOW, tick=False)
    return {"erp": erp, "mail": mail}


def console_csv(cast, report: str, params: dict) -> list[list[str]]:
    """The rows of the CSV the console's report page serves, without its header."""
    browser = Client()
    browser.force_login(cast.agent.user)
    response = browser.get(reverse(f"console:reports_{report}_csv"), params)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]


def console_params(params: dict) -> dict:
    """The API's filters as the console's form names them."""
    names = {"service_id": "service", "organisation_id": "organisation"}
    return {names.get(name, name): value for name, value in params.items()}


def _share(value) -> str:
    return "" if value is None else f"{value:.1f}"


def as_csv(report: str, body: dict) -> list[list[str]]:
    """The API's answer written as the console's CSV writes its rows (the CSV's names are the API's
    ``name``; a formula-like name would be guarded there, and the data has none)."""
    if report == "sla":
        return [[group, row["name"], *map(str, (row["tickets"], row["response_met"], row["response_breached"],
                                               row["response_running"])), _share(row["response_met_percent"]),
                 *map(str, (row["resolution_met"], row["resolution_breached"], row["resolution_running"])),
                 _share(row["resolution_met_percent"])]
                for group in ("service", "organisation", "month") for row in body[group]]
    if report == "backlog":
        return [[body["group"], row["name"], *(str(count) for count in row["ages"].values()), str(row["total"])]
                for row in body["rows"]]
    if report == "time":
        return [[group, row["name"], str(row["entries"]), str(row["minutes"]), f"{row['hours']:.2f}",
                 str(row["billable_minutes"]), f"{row['billable_hours']:.2f}"]
                for group in ("organisation", "service") for row in body[group]]
    return [[group, row["name"], *(str(row[name]) for name in ("raised", "open", "kept", "corrected", "removed"))]
            for group in ("month", "organisation", "service") for row in body[group]]


@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("scope", ["all", "organisation", "service"])
def test_each_report_gives_the_figures_of_its_console_page_issue_6(api, cast, desk, report, scope):
    params = {} if report == "backlog" else dict(PERIOD)
    if scope == "organisation":
        params["organisation_id"] = cast.org_a.pk
    elif scope == "service":
        params["service_id"] = desk["mail"].pk
    response = api("agent").get(f"/reports/{report}", **params)
    assert response.status_code == 200, response.content
    rows = as_csv(report, response.json())
    assert rows, "the data set should give each report rows"
    assert rows == console_csv(cast, report, console_params(params))


def test_the_sla_report_counts_the_targets_k8(api, cast, desk):
    body = api("service_manager").get("/reports/sla", **PERIOD).json()
    assert body["filters"] == {**PERIOD, "service_id": None, "organisation_id": None}
    erp, mail = body["service"]
    assert (erp["name"], erp["id"], erp["tickets"], erp["response_met_percent"]) == ("ERP", cast.service.pk, 1, 100.0)
    assert (mail["name"], mail["tickets"], mail["response_met"], mail["response_breached"]) == ("Mail", 2, 1, 1)
    assert (mail["resolution_breached"], mail["resolution_running"], mail["resolution_met_percent"]) == (1, 1, 0.0)
    assert [(m["month"], m["name"], m["tickets"]) for m in body["month"]] == [
        ("2026-01-01", "2026-01", 1), ("2026-02-01", "2026-02", 1), ("2026-03-01", "2026-03", 1)]


def test_the_backlog_has_named_age_columns_and_the_page_s_totals(api, cast, desk):
    body = api("agent").get("/reports/backlog", group="organisation").json()
    assert [(row["key"], row["name"], row["ages"], row["total"]) for row in body["rows"]] == [
        ("Alfa OÜ", "Alfa OÜ", {"under_1_day": 0, "1_to_3_days": 1, "3_to_7_days": 0, "7_to_30_days": 0,
                                "over_30_days": 0}, 1),
        ("Beeta AS", "Beeta AS", {"under_1_day": 0, "1_to_3_days": 0, "3_to_7_days": 0, "7_to_30_days": 0,
                                  "over_30_days": 1}, 1),
    ]
    rows = selectors.backlog_report(cast.actor("agent"), selectors.ReportFilters.default(), group="organisation")
    totals, total = selectors.backlog_totals(rows)
    assert list(body["totals"].values()) == list(totals) == [0, 1, 0, 0, 1]
    assert body["total"] == total == 2
    assert body["group"] == "organisation"


def test_the_backlog_groups_by_kind_when_none_is_named(api, cast, desk):
    body = api("agent").get("/reports/backlog").json()
    assert body["group"] == "kind"
    assert [(row["key"], row["total"]) for row in body["rows"]] == [("incident", 2)]


def test_time_and_disputes_count_as_the_selectors_do_k12(api, cast, desk):
    agent = api("agent")
    time = agent.get("/reports/time", **PERIOD).json()["organisation"]
    assert [(r["name"], r["entries"], r["minutes"], r["hours"], r["billable_minutes"]) for r in time] == [
        ("Alfa OÜ", 3, 135, 2.25, 105), ("Beeta AS", 1, 120, 2.0, 120)]
    disputes = agent.get("/reports/disputes", **PERIOD).json()
    assert [(r["month"], r["raised"], r["open"], r["kept"]) for r in disputes["month"]] == [
        ("2026-01-01", 0, 0, 0), ("2026-02-01", 1, 0, 1), ("2026-03-01", 1, 1, 0)]
    assert [(r["id"], r["name"], r["raised"]) for r in disputes["organisation"]] == [(cast.org_a.pk, "Alfa OÜ", 2)]


def test_the_default_period_is_the_console_s(api, cast, desk):
    """No period named: the last twelve months to today, as the page shows."""
    body = api("agent").get("/reports/time").json()
    assert body["filters"]["since"] == "2025-04-01" and body["filters"]["until"] == "2026-03-20"
    assert as_csv("time", body) == console_csv(cast, "time", {})


@pytest.mark.parametrize(("report", "params", "field"), [
    ("sla", {"since": "2026-03-31", "until": "2026-01-01"}, "until"),
    ("time", {"since": "31 March"}, "since"),
    ("disputes", {"until": "0999-01-01"}, "until"),
    ("sla", {"service_id": 999999}, "service_id"),
    ("time", {"organisation_id": 999999}, "organisation_id"),
    ("backlog", {"organisation_id": 999999}, "organisation_id"),
    ("backlog", {"group": "colour"}, "group"),
])
def test_a_bad_filter_is_refused_with_its_field(api, cast, report, params, field):
    response = api("agent").get(f"/reports/{report}", **params)
    assert response.status_code == 400, response.content
    body = refusal(response)
    assert body["field"] == field and body["code"] == "invalid"


def test_a_period_with_one_end_past_the_other_s_default_is_that_one_day(api, cast, desk):
    """As the page: a start after today, no end given, reads that one day."""
    body = api("agent").get("/reports/sla", since="2026-06-01").json()
    assert (body["filters"]["since"], body["filters"]["until"]) == ("2026-06-01", "2026-06-01")


@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("who", ["client_a", "representative_a", "client_b"])
def test_a_client_may_not_read_a_report(api, cast, report, who):
    response = api(who).get(f"/reports/{report}", service_id=999999, since="nonsense")
    assert response.status_code == 403
    assert refusal(response)["code"] == "forbidden"


@pytest.mark.parametrize(("report", "bound"), [("sla", 6), ("backlog", 4), ("time", 4), ("disputes", 4)])
def test_a_report_reads_in_a_fixed_number_of_queries(api, cast, desk, report, bound, django_assert_max_num_queries):
    """The caller's token, the two filters' checks, and the report's own grouped read (SLA: then the
    names of the services and organisations found): never a query per row."""
    agent = api("agent")
    agent.get("/reports/sla")  # the token's first use is written once
    params = {"service_id": desk["mail"].pk, "organisation_id": cast.org_a.pk}
    if report != "backlog":
        params.update(PERIOD)
    with django_assert_max_num_queries(bound):
        assert agent.get(f"/reports/{report}", **params).status_code == 200
