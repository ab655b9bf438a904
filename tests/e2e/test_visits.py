"""Access and planned visits in a real browser (K4, K21).

K4: an agent records on the ticket page that the work needs access to a server room; "Start
work" then refuses, naming what is missing; the client confirms the access in the portal; the agent
starts the work. K21: the agent plans a visit; the client sees it in the portal with its time window
and who comes, and downloads the calendar invitation.

Both run in English (switched with the header's language switch, as a visitor would), so the
labels they look for stay the same whatever the Estonian catalogue says.
"""

import datetime as dt

import icalendar
from django.utils import formats, timezone, translation

from tugi.directory.actors import actor_for_staff
from tugi.tickets import services as tickets
from tugi.tickets.models import Ticket, TicketKind, TicketSource, TicketState
from tugi.visits.models import AccessRequirement, Appointment

from ..factories import PASSWORD, ContactFactory, OrganisationFactory, StaffFactory


def to_english(page):
    if page.locator("html").get_attribute("lang") != "en":
        with page.expect_navigation():
            page.locator("header form.lang button").click()
    assert page.locator("html").get_attribute("lang") == "en"


def sign_out(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()


def scene():
    org = OrganisationFactory(name="Näidis OÜ")
    agent = StaffFactory(name="Kati Kask", user__username="agent")
    client = ContactFactory(organisation=org, name="Tiina Tamm", user__username="tiina", language="en")
    ticket = tickets.ticket_create(actor=actor_for_staff(agent), kind=TicketKind.INCIDENT,
                                   title="Network switch in the server room is down", source=TicketSource.PHONE,
                                   requester=client, organisation=org)
    ticket = tickets.ticket_assign(actor=actor_for_staff(agent), ticket=ticket, assignee=agent)
    return agent, client, ticket


def open_ticket(page, live_server, path):
    page.goto(live_server.url + path)
    to_english(page)


def test_work_starts_only_after_the_client_confirms_the_access_K4(page, live_server, signin, screenshot, db):
    _agent, _client, ticket = scene()
    console_url = f"/console/tickets/{ticket.reference}/"

    # The agent records the access the work needs.
    signin(page, "agent", PASSWORD)
    open_ticket(page, live_server, console_url)
    page.locator("#visits-access-add summary").click()
    page.get_by_label("Kind of access").select_option("room")
    page.get_by_label("What exactly").fill("Server room 2")
    page.get_by_label("Whom to ask").fill("Mart at the front desk")
    page.get_by_label("Why it is needed (the client reads this)").fill("the switch to be replaced is in there")
    with page.expect_navigation():
        page.get_by_role("button", name="Ask the client for access").click()
    assert "The access is recorded" in page.locator(".messages").inner_text()

    # "Start work" is refused, and the refusal says exactly what is missing.
    start = page.get_by_role("button", name="Start work")
    assert start.is_disabled()
    reason = page.locator("#why-start").inner_text()
    assert "The client has not yet confirmed the access the work needs" in reason
    assert "room “Server room 2” (ask: Mart at the front desk)" in reason
    screenshot(page, "console-visits-access")
    sign_out(page)

    # The client is asked politely in the portal, and confirms.
    signin(page, "tiina", PASSWORD)
    open_ticket(page, live_server, f"/tickets/{ticket.reference}/")
    panel = page.locator("#visits-access")
    assert "Please confirm that the access below is there" in panel.inner_text()
    assert "the switch to be replaced is in there" in panel.inner_text()
    screenshot(page, "portal-visits-access")
    with page.expect_navigation():
        panel.get_by_role("button", name="Yes, the access is there").click()
    assert "Thank you for confirming the access" in page.locator(".messages").inner_text()
    assert AccessRequirement.objects.get().confirmed_by_label == "Tiina Tamm"
    sign_out(page)

    # The agent starts the work.
    signin(page, "agent", PASSWORD)
    open_ticket(page, live_server, console_url)
    with page.expect_navigation():
        page.get_by_role("button", name="Start work").click()
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.IN_PROGRESS


def test_the_client_sees_the_planned_visit_and_takes_it_into_the_calendar_K21(
    page, live_server, signin, screenshot, db
):
    _agent, client, ticket = scene()
    start = timezone.localtime(timezone.now() + dt.timedelta(days=3)).replace(hour=10, minute=0, second=0,
                                                                              microsecond=0)
    end = start.replace(hour=12)

    # The agent plans a visit.
    signin(page, "agent", PASSWORD)
    open_ticket(page, live_server, f"/console/tickets/{ticket.reference}/")
    page.locator("#visits-plan summary").click()
    plan = page.locator("#visits-plan")
    plan.get_by_label("Kind").select_option("visit")
    plan.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT%H:%M"))
    plan.get_by_label("Ends").fill(end.strftime("%Y-%m-%dT%H:%M"))
    plan.get_by_label("Where").fill("Pärnu mnt 5, 3rd floor")
    with page.expect_navigation():
        plan.get_by_role("button", name="Plan and invite the client").click()
    assert "The appointment is planned" in page.locator(".messages").inner_text()
    appointment = Appointment.objects.get()
    assert (appointment.starts_at, appointment.ends_at) == (start, end)
    sign_out(page)

    # The client sees it in the portal: the time window and who comes.
    signin(page, "tiina", PASSWORD)
    open_ticket(page, live_server, f"/tickets/{ticket.reference}/")
    panel = page.locator("#visits-appointments")
    with translation.override("en"):
        window = (f"{formats.date_format(start, 'SHORT_DATE_FORMAT')} {formats.time_format(start, 'TIME_FORMAT')}"
                  f"–{formats.time_format(end, 'TIME_FORMAT')}")
    assert panel.locator(".visits-window").inner_text() == window
    assert "Kati Kask" in panel.inner_text()
    assert "Pärnu mnt 5, 3rd floor" in panel.inner_text()
    screenshot(page, "portal-visits-appointment")

    # ... and downloads the invitation for the calendar.
    with page.expect_download() as download_info:
        panel.get_by_role("link", name="Add to calendar").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    with open(download.path(), "rb") as ics:
        calendar = icalendar.Calendar.from_ical(ics.read())
    event = calendar.walk("VEVENT")[0]
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["uid"]) == appointment.uid
    assert event.decoded("dtstart") == start.astimezone(dt.UTC)
    assert str(event["attendee"]) == f"mailto:{client.email}"
