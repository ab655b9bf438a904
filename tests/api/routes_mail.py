"""The incoming mail's routes in the API matrix (issue 6, K14): the desk reads the quarantine and
handles it, as on the console's pages; every client is refused (403), a visitor must authenticate."""

from tugi.channels.email.intake import message_receive
from tugi.channels.models import InboundState

from .routespec import CLIENTS, RouteSpec, _only

DESK_ONLY = {"anonymous": 401, **_only(CLIENTS, 403)}
MESSAGE = "/mail/messages/{message_id}"


def quarantined_mail(ticket, message_id: str = "matrix-stranger@beeta.invalid") -> int:
    """A stranger's answer naming the ticket in the subject only: quarantined until the desk acts."""
    raw = (f"From: Uus Kolleeg <uus@elsewhere.invalid>\r\nTo: tugi@example.com\r\n"
           f"Subject: Re: [{ticket.reference}] Printer\r\nMessage-ID: <{message_id}>\r\n\r\n"
           "Mul on sama mure.\r\n").encode()
    result = message_receive(raw, source="imap:INBOX")
    assert result.state == InboundState.QUARANTINED, result
    return result.message_pk


def _message(cast, ticket):
    return {"message": quarantined_mail(ticket)}


ROUTES = (
    RouteSpec("list incoming mail", "GET", "/mail/messages", DESK_ONLY, 200, prepare=_message),
    RouteSpec("read an incoming message", "GET", "/mail/messages/{message}", DESK_ONLY, 200,
              prepare=_message, openapi_path=MESSAGE),
    RouteSpec("download an incoming message", "GET", "/mail/messages/{message}/raw", DESK_ONLY, 200,
              prepare=_message, openapi_path=MESSAGE + "/raw"),
    RouteSpec("try an incoming message again", "POST", "/mail/messages/{message}/retry", DESK_ONLY, 200,
              prepare=_message, openapi_path=MESSAGE + "/retry"),
    RouteSpec("discard an incoming message", "POST", "/mail/messages/{message}/discard", DESK_ONLY, 200,
              body=lambda cast: {"reason": "Spam"}, prepare=_message, openapi_path=MESSAGE + "/discard"),
)
