"""Ticket services: every rule allowed and refused, with who is told (S1, S2, K1, K2, K7)."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from tugi.core.actors import system_actor
from tugi.core.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from tugi.core.models import AuditEvent
from tugi.notifications.models import Notification
from tugi.tickets import selectors, services
from tugi.tickets.lifecycle import Action
from tugi.tickets.models import ConversationEntry, Ticket, TicketCI, TicketKind, TicketLink, TicketSource, TicketState

from ..factories import ContactFactory


def report(cast, who="client_a", **kw):
    fields = {"kind": TicketKind.INCIDENT, "title": "Printer is broken", "source": TicketSource.PORTAL}
    fields.update(kw)
    return services.ticket_create(actor=cast.actor(who), **fields)


def test_references_are_readable_and_numbered_per_kind_S1(cast):
    first = report(cast)
    second = report(cast)
    request = report(cast, kind=TicketKind.SERVICE_REQUEST)
    change = report(cast, who="agent", kind=TicketKind.CHANGE_REQUEST, source=TicketSource.AGENT)
    problem = report(cast, who="agent", kind=TicketKind.PROBLEM, source=TicketSource.AGENT)
    assert [first.reference, second.reference] == ["INC-000001", "INC-000002"]
    assert (request.reference, change.reference, problem.reference) == ("REQ-000001", "CHG-000001", "PRB-000001")


def test_client_reports_for_themself_in_their_own_organisation_K1(cast):
    ticket = report(cast, organisation=cast.org_b)  # ignored for a client
    assert ticket.requester == cast.client_a
    assert ticket.organisation == cast.org_a
    assert ticket.source == TicketSource.PORTAL


def test_representative_may_report_for_a_colleague_but_a_client_only_for_themself_K1(cast):
    ticket = report(cast, who="representative_a", requester=cast.client_a)
    assert ticket.requester == cast.client_a
    with pytest.raises(InvalidInput, match="only for yourself"):
        report(cast, who="client_a", requester=cast.representative_a)
    with pytest.raises(InvalidInput):
        report(cast, who="representative_a", requester=cast.client_b)


def test_client_cannot_attach_another_organisations_ci_K7(cast):
    with pytest.raises(InvalidInput, match="your own organisation"):
        report(cast, configuration_items=[cast.ci_b])


def test_priority_follows_impact_and_urgency(cast):
    assert report(cast, impact=1, urgency=1).priority == 1
    assert report(cast, impact=3, urgency=3).priority == 5


def test_title_is_required_and_nothing_is_written_when_refused(cast):
    with pytest.raises(InvalidInput):
        report(cast, title="   ")
    assert not AuditEvent.objects.filter(action="ticket.create").exists()


def test_requester_gets_an_acknowledgement_with_the_reference(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = report(cast)
    assert [m.to for m in mail.outbox] == [[f"{cast.client_a.name} <{cast.client_a.email}>"]]
    assert ticket.reference in mail.outbox[0].subject
    assert Notification.objects.get().status == Notification.Status.SENT


def test_unknown_client_informs_service_manager_and_representatives_S2(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = services.ticket_create(
            actor=system_actor("Monitoring"), kind=TicketKind.INCIDENT, title="Disk full on alfa-srv",
            source=TicketSource.MONITORING, configuration_items=[cast.ci_a],
        )
    assert ticket.requester is None
    assert ticket.organisation == cast.org_a  # learned from the CI
    assert ticket.service == cast.service
    told = sorted(addr for m in mail.outbox for addr in m.to)
    assert told == sorted([
        f"{cast.service_manager.name} <{cast.service_manager.email}>",
        f"{cast.representative_a.name} <{cast.representative_a.email}>",
    ])
    assert cast.client_a.email not in " ".join(told)


def test_new_information_tells_every_party_but_the_author_K2(cast, django_capture_on_commit_callbacks):
    ticket = report(cast)
    colleague = ContactFactory(organisation=cast.org_a)
    services.ticket_add_participant(actor=cast.actor("agent"), ticket=ticket, contact=colleague)
    services.ticket_assign(actor=cast.actor("agent"), ticket=ticket, assignee=cast.agent)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_add_entry(actor=cast.actor("client_a"), ticket=ticket, body="It also smokes.")
    told = {addr for m in mail.outbox for addr in m.to}
    assert told == {f"{colleague.name} <{colleague.email}>", f"{cast.agent.name} <{cast.agent.email}>"}
    assert all("It also smokes." in m.body for m in mail.outbox)


def test_internal_note_is_told_to_staff_only_and_never_written_by_a_client(cast, django_capture_on_commit_callbacks):
    ticket = report(cast)
    services.ticket_assign(actor=cast.actor("service_manager"), ticket=ticket, assignee=cast.agent)
    with pytest.raises(PermissionDenied):
        services.ticket_add_entry(actor=cast.actor("client_a"), ticket=ticket, body="x", is_internal=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_add_entry(actor=cast.actor("service_manager"), ticket=ticket, body="Secret", is_internal=True)
    assert [m.to for m in mail.outbox] == [[f"{cast.agent.name} <{cast.agent.email}>"]]


def test_lifecycle_through_the_service_and_refusal_changes_nothing(cast):
    agent = cast.actor("agent")
    ticket = report(cast)
    with pytest.raises(TransitionNotAllowed, match="Assign the ticket"):
        services.ticket_transition(actor=agent, ticket=ticket, action=Action.START)
    ticket.refresh_from_db()
    assert ticket.state == TicketState.NEW
    services.ticket_assign(actor=agent, ticket=ticket, assignee=cast.agent)
    services.ticket_transition(actor=agent, ticket=ticket, action=Action.START)
    with pytest.raises(InvalidInput, match="reason"):
        services.ticket_transition(actor=agent, ticket=ticket, action=Action.RESOLVE)
    ticket = services.ticket_transition(actor=agent, ticket=ticket, action=Action.RESOLVE, reason="Toner replaced")
    assert ticket.state == TicketState.RESOLVED and ticket.resolved_at is not None
    with pytest.raises(PermissionDenied):  # the client confirms through the dialogue flow, with a rating (K11)
        services.ticket_transition(actor=cast.actor("client_a"), ticket=ticket, action=Action.CLOSE)
    ticket = services.ticket_transition(actor=cast.actor("agent"), ticket=ticket, action=Action.CLOSE)
    assert ticket.state == TicketState.CLOSED and ticket.closed_at is not None
    with pytest.raises(TransitionNotAllowed):
        services.ticket_transition(actor=agent, ticket=ticket, action=Action.REOPEN, reason="again")
    actions = list(AuditEvent.objects.filter(object_id=str(ticket.pk)).values_list("action", flat=True))
    assert actions == ["ticket.create", "ticket.assign", "ticket.start", "ticket.resolve", "ticket.close"]


def test_client_may_cancel_or_postpone_only_with_a_reason_K3(cast):
    client = cast.actor("client_a")
    ticket = report(cast)
    with pytest.raises(InvalidInput, match="reason"):
        services.ticket_transition(actor=client, ticket=ticket, action=Action.CANCEL)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(InvalidInput, match="date"):
        services.ticket_transition(actor=client, ticket=ticket, action=Action.POSTPONE, reason="Holiday")
    with pytest.raises(InvalidInput, match="future"):
        services.ticket_transition(actor=client, ticket=ticket, action=Action.POSTPONE, reason="Holiday",
                                   until=timezone.localdate())
    ticket = services.ticket_transition(actor=client, ticket=ticket, action=Action.POSTPONE, reason="Holiday",
                                        until=tomorrow)
    assert (ticket.state, ticket.state_reason, ticket.postponed_until) == (TicketState.POSTPONED, "Holiday", tomorrow)
    ticket = services.ticket_transition(actor=client, ticket=ticket, action=Action.CANCEL, reason="Not needed")
    assert ticket.state == TicketState.CANCELLED
    events = [e.body for e in selectors.ticket_conversation_for(client, ticket)]
    assert any("Not needed" in body for body in events)


def test_an_answer_does_not_start_work_that_had_not_started_K4_K11(cast):
    agent = cast.actor("agent")
    ticket = report(cast)
    services.ticket_assign(actor=agent, ticket=ticket, assignee=cast.agent)
    services.ticket_transition(actor=agent, ticket=ticket, action=Action.WAIT_FOR_CLIENT, reason="Which floor?")
    ticket = services.ticket_transition(actor=agent, ticket=ticket, action=Action.RESUME)
    assert ticket.state == TicketState.ASSIGNED  # START, with its guards, is still ahead
    services.ticket_transition(actor=agent, ticket=ticket, action=Action.START)
    services.ticket_transition(actor=agent, ticket=ticket, action=Action.WAIT_FOR_CLIENT, reason="Logs?")
    ticket = services.ticket_transition(actor=agent, ticket=ticket, action=Action.RESUME)
    assert ticket.state == TicketState.IN_PROGRESS


def test_client_cannot_move_work_along(cast):
    ticket = report(cast)
    with pytest.raises(PermissionDenied):
        services.ticket_transition(actor=cast.actor("client_a"), ticket=ticket, action=Action.START)
    with pytest.raises(PermissionDenied):
        services.ticket_assign(actor=cast.actor("client_a"), ticket=ticket, assignee=cast.agent)


def test_reclassification_keeps_history_and_the_old_reference_finds_the_ticket_K1(cast):
    ticket = report(cast)
    with pytest.raises(PermissionDenied):
        services.ticket_reclassify(actor=cast.actor("client_a"), ticket=ticket, new_kind=TicketKind.PROBLEM,
                                   reason="x")
    with pytest.raises(InvalidInput):
        services.ticket_reclassify(actor=cast.actor("agent"), ticket=ticket, new_kind=TicketKind.PROBLEM, reason="")
    ticket = services.ticket_reclassify(actor=cast.actor("agent"), ticket=ticket,
                                        new_kind=TicketKind.SERVICE_REQUEST, reason="It is a wish, not a fault")
    assert ticket.reference == "REQ-000001"
    history = list(selectors.ticket_kind_history_for(cast.actor("client_a"), ticket))
    assert [(h.old_kind, h.new_kind, h.old_reference, h.changed_by_label) for h in history] == [
        ("incident", "service_request", "INC-000001", "Agent Smith")
    ]
    assert selectors.ticket_get_for(cast.actor("client_a"), "inc-000001").pk == ticket.pk


def test_ticket_created_from_another_is_linked_both_ways_S1(cast):
    incident = report(cast, configuration_items=[cast.ci_a])
    problem = services.ticket_create_from(actor=cast.actor("agent"), origin=incident, kind=TicketKind.PROBLEM,
                                          title="Root cause")
    assert problem.source == TicketSource.TICKET
    assert problem.requester == cast.client_a and problem.organisation == cast.org_a
    assert list(problem.configuration_items.all()) == [cast.ci_a]
    agent = cast.actor("agent")
    assert [(v.kind, v.label, v.other.pk) for v in selectors.ticket_links_for(agent, problem)] == [
        ("arose_from", "arose from", incident.pk)
    ]
    assert [(v.label, v.other.pk) for v in selectors.ticket_links_for(agent, incident)] == [
        ("gave rise to", problem.pk)
    ]


@pytest.mark.parametrize("kind", TicketLink.Kind.values)
def test_every_link_kind_reads_from_both_ends_S1(cast, kind):
    a, b = report(cast), report(cast)
    services.ticket_link(actor=cast.actor("agent"), source=a, target=b, kind=kind)
    agent = cast.actor("agent")
    assert selectors.ticket_links_for(agent, a)[0].other == b
    assert selectors.ticket_links_for(agent, b)[0].label == str(TicketLink.INVERSE_LABELS[kind])


def test_links_refuse_self_duplicates_and_cycles(cast):
    agent = cast.actor("agent")
    a, b, c = report(cast), report(cast), report(cast)
    with pytest.raises(InvalidInput):
        services.ticket_link(actor=agent, source=a, target=a, kind="related_to")
    services.ticket_link(actor=agent, source=a, target=b, kind="child_of")
    services.ticket_link(actor=agent, source=b, target=c, kind="child_of")
    with pytest.raises(InvalidInput, match="ancestor"):
        services.ticket_link(actor=agent, source=c, target=a, kind="child_of")
    with pytest.raises(InvalidInput):
        services.ticket_link(actor=agent, source=b, target=a, kind="child_of")
    with pytest.raises(PermissionDenied):
        services.ticket_link(actor=cast.actor("client_a"), source=a, target=c, kind="related_to")


def test_desk_confirms_or_corrects_the_ci_with_who_and_when_K7(cast):
    other_ci = type(cast.ci_a).objects.create(ci_type="laptop", name="alfa-laptop", organisation=cast.org_a)
    ticket = report(cast, configuration_items=[cast.ci_a])
    link = TicketCI.objects.get(ticket=ticket)
    assert link.status == TicketCI.Status.PROPOSED
    with pytest.raises(PermissionDenied):
        services.ticket_ci_confirm(actor=cast.actor("client_a"), ticket=ticket, configuration_item=cast.ci_a)
    services.ticket_ci_correct(actor=cast.actor("agent"), ticket=ticket, wrong=cast.ci_a, right=other_ci,
                               reason="The laptop, not the server")
    links = {(link.configuration_item.name, link.status, link.decided_by_label)
             for link in selectors.ticket_ci_links_for(cast.actor("agent"), ticket, include_rejected=True)}
    assert links == {("alfa-srv", "rejected", "Agent Smith"), ("alfa-laptop", "confirmed", "Agent Smith")}
    assert [link.configuration_item for link in selectors.ticket_ci_links_for(cast.actor("client_a"), ticket)] == [
        other_ci
    ]
    assert TicketCI.objects.get(configuration_item=other_ci).decided_at is not None


def test_ci_of_another_organisation_cannot_be_linked_K7(cast):
    ticket = report(cast)
    with pytest.raises(InvalidInput):
        services.ticket_ci_add(actor=cast.actor("agent"), ticket=ticket, configuration_item=cast.ci_b)


def test_every_write_leaves_an_audit_event_with_actor_and_change(cast):
    ticket = report(cast)
    services.ticket_set_priority(actor=cast.actor("agent"), ticket=ticket, impact=1, urgency=1, reason="VIP")
    event = AuditEvent.objects.get(action="ticket.priority")
    assert event.actor_label == "Agent Smith"
    assert event.changes["priority"] == [4, 1]
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_client_cannot_reply_on_a_closed_ticket(cast):
    ticket = report(cast)
    ticket = services.ticket_transition(actor=cast.actor("client_a"), ticket=ticket, action=Action.CANCEL,
                                        reason="Solved it myself")
    with pytest.raises(InvalidInput, match="new one"):
        services.ticket_add_entry(actor=cast.actor("client_a"), ticket=ticket, body="Again")
    assert not ConversationEntry.objects.filter(kind="reply").exists()


def test_a_flow_event_counts_as_activity_on_the_ticket(cast, time_machine):
    import datetime as dt

    from django.utils import timezone

    ticket = report(cast)
    before = ticket.last_activity_at
    time_machine.move_to(timezone.now() + dt.timedelta(minutes=5))
    services.ticket_event_add(actor=cast.actor("client_a"), ticket=ticket, body="The client confirmed a step")
    ticket.refresh_from_db()
    assert ticket.last_activity_at > before
    entry = ticket.entries.get(body="The client confirmed a step")
    assert (entry.kind, entry.channel, entry.is_internal) == ("event", "portal", False)
    services.ticket_event_add(actor=cast.actor("agent"), ticket=ticket, body="Internal", is_internal=True)
    assert Ticket.objects.get(pk=ticket.pk).last_activity_at == ticket.last_activity_at
