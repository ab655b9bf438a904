"""A small desk with known SLA outcomes, made through the services at known times (time-machine),
for the reports' tests: every figure a test expects can be counted by hand from this list.

Period: January to March 2026; "now" is Friday 20 March 2026, 12:00 in Tallinn. Every ticket is a
P3 incident (response due in 4, resolution in 27 business hours, on Estonian working days).

| ticket | created        | org | service | response          | resolution              |
|--------|----------------|-----|---------|-------------------|-------------------------|
| t1     | Mon 12 Jan 9:00| A   | ERP     | met (09:30)       | met (10:00)             |
| t2     | Tue 13 Jan 9:00| A   | ERP     | breached (due +1h)| breached (due +1h)      |
| t3     | Tue 10 Feb 9:00| B   | Mail    | met (09:30)       | breached (open, overdue)|
| t4     | Fri 20 Mar 9:00| B   | ERP     | running           | running                 |
| t5     | Wed 11 Feb 9:00| A   | ERP     | cancelled: not counted                      |
| t6     | Mon 15 Dec 2025| A   | ERP     | outside the period                          |
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from tests.factories import ServiceFactory
from tugi.reports.selectors import ReportFilters
from tugi.tickets import services
from tugi.tickets.lifecycle import Action
from tugi.tickets.models import Ticket
from tugi.tickets.priority import Impact, Urgency

TALLINN = ZoneInfo("Europe/Tallinn")
NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=TALLINN)
PERIOD = ReportFilters(since=dt.date(2026, 1, 1), until=dt.date(2026, 3, 31))


def at(y, mo, d, h=0, mi=0):
    return dt.datetime(y, mo, d, h, mi, tzinfo=TALLINN)


@dataclass
class Desk:
    erp: object
    mail: object
    tickets: dict


def report_ticket(cast, *, when, organisation, service, kind="incident", impact=Impact.MEDIUM,
                  urgency=Urgency.MEDIUM, time_machine) -> Ticket:
    time_machine.move_to(when, tick=False)
    ticket = services.ticket_create(actor=cast.actor("agent"), kind=kind, title=f"Ticket of {when:%d %b}",
                                    source="agent", organisation=organisation, service=service,
                                    impact=impact, urgency=urgency)
    ticket.refresh_from_db()
    return ticket


def reply(cast, ticket, when, time_machine) -> Ticket:
    time_machine.move_to(when, tick=False)
    services.ticket_add_entry(actor=cast.actor("agent"), ticket=ticket, body="We are on it.")
    ticket.refresh_from_db()
    return ticket


def act(cast, ticket, action, when, time_machine, reason="") -> Ticket:
    time_machine.move_to(when, tick=False)
    agent = cast.actor("agent")
    if action is Action.RESOLVE and ticket.assignee_id is None:
        ticket = services.ticket_assign(actor=agent, ticket=ticket, assignee=cast.agent)
    ticket = services.ticket_transition(actor=agent, ticket=ticket, action=action, reason=reason or "Done")
    ticket.refresh_from_db()
    return ticket


@pytest.fixture
def desk(cast, time_machine) -> Desk:
    erp = cast.service
    mail = ServiceFactory(name="Mail", service_manager=cast.service_manager, catalogue_owner=cast.catalogue_owner)
    made = {}

    t1 = report_ticket(cast, when=at(2026, 1, 12, 9), organisation=cast.org_a, service=erp, time_machine=time_machine)
    reply(cast, t1, at(2026, 1, 12, 9, 30), time_machine)
    made["t1"] = act(cast, t1, Action.RESOLVE, at(2026, 1, 12, 10), time_machine)

    t2 = report_ticket(cast, when=at(2026, 1, 13, 9), organisation=cast.org_a, service=erp, time_machine=time_machine)
    reply(cast, t2, t2.response_due_at + dt.timedelta(hours=1), time_machine)
    made["t2"] = act(cast, t2, Action.RESOLVE, t2.resolution_due_at + dt.timedelta(hours=1), time_machine)

    t3 = report_ticket(cast, when=at(2026, 2, 10, 9), organisation=cast.org_b, service=mail, time_machine=time_machine)
    made["t3"] = reply(cast, t3, at(2026, 2, 10, 9, 30), time_machine)

    t5 = report_ticket(cast, when=at(2026, 2, 11, 9), organisation=cast.org_a, service=erp, time_machine=time_machine)
    made["t5"] = act(cast, t5, Action.CANCEL, at(2026, 2, 11, 10), time_machine, reason="Not needed after all")

    made["t6"] = report_ticket(cast, when=at(2025, 12, 15, 9), organisation=cast.org_a, service=erp,
                               time_machine=time_machine)
    made["t4"] = report_ticket(cast, when=at(2026, 3, 20, 9), organisation=cast.org_b, service=erp,
                               time_machine=time_machine)
    time_machine.move_to(NOW, tick=False)
    return Desk(erp=erp, mail=mail, tickets=made)
