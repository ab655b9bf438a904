"""The admin of the client-role flows: a decided cost notice is evidence (K16), a stored remote
account stays on its ticket (K19), and the list pages read the ticket in the same query."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tugi.costs import services
from tugi.costs.models import CostNotice
from tugi.remote.models import RemoteAccessOrder
from tugi.remote.services import remote_access_order
from tugi.tickets import services as tickets
from tugi.tickets.models import TicketKind, TicketSource

from ..factories import PASSWORD, UserFactory

FLOW_APPS = ("costs", "dialogue", "plans", "remote", "visits")


@pytest.fixture
def root(client, cast):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    assert client.login(username="root", password=PASSWORD)
    return client


def test_a_decided_notice_keeps_what_the_client_decided_on_K16(root, cast, chargeable):
    notice = services.cost_notice_create(actor=cast.actor("service_manager"), ticket=chargeable, description="Licence",
                                         amount="100")
    services.cost_notice_accept(actor=cast.actor("client_a"), notice=notice)
    other = tickets.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title="Other",
                                  source=TicketSource.PORTAL)
    url = reverse("admin:costs_costnotice_change", args=[notice.pk])
    root.post(url, {"ticket": other.pk, "description": "Cheaper licence", "amount": "1.00", "currency": "EUR",
                    "created_by_label": "x"})
    notice.refresh_from_db()
    assert (notice.ticket_id, notice.description, str(notice.amount)) == (chargeable.pk, "Licence", "100.00")


def test_an_undecided_notice_may_still_be_corrected_in_the_admin_K16(root, cast, chargeable):
    notice = services.cost_notice_create(actor=cast.actor("agent"), ticket=chargeable, description="Licence")
    fields = admin.site._registry[CostNotice].get_readonly_fields(None, notice)
    assert "description" not in fields and "amount" not in fields


def test_a_stored_remote_account_cannot_be_moved_to_another_ticket_K19(root, cast):
    ticket = tickets.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title="ERP",
                                   source=TicketSource.PORTAL, configuration_items=[cast.ci_a])
    other = tickets.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title="Other",
                                  source=TicketSource.PORTAL, configuration_items=[cast.ci_a])
    order = remote_access_order(actor=cast.actor("client_a"), ticket=ticket, method="rdp",
                                configuration_item=cast.ci_a, account_identifier="acc")
    url = reverse("admin:remote_remoteaccessorder_change", args=[order.pk])
    root.post(url, {"ticket": other.pk, "method": "rdp", "configuration_item": cast.ci_a.pk})
    order.refresh_from_db()
    assert order.ticket_id == ticket.pk
    assert admin.site._registry[RemoteAccessOrder].has_change_permission(None, order) is False


@pytest.mark.parametrize("model", [m for m in admin.site._registry if m._meta.app_label in FLOW_APPS],
                         ids=lambda m: m._meta.label)
def test_the_flow_admin_lists_read_the_ticket_with_the_rows(model):
    related = admin.site._registry[model].list_select_related
    if any(f.name == "ticket" for f in model._meta.get_fields()):
        assert "ticket" in related


def test_the_notice_list_does_not_query_per_row(root, cast, chargeable):
    url = reverse("admin:costs_costnotice_changelist")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert root.get(url).status_code == 200
        return len(queries)

    services.cost_notice_create(actor=cast.actor("agent"), ticket=chargeable, description="One")
    one = count()
    for n in range(5):
        services.cost_notice_create(actor=cast.actor("agent"), ticket=chargeable, description=f"More {n}")
    assert count() == one
