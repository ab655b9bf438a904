"""Every read of outgoing webhooks, scoped to the actor: the desk sees subscriptions and the
delivery log; clients see nothing of them."""

from __future__ import annotations

from django.db.models import QuerySet

from tugi.core.actors import Actor
from tugi.core.errors import NotFound
from tugi.tickets.models import ConversationEntry

from . import policies
from .models import WebhookDelivery, WebhookSubscription


def public_entries_by_id(ids) -> dict:
    """The outbox's replies of one batch, in one query: only public entries (never an internal note),
    by id. The tickets app has no reader across tickets' conversations; the caller checks each entry
    belongs to its event's ticket."""
    ids = {int(i) for i in ids}
    if not ids:
        return {}
    return {e.pk: e for e in ConversationEntry.objects.filter(pk__in=ids, is_internal=False)}


def subscription_list_for(actor: Actor) -> QuerySet[WebhookSubscription]:
    if not policies.can_view(actor):
        return WebhookSubscription.objects.none()
    return WebhookSubscription.objects.select_related("organisation").order_by("name", "id")


def subscription_get_for(actor: Actor, pk: int) -> WebhookSubscription:
    subscription = subscription_list_for(actor).filter(pk=pk).first()
    if subscription is None:
        raise NotFound()
    return subscription


def delivery_list_for(actor: Actor, *, subscription: WebhookSubscription | None = None,
                      status: str = "") -> QuerySet[WebhookDelivery]:
    """Newest first. The payload is deferred: a list does not need it."""
    if not policies.can_view(actor):
        return WebhookDelivery.objects.none()
    qs = WebhookDelivery.objects.select_related("subscription").defer("payload").order_by("-id")
    if subscription is not None:
        qs = qs.filter(subscription=subscription)
    if status:
        qs = qs.filter(status=status)
    return qs


def delivery_get_for(actor: Actor, pk: int) -> WebhookDelivery:
    if not policies.can_view(actor):
        raise NotFound()
    delivery = WebhookDelivery.objects.select_related("subscription").filter(pk=pk).first()
    if delivery is None:
        raise NotFound()
    return delivery
