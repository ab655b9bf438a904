"""The outbox's routes in the API matrix (issue 6, K2): the desk sees undelivered mail and sends it
again, as on the console's page; every client is refused (403): the outbox names every client the
desk writes to. A visitor must authenticate."""

from tugi.notifications.models import Notification

from .routespec import CLIENTS, RouteSpec, _only

DESK_ONLY = {"anonymous": 401, **_only(CLIENTS, 403)}


def undelivered(cast, ticket, status=Notification.Status.GAVE_UP) -> Notification:
    """A message to organisation A's client about its ticket that the mail server refused."""
    return Notification.objects.create(
        event="ticket_updated", subject_reference=ticket.reference, recipient_email=cast.client_a.email,
        recipient_name=cast.client_a.name, language="en", subject=f"[{ticket.reference}] {ticket.title}",
        body="Your ticket was updated.", status=status, attempts=10, error="550 mailbox unavailable")


def _notification(cast, ticket):
    return {"notification": undelivered(cast, ticket).pk}


ROUTES = (
    RouteSpec("list the outbox", "GET", "/outbox", DESK_ONLY, 200, prepare=_notification),
    RouteSpec("send an outbox message again", "POST", "/outbox/{notification}/resend", DESK_ONLY, 200,
              prepare=_notification, openapi_path="/outbox/{notification_id}/resend"),
)
