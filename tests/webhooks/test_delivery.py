"""Outgoing webhooks (issue 6): ticket events reach a real HTTP receiver signed, exactly once, in
order; a failing receiver is retried with growing delays and then given up; payloads carry nothing
a client may not see (no internal note, no staff phone, K13); an organisation filter keeps another
organisation's events away (S3)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

import pytest
import time_machine
from django.utils import timezone

from tugi.core.errors import InvalidInput, PermissionDenied
from tugi.core.models import AuditEvent
from tugi.tickets import services as tickets
from tugi.tickets.lifecycle import Action
from tugi.tickets.models import TicketKind, TicketSource
from tugi.webhooks import services, signing
from tugi.webhooks.models import DeliveryStatus, EventType, WebhookCursor, WebhookDelivery

ALL_EVENTS = list(EventType.values)


@pytest.fixture(autouse=True)
def _quick_retries(settings):
    settings.TUGI_WEBHOOK_TIMEOUT_SECONDS = 2
    settings.TUGI_WEBHOOK_MAX_ATTEMPTS = 4
    settings.TUGI_WEBHOOK_RETRY_SECONDS = 10
    settings.TUGI_WEBHOOK_RETRY_MAX_SECONDS = 3600


def subscribe(cast, receiver, *, events=ALL_EVENTS, organisation=None, who="catalogue_owner"):
    return services.webhook_subscription_create(
        actor=cast.actor(who), name="Partner's ITSM", target_url=receiver.url, event_types=events,
        organisation=organisation)


def report(cast, who="client_a", title="The printer jams"):
    return tickets.ticket_create(actor=cast.actor(who), kind=TicketKind.INCIDENT, title=title,
                                 description="Paper jam on floor 2", source=TicketSource.PORTAL)


def deliver_all():
    made = services.webhooks_outbox_run()
    services.webhook_deliveries_send_due()
    return made


def payloads(receiver):
    return [json.loads(r.body) for r in receiver.requests]


# --- signing and delivery -----------------------------------------------------------------------

def test_a_new_ticket_reaches_the_receiver_signed_and_the_signature_verifies(cast, receiver):
    subscription = subscribe(cast, receiver)
    ticket = report(cast)
    deliver_all()

    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    # The receiver's own check, as docs/webhooks.md shows it: HMAC-SHA256 over "<t>." + the raw body.
    parts = dict(item.split("=", 1) for item in request.headers["tugi-signature"].split(","))
    expected = hmac.new(subscription.secret.encode(), f"{parts['t']}.".encode() + request.body,
                        hashlib.sha256).hexdigest()
    assert hmac.compare_digest(parts["v1"], expected)
    assert abs(int(parts["t"]) - timezone.now().timestamp()) < 60
    assert signing.verify(subscription.secret, request.body, request.headers["tugi-signature"])
    body = json.loads(request.body)
    assert body["type"] == "ticket.created" and request.headers["tugi-event"] == "ticket.created"
    assert body["ticket"]["reference"] == ticket.reference
    assert body["ticket"]["organisation"]["name"] == "Alfa OÜ"
    assert body["data"]["description"] == "Paper jam on floor 2"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_response_code) == (DeliveryStatus.DELIVERED, 1, 204)
    assert request.headers["tugi-delivery"] == str(delivery.pk)


def test_a_changed_body_or_another_secret_does_not_verify(cast, receiver):
    subscription = subscribe(cast, receiver)
    report(cast)
    deliver_all()
    request = receiver.requests[0]
    header = request.headers["tugi-signature"]
    assert not signing.verify(subscription.secret, request.body.replace(b"jams", b"works"), header)
    assert not signing.verify(signing.new_secret(), request.body, header)
    # An old delivery replayed later is refused by its timestamp.
    assert not signing.verify(subscription.secret, request.body, header,
                              now=int(timezone.now().timestamp()) + 3600)


def test_ticket_events_arrive_in_order_with_the_state_change(cast, receiver):
    subscribe(cast, receiver)
    ticket = report(cast)
    ticket = tickets.ticket_assign(actor=cast.actor("agent"), ticket=ticket, assignee=cast.agent)
    tickets.ticket_transition(actor=cast.actor("agent"), ticket=ticket, action=Action.START)
    tickets.ticket_add_entry(actor=cast.actor("agent"), ticket=ticket, body="We are on it.")
    deliver_all()

    got = payloads(receiver)
    assert [p["type"] for p in got] == ["ticket.created", "ticket.updated", "ticket.state_changed", "entry.added"]
    assert [int(p["id"]) for p in got] == sorted(int(p["id"]) for p in got)
    assert got[1]["data"] == {"action": "assign", "changed": ["assignee", "state"]}
    assert got[2]["data"]["from"] == "assigned" and got[2]["data"]["to"] == "in_progress"
    assert got[3]["data"]["entry"]["body"] == "We are on it."


def test_each_event_is_delivered_exactly_once_per_subscription(cast, receiver):
    subscribe(cast, receiver)
    subscribe(cast, receiver, events=["ticket.created"], who="service_manager")
    report(cast)
    services.webhooks_outbox_run()
    services.webhooks_outbox_run()  # reading the same events again adds nothing
    services.webhook_deliveries_send_due()
    services.webhook_deliveries_send_due()

    assert WebhookDelivery.objects.count() == 2
    assert len(receiver.requests) == 2
    assert len({r.headers["tugi-delivery"] for r in receiver.requests}) == 2


def test_events_before_the_first_subscription_are_not_sent(cast, receiver):
    report(cast, title="Before")
    subscribe(cast, receiver)
    report(cast, title="After")
    deliver_all()
    assert [p["ticket"]["title"] for p in payloads(receiver)] == ["After"]


def test_only_the_chosen_event_types_are_sent(cast, receiver):
    subscribe(cast, receiver, events=["ticket.state_changed"])
    ticket = report(cast)
    ticket = tickets.ticket_assign(actor=cast.actor("agent"), ticket=ticket, assignee=cast.agent)
    tickets.ticket_transition(actor=cast.actor("agent"), ticket=ticket, action=Action.START)
    deliver_all()
    assert [p["type"] for p in payloads(receiver)] == ["ticket.state_changed"]


def test_the_periodic_job_reads_the_outbox_and_sends(cast, receiver):
    from tugi.core.periodic import jobs

    subscribe(cast, receiver)
    report(cast)
    job = next(j for j in jobs() if j.name == "webhooks.outbox")
    assert job.run() == 1
    assert len(receiver.requests) == 1  # tasks run at once in tests


# --- what a payload never carries ---------------------------------------------------------------

def test_no_internal_note_and_no_staff_phone_in_any_payload_K2_K13(cast, receiver):
    subscribe(cast, receiver)
    ticket = report(cast)
    ticket = tickets.ticket_assign(actor=cast.actor("agent"), ticket=ticket, assignee=cast.agent)
    tickets.ticket_add_entry(actor=cast.actor("agent"), ticket=ticket, body="Internal: key under the mat",
                             is_internal=True)
    tickets.ticket_add_entry(actor=cast.actor("agent"), ticket=ticket, body="Public: we will call you.")
    deliver_all()

    bodies = b"".join(r.body for r in receiver.requests).decode()
    assert "key under the mat" not in bodies
    assert "Public: we will call you." in bodies
    assert cast.agent.personal_phone not in bodies and cast.agent.personal_phone.replace(" ", "") not in bodies
    assert cast.agent.email not in bodies and cast.client_a.email not in bodies
    # The note is not even an event: nothing was sent for it.
    assert [p["type"] for p in payloads(receiver)] == ["ticket.created", "ticket.updated", "entry.added"]


# --- the organisation filter (S3) ---------------------------------------------------------------

def test_a_subscription_for_organisation_b_never_receives_a_tickets(cast, receiver):
    subscribe(cast, receiver, organisation=cast.org_b)
    ticket_a = report(cast, "client_a", title="Alfa's secret trouble")
    tickets.ticket_add_entry(actor=cast.actor("agent"), ticket=ticket_a, body="Alfa's reply")
    ticket_b = report(cast, "client_b", title="Beeta's trouble")
    deliver_all()

    got = payloads(receiver)
    assert [p["ticket"]["reference"] for p in got] == [ticket_b.reference]
    assert "Alfa" not in b"".join(r.body for r in receiver.requests).decode()
    assert not WebhookDelivery.objects.filter(ticket_reference=ticket_a.reference).exists()


# --- retries, backoff, giving up, sending again ---------------------------------------------------

def test_a_failing_receiver_is_retried_with_growing_delays_then_given_up(cast, receiver):
    receiver.statuses = [500]
    subscribe(cast, receiver)
    report(cast)
    services.webhooks_outbox_run()
    delivery = WebhookDelivery.objects.get()
    delays = []
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        for attempt in range(1, 5):
            services.webhook_deliveries_send_due()
            delivery.refresh_from_db()
            assert delivery.attempts == attempt and delivery.last_response_code == 500
            if attempt < 4:
                assert delivery.status == DeliveryStatus.FAILED
                delays.append((delivery.next_attempt_at - delivery.last_attempt_at).total_seconds())
                # Not yet due: a run before the delay has passed sends nothing.
                services.webhook_deliveries_send_due()
                assert len(receiver.requests) == attempt
                traveller.move_to(delivery.next_attempt_at + dt.timedelta(seconds=1))
        assert delivery.status == DeliveryStatus.GIVEN_UP and delivery.next_attempt_at is None
        traveller.move_to(timezone.now() + dt.timedelta(days=1))
        services.webhook_deliveries_send_due()
    assert len(receiver.requests) == 4  # given up means no more tries
    assert delays == sorted(delays) and delays[-1] > 2 * delays[0]
    assert 5 <= delays[0] <= 10  # the first pause: TUGI_WEBHOOK_RETRY_SECONDS with jitter
    assert delivery.last_error == "HTTP 500 Internal Server Error"


def test_a_receiver_that_recovers_gets_the_delivery(cast, receiver):
    receiver.statuses = [503, 200]
    subscribe(cast, receiver)
    report(cast)
    deliver_all()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    with time_machine.travel(delivery.next_attempt_at + dt.timedelta(seconds=1)):
        services.webhook_deliveries_send_due()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.DELIVERED, 2, "")
    assert receiver.requests[0].body == receiver.requests[1].body  # the same event, byte for byte


def test_an_unreachable_receiver_is_recorded_as_failed(cast, receiver):
    subscription = subscribe(cast, receiver)
    services.webhook_subscription_update(
        actor=cast.actor("catalogue_owner"), subscription=subscription, name=subscription.name,
        target_url="http://127.0.0.1:9/nobody-listens", event_types=ALL_EVENTS, organisation=None, is_active=True)
    report(cast)
    deliver_all()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_response_code is None
    assert delivery.last_error


def test_a_given_up_delivery_can_be_sent_again(cast, receiver, django_capture_on_commit_callbacks):
    receiver.statuses = [500]
    subscribe(cast, receiver)
    report(cast)
    services.webhooks_outbox_run()
    WebhookDelivery.objects.update(status=DeliveryStatus.GIVEN_UP, attempts=4, next_attempt_at=None)
    receiver.statuses = [204]
    with django_capture_on_commit_callbacks(execute=True):
        services.webhook_delivery_resend(actor=cast.actor("service_manager"), delivery=WebhookDelivery.objects.get())
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1
    assert AuditEvent.objects.filter(action="webhooks.delivery_resend").exists()


# --- the outbox's cursor --------------------------------------------------------------------------

def test_the_cursor_waits_at_a_young_hole_in_the_audit_ids_and_passes_it_later(cast, receiver):
    subscribe(cast, receiver)
    report(cast, title="One")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10)):
        services.webhooks_outbox_run()  # every hole so far is old: the cursor is at the newest event
        services.webhook_deliveries_send_due()
    cursor = WebhookCursor.objects.get().last_event_id
    assert cursor == AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    # An event whose id is ahead of a hole: a transaction holding the hole may not have committed yet.
    ticket = report(cast, title="Two")
    created = AuditEvent.objects.filter(action="ticket.create", object_id=str(ticket.pk)).get()
    later = AuditEvent.objects.create(id=created.id + 5, actor_kind="system", actor_label="Tugi",
                                      action="ticket.reply", object_type="tickets.ticket", object_id="0")
    services.webhooks_outbox_run()
    hole_start = WebhookCursor.objects.get().last_event_id
    assert cursor < hole_start < later.id  # stops before the hole
    assert [p["ticket"]["title"] for p in payloads(receiver)] == ["One"]  # no sender ran since
    services.webhook_deliveries_send_due()
    assert [p["ticket"]["title"] for p in payloads(receiver)] == ["One", "Two"]
    services.webhooks_outbox_run()  # reading past the hole again sends nothing twice
    assert WebhookDelivery.objects.count() == 2
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10)):
        services.webhooks_outbox_run()
    assert WebhookCursor.objects.get().last_event_id == later.id  # the hole is old now: it was a rollback


# --- managing subscriptions ----------------------------------------------------------------------

@pytest.mark.parametrize("who", ["agent", "client_a", "representative_a"])
def test_only_the_catalogue_owner_and_service_managers_manage_subscriptions(cast, receiver, who):
    with pytest.raises(PermissionDenied):
        subscribe(cast, receiver, who=who)


@pytest.mark.parametrize("url", ["ftp://example.com/x", "not a url", "http://", "javascript:alert(1)",
                                 "http://example.com:99999/"])
def test_a_receiver_address_must_be_http_or_https(cast, url):
    with pytest.raises(InvalidInput) as refused:
        services.webhook_subscription_create(actor=cast.actor("catalogue_owner"), name="x", target_url=url,
                                             event_types=ALL_EVENTS)
    assert refused.value.field == "target_url"


def test_unknown_event_types_are_refused_with_the_list(cast, receiver):
    with pytest.raises(InvalidInput, match="ticket.created") as refused:
        subscribe(cast, receiver, events=["ticket.deleted"])
    assert refused.value.field == "event_types"


def test_the_secret_is_not_in_the_audit_log(cast, receiver):
    subscription = subscribe(cast, receiver)
    services.webhook_subscription_rotate_secret(actor=cast.actor("catalogue_owner"), subscription=subscription)
    logged = json.dumps(list(AuditEvent.objects.filter(action__startswith="webhooks.").values_list("changes")))
    assert subscription.secret not in logged and "whsec_" not in logged
