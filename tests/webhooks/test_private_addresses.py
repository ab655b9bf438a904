"""Outgoing webhooks never reach the desk's own network (issue 6, S3): a receiver's address that
leads to loopback, private, link-local or cloud-metadata addresses is refused when a subscription is
saved and again when sending, unless TUGI_WEBHOOK_ALLOW_PRIVATE is on for an on-premises receiver."""

from __future__ import annotations

import socket

import pytest
from django.urls import reverse

from tugi.core.errors import InvalidInput
from tugi.tickets import services as tickets
from tugi.tickets.models import TicketKind, TicketSource
from tugi.webhooks import services
from tugi.webhooks.models import DeliveryStatus, EventType, WebhookDelivery, WebhookSubscription

ALL_EVENTS = list(EventType.values)


def _report(cast):
    return tickets.ticket_create(actor=cast.actor("client_a"), title="The printer jams", description="x",
                                 kind=TicketKind.INCIDENT, source=TicketSource.PORTAL)


def test_a_delivery_to_a_private_address_is_not_attempted_when_the_switch_is_off(cast, receiver, settings,
                                                                                 monkeypatch):
    services.webhook_subscription_create(actor=cast.actor("catalogue_owner"), name="Partner",
                                         target_url=receiver.url, event_types=ALL_EVENTS)
    settings.TUGI_WEBHOOK_ALLOW_PRIVATE = False  # e.g. a name that resolved publicly when saved, privately now
    connected = []
    real_connect = socket.create_connection
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connected.append(a) or real_connect(*a, **k))
    _report(cast)
    services.webhooks_outbox_run()
    services.webhook_deliveries_send_due()
    delivery = WebhookDelivery.objects.get()
    assert receiver.requests == [] and connected == []  # not even a connection to 127.0.0.1
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_response_code is None
    assert "non-public network address" in delivery.last_error
    # An on-premises desk switches it on, and the same delivery goes through.
    settings.TUGI_WEBHOOK_ALLOW_PRIVATE = True
    assert services.webhook_delivery_attempt(delivery.pk, force=True) == DeliveryStatus.DELIVERED
    assert len(receiver.requests) == 1


@pytest.mark.parametrize("host", ["127.0.0.1", "10.1.2.3", "169.254.169.254", "[::1]", "192.168.0.10"])
def test_resolving_to_a_private_address_is_refused_by_the_sender(settings, host):
    settings.TUGI_WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(services.PrivateAddressRefused):
        services._guarded_connection((host.strip("[]"), 80), 1)


PRIVATE_URLS = ["http://127.0.0.1:8080/hook", "http://10.0.0.5/hook", "http://169.254.169.254/latest/meta-data",
                "http://[::1]/hook", "http://localhost/hook", "https://192.168.1.1/hook", "http://0.0.0.0/"]


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_a_subscription_to_a_private_address_is_refused_with_a_reason(cast, settings, url):
    settings.TUGI_WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(InvalidInput) as refused:
        services.webhook_subscription_create(actor=cast.actor("catalogue_owner"), name="x", target_url=url,
                                             event_types=ALL_EVENTS)
    assert refused.value.field == "target_url"
    assert "non-public network address" in str(refused.value.message)
    assert not WebhookSubscription.objects.exists()


def test_the_api_refuses_a_private_receiver_with_the_reason(client, cast, settings):
    settings.TUGI_WEBHOOK_ALLOW_PRIVATE = False
    client.force_login(cast.catalogue_owner.user)
    response = client.post("/api/v1/webhooks", {"name": "Metadata", "target_url": "http://169.254.169.254/",
                                                "event_types": ["ticket.created"]}, content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.json()["field"] == "target_url"
    assert "non-public network address" in response.json()["detail"]
    assert not WebhookSubscription.objects.exists()


def test_the_console_form_refuses_a_private_receiver_and_keeps_the_input(client, cast, settings):
    settings.TUGI_WEBHOOK_ALLOW_PRIVATE = False
    client.force_login(cast.service_manager.user)
    response = client.post(reverse("console:webhooks_new"), {
        "name": "Intranet", "target_url": "http://10.0.0.5/hook", "event_types": ["ticket.created"]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "non-public network address" in page and 'value="Intranet"' in page
    assert not WebhookSubscription.objects.exists()


def test_an_on_premises_receiver_is_allowed_when_the_desk_switches_it_on(cast, settings):
    settings.TUGI_WEBHOOK_ALLOW_PRIVATE = True
    subscription = services.webhook_subscription_create(
        actor=cast.actor("catalogue_owner"), name="Intranet", target_url="http://10.0.0.5/hook",
        event_types=ALL_EVENTS)
    assert subscription.target_url == "http://10.0.0.5/hook"
