"""K19: only staff with access to the order's organisation and item may reveal its account: the
item must be the ticket organisation's own and not retired (remote/policies.can_reveal)."""

import pytest

from tugi.cmdb.models import ConfigurationItem
from tugi.core.actors import Actor, ActorKind
from tugi.remote.models import RemoteAccessStatus
from tugi.remote.policies import can_reveal, reveal_refusal


@pytest.mark.parametrize("who", ["agent", "service_manager", "catalogue_owner"])
def test_staff_may_reveal_K19(cast, order, who):
    assert can_reveal(cast.actor(who), order)


@pytest.mark.parametrize("who", ["client_a", "representative_a", "client_b"])
def test_clients_may_not_reveal_K19(cast, order, who):
    assert not can_reveal(cast.actor(who), order)


def test_staff_without_a_desk_role_may_not_reveal_K19(order):
    assert not can_reveal(Actor(kind=ActorKind.STAFF, user_id=999, label="Intern"), order)


def test_the_system_may_not_reveal_K19(order):
    assert not can_reveal(Actor(kind=ActorKind.SYSTEM, label="Tugi"), order)


def test_a_retired_item_is_not_revealed_K19(cast, order):
    order.configuration_item.status = ConfigurationItem.Status.RETIRED
    assert "retired" in reveal_refusal(cast.actor("agent"), order)


def test_an_item_of_another_organisation_is_not_revealed_K19(cast, order):
    order.configuration_item = cast.ci_b
    assert not can_reveal(cast.actor("agent"), order)


def test_a_revoked_order_is_not_revealed_K19(cast, order):
    order.status = RemoteAccessStatus.REVOKED
    order.account_identifier_encrypted = order.password_encrypted = ""
    assert not can_reveal(cast.actor("agent"), order)
