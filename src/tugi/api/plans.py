"""API v1 routes of the plans flow: the resolution plan and the client's expectations (K6), the
steps of the solution (K5), the wished, committed and approximate times (K8) and the risks (K10).
Each route parses input, calls one selector or service, and serialises; the services decide who
may do what (the desk writes, the client confirms and wishes)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from tugi.plans import selectors, services
from tugi.tickets.selectors import ticket_get_for

from .schemas import ALWAYS, REFUSALS

router = Router(tags=["plans"])

LevelIn = Literal["", "low", "medium", "high"]


# --- schemas ---------------------------------------------------------------------------------

class PlanVersionOut(Schema):
    version: int
    text: str
    reason: str = Field(..., description="why the plan changed; empty for the first version")
    author: str = Field(..., alias="author_label")
    created_at: dt.datetime


class PlanOut(Schema):
    current: PlanVersionOut | None
    versions: list[PlanVersionOut] = Field(..., description="every version, the current first")
    client_expectations: str


class PlanIn(Schema):
    text: str = Field(..., min_length=1)
    reason: str = Field("", description="required from the second version on")


class ExpectationsIn(Schema):
    text: str = ""


class ExpectationsOut(Schema):
    client_expectations: str


class StepOut(Schema):
    id: int
    position: int
    text: str
    done_at: dt.datetime | None
    done_by: str = Field(..., alias="done_by_label")
    confirmed_at: dt.datetime | None
    confirmed_by: str = Field(..., alias="confirmed_by_label")
    not_working_at: dt.datetime | None = Field(..., alias="failed_at")
    not_working_comment: str = Field(..., alias="failed_comment")


class StepIn(Schema):
    text: str = Field(..., min_length=1)


class StepMoveIn(Schema):
    position: int = Field(..., ge=1, description="the step's new place, 1 is first")


class NotWorkingIn(Schema):
    comment: str = Field(..., min_length=1, description="what did not work")


class TimesOut(Schema):
    desired_response_by: dt.datetime | None = Field(..., description="the client's wish")
    desired_resolution_by: dt.datetime | None = Field(..., description="the client's wish")
    response_due_at: dt.datetime | None = Field(..., description="the SLA's commitment")
    resolution_due_at: dt.datetime | None = Field(..., description="the SLA's commitment")
    approximate_resolution_at: dt.datetime | None = Field(..., description="the specialist's estimate")
    is_mission_critical: bool
    needs_approximate_time: bool


class WishesIn(Schema):
    desired_response_by: dt.datetime | None = None
    desired_resolution_by: dt.datetime | None = None


class ApproximateIn(Schema):
    at: dt.datetime


class RiskOut(Schema):
    id: int
    text: str
    likelihood: str
    impact: str
    recorded_by: str = Field(..., alias="recorded_by_label")
    recorded_at: dt.datetime
    updated_at: dt.datetime


class RiskIn(Schema):
    text: str = Field(..., min_length=1)
    likelihood: LevelIn = ""
    impact: LevelIn = ""


def _times(actor, ticket) -> dict:
    times = selectors.times_for(actor, ticket)
    return {**times.__dict__, "needs_approximate_time": times.needs_approximate_time}


# --- K6 --------------------------------------------------------------------------------------

@router.get("/tickets/{reference}/plan", response={200: PlanOut, **ALWAYS})
def get_plan(request: HttpRequest, reference: str):
    """The resolution plan (K6): the current version, every earlier one with why it changed, and
    the client's expectations recorded beside it."""
    ticket = ticket_get_for(request.actor, reference)
    versions = list(selectors.plan_versions_for(request.actor, ticket))
    return {"current": versions[0] if versions else None, "versions": versions,
            "client_expectations": ticket.client_expectations}


@router.post("/tickets/{reference}/plan", response={201: PlanVersionOut, **REFUSALS})
def write_plan(request: HttpRequest, reference: str, payload: PlanIn):
    """Write a new version of the plan (the desk; K6). From the second version on ``reason`` is
    required (400 with ``field: reason``). The ticket's clients are told."""
    ticket = ticket_get_for(request.actor, reference)
    plan = services.plan_write(actor=request.actor, ticket=ticket, text=payload.text, reason=payload.reason)
    return Status(201, plan)


@router.post("/tickets/{reference}/expectations", response={200: ExpectationsOut, **REFUSALS})
def set_expectations(request: HttpRequest, reference: str, payload: ExpectationsIn):
    """Record what the client expects (K6): the client themself, or the desk from a call."""
    ticket = ticket_get_for(request.actor, reference)
    return services.expectations_set(actor=request.actor, ticket=ticket, text=payload.text)


# --- K5 --------------------------------------------------------------------------------------

@router.get("/tickets/{reference}/solution-steps", response={200: list[StepOut], **ALWAYS})
def list_steps(request: HttpRequest, reference: str):
    """The steps of the solution in order, with who did and who confirmed each (K5)."""
    ticket = ticket_get_for(request.actor, reference)
    return list(selectors.steps_for(request.actor, ticket))


@router.post("/tickets/{reference}/solution-steps", response={201: StepOut, **REFUSALS})
def add_step(request: HttpRequest, reference: str, payload: StepIn):
    """Add a step at the end (the desk; K5)."""
    ticket = ticket_get_for(request.actor, reference)
    return Status(201, services.step_add(actor=request.actor, ticket=ticket, text=payload.text))


@router.post("/tickets/{reference}/solution-steps/{step_id}", response={200: StepOut, **REFUSALS})
def edit_step(request: HttpRequest, reference: str, step_id: int, payload: StepIn):
    """Change a step's words (the desk; a step the client confirmed stays as it was: 400)."""
    step = selectors.step_get_for(request.actor, reference, step_id)
    return services.step_edit(actor=request.actor, step=step, text=payload.text)


@router.post("/tickets/{reference}/solution-steps/{step_id}/move", response={200: StepOut, **REFUSALS})
def move_step(request: HttpRequest, reference: str, step_id: int, payload: StepMoveIn):
    """Move a step to another place (the desk); the others close up around it."""
    step = selectors.step_get_for(request.actor, reference, step_id)
    return services.step_move(actor=request.actor, step=step, position=payload.position)


@router.post("/tickets/{reference}/solution-steps/{step_id}/done", response={200: StepOut, **REFUSALS})
def mark_step_done(request: HttpRequest, reference: str, step_id: int):
    """Mark a step done (the desk); the clients are asked to confirm it."""
    step = selectors.step_get_for(request.actor, reference, step_id)
    return services.step_mark_done(actor=request.actor, step=step)


@router.post("/tickets/{reference}/solution-steps/{step_id}/confirm", response={200: StepOut, **REFUSALS})
def confirm_step(request: HttpRequest, reference: str, step_id: int):
    """Confirm a done step (a client of the ticket; K5); the assignee is told."""
    step = selectors.step_get_for(request.actor, reference, step_id)
    return services.step_confirm(actor=request.actor, step=step)


@router.post("/tickets/{reference}/solution-steps/{step_id}/not-working", response={200: StepOut, **REFUSALS})
def report_step_not_working(request: HttpRequest, reference: str, step_id: int, payload: NotWorkingIn):
    """Say that a done step did not work, and what (a client of the ticket; K5): the step is open
    again and the comment goes to the conversation, so the assignee is told."""
    step = selectors.step_get_for(request.actor, reference, step_id)
    return services.step_report_not_working(actor=request.actor, step=step, comment=payload.comment)


# --- K8 --------------------------------------------------------------------------------------

@router.get("/tickets/{reference}/times", response={200: TimesOut, **ALWAYS})
def get_times(request: HttpRequest, reference: str):
    """The client's wished times beside the SLA's commitment and the specialist's approximate
    resolution time (K8)."""
    ticket = ticket_get_for(request.actor, reference)
    return _times(request.actor, ticket)


@router.post("/tickets/{reference}/times/wishes", response={200: TimesOut, **REFUSALS})
def set_wishes(request: HttpRequest, reference: str, payload: WishesIn):
    """Set or change the wished response and resolution times (the client, or the desk from a
    call; K8). A time given must lie in the future (400)."""
    ticket = ticket_get_for(request.actor, reference)
    ticket = services.ticket_set_wishes(actor=request.actor, ticket=ticket,
                                        desired_response_by=payload.desired_response_by,
                                        desired_resolution_by=payload.desired_resolution_by)
    return _times(request.actor, ticket)


@router.post("/tickets/{reference}/times/approximate-resolution", response={200: TimesOut, **REFUSALS})
def set_approximate_resolution(request: HttpRequest, reference: str, payload: ApproximateIn):
    """Give the approximate resolution time (the desk; K8); the clients are told. Work on a
    mission-critical service or CI cannot start without it."""
    ticket = ticket_get_for(request.actor, reference)
    ticket = services.ticket_set_approximate_resolution(actor=request.actor, ticket=ticket, at=payload.at)
    return _times(request.actor, ticket)


# --- K10 -------------------------------------------------------------------------------------

@router.get("/tickets/{reference}/risks", response={200: list[RiskOut], **ALWAYS})
def list_risks(request: HttpRequest, reference: str):
    """Risks and possible follow-on problems the specialist foresees (K10)."""
    ticket = ticket_get_for(request.actor, reference)
    return list(selectors.risks_for(request.actor, ticket))


@router.post("/tickets/{reference}/risks", response={201: RiskOut, **REFUSALS})
def record_risk(request: HttpRequest, reference: str, payload: RiskIn):
    """Record a risk (the desk; K10); the ticket's clients are told at once."""
    ticket = ticket_get_for(request.actor, reference)
    risk = services.risk_record(actor=request.actor, ticket=ticket, text=payload.text,
                                likelihood=payload.likelihood, impact=payload.impact)
    return Status(201, risk)


@router.post("/tickets/{reference}/risks/{risk_id}", response={200: RiskOut, **REFUSALS})
def change_risk(request: HttpRequest, reference: str, risk_id: int, payload: RiskIn):
    """Change a risk (the desk; K10); the clients are told again."""
    risk = selectors.risk_get_for(request.actor, reference, risk_id)
    return services.risk_change(actor=request.actor, risk=risk, text=payload.text,
                                likelihood=payload.likelihood, impact=payload.impact)
