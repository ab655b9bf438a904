"""K9: the client or the desk declares that another party works on an item; it warns on the item
and on every open ticket of it, and each open ticket's assignee is told."""

import datetime as dt

import pytest
from django.utils import timezone

from tugi.cmdb.models import ThirdPartyWork
from tugi.cmdb.selectors import third_party_work_current_for_items, third_party_work_for_ci
from tugi.cmdb.services import third_party_work_declare
from tugi.core.audit import audit_events_for
from tugi.core.errors import InvalidInput, PermissionDenied
from tugi.notifications.models import Notification
from tugi.tickets import services as tickets
from tugi.tickets.models import ConversationEntry, TicketKind, TicketSource

from ..factories import StaffFactory

SOON = timezone.now() + dt.timedelta(days=1)


def _ticket(cast, title, assignee=None):
    ticket = tickets.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title=title,
                                   source=TicketSource.PORTAL, configuration_items=[cast.ci_a])
    if assignee is not None:
        ticket = tickets.ticket_assign(actor=cast.actor("agent"), ticket=ticket, assignee=assignee)
    return ticket


def _declare(cast, who="client_a", **extra):
    values = {"configuration_item": cast.ci_a, "party": "Telia", "what": "Replaces the router",
              "starts_at": SOON, **extra}
    return third_party_work_declare(actor=cast.actor(who), **values)


def test_the_client_declares_on_their_own_item_K9(cast):
    work = _declare(cast)
    assert work.is_declared_by_client and work.declared_by_label == "Anna Alfa"
    assert audit_events_for(work).filter(action="cmdb.third_party_work").exists()


def test_the_desk_declares_too_K9(cast):
    assert not _declare(cast, "agent").is_declared_by_client


def test_a_client_cannot_declare_work_on_a_retired_item_as_the_portal_offers_none_K9(cast):
    cast.ci_a.status = cast.ci_a.Status.RETIRED
    cast.ci_a.save(update_fields=["status"])
    with pytest.raises(InvalidInput, match="retired") as refused:
        _declare(cast)
    assert refused.value.field == "configuration_item" and not ThirdPartyWork.objects.exists()


def test_a_client_cannot_declare_on_another_organisations_item_K9(cast):
    with pytest.raises(PermissionDenied):
        _declare(cast, "client_b")


def test_who_what_and_when_are_required_and_the_end_follows_the_start_K9(cast):
    for field, values in (("party", {"party": " "}), ("what", {"what": ""}), ("starts_at", {"starts_at": None}),
                          ("ends_at", {"ends_at": SOON - dt.timedelta(hours=1)})):
        with pytest.raises(InvalidInput) as refusal:
            _declare(cast, **values)
        assert refusal.value.field == field
    assert not ThirdPartyWork.objects.exists()


def test_a_time_without_its_zone_is_refused_readably_K9(cast):
    naive = dt.datetime(2030, 1, 1, 9, 0)
    for field, values in (("starts_at", {"starts_at": naive}), ("ends_at", {"ends_at": naive})):
        with pytest.raises(InvalidInput, match="time zone") as refusal:
            _declare(cast, **values)
        assert refusal.value.field == field
    assert not ThirdPartyWork.objects.exists()


def test_the_assignee_of_each_open_ticket_of_the_item_is_told_K9(cast):
    other_agent = StaffFactory(name="Other Agent", user__username="other")
    first = _ticket(cast, "ERP slow", assignee=cast.agent)
    second = _ticket(cast, "ERP login fails", assignee=other_agent)
    _ticket(cast, "Nobody assigned")
    closed = _ticket(cast, "Closed one", assignee=StaffFactory(name="Closed Agent", user__username="closed"))
    tickets.ticket_transition(actor=cast.actor("client_a"), ticket=closed, action="cancel", reason="Gone")
    Notification.objects.all().delete()
    _declare(cast)
    told = set(Notification.objects.filter(event="remote_third_party_work")
               .values_list("recipient_email", "subject_reference"))
    assert told == {(cast.agent.email, first.reference), (other_agent.email, second.reference)}


def test_the_declaring_assignee_is_not_told_of_their_own_declaration_K9(cast):
    _ticket(cast, "ERP slow", assignee=cast.agent)
    other_agent = StaffFactory(name="Other Agent", user__username="other")
    second = _ticket(cast, "ERP login fails", assignee=other_agent)
    Notification.objects.all().delete()
    _declare(cast, "agent")
    told = set(Notification.objects.filter(event="remote_third_party_work")
               .values_list("recipient_email", "subject_reference"))
    assert told == {(other_agent.email, second.reference)}  # the other assignee still is


def test_declared_on_a_ticket_it_shows_in_its_conversation_K9(cast):
    ticket = _ticket(cast, "ERP slow")
    _declare(cast, via_ticket=ticket)
    assert ConversationEntry.objects.filter(ticket=ticket, body__contains="Telia").exists()


def test_the_ticket_must_be_of_the_items_organisation_K9(cast):
    ticket_b = tickets.ticket_create(actor=cast.actor("client_b"), kind=TicketKind.INCIDENT, title="Beeta",
                                     source=TicketSource.PORTAL)
    with pytest.raises(InvalidInput):
        _declare(cast, "agent", via_ticket=ticket_b)


def test_finished_work_leaves_the_warning_but_stays_on_the_item_K9(cast):
    past = timezone.now() - dt.timedelta(days=3)
    _declare(cast, starts_at=past, ends_at=past + dt.timedelta(hours=2))
    current = _declare(cast, party="Vendor")
    agent = cast.actor("agent")
    assert list(third_party_work_current_for_items(agent, [cast.ci_a.pk])) == [current]
    assert len(third_party_work_for_ci(agent, cast.ci_a)) == 2
    assert list(third_party_work_for_ci(agent, cast.ci_a, current_only=True)) == [current]


def test_another_organisation_sees_none_of_it_K9(cast):
    _declare(cast)
    client_b = cast.actor("client_b")
    assert not third_party_work_for_ci(client_b, cast.ci_a).exists()
    assert not third_party_work_current_for_items(client_b, [cast.ci_a.pk]).exists()
