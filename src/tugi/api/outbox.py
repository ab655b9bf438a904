"""API v1 routes of the desk's outbox (K2), the console's ``console:outbox`` page: mail not yet
delivered — queued, failing and retried, or given up — with the error, and sending a message again.
The desk only, as the page: it names every client the desk writes to, so a client gets 403. As on the
page, a message's body is not shown, only to whom it goes, its subject and what went wrong."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from tugi.notifications import policies, selectors, services
from tugi.notifications.models import Notification
from tugi.notifications.services import TICKET_REFERENCE

from .schemas import ALWAYS, MAX_ID, MAX_LIMIT, MAX_OFFSET, REFUSALS

router = Router(tags=["outbox"])

UNDELIVERED = Literal["queued", "failed", "gave_up"]  # selectors.UNDELIVERED: the page's filters


class OutboxItem(Schema):
    id: int
    created_at: dt.datetime = Field(..., description="when it was queued")
    event: str = Field(..., description="what it tells, such as ticket_updated")
    about: str = Field(..., alias="subject_reference", description="the ticket (or other subject) it is about")
    is_ticket: bool = Field(..., description="``about`` is a ticket's reference")
    recipient_name: str
    recipient_email: str
    subject: str
    status: str = Field(..., description="queued, failed (will retry), gave_up or sent")
    attempts: int
    next_attempt_at: dt.datetime | None
    sent_at: dt.datetime | None
    error: str = Field(..., description="what the mail server said at the last attempt")
    may_resend: bool = Field(..., description="``POST /outbox/{id}/resend`` may send it again (not yet sent)")

    @staticmethod
    def resolve_is_ticket(obj: Notification) -> bool:
        return bool(TICKET_REFERENCE.match(obj.subject_reference))

    @staticmethod
    def resolve_may_resend(obj: Notification) -> bool:
        return obj.status != Notification.Status.SENT


class OutboxPage(Schema):
    items: list[OutboxItem]
    counts: dict[str, int] = Field(..., description="how many undelivered messages are in each status")
    limit: int
    offset: int
    has_more: bool


class OutboxFilters(Schema):
    status: UNDELIVERED | None = Field(None, description="the page's filter; every undelivered message unless said")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("/outbox", response={200: OutboxPage, **ALWAYS})
def list_outbox(request: HttpRequest, filters: Query[OutboxFilters]):
    """Mail not yet delivered, newest first: queued, failed and waiting for a retry, or given up
    (``status`` narrows it). Paged by ``limit`` and ``offset``; ``has_more`` says whether another page follows."""
    policies.check_may_manage_outbox(request.actor)
    rows = list(selectors.outbox_list_for(request.actor, status=filters.status or "")
                [filters.offset: filters.offset + filters.limit + 1])
    return {"items": rows[:filters.limit], "counts": selectors.outbox_counts_for(request.actor),
            "limit": filters.limit, "offset": filters.offset, "has_more": len(rows) > filters.limit}


@router.post("/outbox/{notification_id}/resend", response={200: OutboxItem, **REFUSALS})
def resend_outbox_message(request: HttpRequest, notification_id: int = Path(..., ge=1, le=MAX_ID)):
    """Send a queued, failed or given-up message again now, with a fresh round of attempts (after
    fixing the cause). A message already sent is refused (400, ``already_sent``): it is not sent twice."""
    policies.check_may_manage_outbox(request.actor)
    row = selectors.notification_get_for(request.actor, notification_id)
    services.notification_resend(actor=request.actor, notification_id=row.pk)
    return selectors.notification_get_for(request.actor, row.pk)
