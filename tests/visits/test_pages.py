"""The visits flow's pages: the client confirms access and sees appointments in the portal; the
desk records access, plans, changes and cancels appointments and sets the internal planned work
time in the console (K4, K21)."""

import datetime as dt

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone

from tugi.tickets import services as tickets
from tugi.tickets.models import TicketKind, TicketSource
from tugi.visits import services
from tugi.visits.models import AccessKind, AccessRequirement, Appointment, AppointmentStatus


@pytest.fixture
def ticket(cast):
    t = tickets.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title="ERP will not start",
                              source=TicketSource.PORTAL)
    return tickets.ticket_assign(actor=cast.actor("agent"), ticket=t, assignee=cast.agent)


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def window(days=2, hours=2):
    start = (timezone.now() + dt.timedelta(days=days)).replace(second=0, microsecond=0)
    return start, start + dt.timedelta(hours=hours)


def need(cast, ticket, **extra):
    values = {"kind": AccessKind.ROOM, "what": "Server room 2", "reason": "the switch is in there"}
    values.update(extra)
    return services.access_requirement_add(actor=cast.actor("agent"), ticket=ticket, **values)


def portal_page(cast, ticket, who="client_a"):
    response = signed_in(getattr(cast, who)).get(reverse("portal:ticket", args=[ticket.reference]))
    assert response.status_code == 200
    return response.content.decode()


# --- the portal -------------------------------------------------------------------------------

def test_the_portal_asks_the_client_politely_to_confirm_access_K4_S4(cast, ticket):
    need(cast, ticket)
    page = portal_page(cast, ticket)
    assert "Please confirm that the access below is there" in page
    assert "Without it the specialist cannot start the work" in page
    assert "the switch is in there" in page
    assert "Yes, the access is there" in page


def test_the_client_confirms_access_in_the_portal_K4(cast, ticket):
    requirement = need(cast, ticket)
    response = signed_in(cast.client_a).post(
        reverse("portal:visits_access_confirm", args=[ticket.reference, requirement.pk]), follow=True)
    assert "Thank you for confirming the access" in response.content.decode()
    requirement.refresh_from_db()
    assert requirement.is_confirmed and requirement.confirmed_by_label == "Anna Alfa"


def test_a_client_of_another_organisation_cannot_confirm_K4(cast, ticket):
    requirement = need(cast, ticket)
    response = signed_in(cast.client_b).post(
        reverse("portal:visits_access_confirm", args=[ticket.reference, requirement.pk]))
    assert response.status_code == 404
    requirement.refresh_from_db()
    assert not requirement.is_confirmed


def test_the_portal_shows_the_appointment_with_its_time_window_and_access_K21(cast, ticket):
    services.access_requirement_confirm(actor=cast.actor("client_a"), requirement=need(cast, ticket))
    start, end = window()
    appointment = services.appointment_plan(actor=cast.actor("agent"), ticket=ticket, starts_at=start, ends_at=end,
                                            staff=cast.agent, location="Tartu mnt 1")
    page = portal_page(cast, ticket)
    assert formats.time_format(timezone.localtime(start), "TIME_FORMAT") in page
    assert formats.time_format(timezone.localtime(end), "TIME_FORMAT") in page
    assert "Agent Smith" in page and "Tartu mnt 1" in page and "Server room 2" in page
    assert reverse("portal:visits_appointment_ics", args=[ticket.reference, appointment.pk]) in page


def test_the_client_downloads_the_invitation_K21(cast, ticket):
    appointment = services.appointment_plan(actor=cast.actor("agent"), ticket=ticket, starts_at=window()[0],
                                            ends_at=window()[1], staff=cast.agent)
    url = reverse("portal:visits_appointment_ics", args=[ticket.reference, appointment.pk])
    response = signed_in(cast.client_a).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar.walk("VEVENT")[0]["uid"]) == appointment.uid
    assert signed_in(cast.client_b).get(url).status_code == 404
    assert signed_in(cast.agent).get(url).status_code == 200
    assert Client().get(url).status_code == 302


def test_the_portal_never_shows_the_internal_planned_work_time_K21(cast, ticket):
    start = timezone.make_aware(dt.datetime(2031, 7, 14, 9, 37))
    end = timezone.make_aware(dt.datetime(2031, 7, 15, 16, 53))
    services.ticket_plan_work(actor=cast.actor("agent"), ticket=ticket, planned_start=start, planned_end=end)
    need(cast, ticket)
    for who in ("client_a", "representative_a"):
        page = portal_page(cast, ticket, who)
        for value in (start, end):
            for shown in (formats.date_format(timezone.localtime(value), "SHORT_DATE_FORMAT"),
                          formats.time_format(timezone.localtime(value), "TIME_FORMAT"), "2031"):
                assert shown not in page, (who, shown)
        assert "planned start" not in page.lower() and "planned work time" not in page.lower()
    home = signed_in(cast.client_a).get(reverse("portal:home")).content.decode()
    assert "2031" not in home


# --- the console ------------------------------------------------------------------------------

def console_page(cast, ticket):
    response = signed_in(cast.agent).get(reverse("console:ticket", args=[ticket.reference]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_desk_records_an_access_and_start_shows_what_is_missing_K4(cast, ticket):
    start, _end = window()
    response = signed_in(cast.agent).post(reverse("console:visits_access_add", args=[ticket.reference]), {
        "access-kind": "information_system", "access-what": "ERP production", "access-needed_from": local(start),
        "access-whom_to_ask": "Mari, IT manager", "access-reason": "to read the error log"}, follow=True)
    page = response.content.decode()
    assert "The access is recorded" in page
    requirement = AccessRequirement.objects.get(ticket=ticket)
    assert requirement.whom_to_ask == "Mari, IT manager" and requirement.needed_from == start
    assert "The client has not yet confirmed the access the work needs: information system “ERP production”" \
        in page.replace("&ldquo;", "“").replace("&rdquo;", "”")


def test_the_desk_records_a_phone_confirmation_K4(cast, ticket):
    requirement = need(cast, ticket)
    url = reverse("console:visits_access_confirm", args=[ticket.reference, requirement.pk])
    page = signed_in(cast.agent).post(url, {"confirmed_by": ""}, follow=True).content.decode()
    requirement.refresh_from_db()
    assert not requirement.is_confirmed
    page = signed_in(cast.agent).post(url, {"confirmed_by": "Anna Alfa"}, follow=True).content.decode()
    requirement.refresh_from_db()
    assert requirement.confirmed_by_label == "Anna Alfa" and requirement.recorded_by_label == "Agent Smith"
    assert "by phone, recorded by Agent Smith" in page


def test_the_desk_withdraws_an_access_K4(cast, ticket):
    requirement = need(cast, ticket)
    signed_in(cast.agent).post(reverse("console:visits_access_withdraw", args=[ticket.reference, requirement.pk]))
    requirement.refresh_from_db()
    assert requirement.is_withdrawn


def test_planning_in_the_console_is_refused_while_access_is_unconfirmed_K4_K21(cast, ticket):
    need(cast, ticket)
    start, end = window()
    page = signed_in(cast.agent).post(reverse("console:visits_appointment_plan", args=[ticket.reference]), {
        "plan-kind": "visit", "plan-starts_at": local(start), "plan-ends_at": local(end),
        "plan-staff": cast.agent.pk}, follow=True).content.decode()
    assert "No visit can be planned yet" in page
    assert not Appointment.objects.exists()


def test_the_desk_plans_changes_and_cancels_an_appointment_K21(cast, ticket):
    start, end = window()
    agent = signed_in(cast.agent)
    page = agent.post(reverse("console:visits_appointment_plan", args=[ticket.reference]), {
        "plan-kind": "visit", "plan-starts_at": local(start), "plan-ends_at": local(end),
        "plan-staff": cast.agent.pk, "plan-location": "Tartu mnt 1"}, follow=True).content.decode()
    assert "The appointment is planned" in page
    appointment = Appointment.objects.get()
    assert (appointment.starts_at, appointment.ends_at) == (start, end)
    later = end + dt.timedelta(hours=1)
    prefix = f"appointment-{appointment.pk}"
    agent.post(reverse("console:visits_appointment_change", args=[ticket.reference, appointment.pk]), {
        f"{prefix}-kind": "visit", f"{prefix}-starts_at": local(start), f"{prefix}-ends_at": local(later),
        f"{prefix}-staff": cast.agent.pk, f"{prefix}-location": "Tartu mnt 1"})
    appointment.refresh_from_db()
    assert appointment.ends_at == later and appointment.sequence == 1
    agent.post(reverse("console:visits_appointment_cancel", args=[ticket.reference, appointment.pk]),
               {"reason": "The client asked"})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED and appointment.sequence == 2


def test_the_console_shows_and_sets_the_internal_planned_work_time_K21(cast, ticket):
    start, end = window()
    signed_in(cast.agent).post(reverse("console:visits_planned_work", args=[ticket.reference]),
                               {"planned_start": local(start), "planned_end": local(end)})
    ticket.refresh_from_db()
    assert (ticket.planned_start, ticket.planned_end) == (start, end)
    assert local(start) in console_page(cast, ticket)


def test_clients_cannot_use_the_desks_actions_K4_K21(cast, ticket):
    requirement = need(cast, ticket)
    response = signed_in(cast.client_a).post(
        reverse("console:visits_access_confirm", args=[ticket.reference, requirement.pk]), {"confirmed_by": "me"})
    assert response.status_code == 403
    requirement.refresh_from_db()
    assert not requirement.is_confirmed and requirement.confirmed_at is None
