"""API v1 routes of the dialogue flow: questions and answers, the client's word on a resolution
with a satisfaction rating, the satisfaction report (K11), and priority requests (K15). Each route
parses input, calls one selector or service, and serialises."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from tugi.dialogue import selectors, services
from tugi.tickets.selectors import ticket_get_for

from .schemas import ALWAYS, REFUSALS, Error

router = Router(tags=["dialogue"])



class QuestionOut(Schema):
    id: int
    direction: Literal["to_client", "to_desk"]
    text: str
    asked_by: str = Field(..., alias="asked_by_label")
    asked_at: dt.datetime
    answer: str
    answered_by: str = Field(..., alias="answered_by_label")
    answered_at: dt.datetime | None
    reminded_at: dt.datetime | None


class TextIn(Schema):
    text: str = Field(..., min_length=1, max_length=5000)


class PriorityRequestOut(Schema):
    id: int
    current_priority: int
    desired_priority: int
    reason: str
    requested_by: str = Field(..., alias="requested_by_label")
    requested_at: dt.datetime
    status: Literal["pending", "accepted", "declined"]
    answer: str
    decided_by: str = Field(..., alias="decided_by_label")
    decided_at: dt.datetime | None


class PriorityRequestIn(Schema):
    desired_priority: int | None = Field(None, ge=1, le=5, description="1 critical … 5 planning")
    direction: Literal["higher", "lower"] | None = Field(None, description="one step, when no priority is named")
    reason: str = Field(..., max_length=5000, description="why the priority should change (required)")


class PriorityDecisionIn(Schema):
    accept: bool
    answer: str = Field(..., max_length=5000, description="the answer the client reads (required)")
    impact: int | None = Field(None, ge=1, le=3, description="when accepting; chosen for you if left out")
    urgency: int | None = Field(None, ge=1, le=3, description="when accepting; chosen for you if left out")


class SatisfactionIn(Schema):
    confirmed: bool = Field(..., description="true: I got what I needed (closes); false: reopens with comment")
    rating: int | None = Field(None, ge=1, le=5, description="optional, with confirmed: true")
    comment: str = Field("", max_length=5000, description="optional when confirming, required when not")


class SatisfactionOut(Schema):
    id: int
    confirmed: bool = Field(..., alias="is_confirmed")
    automatic: bool = Field(..., alias="is_automatic")
    rating: int | None
    comment: str
    by: str = Field(..., alias="by_label")
    at: dt.datetime


class ReportRowOut(Schema):
    id: int | None = Field(..., alias="key")
    name: str
    average_rating: float | None = Field(..., alias="average")
    rated: int
    confirmed: int
    reopened: int
    closed_without_answer: int = Field(..., alias="automatic")


class SatisfactionReportOut(Schema):
    service: list[ReportRowOut]
    agent: list[ReportRowOut]
    organisation: list[ReportRowOut]


class ReportParams(Schema):
    since: dt.datetime | None = None
    until: dt.datetime | None = None


@router.get("/tickets/{reference}/questions", response={200: list[QuestionOut], **ALWAYS})
def list_questions(request: HttpRequest, reference: str):
    """The questions of a ticket, both ways, with their answers (K11)."""
    ticket = ticket_get_for(request.actor, reference)
    return list(selectors.questions_for(request.actor, ticket))


@router.post("/tickets/{reference}/questions", response={201: QuestionOut, **REFUSALS})
def ask_question(request: HttpRequest, reference: str, payload: TextIn):
    """Ask a question (K11). From the desk it goes to the client and the ticket waits for the
    answer; from a client it goes to the assignee, or the service manager when nobody is assigned."""
    ticket = ticket_get_for(request.actor, reference)
    return Status(201, services.question_ask(actor=request.actor, ticket=ticket, text=payload.text))


@router.post("/tickets/{reference}/questions/{question_id}/answer", response={200: QuestionOut, **REFUSALS})
def answer_question(request: HttpRequest, reference: str, question_id: int, payload: TextIn):
    """Answer a question (K11). The client's answer brings a waiting ticket back to work. A
    question to the desk is answered by the desk (a client gets 403); 400 when already answered."""
    question = selectors.question_get_for(request.actor, reference, question_id)
    return services.question_answer(actor=request.actor, question=question, text=payload.text)


@router.get("/tickets/{reference}/satisfaction", response={200: list[SatisfactionOut], **ALWAYS})
def list_satisfaction(request: HttpRequest, reference: str):
    """The client's word on each resolution of the ticket (K11)."""
    ticket = ticket_get_for(request.actor, reference)
    return list(selectors.satisfaction_for(request.actor, ticket))


@router.post("/tickets/{reference}/satisfaction", response={201: SatisfactionOut, **REFUSALS})
def respond_to_resolution(request: HttpRequest, reference: str, payload: SatisfactionIn):
    """The client says whether they got what they needed (K11): ``confirmed: true`` closes the
    ticket with an optional rating and comment; ``false`` reopens it with the comment. Clients only
    (403 for the desk); 409 when the ticket is not resolved."""
    ticket = ticket_get_for(request.actor, reference)
    response = services.satisfaction_respond(actor=request.actor, ticket=ticket, confirmed=payload.confirmed,
                                             rating=payload.rating, comment=payload.comment)
    return Status(201, response)


@router.get("/reports/satisfaction", response={200: SatisfactionReportOut, 403: Error, **ALWAYS})
def satisfaction_report(request: HttpRequest, params: Query[ReportParams]):
    """Average rating and counts per service, agent and organisation (K11). The desk only."""
    return selectors.satisfaction_report(request.actor, since=params.since, until=params.until)


@router.get("/tickets/{reference}/priority-requests", response={200: list[PriorityRequestOut], **ALWAYS})
def list_priority_requests(request: HttpRequest, reference: str):
    """The client's requests for another priority and the desk's answers (K15)."""
    ticket = ticket_get_for(request.actor, reference)
    return list(selectors.priority_requests_for(request.actor, ticket))


@router.post("/tickets/{reference}/priority-requests", response={201: PriorityRequestOut, **REFUSALS})
def request_priority(request: HttpRequest, reference: str, payload: PriorityRequestIn):
    """Ask for a higher or lower priority, with a reason (K15): ``desired_priority`` or one step in
    a ``direction``. Clients only (the desk sets the priority directly: 403); 409 while an earlier
    request waits for its decision."""
    ticket = ticket_get_for(request.actor, reference)
    created = services.priority_request_create(actor=request.actor, ticket=ticket, reason=payload.reason,
                                               desired_priority=payload.desired_priority,
                                               direction=payload.direction)
    return Status(201, created)


@router.post("/tickets/{reference}/priority-requests/{request_id}/decision",
             response={200: PriorityRequestOut, **REFUSALS})
def decide_priority_request(request: HttpRequest, reference: str, request_id: int, payload: PriorityDecisionIn):
    """Accept (the priority follows) or decline, with an answer for the client (K15). The desk or
    the service manager only; 409 when already decided."""
    priority_request = selectors.priority_request_get_for(request.actor, reference, request_id)
    return services.priority_request_decide(actor=request.actor, request=priority_request, accept=payload.accept,
                                            answer=payload.answer, impact=payload.impact, urgency=payload.urgency)
