"""API v1 routes of time accounting (K12): a ticket's time entries with their disputes and totals,
logging time (the desk), disputing an entry (the requester or a representative) and answering a
dispute (an agent or a service manager). Each route parses input, calls one selector or service, and
serialises; the chain's hashes are the record's own bookkeeping and are not served."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from tugi.core.errors import PermissionDenied
from tugi.tickets.selectors import ticket_get_for
from tugi.worklog import selectors, services

from .schemas import ALWAYS, REFUSALS

router = Router(tags=["worklog"])



class DisputeOut(Schema):
    id: int
    entry_id: int
    reason: str
    raised_by: str = Field(..., alias="raised_by_label")
    created_at: dt.datetime
    outcome: str = Field(..., description="empty while open; kept, corrected or removed once answered")
    justification: str
    answered_by: str = Field(..., alias="answered_by_label")
    answered_at: dt.datetime | None
    correction_id: int | None = Field(None, description="the new entry, when the answer corrected the entry")


class TimeEntryOut(Schema):
    id: int
    work_date: dt.date
    minutes: int
    description: str = Field(..., description="what was done")
    is_billable: bool
    state: str = Field(..., description="active, corrected (a newer entry replaces it) or removed")
    author: str = Field(..., alias="author_label")
    corrected_from_id: int | None = Field(None, description="the entry this one corrects")
    created_at: dt.datetime
    disputes: list[DisputeOut]

    @staticmethod
    def resolve_disputes(obj) -> list:
        return list(obj.disputes.all())


class TotalsOut(Schema):
    billable_minutes: int
    not_billable_minutes: int
    total_minutes: int


class WorklogOut(Schema):
    entries: list[TimeEntryOut]
    totals: TotalsOut = Field(..., description="of the active entries only")


class TimeEntryIn(Schema):
    work_date: dt.date
    minutes: int = Field(..., description="1 to 1440")
    description: str = Field(..., description="what was done (mandatory)")
    is_billable: bool = True


class DisputeIn(Schema):
    reason: str


class AnswerIn(Schema):
    outcome: Literal["kept", "corrected", "removed"]
    justification: str
    minutes: int | None = Field(None, description="a correction's new time")
    is_billable: bool | None = Field(None, description="a correction's new billability")


def _entry(request, ticket, pk: int):
    return selectors.time_entry_get_for(request.actor, ticket, pk)


@router.get("/tickets/{reference}/time-entries", response={200: WorklogOut, **ALWAYS})
def list_entries(request: HttpRequest, reference: str):
    """The ticket's time entries, corrected and removed ones too, each with its disputes, and the
    totals of the active ones, billable and not (K12)."""
    log = selectors.worklog_for(request.actor, ticket_get_for(request.actor, reference))
    return {"entries": log.entries, "totals": {"billable_minutes": log.totals.billable,
                                               "not_billable_minutes": log.totals.not_billable,
                                               "total_minutes": log.totals.total}}


@router.post("/tickets/{reference}/time-entries", response={201: TimeEntryOut, **REFUSALS})
def add_entry(request: HttpRequest, reference: str, payload: TimeEntryIn):
    """Log time on the ticket (K12): the desk only; what was done is mandatory."""
    ticket = ticket_get_for(request.actor, reference)
    entry = services.time_entry_add(actor=request.actor, ticket=ticket, work_date=payload.work_date,
                                    minutes=payload.minutes, description=payload.description,
                                    is_billable=payload.is_billable)
    return Status(201, _entry(request, ticket, entry.pk))


@router.post("/tickets/{reference}/time-entries/{entry_id}/disputes", response={201: DisputeOut, **REFUSALS})
def dispute_entry(request: HttpRequest, reference: str, entry_id: int, payload: DisputeIn):
    """Dispute a time entry with a reason (K12): the requester or a representative of the
    organisation; the desk and the service manager are told."""
    ticket = ticket_get_for(request.actor, reference)
    entry = _entry(request, ticket, entry_id)
    return Status(201, services.time_entry_dispute(actor=request.actor, entry=entry, reason=payload.reason))


@router.post("/tickets/{reference}/time-disputes/{dispute_id}/answer", response={200: DisputeOut, **REFUSALS})
def answer_dispute(request: HttpRequest, reference: str, dispute_id: int, payload: AnswerIn):
    """Answer a dispute with a justification (K12): keep the entry, correct it (``minutes`` and/or
    ``is_billable``) or remove it; an agent or a service manager. The client is told."""
    ticket = ticket_get_for(request.actor, reference)
    dispute = selectors.time_dispute_get_for(request.actor, ticket, dispute_id)
    return services.time_dispute_answer(actor=request.actor, dispute=dispute, outcome=payload.outcome,
                                        justification=payload.justification, minutes=payload.minutes,
                                        is_billable=payload.is_billable)


@router.get("/time-disputes", response={200: list[DisputeOut], **REFUSALS})
def open_disputes(request: HttpRequest):
    """The disputes waiting for an answer, oldest first (the desk only)."""
    if not request.actor.is_staff:
        raise PermissionDenied(_("The list of open disputes is the desk's own."))
    return list(selectors.open_disputes_for(request.actor)[:200])
