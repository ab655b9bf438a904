"""The console's incoming mail and its quarantine (K14): staff only, since any client's (and any
stranger's) mail is there; a client is refused and a visitor signs in. Trying again and discarding
are the desk's writes; a discard without a reason is refused and changes nothing."""

from tests.pagematrix import NO_SUCH, NOT_FOUND, STAFF, PageSpec, console, post, redirect_to
from tugi.channels.models import InboundMessage, InboundState, QuarantineReason

QUARANTINED_SUBJECT = "MAIL-QUARANTINE-SECRET printer of the third floor"
MESSAGE = redirect_to("/console/mail/*")


def build(scene):
    """A message of client_a that was quarantined by an error, waiting to be tried again."""
    raw = (f"From: {scene.cast.client_a.email}\r\nTo: tugi@example.com\r\nSubject: {QUARANTINED_SUBJECT}\r\n"
           "Message-ID: <quarantined-1@alfa.example>\r\n\r\nThe printer prints nothing.\r\n").encode()
    return InboundMessage.objects.create(
        message_key="quarantined-1@alfa.example", raw=raw, size=len(raw), source="pipe",
        state=InboundState.QUARANTINED, sender=scene.cast.client_a.email, subject=QUARANTINED_SUBJECT,
        reason_code=QuarantineReason.ERROR, reason_detail="RuntimeError: the database was restarted", attempts=1)


def _pk(s):
    return {"pk": s.extra["mail"].pk}


PAGES = (
    PageSpec("incoming mail: quarantine", "console:mail", console()),
    PageSpec("incoming mail: tickets created", "console:mail", console(), query="state=created"),
    PageSpec("incoming mail: one message", "console:mail_message", console(), _pk),
    PageSpec("incoming mail: the original", "console:mail_raw", console(), _pk),
    PageSpec("incoming mail: a message that does not exist", "console:mail_message", console(NOT_FOUND),
             lambda s: {"pk": NO_SUCH}),
    post("try a quarantined message again", "console:mail_retry", console(MESSAGE), _pk, writers=STAFF),
    post("try again a message that does not exist", "console:mail_retry", console(NOT_FOUND),
         lambda s: {"pk": NO_SUCH}),
    post("discard a quarantined message", "console:mail_discard", console(MESSAGE), _pk,
         body=lambda s: {"reason": "A test message"}, writers=STAFF),
    post("discard without a reason", "console:mail_discard", console(MESSAGE), _pk),
)

WATCHED = (InboundMessage,)


def of_the_desk(scene):
    """The quarantined message is the desk's to see, never a client's."""
    return {QUARANTINED_SUBJECT, "quarantined-1@alfa.example"}
