"""The webhooks app's routes in the API matrix (issue 6): the desk reads, the service-catalogue
owner and the service managers change, every client is refused (403), a visitor must authenticate."""

from tugi.webhooks import services
from tugi.webhooks.models import DeliveryStatus, WebhookDelivery

from .routespec import CLIENTS, RouteSpec, _only

DESK_READS = {"anonymous": 401, **_only(CLIENTS, 403)}
MANAGERS_WRITE = {**DESK_READS, "agent": 403}
SUBSCRIPTION = "/webhooks/{subscription_id}"
DELIVERY = "/webhook-deliveries/{delivery_id}"


def _subscription(cast, ticket):
    subscription = services.webhook_subscription_create(
        actor=cast.actor("catalogue_owner"), name="Matrix receiver", target_url="https://matrix-receiver.invalid/matrix",
        event_types=["ticket.created"], organisation=cast.org_a)
    return {"subscription": subscription.pk}


def _delivery(cast, ticket):
    names = _subscription(cast, ticket)
    delivery = WebhookDelivery.objects.create(
        subscription_id=names["subscription"], event_id=1, event_type="ticket.created",
        ticket_reference=ticket.reference, payload={"id": "1", "ticket": {"reference": ticket.reference}},
        status=DeliveryStatus.GIVEN_UP, attempts=10)
    return {**names, "delivery": delivery.pk}


def _body(cast):
    return {"name": "Partner ITSM", "target_url": "https://itsm.partner.example/hooks",
            "event_types": ["ticket.created", "entry.added"], "organisation_id": cast.org_a.pk}


ROUTES = (
    RouteSpec("list webhook subscriptions", "GET", "/webhooks", DESK_READS, 200, prepare=_subscription),
    RouteSpec("subscribe to ticket events", "POST", "/webhooks", MANAGERS_WRITE, 201, body=_body),
    RouteSpec("read a webhook subscription", "GET", "/webhooks/{subscription}", DESK_READS, 200,
              prepare=_subscription, openapi_path=SUBSCRIPTION),
    RouteSpec("change a webhook subscription", "POST", "/webhooks/{subscription}", MANAGERS_WRITE, 200,
              body=_body, prepare=_subscription, openapi_path=SUBSCRIPTION),
    RouteSpec("make a new webhook secret", "POST", "/webhooks/{subscription}/secret", MANAGERS_WRITE, 200,
              prepare=_subscription, openapi_path=SUBSCRIPTION + "/secret"),
    RouteSpec("remove a webhook subscription", "POST", "/webhooks/{subscription}/delete", MANAGERS_WRITE, 204,
              prepare=_subscription, openapi_path=SUBSCRIPTION + "/delete"),
    RouteSpec("a subscription's delivery log", "GET", "/webhooks/{subscription}/deliveries", DESK_READS, 200,
              prepare=_delivery, openapi_path=SUBSCRIPTION + "/deliveries"),
    RouteSpec("read a webhook delivery", "GET", "/webhook-deliveries/{delivery}", DESK_READS, 200,
              prepare=_delivery, openapi_path=DELIVERY),
    RouteSpec("send a webhook delivery again", "POST", "/webhook-deliveries/{delivery}/resend", MANAGERS_WRITE,
              200, prepare=_delivery, openapi_path=DELIVERY + "/resend"),
)
