"""API v1 routes of the webhooks app: managing subscriptions to ticket events and reading their
delivery log (docs/webhooks.md). The desk reads; the service-catalogue owner and the service
managers change; a client is refused. The secret is shown only when it is made (create, rotate)."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from tugi.core.errors import InvalidInput, PermissionDenied
from tugi.directory.selectors import organisation_list_for
from tugi.webhooks import policies, selectors, services
from tugi.webhooks.models import EventType

from .schemas import ALWAYS, MAX_ID, REFUSALS, Ref

router = Router(tags=["webhooks"])

EVENT_TYPES = ", ".join(EventType.values)


class SubscriptionOut(Schema):
    id: int
    name: str
    target_url: str
    event_types: list[str]
    organisation: Ref | None = Field(None, description="only this organisation's tickets; null for all")
    is_active: bool
    created_by: str = Field(..., alias="created_by_label")
    created_at: dt.datetime
    updated_at: dt.datetime


class SubscriptionWithSecretOut(SubscriptionOut):
    secret: str = Field(..., description="the key of the Tugi-Signature HMAC; shown only now, keep it safe")


class SubscriptionIn(Schema):
    name: str = Field(..., description="who receives the events")
    target_url: str = Field(..., description="an http:// or https:// URL that takes a POST")
    event_types: list[str] = Field(..., description=f"one or more of: {EVENT_TYPES}")
    organisation_id: int | None = Field(None, description="only this organisation's tickets; null for all")
    is_active: bool = True


class DeliveryOut(Schema):
    id: int
    subscription_id: int
    event_id: int = Field(..., description="the id in the payload and the Tugi-Event-Id header")
    event_type: str
    ticket: str = Field(..., alias="ticket_reference")
    status: str = Field(..., description="pending, delivered, failed (will retry) or given_up")
    attempts: int
    next_attempt_at: dt.datetime | None
    last_attempt_at: dt.datetime | None
    last_response_code: int | None
    last_error: str
    created_at: dt.datetime
    delivered_at: dt.datetime | None


class DeliveryWithPayloadOut(DeliveryOut):
    payload: dict = Field(..., description="the JSON body as sent (docs/webhooks.md)")


class DeliveryFilters(Schema):
    status: Literal["pending", "delivered", "failed", "given_up"] | None = None
    limit: int = Field(50, ge=1, le=200)


def _desk_only(request) -> None:
    if not policies.can_view(request.actor):
        raise PermissionDenied(_("Webhooks are the service desk's own."))


def _organisation(request, organisation_id: int | None):
    if organisation_id is None:
        return None
    organisation = organisation_list_for(request.actor).filter(pk=organisation_id).first() \
        if 0 < organisation_id <= MAX_ID else None
    if organisation is None:
        raise InvalidInput(_("Unknown organisation."), field="organisation_id")
    return organisation


def _fields(request, payload: SubscriptionIn) -> dict:
    return {"name": payload.name, "target_url": payload.target_url, "event_types": payload.event_types,
            "organisation": _organisation(request, payload.organisation_id), "is_active": payload.is_active}


SubscriptionId = Path(..., ge=1, le=MAX_ID)


@router.get("/webhooks", response={200: list[SubscriptionOut], **ALWAYS})
def list_subscriptions(request: HttpRequest):
    """The webhook subscriptions (the desk only)."""
    _desk_only(request)
    return list(selectors.subscription_list_for(request.actor)[:200])


@router.post("/webhooks", response={201: SubscriptionWithSecretOut, **REFUSALS})
def create_subscription(request: HttpRequest, payload: SubscriptionIn):
    """Subscribe a receiver to ticket events: the service-catalogue owner and the service managers.
    The answer holds the secret, once."""
    _desk_only(request)
    return Status(201, services.webhook_subscription_create(actor=request.actor, **_fields(request, payload)))


@router.get("/webhooks/{subscription_id}", response={200: SubscriptionOut, **ALWAYS})
def get_subscription(request: HttpRequest, subscription_id: int = SubscriptionId):
    _desk_only(request)
    return selectors.subscription_get_for(request.actor, subscription_id)


@router.post("/webhooks/{subscription_id}", response={200: SubscriptionOut, **REFUSALS})
def update_subscription(request: HttpRequest, payload: SubscriptionIn, subscription_id: int = SubscriptionId):
    """Change a subscription (all its fields at once)."""
    _desk_only(request)
    subscription = selectors.subscription_get_for(request.actor, subscription_id)
    return services.webhook_subscription_update(actor=request.actor, subscription=subscription,
                                                **_fields(request, payload))


@router.post("/webhooks/{subscription_id}/secret", response={200: SubscriptionWithSecretOut, **REFUSALS})
def rotate_secret(request: HttpRequest, subscription_id: int = SubscriptionId):
    """A new secret: deliveries from now on are signed with it."""
    _desk_only(request)
    subscription = selectors.subscription_get_for(request.actor, subscription_id)
    return services.webhook_subscription_rotate_secret(actor=request.actor, subscription=subscription)


@router.post("/webhooks/{subscription_id}/delete", response={204: None, **REFUSALS})
def delete_subscription(request: HttpRequest, subscription_id: int = SubscriptionId):
    """Remove a subscription and its delivery log."""
    _desk_only(request)
    subscription = selectors.subscription_get_for(request.actor, subscription_id)
    services.webhook_subscription_delete(actor=request.actor, subscription=subscription)
    return Status(204, None)


@router.get("/webhooks/{subscription_id}/deliveries", response={200: list[DeliveryOut], **ALWAYS})
def list_deliveries(request: HttpRequest, filters: Query[DeliveryFilters],
                    subscription_id: int = SubscriptionId):
    """The subscription's delivery log, newest first."""
    _desk_only(request)
    subscription = selectors.subscription_get_for(request.actor, subscription_id)
    return list(selectors.delivery_list_for(request.actor, subscription=subscription,
                                            status=filters.status or "")[:filters.limit])


@router.get("/webhook-deliveries/{delivery_id}", response={200: DeliveryWithPayloadOut, **ALWAYS})
def get_delivery(request: HttpRequest, delivery_id: int = Path(..., ge=1, le=MAX_ID)):
    """One delivery with the payload as sent."""
    _desk_only(request)
    return selectors.delivery_get_for(request.actor, delivery_id)


@router.post("/webhook-deliveries/{delivery_id}/resend", response={200: DeliveryOut, **REFUSALS})
def resend_delivery(request: HttpRequest, delivery_id: int = Path(..., ge=1, le=MAX_ID)):
    """Send a delivery again, with a fresh round of attempts (after the receiver was fixed)."""
    _desk_only(request)
    delivery = selectors.delivery_get_for(request.actor, delivery_id)
    return services.webhook_delivery_resend(actor=request.actor, delivery=delivery)
