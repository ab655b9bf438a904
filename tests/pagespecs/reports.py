"""The desk's reports (issue 5): SLA compliance, the backlog by age, time spent and disputes, each a
page and a CSV. Staff only: they set the organisations side by side, so a client is refused (even a
representative, who may see their own organisation's tickets) and a visitor signs in."""

import datetime as dt

from django.utils import timezone

from tests.pagematrix import PageSpec, console
from tugi.worklog import services as worklog


def build(scene):
    """Time on A and on B, and a dispute of A's, so the reports have figures of both organisations."""
    agent = scene.cast.actor("agent")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    entry = worklog.time_entry_add(actor=agent, ticket=scene.a, work_date=yesterday, minutes=45,
                                   description="Alfa payroll checked")
    worklog.time_entry_add(actor=agent, ticket=scene.b, work_date=yesterday, minutes=30, description="Beeta printer")
    return worklog.time_entry_dispute(actor=scene.cast.actor("client_a"), entry=entry, reason="Alfa: too long")

PAGES = (
    PageSpec("reports: index", "console:reports", console()),
    PageSpec("reports: SLA compliance", "console:reports_sla", console()),
    PageSpec("reports: SLA compliance of A in a period", "console:reports_sla", console(),
             query="since=2020-01-01&until=2031-12-31&organisation={org_a}"),
    PageSpec("reports: SLA compliance, malformed filters", "console:reports_sla", console(),
             query="since=x&until=2026-13-40&service=abc&organisation=-1"),
    PageSpec("reports: SLA compliance from year 1900 to 9998", "console:reports_sla", console(),
             query="since=1900-01-01&until=9998-12-31"),
    PageSpec("reports: SLA compliance until the last day of year 9999", "console:reports_sla", console(),
             query="until=9999-12-31"),
    PageSpec("reports: SLA compliance as CSV", "console:reports_sla_csv", console()),
    PageSpec("reports: SLA compliance as CSV, malformed filters", "console:reports_sla_csv", console(),
             query="since=2026-02-30&until=x"),
    PageSpec("reports: backlog by age", "console:reports_backlog", console()),
    PageSpec("reports: backlog by organisation", "console:reports_backlog", console(), query="group=organisation"),
    PageSpec("reports: backlog, unknown grouping", "console:reports_backlog", console(), query="group=salary"),
    PageSpec("reports: backlog as CSV by service", "console:reports_backlog_csv", console(), query="group=service"),
    PageSpec("reports: time spent", "console:reports_time", console()),
    PageSpec("reports: time spent on A's tickets", "console:reports_time", console(), query="organisation={org_a}"),
    PageSpec("reports: time spent, malformed filters", "console:reports_time", console(),
             query="since=2026-05-01&until=2026-04-01&service=x"),
    PageSpec("reports: time spent as CSV", "console:reports_time_csv", console()),
    PageSpec("reports: disputes", "console:reports_disputes", console()),
    PageSpec("reports: disputes since year 1900", "console:reports_disputes", console(), query="since=1900-01-01"),
    PageSpec("reports: disputes as CSV", "console:reports_disputes_csv", console()),
)
