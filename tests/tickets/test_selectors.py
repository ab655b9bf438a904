"""Actor-scoped reads: a client sees tickets of their own organisation only, and never an
internal note (S3, K13, K18)."""

import pytest

from tugi.core.actors import ANONYMOUS, system_actor
from tugi.core.errors import NotFound
from tugi.tickets import selectors, services
from tugi.tickets.models import TicketKind, TicketSource

from ..factories import ContactFactory


@pytest.fixture
def tickets(cast):
    a_own = services.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title="A by Anna",
                                   source=TicketSource.PORTAL)
    a_rep = services.ticket_create(actor=cast.actor("representative_a"), kind=TicketKind.INCIDENT,
                                   title="A by Rein", source=TicketSource.PORTAL)
    b_own = services.ticket_create(actor=cast.actor("client_b"), kind=TicketKind.INCIDENT, title="B by Bert",
                                   source=TicketSource.PORTAL)
    unknown = services.ticket_create(actor=system_actor(), kind=TicketKind.INCIDENT, title="Alert",
                                     source=TicketSource.MONITORING)
    services.ticket_add_entry(actor=cast.actor("agent"), ticket=a_own, body="public answer")
    services.ticket_add_entry(actor=cast.actor("agent"), ticket=a_own, body="internal only", is_internal=True)
    return {"a_own": a_own, "a_rep": a_rep, "b_own": b_own, "unknown": unknown}


def refs(qs):
    return sorted(t.title for t in qs)


@pytest.mark.parametrize("who", ["agent", "service_manager", "catalogue_owner"])
def test_staff_see_every_ticket(cast, tickets, who):
    assert refs(selectors.ticket_list_for(cast.actor(who))) == ["A by Anna", "A by Rein", "Alert", "B by Bert"]


def test_system_sees_every_ticket(cast, tickets):
    assert len(selectors.ticket_list_for(system_actor())) == 4


def test_representative_sees_the_whole_organisation_and_nothing_else(cast, tickets):
    assert refs(selectors.ticket_list_for(cast.actor("representative_a"))) == ["A by Anna", "A by Rein"]


def test_client_sees_own_tickets_and_those_they_take_part_in(cast, tickets):
    actor = cast.actor("client_a")
    assert refs(selectors.ticket_list_for(actor)) == ["A by Anna"]
    services.ticket_add_participant(actor=cast.actor("agent"), ticket=tickets["a_rep"], contact=cast.client_a)
    assert refs(selectors.ticket_list_for(actor)) == ["A by Anna", "A by Rein"]


def test_client_of_b_never_sees_a(cast, tickets):
    actor = cast.actor("client_b")
    assert refs(selectors.ticket_list_for(actor)) == ["B by Bert"]
    for name in ("a_own", "a_rep", "unknown"):
        with pytest.raises(NotFound):
            selectors.ticket_get_for(actor, tickets[name].reference)


def test_client_cannot_be_added_to_another_organisations_ticket(cast, tickets):
    from tugi.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        services.ticket_add_participant(actor=cast.actor("agent"), ticket=tickets["a_own"], contact=cast.client_b)


def test_missing_and_hidden_tickets_look_the_same(cast, tickets):
    actor = cast.actor("client_b")
    with pytest.raises(NotFound) as hidden:
        selectors.ticket_get_for(actor, tickets["a_own"].reference)
    with pytest.raises(NotFound) as missing:
        selectors.ticket_get_for(actor, "INC-999999")
    assert hidden.value.message == missing.value.message


def test_anonymous_and_contactless_users_see_nothing(cast, tickets):
    assert not selectors.ticket_list_for(ANONYMOUS).exists()
    orphan = ContactFactory(organisation=cast.org_a)
    orphan.is_active = False
    orphan.save()
    from tugi.directory.actors import actor_for_user

    assert not actor_for_user(orphan.user).is_authenticated


def test_clients_never_read_internal_notes(cast, tickets):
    for who in ("client_a", "representative_a"):
        bodies = [e.body for e in selectors.ticket_conversation_for(cast.actor(who), tickets["a_own"])]
        assert "public answer" in bodies
        assert "internal only" not in bodies
    staff_bodies = [e.body for e in selectors.ticket_conversation_for(cast.actor("agent"), tickets["a_own"])]
    assert "internal only" in staff_bodies


def test_links_to_tickets_the_client_cannot_see_are_hidden(cast, tickets):
    services.ticket_link(actor=cast.actor("agent"), source=tickets["a_own"], target=tickets["b_own"],
                         kind="related_to")
    assert selectors.ticket_links_for(cast.actor("client_a"), tickets["a_own"]) == []
    assert len(selectors.ticket_links_for(cast.actor("agent"), tickets["a_own"])) == 1


def test_filters_and_search(cast, tickets):
    agent = cast.actor("agent")
    f = selectors.TicketFilters
    assert refs(selectors.ticket_list_for(agent, f(organisation_id=cast.org_b.pk))) == ["B by Bert"]
    assert refs(selectors.ticket_list_for(agent, f(query="by rein"))) == ["A by Rein"]
    assert refs(selectors.ticket_list_for(agent, f(query=tickets["b_own"].reference.lower()))) == ["B by Bert"]
    assert len(selectors.ticket_list_for(agent, f(unassigned=True))) == 4
    assert len(selectors.ticket_list_for(agent, f(is_open=False))) == 0
    assert refs(selectors.ticket_list_for(cast.actor("client_b"), f(query="by"))) == ["B by Bert"]


def test_the_ticket_list_query_count_does_not_grow_with_rows(cast, tickets, django_assert_max_num_queries):
    for i in range(20):
        services.ticket_create(actor=cast.actor("agent"), kind=TicketKind.INCIDENT, title=f"t{i}",
                               source=TicketSource.AGENT, requester=cast.client_a, service=cast.service)
    with django_assert_max_num_queries(1):
        rows = list(selectors.ticket_list_for(cast.actor("agent"))[:50])
        _ = [(t.requester and t.requester.name, t.organisation and t.organisation.name,
              t.service and t.service.name, t.assignee) for t in rows]
