"""Directory reads scoped to the actor; a staff member's personal phone stays internal (K13)."""

from tugi.core.actors import ANONYMOUS
from tugi.directory import selectors


def test_client_sees_only_their_own_organisation(cast):
    assert list(selectors.organisation_list_for(cast.actor("client_a"))) == [cast.org_a]
    assert set(selectors.organisation_list_for(cast.actor("agent"))) == {cast.org_a, cast.org_b}
    assert not selectors.organisation_list_for(ANONYMOUS).exists()


def test_representative_sees_colleagues_plain_client_only_themself(cast):
    assert set(selectors.contact_list_for(cast.actor("representative_a"))) == {cast.client_a, cast.representative_a}
    assert list(selectors.contact_list_for(cast.actor("client_a"))) == [cast.client_a]


def test_clients_get_no_staff_list_K13(cast):
    assert not selectors.staff_list_for(cast.actor("client_a")).exists()
    assert selectors.staff_list_for(cast.actor("agent")).filter(pk=cast.agent.pk).exists()


def test_contact_search_by_phone_digits_and_name(cast):
    agent = cast.actor("agent")
    digits = "".join(ch for ch in cast.client_b.phone if ch.isdigit())
    assert list(selectors.contact_search_for(agent, digits[-7:])) == [cast.client_b]
    assert list(selectors.contact_search_for(agent, "anna")) == [cast.client_a]
