"""The outbox reads a batch's public replies in one query (issue 5): 20 replies cost the queries
of 2, and an internal note is still never sent (S3)."""

from __future__ import annotations

from tugi.tickets import services as tickets
from tugi.tickets.models import TicketKind, TicketSource
from tugi.webhooks import services
from tugi.webhooks.models import EventType, WebhookDelivery


def _replies(cast, count: int) -> None:
    ticket = tickets.ticket_create(actor=cast.actor("client_a"), title="The printer jams", description="x",
                                   kind=TicketKind.INCIDENT, source=TicketSource.PORTAL)
    for n in range(count):
        tickets.ticket_add_entry(actor=cast.actor("agent"), ticket=ticket, body=f"Reply {n}")


def _outbox_queries(cast, count, django_assert_max_num_queries, limit) -> int:
    services.webhooks_outbox_run()  # what came before is read
    _replies(cast, count)
    with django_assert_max_num_queries(limit) as captured:
        made = services.webhooks_outbox_run()
    assert made == count
    return len(captured.captured_queries)


def test_twenty_replies_cost_the_outbox_the_queries_of_two(cast, django_assert_max_num_queries, settings):
    # Holes in the audit ids (other tests' rollbacks, on PostgreSQL) are not waited for here: each run
    # takes exactly the events made since the one before.
    settings.TUGI_WEBHOOK_OUTBOX_GRACE_SECONDS = 0
    services.webhook_subscription_create(actor=cast.actor("catalogue_owner"), name="Partner",
                                         target_url="https://itsm.partner.example/hooks",
                                         event_types=[EventType.ENTRY_ADDED])
    two = _outbox_queries(cast, 2, django_assert_max_num_queries, 50)
    # One query per reply would add 18. A few more may come on PostgreSQL after other tests: their
    # rolled-back audit ids leave holes that the cursor looks at once each (the order of the suite).
    twenty = _outbox_queries(cast, 20, django_assert_max_num_queries, two + 5)
    assert twenty <= two + 5
    bodies = [d.payload["data"]["entry"]["body"] for d in WebhookDelivery.objects.order_by("id")]
    assert bodies == [f"Reply {n}" for n in range(2)] + [f"Reply {n}" for n in range(20)]


def test_an_internal_note_is_not_sent_with_the_batch(cast):
    services.webhook_subscription_create(actor=cast.actor("catalogue_owner"), name="Partner",
                                         target_url="https://itsm.partner.example/hooks",
                                         event_types=[EventType.ENTRY_ADDED])
    ticket = tickets.ticket_create(actor=cast.actor("client_a"), title="The printer jams", description="x",
                                   kind=TicketKind.INCIDENT, source=TicketSource.PORTAL)
    tickets.ticket_add_entry(actor=cast.actor("agent"), ticket=ticket, body="Public answer")
    tickets.ticket_add_entry(actor=cast.actor("agent"), ticket=ticket, body="Internal: the cost", is_internal=True)
    services.webhooks_outbox_run()
    assert [d.payload["data"]["entry"]["body"] for d in WebhookDelivery.objects.all()] == ["Public answer"]
