"""The console's webhook pages (issue 6): the whole desk reads subscriptions and the delivery log;
the service-catalogue owner and the service managers change them; clients are refused and
visitors sign in. The receiver's secret is the desk's own and never leaves the console."""

from tests.pagematrix import FORBIDDEN, INVALID, NO_SUCH, NOT_FOUND, OK, PageSpec, console, post, redirect_to
from tugi.webhooks import services
from tugi.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription

MANAGERS = ("service_manager", "catalogue_owner")
SUBSCRIPTION_NAME = "WEBHOOK-SUBSCRIPTION Partner ITSM"
TO_SUBSCRIPTION = redirect_to("/console/webhooks/*")
TO_OVERVIEW = redirect_to("/console/webhooks/")


def managers(expect):
    """Managing: the catalogue owner and the service managers; an agent may look but is refused."""
    return console(FORBIDDEN, service_manager=expect, catalogue_owner=expect)


def build(scene):
    """A subscription for organisation A with a given-up delivery of A's ticket."""
    subscription = services.webhook_subscription_create(
        actor=scene.cast.actor("catalogue_owner"), name=SUBSCRIPTION_NAME, target_url="https://matrix-receiver.invalid/matrix",
        event_types=["ticket.created", "entry.added"], organisation=scene.cast.org_a)
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, event_id=1, event_type="ticket.created", ticket_reference=scene.a.reference,
        payload={"id": "1", "type": "ticket.created", "ticket": {"reference": scene.a.reference}},
        status=DeliveryStatus.GIVEN_UP, attempts=10, last_error="Connection refused")
    return {"subscription": subscription, "delivery": delivery}


def _subscription(s):
    return {"pk": s.extra["webhooks"]["subscription"].pk}


def _delivery(s):
    return {"pk": s.extra["webhooks"]["delivery"].pk}


def _form(s, url="https://itsm.partner.example/hooks/tugi"):
    return {"name": "Matrix receiver", "target_url": url, "event_types": ["ticket.created", "ticket.state_changed"],
            "organisation": s.cast.org_a.pk, "is_active": "on"}


WATCHED = (WebhookSubscription, WebhookDelivery)

PAGES = (
    PageSpec("webhooks", "console:webhooks", console()),
    PageSpec("webhooks, given-up deliveries", "console:webhooks", console(), query="status=given_up"),
    PageSpec("new webhook subscription", "console:webhooks_new", managers(OK)),
    post("make a webhook subscription", "console:webhooks_new", managers(TO_SUBSCRIPTION), body=_form,
         writers=MANAGERS),
    post("make a webhook subscription to a bad address", "console:webhooks_new", managers(INVALID),
         body=lambda s: _form(s, url="ftp://nowhere")),
    PageSpec("webhook subscription", "console:webhook", console(), _subscription),
    PageSpec("webhook subscription that does not exist", "console:webhook", console(NOT_FOUND),
             lambda s: {"pk": NO_SUCH}),
    post("change a webhook subscription", "console:webhook", managers(TO_SUBSCRIPTION), _subscription,
         body=_form, writers=MANAGERS),
    post("make a new webhook secret", "console:webhook_secret", managers(TO_SUBSCRIPTION), _subscription,
         writers=MANAGERS),
    post("remove a webhook subscription", "console:webhook_delete", managers(TO_OVERVIEW), _subscription,
         writers=MANAGERS),
    PageSpec("webhook delivery", "console:webhook_delivery", console(), _delivery),
    PageSpec("webhook delivery that does not exist", "console:webhook_delivery", console(NOT_FOUND),
             lambda s: {"pk": NO_SUCH}),
    post("send a webhook delivery again", "console:webhook_delivery_resend", managers(TO_SUBSCRIPTION), _delivery,
         writers=MANAGERS),
)


def of_the_desk(scene):
    """The subscription's name and secret are the desk's: no client or visitor sees them."""
    subscription = scene.extra["webhooks"]["subscription"]
    return {SUBSCRIPTION_NAME, subscription.secret}
