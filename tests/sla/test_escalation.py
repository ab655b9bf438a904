"""Issue 5, K8: breach prediction and escalation. At 75 % of a target the assignee is told, at
100 % the service manager, once each, for the response and the resolution target alike; the
periodic job reads only the armed steps whose moment has come; a recomputed due time re-arms a
step that no longer applies; a clock that stands still chases nobody."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from tugi.core.periodic import jobs
from tugi.sla.escalation import _due_rows, _escalate, sla_escalations_run
from tugi.sla.models import SLAEscalation
from tugi.sla.services import EscalationStep, parse_escalation_steps
from tugi.tickets import services
from tugi.tickets.lifecycle import Action
from tugi.tickets.priority import Impact, Urgency

pytestmark = pytest.mark.django_db

TALLINN = ZoneInfo("Europe/Tallinn")


def at(y, mo, d, h=0, mi=0):
    return dt.datetime(y, mo, d, h, mi, tzinfo=TALLINN)


@pytest.fixture
def english_staff(cast):
    for person in (cast.agent, cast.service_manager):
        person.language = "en"
        person.save(update_fields=["language"])
    return cast


@pytest.fixture
def escalate(django_capture_on_commit_callbacks):
    """One run of the periodic job, its mail delivered after the commit as in production."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return sla_escalations_run(**kwargs)

    return run


def p3_ticket(cast, time_machine, when=None):
    """A P3 incident on the ERP, reported Monday 08:00 and assigned to the agent: response due
    12:00 (4 business hours), resolution Wednesday 17:00 (27 business hours)."""
    time_machine.move_to(when or at(2026, 3, 9, 8), tick=False)
    agent = cast.actor("agent")
    ticket = services.ticket_create(
        actor=agent, kind="incident", title="The ERP is slow", source="agent", organisation=cast.org_a,
        service=cast.service, impact=Impact.MEDIUM, urgency=Urgency.MEDIUM,
    )
    ticket = services.ticket_assign(actor=agent, ticket=ticket, assignee=cast.agent)
    mail.outbox.clear()
    return ticket


def told(outbox=None):
    return sorted((addr, m.subject) for m in (outbox or mail.outbox) for addr in m.to)


def steps(ticket):
    return {(s.target, s.threshold): (s.due_at, s.status) for s in SLAEscalation.objects.filter(ticket=ticket)}


def test_k8_creating_a_ticket_arms_75_and_100_percent_of_both_targets(english_staff, time_machine):
    ticket = p3_ticket(english_staff, time_machine)
    armed = SLAEscalation.Status.ARMED
    assert steps(ticket) == {
        ("response", 75): (at(2026, 3, 9, 11), armed),
        ("response", 100): (at(2026, 3, 9, 12), armed),
        ("resolution", 75): (at(2026, 3, 11, 10, 15), armed),  # 20.25 business hours
        ("resolution", 100): (at(2026, 3, 11, 17), armed),
    }


def test_k8_the_assignee_hears_at_75_percent_and_the_service_manager_at_100_once_each(
    escalate, english_staff, time_machine
):
    cast = english_staff
    ticket = p3_ticket(cast, time_machine)
    agent_addr = f"{cast.agent.name} <{cast.agent.email}>"
    manager_addr = f"{cast.service_manager.name} <{cast.service_manager.email}>"

    time_machine.move_to(at(2026, 3, 9, 10, 59), tick=False)
    assert escalate() == 0 and mail.outbox == []  # not yet

    time_machine.move_to(at(2026, 3, 9, 11), tick=False)
    assert escalate() == 1
    assert told() == [(agent_addr, f"[{ticket.reference}] 75 % of the response time has run: The ERP is slow")]
    assert "not had an answer yet" in mail.outbox[0].body
    mail.outbox.clear()
    assert escalate() == 0 and mail.outbox == []  # once each

    time_machine.move_to(at(2026, 3, 9, 12), tick=False)
    assert escalate() == 1
    assert told() == [(manager_addr, f"[{ticket.reference}] Response time exceeded: The ERP is slow")]
    mail.outbox.clear()

    time_machine.move_to(at(2026, 3, 11, 10, 15), tick=False)
    escalate()
    assert told() == [(agent_addr, f"[{ticket.reference}] 75 % of the resolution time has run: The ERP is slow")]
    mail.outbox.clear()
    time_machine.move_to(at(2026, 3, 11, 17), tick=False)
    escalate()
    assert told() == [(manager_addr, f"[{ticket.reference}] Resolution time exceeded: The ERP is slow")]

    record = SLAEscalation.objects.get(ticket=ticket, target="resolution", threshold=100)
    assert (record.status, record.sent_at, record.notified) == ("sent", at(2026, 3, 11, 17), cast.service_manager.name)
    # The desk sees it on the ticket's conversation too, as an internal event.
    assert ticket.entries.filter(is_internal=True, body__contains="SLA escalation").count() == 4


def test_k8_a_late_run_sends_every_step_reached_but_each_only_once(escalate, english_staff, time_machine):
    ticket = p3_ticket(english_staff, time_machine)
    time_machine.move_to(at(2026, 3, 12, 9), tick=False)  # the job was down for days
    assert escalate() == 4
    assert escalate() == 0
    assert all(status == "sent" for _due, status in steps(ticket).values())


def test_k8_two_overlapping_runs_tell_nobody_twice(english_staff, time_machine,
                                                  django_capture_on_commit_callbacks):
    """Two runs read the same due step (on PostgreSQL SKIP LOCKED keeps them apart; the claim by an
    update that only one can win holds everywhere)."""
    ticket = p3_ticket(english_staff, time_machine)
    time_machine.move_to(at(2026, 3, 9, 11), tick=False)
    first, second = _due_rows(at(2026, 3, 9, 11), 10), _due_rows(at(2026, 3, 9, 11), 10)
    assert [r.pk for r in first] == [r.pk for r in second]
    with django_capture_on_commit_callbacks(execute=True):
        assert _escalate(first[0], at(2026, 3, 9, 11)) is True
        assert _escalate(second[0], at(2026, 3, 9, 11)) is False
    assert len(mail.outbox) == 1
    assert steps(ticket)[("response", 75)][1] == "sent"


def test_k8_the_first_public_reply_stops_the_response_escalation(escalate, english_staff, time_machine):
    cast = english_staff
    ticket = p3_ticket(cast, time_machine)
    time_machine.move_to(at(2026, 3, 9, 10), tick=False)
    services.ticket_add_entry(actor=cast.actor("agent"), ticket=ticket, body="We are looking at it.")
    mail.outbox.clear()
    time_machine.move_to(at(2026, 3, 9, 13), tick=False)
    assert escalate() == 0
    assert mail.outbox == []
    assert {target for target, _threshold in steps(ticket)} == {"resolution"}


def test_k8_an_internal_note_does_not_stop_the_response_escalation(escalate, english_staff, time_machine):
    cast = english_staff
    ticket = p3_ticket(cast, time_machine)
    services.ticket_add_entry(actor=cast.actor("agent"), ticket=ticket, body="Checking logs", is_internal=True)
    time_machine.move_to(at(2026, 3, 9, 11), tick=False)
    assert escalate() == 1


def test_k8_a_paused_clock_chases_nobody_and_the_schedule_moves_by_the_pause(
    escalate, english_staff, time_machine
):
    cast = english_staff
    agent = cast.actor("agent")
    ticket = p3_ticket(cast, time_machine)
    services.ticket_add_entry(actor=agent, ticket=ticket, body="Which report is slow?")
    time_machine.move_to(at(2026, 3, 9, 9), tick=False)
    services.ticket_transition(actor=agent, ticket=ticket, action=Action.WAIT_FOR_CLIENT, reason="Which report?")
    assert steps(ticket) == {}  # the resolution clock stands still: nothing to reach

    time_machine.move_to(at(2026, 3, 11, 12), tick=False)  # past the unpaused 75 % moment
    mail.outbox.clear()
    assert escalate() == 0 and mail.outbox == []

    time_machine.move_to(at(2026, 3, 12, 9), tick=False)  # the client answers three days later
    services.ticket_transition(actor=agent, ticket=ticket, action=Action.RESUME)
    # 1 business hour ran before the pause; 75 % (20.25 h) is reached 19.25 h after Thursday 09:00.
    assert steps(ticket)[("resolution", 75)] == (at(2026, 3, 16, 10, 15), "armed")
    assert steps(ticket)[("resolution", 100)] == (at(2026, 3, 16, 17), "armed")


def test_k8_k15_a_later_due_time_re_arms_a_step_already_sent(escalate, english_staff, time_machine):
    cast = english_staff
    agent = cast.actor("agent")
    ticket = p3_ticket(cast, time_machine)
    services.ticket_add_entry(actor=agent, ticket=ticket, body="On it.")
    time_machine.move_to(at(2026, 3, 11, 11), tick=False)
    escalate()
    assert steps(ticket)[("resolution", 75)][1] == "sent"

    # P4 (low impact, medium urgency): resolution 5 business days, so 75 % is in the future again.
    services.ticket_set_priority(actor=agent, ticket=ticket, impact=Impact.LOW, urgency=Urgency.MEDIUM,
                                 reason="Only one user")
    ticket.refresh_from_db()
    assert ticket.priority == 4
    due, status = steps(ticket)[("resolution", 75)]
    assert status == "armed" and due > at(2026, 3, 11, 11)
    mail.outbox.clear()
    time_machine.move_to(due, tick=False)
    assert escalate() == 1
    assert "75 % of the resolution time" in mail.outbox[0].subject


def test_k8_a_step_already_sent_stays_sent_when_the_due_time_moves_earlier(escalate, english_staff, time_machine):
    cast = english_staff
    agent = cast.actor("agent")
    ticket = p3_ticket(cast, time_machine)
    time_machine.move_to(at(2026, 3, 9, 11), tick=False)
    escalate()
    services.ticket_set_priority(actor=agent, ticket=ticket, impact=Impact.HIGH, urgency=Urgency.HIGH, reason="All")
    assert steps(ticket)[("response", 75)][1] == "sent"
    mail.outbox.clear()
    escalate()  # P1 (response 1 h, resolution 4 h): 75 % of the response was told, not again
    assert sorted(m.subject.split("] ")[1] for m in mail.outbox) == [
        "75 % of the resolution time has run: The ERP is slow", "Response time exceeded: The ERP is slow"
    ]


def test_k8_a_resolved_ticket_is_dropped_from_the_schedule(escalate, english_staff, time_machine):
    cast = english_staff
    agent = cast.actor("agent")
    ticket = p3_ticket(cast, time_machine)
    services.ticket_transition(actor=agent, ticket=ticket, action=Action.START)
    services.ticket_transition(actor=agent, ticket=ticket, action=Action.RESOLVE, reason="Restarted the service")
    assert not SLAEscalation.objects.filter(ticket=ticket, status="armed").exists()
    time_machine.move_to(at(2026, 3, 20, 9), tick=False)
    mail.outbox.clear()
    assert escalate() == 0 and mail.outbox == []


def test_k8_without_an_assignee_the_service_manager_hears_at_75_percent(escalate, english_staff,
                                                                       time_machine):
    cast = english_staff
    time_machine.move_to(at(2026, 3, 9, 8), tick=False)
    services.ticket_create(actor=cast.actor("agent"), kind="incident", title="Nobody took it", source="agent",
                           organisation=cast.org_a, service=cast.service, impact=Impact.MEDIUM,
                           urgency=Urgency.MEDIUM)
    mail.outbox.clear()
    time_machine.move_to(at(2026, 3, 9, 11), tick=False)
    escalate()
    assert [addr for m in mail.outbox for addr in m.to] == [
        f"{cast.service_manager.name} <{cast.service_manager.email}>"
    ]


def test_k8_the_thresholds_are_settings(escalate, english_staff, time_machine, settings):
    settings.TUGI_SLA_ESCALATION = ["50:assignee", "90:assignee+service_manager"]
    ticket = p3_ticket(english_staff, time_machine)
    assert set(steps(ticket)) == {("response", 50), ("response", 90), ("resolution", 50), ("resolution", 90)}
    time_machine.move_to(at(2026, 3, 9, 11, 36), tick=False)  # 90 % of 4 h
    escalate()
    assert len({addr for m in mail.outbox for addr in m.to}) == 2


def test_k8_a_mistyped_threshold_setting_is_refused_with_a_reason():
    assert parse_escalation_steps(["100:service_manager", "75:assignee"]) == [
        EscalationStep(75, ("assignee",)), EscalationStep(100, ("service_manager",))
    ]
    for wrong in (["75"], ["x:assignee"], ["75:boss"], ["0:assignee"], ["75:assignee", "75:service_manager"]):
        with pytest.raises(ImproperlyConfigured):
            parse_escalation_steps(wrong)


def test_k8_the_escalation_is_a_periodic_job():
    assert "sla.escalate" in {job.name for job in jobs()}
