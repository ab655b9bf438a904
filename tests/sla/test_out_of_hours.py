"""K17: outside working hours only tickets on critical systems or of VIP organisations get the
on-call path (the SLA on the 24/7 on-call calendar, the on-call staff told at once); others are
accepted and told politely when work will start: after reporting on the portal, in the
acknowledgement, and on the console's ticket page. Which systems and organisations qualify is data,
shown on the CI and the organisation."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from tugi.catalog.models import Criticality
from tugi.tickets import services
from tugi.tickets.models import OutOfHours, TicketSource

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db

TALLINN = ZoneInfo("Europe/Tallinn")
SATURDAY_MORNING = dt.datetime(2026, 3, 14, 10, 0, tzinfo=TALLINN)
MONDAY_MORNING = dt.datetime(2026, 3, 16, 8, 0, tzinfo=TALLINN)


@pytest.fixture
def desk(cast):
    """Anna and the agent read English; the agent is on call."""
    cast.client_a.language = "en"
    cast.client_a.save(update_fields=["language"])
    cast.agent.language = "en"
    cast.agent.is_on_call = True
    cast.agent.save(update_fields=["language", "is_on_call"])
    return cast


def report_on_portal(client, cast, django_capture_on_commit_callbacks, *, ci=None):
    assert client.login(username="anna", password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:report"), {
            "kind": "incident", "title": "The server does not answer", "description": "Since the morning",
            "configuration_item": (ci or cast.ci_a).pk, "urgency": 2, "impact": 2,
        }, follow=True)
    assert response.status_code == 200
    return cast.client_a.requested_tickets.get(), response.content.decode()


def mail_to(person):
    return [m for m in mail.outbox if any(person.email in addr for addr in m.to)]


def test_k17_a_normal_ticket_out_of_hours_is_accepted_and_told_when_work_starts(
    desk, client, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(SATURDAY_MORNING, tick=False)
    ticket, page = report_on_portal(client, desk, django_capture_on_commit_callbacks)
    assert ticket.out_of_hours == OutOfHours.NEXT_WORKING_TIME
    assert ticket.work_starts_at == MONDAY_MORNING
    # On the portal, right after reporting.
    assert "outside our working hours, so work on it will start at the beginning of the next working time" in page
    assert "March 16, 2026" in page or "16.03.2026" in page
    # In the acknowledgement.
    [ack] = mail_to(desk.client_a)
    assert "Work on it will start at the beginning of the next working time, Monday, 16 March 2026, 08:00." in ack.body
    # Nobody is woken up, and the SLA runs on working hours: the response is due Monday 12:00 (P3, 4 h).
    assert mail_to(desk.agent) == []
    assert ticket.priority == 3
    assert ticket.response_due_at == MONDAY_MORNING + dt.timedelta(hours=4)
    assert "on-call" not in ticket.sla_policy_label


def test_k17_a_vip_organisations_ticket_out_of_hours_takes_the_on_call_path(
    desk, client, time_machine, django_capture_on_commit_callbacks
):
    desk.org_a.is_vip = True
    desk.org_a.save(update_fields=["is_vip"])
    time_machine.move_to(SATURDAY_MORNING, tick=False)
    ticket, page = report_on_portal(client, desk, django_capture_on_commit_callbacks)
    assert (ticket.out_of_hours, ticket.work_starts_at) == (OutOfHours.ON_CALL, None)
    [page_to_on_call] = mail_to(desk.agent)
    assert page_to_on_call.subject == f"[{ticket.reference}] On call: The server does not answer"
    assert "outside working hours and needs the on-call service" in page_to_on_call.body
    assert "Alfa OÜ (VIP)" in page_to_on_call.body
    # The SLA runs round the clock: P3's 4-hour response is due on Saturday itself.
    assert ticket.response_due_at == SATURDAY_MORNING + dt.timedelta(hours=4)
    assert "on the on-call calendar" in ticket.sla_policy_label
    [ack] = mail_to(desk.client_a)
    assert "our on-call specialist has been told" in ack.body
    assert "on-call specialist has been told" in page


def test_k17_a_ticket_on_a_mission_critical_system_out_of_hours_takes_the_on_call_path(
    desk, client, time_machine, django_capture_on_commit_callbacks
):
    desk.ci_a.criticality = Criticality.MISSION_CRITICAL
    desk.ci_a.save(update_fields=["criticality"])
    time_machine.move_to(SATURDAY_MORNING, tick=False)
    ticket, _page = report_on_portal(client, desk, django_capture_on_commit_callbacks)
    assert ticket.out_of_hours == OutOfHours.ON_CALL
    assert len(mail_to(desk.agent)) == 1


def test_k17_in_working_hours_nobody_on_call_is_told_but_a_vip_ticket_keeps_the_round_the_clock_sla(
    desk, time_machine, django_capture_on_commit_callbacks
):
    desk.org_a.is_vip = True
    desk.org_a.save(update_fields=["is_vip"])
    time_machine.move_to(MONDAY_MORNING + dt.timedelta(hours=2), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = services.ticket_create(actor=desk.actor("client_a"), kind="incident", title="Slow", source="portal")
    ticket.refresh_from_db()
    assert (ticket.out_of_hours, ticket.work_starts_at) == ("", None)
    assert mail_to(desk.agent) == []
    assert "on the on-call calendar" in ticket.sla_policy_label


def test_k17_the_desk_may_keep_the_on_call_path_for_urgent_tickets_only(
    desk, settings, time_machine, django_capture_on_commit_callbacks
):
    settings.TUGI_ON_CALL_MAX_PRIORITY = 2
    desk.org_a.is_vip = True
    desk.org_a.save(update_fields=["is_vip"])
    time_machine.move_to(SATURDAY_MORNING, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = services.ticket_create(actor=desk.actor("client_a"), kind="incident", title="A question",
                                        source=TicketSource.PORTAL)  # P3 by default: not urgent enough
    assert (ticket.out_of_hours, ticket.work_starts_at) == (OutOfHours.NEXT_WORKING_TIME, MONDAY_MORNING)
    assert mail_to(desk.agent) == []


def test_k17_k8_the_console_ticket_page_shows_when_work_starts_the_time_left_and_the_escalation(
    desk, client, time_machine
):
    time_machine.move_to(SATURDAY_MORNING, tick=False)
    ticket = services.ticket_create(actor=desk.actor("client_a"), kind="incident", title="Printer",
                                    source=TicketSource.PORTAL)
    time_machine.move_to(MONDAY_MORNING + dt.timedelta(hours=1), tick=False)
    assert client.login(username="agent", password=PASSWORD)
    html = client.get(reverse("console:ticket", args=[ticket.reference])).content.decode()
    assert 'id="sla"' in html
    assert "Arrived outside working hours: the client was told that work starts at" in html
    assert html.count(" left</time>") >= 2  # response and resolution, each a clear time left
    assert "Response" in html and "Resolution" in html
    assert "Escalation" in html and "response 75 %" in html and "resolution 100 %" in html


def test_k17_the_client_never_sees_the_escalation_state(desk, client, time_machine):
    time_machine.move_to(SATURDAY_MORNING, tick=False)
    ticket = services.ticket_create(actor=desk.actor("client_a"), kind="incident", title="Printer",
                                    source=TicketSource.PORTAL)
    assert client.login(username="anna", password=PASSWORD)
    html = client.get(reverse("portal:ticket", args=[ticket.reference])).content.decode()
    assert "Escalation" not in html and "75 %" not in html


def test_k17_the_ci_and_the_organisation_pages_say_who_gets_on_call_support(desk, client):
    desk.ci_a.criticality = Criticality.MISSION_CRITICAL
    desk.ci_a.save(update_fields=["criticality"])
    desk.org_b.is_vip = True
    desk.org_b.save(update_fields=["is_vip"])
    assert client.login(username="agent", password=PASSWORD)
    html = client.get(reverse("console:ci", args=[desk.ci_a.pk])).content.decode()
    assert "on-call support: a mission-critical system" in html
    html = client.get(reverse("console:ci", args=[desk.ci_b.pk])).content.decode()
    assert "on-call support: a VIP organisation" in html
    html = client.get(reverse("console:organisation", args=[desk.org_b.pk])).content.decode()
    assert "VIP client: its tickets get on-call support outside working hours." in html
    html = client.get(reverse("console:organisation", args=[desk.org_a.pk])).content.decode()
    assert "Outside working hours its tickets wait for the next working time" in html


def test_k8_k17_the_queue_marks_a_late_first_response_and_the_on_call_path(desk, client, time_machine):
    desk.org_a.is_vip = True
    desk.org_a.save(update_fields=["is_vip"])
    time_machine.move_to(SATURDAY_MORNING, tick=False)
    ticket = services.ticket_create(actor=desk.actor("client_a"), kind="incident", title="Down",
                                    source=TicketSource.PORTAL)
    ticket.refresh_from_db()
    time_machine.move_to(ticket.response_due_at + dt.timedelta(minutes=1), tick=False)  # on the 24/7 clock
    assert client.login(username="agent", password=PASSWORD)
    html = client.get(reverse("console:queue")).content.decode()
    assert "no response" in html and "sla-overdue" in html
    assert ">on call</span>" in html
