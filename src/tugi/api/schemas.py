from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from tugi.core.errors import InvalidInput, PermissionDenied
from tugi.tickets.lifecycle import Action
from tugi.tickets.models import TicketKind


class Error(Schema):
    """Every refusal: a message a person can read, a stable code for programs, and the input field
    it is about (or null)."""

    detail: str
    code: str
    field: str | None = None


class FieldError(Schema):
    field: str | None
    message: str


class ValidationErrorOut(Error):
    """422: the request does not match the schema. ``errors`` lists every problem; ``detail`` and
    ``field`` repeat them as one sentence and the first field."""

    errors: list[FieldError]


# The answers a route may give besides its own: every route (ALWAYS) and every route that changes
# something (REFUSALS). One set for all modules, so the schema names them alike everywhere.
ALWAYS = {401: Error, 403: Error, 404: Error, 422: ValidationErrorOut}
REFUSALS = {**ALWAYS, 400: Error, 409: Error}
MAX_ID = 2**63 - 1  # a database id; larger numbers are refused as input (422), not looked up
MAX_LIMIT = 200  # rows a page may ask for
MAX_OFFSET = 10**9


def one_visible(queryset, pk: int | None, field: str, message: str):
    """The row of an actor-scoped ``queryset`` with this id, None for no id, or a 400 naming the
    field: an id that does not exist and one the caller may not see get the same answer."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if found is None:
        raise InvalidInput(message, field=field)
    return found


class Ref(Schema):
    id: int
    name: str


class TicketOut(Schema):
    reference: str
    kind: str
    title: str
    description: str
    state: str
    state_reason: str = Field(..., description="why the ticket is in its state (K3: the reason to cancel or postpone)")
    postponed_until: dt.date | None
    priority: int
    impact: int
    urgency: int
    source: str
    organisation: Ref | None
    requester: Ref | None
    service: Ref | None
    assignee: Ref | None
    created_at: dt.datetime
    updated_at: dt.datetime
    last_activity_at: dt.datetime
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    is_sla_paused: bool = Field(..., description="the resolution clock stands still: waiting for the client or "
                                "postponed (K8)")
    out_of_hours: str = Field(..., description="K17: '' (arrived in working hours), 'on_call' (the on-call staff "
                              "were told) or 'next_working_time' (work starts at work_starts_at)")
    work_starts_at: dt.datetime | None


class TicketListItem(Schema):
    reference: str
    kind: str
    title: str
    state: str
    priority: int
    organisation: Ref | None
    assignee: Ref | None
    last_activity_at: dt.datetime


class TicketPage(Schema):
    items: list[TicketListItem]
    limit: int
    offset: int
    has_more: bool


class TicketIn(Schema):
    kind: TicketKind
    title: str = Field(..., min_length=1, max_length=250)
    description: str = ""
    requester_id: int | None = None
    organisation_id: int | None = None
    service_id: int | None = None
    configuration_item_ids: list[int] = []
    impact: int = Field(3, ge=1, le=3)
    urgency: int = Field(2, ge=1, le=3)
    desired_response_by: dt.datetime | None = Field(
        None, description="the client's wished response time, as the report form takes it (K8)")
    desired_resolution_by: dt.datetime | None = Field(
        None, description="the client's wished resolution time (K8)")
    by_phone: bool = Field(
        False, description="the desk logs a call: the ticket's source is the phone (K13); the desk only")


class EntryIn(Schema):
    body: str = Field(..., min_length=1)
    internal: bool = False
    send_anyway: bool = Field(False, description="The desk's reply names a price and is sent all the same (K20).")


class EntryOut(Schema):
    id: int
    kind: str
    internal: bool = Field(..., alias="is_internal")
    author: str = Field(..., alias="author_label")
    body: str
    created_at: dt.datetime


class TransitionIn(Schema):
    action: Action
    reason: str = ""
    until: dt.date | None = None


class AssignIn(Schema):
    assignee_id: int | None


class EscalationOut(Schema):
    target: str = Field(..., description="response or resolution")
    threshold: int = Field(..., description="percent of the target's time")
    due_at: dt.datetime
    status: str = Field(..., description="armed, or sent (with sent_at and whom it told)")
    sent_at: dt.datetime | None
    notified: str


class SLAOut(Schema):
    """A ticket's service level as the console's ticket page shows it (K8, K15, K17)."""

    policy: str = Field(..., description="which policy applies and why, e.g. \"organisation's contract P2\"")
    response_due_at: dt.datetime | None
    resolution_due_at: dt.datetime | None
    first_response_at: dt.datetime | None
    is_sla_paused: bool
    out_of_hours: str
    work_starts_at: dt.datetime | None
    escalations: list[EscalationOut]

    @staticmethod
    def resolve_policy(ticket) -> str:
        return ticket.sla_policy_label


def desk_only(request, why: str) -> None:
    """Refuse a caller who is not on the service desk's staff, saying ``why`` (a lazy translation,
    read in the caller's language)."""
    if not request.actor.is_staff:
        raise PermissionDenied(str(why))


def binary_download(description: str, content_type: str) -> dict:
    """The OpenAPI answer of a route that sends a file rather than JSON (``openapi_extra``)."""
    return {"responses": {"200": {"description": description,
                                  "content": {content_type: {"schema": {"type": "string", "format": "binary"}}}}}}
