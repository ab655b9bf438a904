"""K8: tickets carry the SLA's due times. They come from the policy that applies when the ticket is
created, follow its priority (K15), stand still while it waits for the client or is postponed, and
never forget a pause; the first public reply of the desk is the first response."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tugi.sla.calendar import business_time_between
from tugi.sla.models import BusinessCalendar, OrganisationSLAPolicy, SLAPolicy
from tugi.sla.selectors import calendar_spec_for
from tugi.tickets import services
from tugi.tickets.lifecycle import Action
from tugi.tickets.models import TicketPause
from tugi.tickets.priority import Impact, Urgency

pytestmark = pytest.mark.django_db

TALLINN = ZoneInfo("Europe/Tallinn")
H = dt.timedelta(hours=1)
OFFICE_NAME = "Estonian working days 08:00–17:00"


def at(y, mo, d, h=0, mi=0):
    return dt.datetime(y, mo, d, h, mi, tzinfo=TALLINN)


def report(cast, *, organisation=None, impact=Impact.MEDIUM, urgency=Urgency.MEDIUM):
    """A P3 incident by default (medium impact, medium urgency), registered by the desk."""
    return services.ticket_create(
        actor=cast.actor("agent"), kind="incident", title="The ERP is slow", source="agent",
        organisation=organisation or cast.org_a, service=cast.service, impact=impact, urgency=urgency,
    )


def test_k8_the_desk_wide_defaults_exist_for_every_priority():
    defaults = SLAPolicy.objects.filter(service__isnull=True).select_related("calendar")
    assert sorted(p.priority for p in defaults) == [1, 2, 3, 4, 5]
    assert {p.calendar.name for p in defaults} == {OFFICE_NAME}  # K17's 24/7 on-call path is not a default
    by_priority = {p.priority: p for p in defaults}
    assert (by_priority[1].response_target, by_priority[1].resolution_target) == (1 * H, 4 * H)
    assert by_priority[5].resolution_target == 20 * 9 * H


def test_k8_a_ticket_gets_its_due_times_from_the_default_policy_when_created(cast, time_machine):
    time_machine.move_to(at(2026, 3, 6, 16, 30), tick=False)  # a Friday afternoon
    ticket = report(cast)
    ticket.refresh_from_db()
    assert ticket.priority == 3
    # P3: response in 4 business hours, resolution in 3 business days (27 h): half an hour runs on
    # Friday, the rest from Monday 08:00.
    assert ticket.response_due_at == at(2026, 3, 9, 11, 30)
    assert ticket.resolution_due_at == at(2026, 3, 11, 16, 30)
    assert "desk-wide default P3" in ticket.sla_policy_label


def test_k8_without_any_policy_the_due_times_stay_empty(cast):
    SLAPolicy.objects.all().delete()
    ticket = report(cast)
    ticket.refresh_from_db()
    assert (ticket.response_due_at, ticket.resolution_due_at, ticket.sla_policy_label) == (None, None, "")


def test_k8_waiting_for_the_client_moves_the_resolution_due_time_by_the_business_time_paused(cast, time_machine):
    agent = cast.actor("agent")
    time_machine.move_to(at(2026, 3, 9, 8), tick=False)  # Monday 08:00
    ticket = report(cast)
    ticket.refresh_from_db()
    before = ticket.resolution_due_at
    assert before == at(2026, 3, 11, 17)  # 27 business hours: Mon, Tue, Wed
    services.ticket_assign(actor=agent, ticket=ticket, assignee=cast.agent)

    time_machine.move_to(at(2026, 3, 9, 9), tick=False)
    ticket = services.ticket_transition(actor=agent, ticket=ticket, action=Action.WAIT_FOR_CLIENT,
                                        reason="Which report is slow?")
    ticket.refresh_from_db()
    assert ticket.resolution_due_at is None and ticket.is_sla_paused  # shown as "paused"
    assert ticket.response_due_at == at(2026, 3, 9, 12)  # the response clock does not stop

    time_machine.move_to(at(2026, 3, 10, 9), tick=False)  # the client answers a day later
    ticket = services.ticket_transition(actor=agent, ticket=ticket, action=Action.RESUME)
    ticket.refresh_from_db()
    pause = TicketPause.objects.get(ticket=ticket)
    assert (pause.started_at, pause.ended_at, pause.reason) == (
        at(2026, 3, 9, 9), at(2026, 3, 10, 9), TicketPause.Reason.WAITING_FOR_CLIENT
    )
    paused = business_time_between(pause.started_at, pause.ended_at,
                                   calendar_spec_for(BusinessCalendar.objects.get(name=OFFICE_NAME)))
    assert paused == 9 * H
    assert ticket.resolution_due_at == at(2026, 3, 12, 17)  # exactly one business day later
    assert not ticket.is_sla_paused


def test_k8_k15_a_priority_change_recomputes_the_due_times_keeping_the_pauses(cast, time_machine):
    agent = cast.actor("agent")
    time_machine.move_to(at(2026, 3, 9, 8), tick=False)
    ticket = report(cast)
    services.ticket_assign(actor=agent, ticket=ticket, assignee=cast.agent)
    time_machine.move_to(at(2026, 3, 9, 9), tick=False)
    services.ticket_transition(actor=agent, ticket=ticket, action=Action.WAIT_FOR_CLIENT, reason="Which report?")
    time_machine.move_to(at(2026, 3, 10, 9), tick=False)
    ticket = services.ticket_transition(actor=agent, ticket=ticket, action=Action.RESUME)

    ticket = services.ticket_set_priority(actor=agent, ticket=ticket, impact=Impact.HIGH, urgency=Urgency.MEDIUM,
                                          reason="The whole accounting team is stuck")
    ticket.refresh_from_db()
    assert ticket.priority == 2
    # P2: response 2 h from Monday 08:00; resolution 9 h: 1 h before the pause, 8 h after it.
    assert ticket.response_due_at == at(2026, 3, 9, 10)
    assert ticket.resolution_due_at == at(2026, 3, 10, 17)
    assert "P2" in ticket.sla_policy_label


def test_k8_a_postponement_is_a_pause_too(cast, time_machine):
    agent = cast.actor("agent")
    time_machine.move_to(at(2026, 3, 9, 8), tick=False)
    ticket = report(cast)
    services.ticket_assign(actor=agent, ticket=ticket, assignee=cast.agent)
    time_machine.move_to(at(2026, 3, 9, 9), tick=False)
    services.ticket_transition(actor=agent, ticket=ticket, action=Action.POSTPONE, reason="Holidays",
                               until=dt.date(2026, 3, 16))
    time_machine.move_to(at(2026, 3, 16, 9), tick=False)  # a week of business time later
    ticket = services.ticket_transition(actor=agent, ticket=ticket, action=Action.RESUME)
    ticket.refresh_from_db()
    assert TicketPause.objects.get(ticket=ticket).reason == TicketPause.Reason.POSTPONED
    assert ticket.resolution_due_at == at(2026, 3, 18, 17)  # 1 h before, 26 h from Monday 16th 09:00


def test_k8_the_first_public_reply_of_the_desk_is_the_first_response(cast, time_machine):
    time_machine.move_to(at(2026, 3, 9, 8), tick=False)
    ticket = report(cast)
    time_machine.move_to(at(2026, 3, 9, 8, 10), tick=False)
    services.ticket_add_entry(actor=cast.actor("client_a"), ticket=ticket, body="It is getting worse")
    time_machine.move_to(at(2026, 3, 9, 8, 20), tick=False)
    services.ticket_add_entry(actor=cast.actor("agent"), ticket=ticket, body="Checking the logs", is_internal=True)
    ticket.refresh_from_db()
    assert ticket.first_response_at is None  # neither the client's message nor an internal note

    time_machine.move_to(at(2026, 3, 9, 8, 30), tick=False)
    services.ticket_add_entry(actor=cast.actor("agent"), ticket=ticket, body="We are looking into it")
    time_machine.move_to(at(2026, 3, 9, 9), tick=False)
    services.ticket_add_entry(actor=cast.actor("agent"), ticket=ticket, body="Found it")
    ticket.refresh_from_db()
    assert ticket.first_response_at == at(2026, 3, 9, 8, 30)


def test_k8_an_organisations_contract_wins_over_the_services_policy(cast, time_machine):
    office = BusinessCalendar.objects.get(name=OFFICE_NAME)
    SLAPolicy.objects.create(service=cast.service, priority=3, response_target=2 * H, resolution_target=9 * H,
                             calendar=office)
    OrganisationSLAPolicy.objects.create(organisation=cast.org_a, priority=3, response_target=1 * H,
                                         resolution_target=4 * H, calendar=BusinessCalendar.objects.get(name="24/7"))
    time_machine.move_to(at(2026, 3, 6, 16, 30), tick=False)

    contracted = report(cast, organisation=cast.org_a)
    contracted.refresh_from_db()
    assert (contracted.response_due_at, contracted.resolution_due_at) == (at(2026, 3, 6, 17, 30),
                                                                          at(2026, 3, 6, 20, 30))
    assert "contract" in contracted.sla_policy_label

    other = report(cast, organisation=cast.org_b)
    other.refresh_from_db()
    assert (other.response_due_at, other.resolution_due_at) == (at(2026, 3, 9, 9, 30), at(2026, 3, 9, 16, 30))
    assert "service's policy" in other.sla_policy_label


def test_k8_the_ticket_pages_show_the_committed_time_and_paused_while_waiting(cast, client, time_machine):
    from django.urls import reverse
    from django.utils import formats

    from ..factories import PASSWORD

    time_machine.move_to(at(2026, 3, 9, 8), tick=False)
    ticket = services.ticket_create(actor=cast.actor("client_a"), kind="incident", title="The ERP is slow",
                                    source="portal", configuration_items=[cast.ci_a])
    ticket.refresh_from_db()
    shown = formats.date_format(ticket.resolution_due_at.astimezone(TALLINN), "SHORT_DATETIME_FORMAT")
    assert client.login(username="anna", password=PASSWORD)
    assert shown in client.get(reverse("portal:ticket", args=[ticket.reference])).content.decode()

    ticket = services.ticket_assign(actor=cast.actor("agent"), ticket=ticket, assignee=cast.agent)
    services.ticket_transition(actor=cast.actor("agent"), ticket=ticket, action=Action.WAIT_FOR_CLIENT,
                               reason="Which report?")
    assert "paused" in client.get(reverse("portal:ticket", args=[ticket.reference])).content.decode()
    assert client.login(username="agent", password=PASSWORD)
    page = client.get(reverse("console:ticket", args=[ticket.reference])).content.decode()
    assert "paused" in page and shown not in page


def test_k8_an_open_ticket_past_its_resolution_due_time_is_overdue(cast, time_machine):
    time_machine.move_to(at(2026, 3, 9, 8), tick=False)
    ticket = report(cast, impact=Impact.HIGH, urgency=Urgency.HIGH)  # P1: resolution in 4 business hours
    ticket.refresh_from_db()
    assert not ticket.is_resolution_overdue
    time_machine.move_to(at(2026, 3, 9, 12), tick=False)
    assert ticket.is_resolution_overdue
