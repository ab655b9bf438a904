"""API v1 routes of the incoming mail and its quarantine (K14), the console's ``console:mail`` pages:
the messages of one state with the reason each waits, one message with what could be read of it, the
original as it came (``message/rfc822``), and the desk's two ways out, trying again and discarding
with a reason. The desk only, as the pages: any client's mail is here, so a client gets 403 (the
selectors and services of tugi.channels.email decide, with ``can_see_mail`` and ``can_handle_mail``)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from tugi.channels.email import selectors, services
from tugi.channels.email.parsing import MalformedMessage, parse_message
from tugi.channels.models import InboundMessage, InboundState

from .schemas import ALWAYS, MAX_ID, MAX_LIMIT, MAX_OFFSET, REFUSALS, binary_download

router = Router(tags=["mail"])

STATES = ", ".join(InboundState.values)

MessageId = Path(..., ge=1, le=MAX_ID)


class MessageListItem(Schema):
    id: int
    received_at: dt.datetime
    handled_at: dt.datetime | None
    state: str = Field(..., description=f"one of: {STATES}")
    sender: str
    subject: str
    source: str = Field(..., description="where it came from: imap:<mailbox>, lmtp, pipe, import:<path>")
    reference: str = Field(..., description="the ticket it created or was added to; empty when none")
    reason_code: str = Field(..., description="why it is quarantined, as a code; empty when it is not")
    reason: str = Field(..., description="why it is quarantined, in the caller's language, with the particulars")
    automatic_reason: str = Field(..., description="why it was taken for an automatic message (a loop)")
    discard_reason: str = Field(..., description="why the desk discarded it")
    attempts: int
    message_key: str = Field(..., description="its Message-ID, or for mail without one a hash of its content")


class MessagePage(Schema):
    items: list[MessageListItem]
    counts: dict[str, int] = Field(..., description="how many messages are in each state, as the page's filters show")
    limit: int
    offset: int
    has_more: bool


class AttachmentSummary(Schema):
    filename: str
    content_type: str
    size: int


class MessageOut(MessageListItem):
    has_message_id: bool
    threaded_by: str = Field(..., description="how it was matched to its ticket: in-reply-to, references, subject")
    discarded_by: str = Field(..., alias="discarded_by_label")
    size: int = Field(..., description="of the original in bytes: GET …/raw downloads it")
    text: str | None = Field(None, description="the best text of the message; null when it could not be read")
    attachments: list[AttachmentSummary] = []
    problems: list[str] = Field([], description="what was odd in it")
    headers: list[tuple[str, str]] = Field([], description="every header, decoded, in order")
    unreadable: str = Field("", description="why the message could not be read at all; empty when it could")


class RetryOut(Schema):
    state: str = Field(..., description=f"the message's state after the attempt, one of: {STATES}")
    reference: str = Field(..., description="the ticket it created or was added to; empty when none")
    reason: str = Field(..., description="why it is still quarantined or was ignored; empty otherwise")
    detail: str = Field(..., description="the outcome in a sentence, as the page says it")
    message: MessageOut


class DiscardIn(Schema):
    reason: str = Field(..., description="why it is discarded (mandatory): spam, a test, handled by phone")


class MessageFilters(Schema):
    state: InboundState = Field(InboundState.QUARANTINED, description="the page's filter; the quarantine unless said")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _detail(row: InboundMessage) -> dict:
    """The message's fields and what the console's page reads of it (never the raw bytes)."""
    fields = {name: getattr(row, name) for name in MessageOut.model_fields if hasattr(row, name)}
    fields["discarded_by_label"] = row.discarded_by_label
    try:
        parsed = parse_message(bytes(row.raw))
    except MalformedMessage as error:
        return {**fields, "unreadable": error.reason}
    return {**fields, "text": parsed.text, "problems": list(parsed.problems), "headers": list(parsed.headers),
            "attachments": [{"filename": a.filename, "content_type": a.content_type, "size": a.size}
                            for a in parsed.attachments]}


@router.get("/mail/messages", response={200: MessagePage, **ALWAYS})
def list_mail_messages(request: HttpRequest, filters: Query[MessageFilters]):
    """The incoming messages of one state, newest first: the quarantine unless ``state`` says
    otherwise (K14). Paged by ``limit`` and ``offset``; ``has_more`` says whether another page follows."""
    rows = list(selectors.inbound_list_for(request.actor, state=filters.state)
                [filters.offset: filters.offset + filters.limit + 1])
    return {"items": rows[:filters.limit], "counts": selectors.inbound_counts_for(request.actor),
            "limit": filters.limit, "offset": filters.offset, "has_more": len(rows) > filters.limit}


@router.get("/mail/messages/{message_id}", response={200: MessageOut, **ALWAYS})
def get_mail_message(request: HttpRequest, message_id: int = MessageId):
    """One message: its state, why it waits, its ticket, where it came from, and what could be read
    of it (text, attachments, headers). The original itself is at ``…/raw``."""
    return _detail(selectors.inbound_get_for(request.actor, message_id))


@router.get(
    "/mail/messages/{message_id}/raw",
    response={200: str, **ALWAYS},
    openapi_extra=binary_download("the message byte for byte as it arrived", "message/rfc822"),
)
def download_mail_message(request: HttpRequest, message_id: int = MessageId):
    """The original message byte for byte, as ``message/rfc822`` (an ``.eml`` file), as the page's download."""
    row = selectors.inbound_get_for(request.actor, message_id)
    response = HttpResponse(bytes(row.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="message-{row.pk}.eml"'
    return response


@router.post("/mail/messages/{message_id}/retry", response={200: RetryOut, **REFUSALS})
def retry_mail_message(request: HttpRequest, message_id: int = MessageId):
    """Run the intake again on a quarantined message, as if it had just arrived: after a fix, such
    as adding the sender as a contact. The answer says what became of it; a message that is still
    quarantined is not a refusal (``state`` and ``reason`` say why). A handled message is refused (400)."""
    row = selectors.inbound_get_for(request.actor, message_id)
    result = services.inbound_retry(actor=request.actor, message=row)
    if result.is_quarantined:
        detail = _("Still quarantined: %(reason)s") % {"reason": result.reason}
    elif result.reference:
        detail = _("Done: the message is now on %(ref)s.") % {"ref": result.reference}
    else:
        detail = _("Done: %(state)s.") % {"state": InboundState(result.state).label}
    return {"state": result.state, "reference": result.reference, "reason": result.reason, "detail": detail,
            "message": _detail(selectors.inbound_get_for(request.actor, row.pk))}


@router.post("/mail/messages/{message_id}/discard", response={200: MessageOut, **REFUSALS})
def discard_mail_message(request: HttpRequest, payload: DiscardIn, message_id: int = MessageId):
    """Put a quarantined message aside for good, with the reason (mandatory). The message and its
    original stay, listed under ``state=discarded``."""
    row = selectors.inbound_get_for(request.actor, message_id)
    services.inbound_discard(actor=request.actor, message=row, reason=payload.reason)
    return _detail(selectors.inbound_get_for(request.actor, row.pk))
