"""The console's webhook pages (issue 6): managers subscribe and see the secret, the desk reads
the delivery log, "Send again" really sends, and the list's queries do not grow with its rows."""

import pytest
from django.urls import reverse

from tugi.webhooks import services
from tugi.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription

from .test_delivery import report, subscribe


def signed_in(client, person):
    client.force_login(person.user)
    return client


def test_a_manager_subscribes_on_the_page_and_sees_the_secret(client, cast, receiver):
    signed_in(client, cast.service_manager)
    response = client.post(reverse("console:webhooks_new"), {
        "name": "Partner ITSM", "target_url": receiver.url, "event_types": ["ticket.created", "entry.added"],
        "organisation": cast.org_a.pk, "is_active": "on"})
    subscription = WebhookSubscription.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("console:webhook", args=[subscription.pk])
    page = client.get(response["Location"]).content.decode()
    assert subscription.secret in page and "Partner ITSM" in page
    assert subscription.organisation == cast.org_a and subscription.event_types == ["ticket.created", "entry.added"]


def test_a_bad_address_comes_back_on_the_form_with_the_reason(client, cast):
    signed_in(client, cast.catalogue_owner)
    response = client.post(reverse("console:webhooks_new"), {
        "name": "Partner", "target_url": "ftp://partner.example/", "event_types": ["ticket.created"]})
    assert response.status_code == 400
    assert "http:// or https://" in response.content.decode()
    assert 'value="Partner"' in response.content.decode()  # nothing typed is lost
    assert not WebhookSubscription.objects.exists()


def test_an_agent_reads_the_log_but_sees_no_secret_and_cannot_change(client, cast, receiver):
    subscription = subscribe(cast, receiver)
    report(cast)
    services.webhooks_outbox_run()
    signed_in(client, cast.agent)
    overview = client.get(reverse("console:webhooks")).content.decode()
    assert "Partner&#x27;s ITSM" in overview and "ticket.created" in overview
    assert "Send again" not in overview
    detail = client.get(reverse("console:webhook", args=[subscription.pk])).content.decode()
    assert subscription.secret not in detail
    refused = client.post(reverse("console:webhook", args=[subscription.pk]), {
        "name": "Hijacked", "target_url": "https://evil.example/", "event_types": ["ticket.created"]})
    assert refused.status_code == 403
    subscription.refresh_from_db()
    assert subscription.name != "Hijacked"


def test_send_again_on_the_page_delivers_a_given_up_delivery(client, cast, receiver,
                                                              django_capture_on_commit_callbacks):
    subscribe(cast, receiver)
    report(cast)
    services.webhooks_outbox_run()
    WebhookDelivery.objects.update(status=DeliveryStatus.GIVEN_UP, attempts=10, next_attempt_at=None,
                                   last_error="Connection refused")
    delivery = WebhookDelivery.objects.get()
    signed_in(client, cast.catalogue_owner)
    assert "Send again" in client.get(reverse("console:webhooks") + "?status=given_up").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("console:webhook_delivery_resend", args=[delivery.pk]))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "delivered" in page and len(receiver.requests) == 1


@pytest.mark.parametrize("rows", [3, 30])
def test_the_overview_queries_do_not_grow_with_the_deliveries(client, cast, receiver, rows,
                                                              django_assert_max_num_queries):
    subscription = subscribe(cast, receiver)
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(subscription=subscription, event_id=n, event_type="ticket.created", ticket_reference="INC-1",
                        payload={}) for n in range(rows))
    signed_in(client, cast.agent)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("console:webhooks")).status_code == 200
