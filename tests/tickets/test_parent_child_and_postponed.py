"""Parent and child tickets do something; a problem's news reaches its incidents' clients; a
postponed ticket comes back on its date (K3)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tugi.core.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from tugi.tickets import services
from tugi.tickets.lifecycle import Action
from tugi.tickets.models import TicketKind, TicketSource, TicketState


def make(cast, who="client_a", **kw):
    fields = {"kind": TicketKind.INCIDENT, "title": "Printer jam", "source": TicketSource.PORTAL}
    fields.update(kw)
    return services.ticket_create(actor=cast.actor(who), **fields)


def start(cast, ticket):
    agent = cast.actor("agent")
    services.ticket_assign(actor=agent, ticket=ticket, assignee=cast.agent)
    return services.ticket_transition(actor=agent, ticket=ticket, action=Action.START)


def test_parent_cannot_be_resolved_or_closed_while_a_child_is_open(cast):
    agent = cast.actor("agent")
    parent, child = start(cast, make(cast, title="Parent")), start(cast, make(cast, title="Child"))
    services.ticket_link(actor=agent, source=child, target=parent, kind="child_of")
    with pytest.raises(TransitionNotAllowed, match=child.reference):
        services.ticket_transition(actor=agent, ticket=parent, action=Action.RESOLVE, reason="done")
    parent.refresh_from_db()
    assert parent.state == TicketState.IN_PROGRESS


def test_last_child_resolved_tells_the_parents_assignee(cast, django_capture_on_commit_callbacks):
    agent = cast.actor("agent")
    parent = start(cast, make(cast, title="Parent"))
    children = [start(cast, make(cast, title=f"Child {i}")) for i in range(2)]
    for child in children:
        services.ticket_link(actor=agent, source=child, target=parent, kind="child_of")
    manager = cast.actor("service_manager")  # acting, so the assignee (agent) is not the actor
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_transition(actor=manager, ticket=children[0], action=Action.RESOLVE, reason="ok")
    assert not any(m.subject.startswith(f"[{parent.reference}]") for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_transition(actor=manager, ticket=children[1], action=Action.RESOLVE, reason="ok")
    told = [m for m in mail.outbox if m.subject.startswith(f"[{parent.reference}]")]
    assert [m.to for m in told] == [[f"{cast.agent.name} <{cast.agent.email}>"]]
    services.ticket_transition(actor=agent, ticket=parent, action=Action.RESOLVE, reason="all done")


def test_problem_workaround_and_resolution_reach_the_incidents_clients(cast, django_capture_on_commit_callbacks):
    agent = cast.actor("agent")
    incident = make(cast, title="Mail is slow")
    problem = services.ticket_create_from(actor=agent, origin=incident, kind=TicketKind.PROBLEM, title="Mail cause")
    other = make(cast, who="client_b", title="Also slow")
    services.ticket_link(actor=agent, source=other, target=problem, kind="caused_by")
    with pytest.raises(PermissionDenied):
        services.ticket_set_workaround(actor=cast.actor("client_a"), ticket=problem, text="x")
    with pytest.raises(InvalidInput):
        services.ticket_set_workaround(actor=agent, ticket=incident, text="Restart Outlook")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_set_workaround(actor=agent, ticket=problem, text="Restart Outlook")
    told = {(m.to[0], "Restart Outlook" in m.body) for m in mail.outbox}
    assert told == {(f"{cast.client_a.name} <{cast.client_a.email}>", True),
                    (f"{cast.client_b.name} <{cast.client_b.email}>", True)}
    start(cast, problem)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_transition(actor=agent, ticket=problem, action=Action.RESOLVE, reason="Bigger mailbox")
    reached = {m.to[0] for m in mail.outbox if "Bigger mailbox" in m.body and "[INC-" in m.subject}
    assert reached == {f"{cast.client_a.name} <{cast.client_a.email}>", f"{cast.client_b.name} <{cast.client_b.email}>"}
    assert incident.entries.filter(body__contains="Bigger mailbox").exists()


def test_postponed_ticket_comes_back_on_its_date_and_parties_are_told_K3(cast, django_capture_on_commit_callbacks):
    ticket = start(cast, make(cast))
    until = timezone.localdate() + dt.timedelta(days=2)
    services.ticket_transition(actor=cast.actor("client_a"), ticket=ticket, action=Action.POSTPONE,
                               reason="Away", until=until)
    assert services.tickets_resume_postponed(today=until - dt.timedelta(days=1)) == 0
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.tickets_resume_postponed(today=until) == 1
    ticket.refresh_from_db()
    assert ticket.state == TicketState.ASSIGNED and ticket.postponed_until is None
    assert {m.to[0] for m in mail.outbox} >= {f"{cast.client_a.name} <{cast.client_a.email}>"}


def test_periodic_command_runs_the_due_jobs(cast, time_machine):
    ticket = start(cast, make(cast))
    until = timezone.localdate() + dt.timedelta(days=1)
    services.ticket_transition(actor=cast.actor("agent"), ticket=ticket, action=Action.POSTPONE,
                               reason="Waiting for a part", until=until)
    time_machine.move_to(timezone.now() + dt.timedelta(days=2))
    call_command("periodic", verbosity=0)
    ticket.refresh_from_db()
    assert ticket.state == TicketState.ASSIGNED
