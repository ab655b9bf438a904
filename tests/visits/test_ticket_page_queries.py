"""A3: the ticket pages of the console and the portal read the client-role flows' panels in a fixed
number of queries, however many appointments, plan steps, risks, questions and cost notices the
ticket has (K4, K21, K5, K10, K11, K16)."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tugi.costs import services as costs
from tugi.dialogue import services as dialogue
from tugi.plans import services as plans
from tugi.tickets import services as tickets
from tugi.tickets.models import TicketKind, TicketSource
from tugi.visits import services as visits

_unique = itertools.count()


def _ticket_with(cast, n: int):
    ticket = tickets.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title="ERP is slow",
                                   source=TicketSource.PORTAL, configuration_items=[cast.ci_a])
    ticket = tickets.ticket_assign(actor=cast.actor("agent"), ticket=ticket, assignee=cast.agent)
    agent, manager = cast.actor("agent"), cast.actor("service_manager")
    start = timezone.now() + dt.timedelta(days=2)
    for _ in range(n):
        k = next(_unique)
        visits.appointment_plan(actor=agent, ticket=ticket, starts_at=start + dt.timedelta(hours=3 * k),
                                ends_at=start + dt.timedelta(hours=3 * k + 1), staff=cast.agent, location=f"Room {k}")
        plans.step_add(actor=agent, ticket=ticket, text=f"Step {k}")
        plans.risk_record(actor=agent, ticket=ticket, text=f"Risk {k}")
        dialogue.question_ask(actor=agent, ticket=ticket, text=f"Question {k}?")
        costs.cost_notice_create(actor=manager, ticket=ticket, description=f"Part {k}", amount="10")
    return ticket


def _queries(browser, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = browser.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("who,page", [("agent", "console:ticket"), ("client_a", "portal:ticket")])
def test_the_ticket_page_reads_the_flow_panels_in_a_fixed_number_of_queries_A3(
        cast, django_assert_max_num_queries, who, page):
    browser = Client()
    browser.force_login(getattr(cast, who).user)
    one = _ticket_with(cast, 1)
    six = _ticket_with(cast, 6)
    _queries(browser, reverse(page, args=[one.reference]))  # warm the session and the caches
    baseline = _queries(browser, reverse(page, args=[one.reference]))
    with django_assert_max_num_queries(baseline):
        assert browser.get(reverse(page, args=[six.reference])).status_code == 200
