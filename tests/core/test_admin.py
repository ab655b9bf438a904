"""The admin for directory, catalogue and CMDB: list views with search work for a superuser."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tugi.tickets import services
from tugi.tickets.models import TicketKind, TicketSource

from ..factories import PASSWORD, UserFactory


@pytest.mark.parametrize("model", [m for m in admin.site._registry])
def test_every_admin_list_and_search_renders(client, cast, model):
    services.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title="x",
                           source=TicketSource.PORTAL)
    UserFactory(username="root", is_staff=True, is_superuser=True)
    assert client.login(username="root", password=PASSWORD)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200
    model_admin = admin.site._registry[model]
    if model_admin.search_fields:
        assert client.get(url, {"q": "alfa"}).status_code == 200


def test_client_cannot_enter_the_admin(client, cast):
    assert client.login(username="anna", password=PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 302
