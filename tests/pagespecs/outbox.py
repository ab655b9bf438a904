"""The console's outbox of undelivered mail (K2): staff only, since it names every client the desk
writes to; a client is refused and a visitor signs in. Sending again is the desk's write."""

from tests.pagematrix import NO_SUCH, NOT_FOUND, STAFF, PageSpec, console, post, redirect_to
from tugi.notifications.models import Notification

OUTBOX = redirect_to("/console/outbox/")
GIVEN_UP_ADDRESS = "outbox-given-up@alfa.example"


def build(scene):
    """A message to client_a about A that failed until it was given up."""
    return Notification.objects.create(
        event="ticket_updated", subject_reference=scene.a.reference, recipient_email=GIVEN_UP_ADDRESS,
        recipient_name=scene.cast.client_a.name, language="en", subject=f"[{scene.a.reference}] {scene.a.title}",
        body="Body", status=Notification.Status.GAVE_UP, attempts=6, error="SMTPRecipientsRefused: 550 no such user")


PAGES = (
    PageSpec("outbox", "console:outbox", console()),
    PageSpec("outbox, given up only", "console:outbox", console(), query="status=gave_up"),
    post("send a given-up message again", "console:outbox_resend", console(OUTBOX),
         lambda s: {"pk": s.extra["outbox"].pk}, writers=STAFF),
    post("send again a message that does not exist", "console:outbox_resend", console(NOT_FOUND),
         lambda s: {"pk": NO_SUCH}),
)


def of_the_desk(scene):
    """The outbox's own row: what the desk sends is the desk's list, never a client's."""
    return {GIVEN_UP_ADDRESS}
