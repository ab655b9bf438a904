"""CMDB: items scoped to the owner organisation, relations typed and read from both ends (K7)."""

import pytest

from tugi.cmdb import selectors, services
from tugi.core.errors import InvalidInput, NotFound, PermissionDenied

from ..factories import CIFactory


def test_client_sees_only_own_organisations_items(cast):
    assert list(selectors.ci_list_for(cast.actor("client_a"))) == [cast.ci_a]
    with pytest.raises(NotFound):
        selectors.ci_get_for(cast.actor("client_a"), cast.ci_b.pk)


def test_relations_are_typed_and_read_from_both_ends(cast):
    app = CIFactory(organisation=cast.org_a, ci_type="application", name="alfa-erp")
    services.ci_relation_create(actor=cast.actor("agent"), source=app, target=cast.ci_a, kind="runs_on")
    assert [(r.label, r.other.name) for r in selectors.ci_relations_for(cast.actor("agent"), app)] == [
        ("runs on", "alfa-srv")
    ]
    assert [(r.label, r.other.name) for r in selectors.ci_relations_for(cast.actor("client_a"), cast.ci_a)] == [
        ("hosts", "alfa-erp")
    ]


def test_only_staff_relate_items_and_never_to_themselves(cast):
    with pytest.raises(PermissionDenied):
        services.ci_relation_create(actor=cast.actor("client_a"), source=cast.ci_a, target=cast.ci_a,
                                    kind="depends_on")
    with pytest.raises(InvalidInput):
        services.ci_relation_create(actor=cast.actor("agent"), source=cast.ci_a, target=cast.ci_a, kind="depends_on")


def test_search_finds_by_hostname_and_serial(cast):
    ci = CIFactory(organisation=cast.org_a, hostname="db1.alfa.ee", serial_number="SN-77")
    agent = cast.actor("agent")
    assert list(selectors.ci_search_for(agent, "db1.alfa")) == [ci]
    assert list(selectors.ci_search_for(agent, "sn-77")) == [ci]
