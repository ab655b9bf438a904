"""The visits flow's rules: access the work needs (K4) and appointments with calendar invitations
(K21), allowed and refused, with who is told and what is audited."""

import datetime as dt

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from tugi.core.audit import audit_events_for
from tugi.core.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from tugi.notifications.models import Notification
from tugi.tickets import services as tickets
from tugi.tickets.guards import action_choices
from tugi.tickets.lifecycle import Action
from tugi.tickets.models import ConversationEntry, TicketKind, TicketSource, TicketState
from tugi.visits import services
from tugi.visits.models import AccessKind, AppointmentStatus

from ..factories import StaffFactory

SOON = dt.timedelta(days=2)


@pytest.fixture
def ticket(cast):
    t = tickets.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title="ERP will not start",
                              source=TicketSource.PORTAL)
    return tickets.ticket_assign(actor=cast.actor("agent"), ticket=t, assignee=cast.agent)


def need(cast, ticket, what="ERP production", kind=AccessKind.INFORMATION_SYSTEM, **extra):
    return services.access_requirement_add(actor=cast.actor("agent"), ticket=ticket, kind=kind, what=what, **extra)


def window(hours_from_now=48, length=2):
    start = (timezone.now() + dt.timedelta(hours=hours_from_now)).replace(microsecond=0)
    return start, start + dt.timedelta(hours=length)


def plan(cast, ticket, **extra):
    start, end = window()
    values = {"starts_at": start, "ends_at": end, "staff": cast.agent, "location": "Tartu mnt 1, room 204"}
    values.update(extra)
    return services.appointment_plan(actor=cast.actor("agent"), ticket=ticket, **values)


def to(address):
    return [n for n in Notification.objects.all() if n.recipient_email == address]


# --- K4 ---------------------------------------------------------------------------------------

def test_start_is_refused_naming_exactly_the_missing_access_K4(cast, ticket):
    need(cast, ticket, whom_to_ask="Mari Maasikas, IT manager")
    need(cast, ticket, what="Server room 2", kind=AccessKind.ROOM)
    with pytest.raises(TransitionNotAllowed) as refusal:
        tickets.ticket_transition(actor=cast.actor("agent"), ticket=ticket, action=Action.START)
    message = refusal.value.message
    assert "information system “ERP production”" in message
    assert "ask: Mari Maasikas, IT manager" in message
    assert "room “Server room 2”" in message
    ticket.refresh_from_db()
    assert ticket.state == TicketState.ASSIGNED


def test_the_console_shows_start_disabled_with_the_reason_K4(cast, ticket):
    need(cast, ticket)
    problem = dict(action_choices(ticket))[Action.START]
    assert problem and "ERP production" in problem


def test_start_is_allowed_once_the_client_confirms_K4(cast, ticket):
    requirement = need(cast, ticket)
    services.access_requirement_confirm(actor=cast.actor("client_a"), requirement=requirement)
    started = tickets.ticket_transition(actor=cast.actor("agent"), ticket=ticket, action=Action.START)
    assert started.state == TicketState.IN_PROGRESS


def test_a_withdrawn_requirement_no_longer_blocks_K4(cast, ticket):
    requirement = need(cast, ticket)
    services.access_requirement_withdraw(actor=cast.actor("agent"), requirement=requirement)
    assert services.access_missing(ticket) is None
    assert tickets.ticket_transition(actor=cast.actor("agent"), ticket=ticket, action=Action.START).state == (
        TicketState.IN_PROGRESS)


def test_the_client_is_asked_politely_with_the_reason_K4_S4(cast, ticket):
    cast.client_a.language = "en"
    cast.client_a.save(update_fields=["language"])
    Notification.objects.all().delete()
    need(cast, ticket, reason="to read the ERP error log", needed_from=timezone.now() + SOON)
    [note] = to(cast.client_a.email)
    assert note.event == "visits_access_needed"
    assert "Please confirm" in note.subject
    assert "to read the ERP error log" in note.body
    assert "Without it the specialist cannot start the work" in note.body
    assert "Thank you" in note.body
    assert f"/tickets/{ticket.reference}/" in note.body
    assert not to(cast.agent.email)  # the agent who recorded it is not told of their own action


def test_only_the_desk_records_access_K4(cast, ticket):
    with pytest.raises(PermissionDenied):
        services.access_requirement_add(actor=cast.actor("client_a"), ticket=ticket,
                                        kind=AccessKind.ROOM, what="Server room")


def test_access_needs_a_description_K4(cast, ticket):
    with pytest.raises(InvalidInput) as refusal:
        need(cast, ticket, what="  ")
    assert refusal.value.field == "what"


def test_the_client_confirms_and_the_assignee_is_told_K4(cast, ticket):
    requirement = need(cast, ticket)
    Notification.objects.all().delete()
    confirmed = services.access_requirement_confirm(actor=cast.actor("client_a"), requirement=requirement)
    assert confirmed.is_confirmed
    assert confirmed.confirmed_by_label == cast.actor("client_a").label
    assert confirmed.recorded_by_label == ""
    [note] = to(cast.agent.email)
    assert note.event == "visits_access_confirmed"
    assert not to(cast.client_a.email)
    assert [e.action for e in audit_events_for(confirmed)] == ["visits.access_confirmed", "visits.access_required"] \
        or {e.action for e in audit_events_for(confirmed)} == {"visits.access_confirmed", "visits.access_required"}


def test_the_representative_may_confirm_K4(cast, ticket):
    requirement = need(cast, ticket)
    assert services.access_requirement_confirm(actor=cast.actor("representative_a"), requirement=requirement)\
        .is_confirmed


def test_the_desk_records_a_confirmation_given_by_phone_naming_who_K4(cast, ticket):
    requirement = need(cast, ticket)
    with pytest.raises(InvalidInput) as refusal:
        services.access_requirement_confirm(actor=cast.actor("agent"), requirement=requirement)
    assert refusal.value.field == "confirmed_by"
    other = StaffFactory(name="Second Agent", email="second.agent@example.com")
    confirmed = services.access_requirement_confirm(actor=cast.actor("service_manager"), requirement=requirement,
                                                    confirmed_by="Anna Alfa by phone")
    assert confirmed.confirmed_by_label == "Anna Alfa by phone"
    assert confirmed.recorded_by_label == "Service Manager"
    # Only the parties are told (the assignee), not every agent of the desk.
    assert [n.event for n in to(cast.agent.email)] == ["visits_access_confirmed"]
    assert to(other.email) == []


def test_confirming_twice_or_a_withdrawn_requirement_is_refused_K4(cast, ticket):
    requirement = need(cast, ticket)
    services.access_requirement_confirm(actor=cast.actor("client_a"), requirement=requirement)
    with pytest.raises(TransitionNotAllowed):
        services.access_requirement_confirm(actor=cast.actor("client_a"), requirement=requirement)
    withdrawn = need(cast, ticket, what="Building B")
    services.access_requirement_withdraw(actor=cast.actor("agent"), requirement=withdrawn)
    with pytest.raises(TransitionNotAllowed):
        services.access_requirement_confirm(actor=cast.actor("client_a"), requirement=withdrawn)


def test_the_client_is_told_when_an_access_is_no_longer_needed_K4(cast, ticket):
    requirement = need(cast, ticket)
    Notification.objects.all().delete()
    services.access_requirement_withdraw(actor=cast.actor("agent"), requirement=requirement)
    assert [n.event for n in to(cast.client_a.email)] == ["visits_access_withdrawn"]
    with pytest.raises(PermissionDenied):
        services.access_requirement_withdraw(actor=cast.actor("client_a"), requirement=need(cast, ticket))


def test_access_events_are_on_the_ticket_for_the_client_to_read_K4(cast, ticket):
    requirement = need(cast, ticket)
    services.access_requirement_confirm(actor=cast.actor("client_a"), requirement=requirement)
    bodies = list(ConversationEntry.objects.filter(ticket=ticket, kind="event", is_internal=False)
                  .values_list("body", flat=True))
    assert any("Access needed for the work" in b for b in bodies)
    assert any("The client confirmed the access" in b for b in bodies)


# --- K21: appointments ------------------------------------------------------------------------

def test_no_visit_can_be_planned_while_access_is_unconfirmed_K4_K21(cast, ticket):
    need(cast, ticket, what="Server room 2", kind=AccessKind.ROOM)
    with pytest.raises(TransitionNotAllowed) as refusal:
        plan(cast, ticket)
    assert "No visit can be planned yet" in refusal.value.message
    assert "room “Server room 2”" in refusal.value.message
    assert refusal.value.code == "access_unconfirmed"


def test_planning_is_refused_for_a_closed_ticket_and_a_backwards_window_K21(cast, ticket):
    start, end = window()
    with pytest.raises(InvalidInput) as refusal:
        plan(cast, ticket, starts_at=end, ends_at=start)
    assert refusal.value.field == "ends_at"
    with pytest.raises(InvalidInput):
        plan(cast, ticket, starts_at=start - dt.timedelta(days=10), ends_at=end - dt.timedelta(days=10))
    tickets.ticket_transition(actor=cast.actor("agent"), ticket=ticket, action=Action.CANCEL, reason="Not needed")
    with pytest.raises(TransitionNotAllowed):
        plan(cast, ticket)


def test_a_resolved_ticket_is_not_finished_a_check_visit_may_be_planned_K21_K11(cast, ticket):
    # One rule in the visits, plans and dialogue flows: finished means closed or cancelled.
    tickets.ticket_transition(actor=cast.actor("agent"), ticket=ticket, action=Action.RESOLVE, reason="Fixed")
    assert plan(cast, ticket).pk


def test_only_the_desk_plans_K21(cast, ticket):
    with pytest.raises(PermissionDenied):
        start, end = window()
        services.appointment_plan(actor=cast.actor("client_a"), ticket=ticket, starts_at=start, ends_at=end,
                                  staff=cast.agent)


def test_planning_sends_the_client_an_explicit_appointment_K21(cast, ticket):
    cast.client_a.language = "en"
    cast.client_a.save(update_fields=["language"])
    services.access_requirement_confirm(actor=cast.actor("client_a"), requirement=need(cast, ticket))
    someone = StaffFactory(name="Olev Onsite", email="olev@tugi.example")
    Notification.objects.all().delete()
    appointment = plan(cast, ticket, staff=someone)
    [note] = to(cast.client_a.email)
    assert note.event == "visits_appointment_planned"
    assert ticket.reference in note.subject
    assert "Who comes: Olev Onsite" in note.body
    assert "information system “ERP production”" in note.body
    assert f"/tickets/{ticket.reference}/appointments/{appointment.pk}/calendar.ics" in note.body
    assert "Tartu mnt 1, room 204" in note.body
    assert [n.event for n in to("olev@tugi.example")] == ["visits_appointment_planned"]
    assert {e.action for e in audit_events_for(appointment)} == {"visits.appointment_planned"}


def parse(text):
    calendar = icalendar.Calendar.from_ical(text)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def test_the_invitation_is_an_icalendar_request_mail_programs_accept_K21(cast, ticket, settings):
    settings.DEFAULT_FROM_EMAIL = "Tugi <tugi@desk.example>"
    need(cast, ticket, what="Server room 2", kind=AccessKind.ROOM)
    services.access_requirement_confirm(actor=cast.actor("client_a"),
                                        requirement=ticket.access_requirements.get())
    start, end = window()
    appointment = plan(cast, ticket, starts_at=start, ends_at=end)
    calendar, event = parse(appointment.last_ics)
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["uid"]) == appointment.uid
    assert int(event["sequence"]) == 0
    assert event.decoded("dtstart") == start.astimezone(dt.UTC)
    assert event.decoded("dtend") == end.astimezone(dt.UTC)
    assert "DTSTART:" in appointment.last_ics and appointment.last_ics.split("DTSTART:")[1][15] == "Z"
    assert ticket.reference in str(event["summary"])
    description = str(event["description"])
    assert "Agent Smith" in description and "Server room 2" in description
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["organizer"]) == "mailto:tugi@desk.example"
    attendee = event["attendee"]
    assert str(attendee) == f"mailto:{cast.client_a.email}"
    assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert attendee.params["RSVP"] == "TRUE"
    assert attendee.params["CN"] == "Anna Alfa"


def test_a_change_keeps_the_uid_and_raises_the_sequence_K21(cast, ticket):
    appointment = plan(cast, ticket)
    uid = appointment.uid
    start, end = window(hours_from_now=72, length=1)
    Notification.objects.all().delete()
    changed = services.appointment_change(actor=cast.actor("agent"), appointment=appointment,
                                          starts_at=start, ends_at=end, staff=cast.agent)
    again = services.appointment_change(actor=cast.actor("agent"), appointment=changed,
                                        starts_at=start, ends_at=end + dt.timedelta(hours=1), staff=cast.agent)
    calendar, event = parse(again.last_ics)
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["uid"]) == uid == again.uid
    assert int(event["sequence"]) == 2
    assert event.decoded("dtstart") == start.astimezone(dt.UTC)
    assert [n.event for n in to(cast.client_a.email)] == ["visits_appointment_changed"] * 2
    audit = audit_events_for(again).filter(action="visits.appointment_changed").order_by("id").first()
    assert "starts_at" in audit.changes


def test_a_change_that_changes_nothing_is_refused_K21(cast, ticket):
    appointment = plan(cast, ticket)
    with pytest.raises(InvalidInput):
        services.appointment_change(actor=cast.actor("agent"), appointment=appointment,
                                    starts_at=appointment.starts_at, ends_at=appointment.ends_at, staff=cast.agent)


def test_a_cancellation_is_sent_as_method_cancel_K21(cast, ticket):
    appointment = plan(cast, ticket)
    Notification.objects.all().delete()
    cancelled = services.appointment_cancel(actor=cast.actor("agent"), appointment=appointment,
                                            reason="The specialist is ill")
    assert cancelled.status == AppointmentStatus.CANCELLED
    calendar, event = parse(cancelled.last_ics)
    assert str(calendar["method"]) == "CANCEL"
    assert str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == appointment.uid
    assert int(event["sequence"]) == 1
    assert [n.event for n in to(cast.client_a.email)] == ["visits_appointment_cancelled"]
    with pytest.raises(TransitionNotAllowed):
        services.appointment_cancel(actor=cast.actor("agent"), appointment=cancelled)
    start, end = window()
    with pytest.raises(TransitionNotAllowed):
        services.appointment_change(actor=cast.actor("agent"), appointment=cancelled, starts_at=start,
                                    ends_at=end, staff=cast.agent)


def test_the_client_is_invited_and_the_coming_specialist_gets_a_copy_asking_no_reply_K21(cast, ticket):
    """RFC 5546: the client is the attendee of a REQUEST; the specialist, who is not, gets PUBLISH
    (the same UID and time), and both get CANCEL when the visit is withdrawn."""
    appointment = services.appointment_plan(actor=cast.actor("service_manager"), ticket=ticket, staff=cast.agent,
                                            starts_at=window()[0], ends_at=window()[1], location="Room 204")
    [to_client] = [n for n in to(cast.client_a.email) if n.attachment_name]
    [to_specialist] = [n for n in to(cast.agent.email) if n.attachment_name]
    assert to_client.attachment_type == "text/calendar; method=REQUEST"
    assert to_specialist.attachment_type == "text/calendar; method=PUBLISH"
    calendar, event = parse(to_specialist.attachment_text)
    assert str(calendar["method"]) == "PUBLISH" and "attendee" not in event
    assert str(event["uid"]) == appointment.uid
    services.appointment_cancel(actor=cast.actor("service_manager"), appointment=appointment, reason="Ill")
    cancelled = [n for n in to(cast.agent.email) + to(cast.client_a.email) if n.event == "visits_appointment_cancelled"]
    assert [n.attachment_type for n in cancelled] == ["text/calendar; method=CANCEL"] * 2


def test_ics_for_is_pure_of_the_stored_state_K21(cast, ticket):
    appointment = plan(cast, ticket)
    request = services.ics_for(appointment, "REQUEST", access=[])
    cancel = services.ics_for(appointment, "CANCEL", access=[])
    assert str(parse(request)[0]["method"]) == "REQUEST"
    assert str(parse(cancel)[1]["status"]) == "CANCELLED"
    publish = parse(services.ics_for(appointment, "PUBLISH", access=[]))
    assert str(publish[0]["method"]) == "PUBLISH" and "attendee" not in publish[1]
    with pytest.raises(ValueError):
        services.ics_for(appointment, "COUNTER")


def test_a_remote_session_is_planned_the_same_way_K21(cast, ticket):
    cast.client_a.language = "en"
    cast.client_a.save(update_fields=["language"])
    appointment = plan(cast, ticket, kind="remote", location="")
    _calendar, event = parse(appointment.last_ics)
    assert "remote session" in str(event["summary"])
    assert "Who connects: Agent Smith" in str(event["description"])


def test_mails_go_out_after_the_commit_K21(cast, ticket, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks() as after_commit:
        plan(cast, ticket)
    assert mail.outbox == []  # nothing leaves while the transaction may still roll back
    with django_capture_on_commit_callbacks(execute=True):
        for callback in after_commit:
            callback()
    assert any(cast.client_a.email in m.to[0] for m in mail.outbox)


# --- K21: the internal planned work time -------------------------------------------------------

def test_the_desk_sets_the_internal_planned_work_time_with_an_audit_event_K21(cast, ticket):
    start, end = window()
    planned = services.ticket_plan_work(actor=cast.actor("agent"), ticket=ticket, planned_start=start,
                                        planned_end=end)
    assert (planned.planned_start, planned.planned_end) == (start, end)
    assert audit_events_for(planned).filter(action="visits.work_planned").exists()
    event = ConversationEntry.objects.filter(ticket=ticket, body__startswith="Internal planned").get()
    assert event.is_internal
    with pytest.raises(InvalidInput):
        services.ticket_plan_work(actor=cast.actor("agent"), ticket=ticket, planned_start=end, planned_end=start)
    with pytest.raises(PermissionDenied):
        services.ticket_plan_work(actor=cast.actor("client_a"), ticket=ticket, planned_start=start,
                                  planned_end=end)
