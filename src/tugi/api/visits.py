"""API v1 routes of the visits flow: the access the work needs (K4), appointments with the client
and their calendar invitations, and the desk's internal planned work time (K21). Each route parses
input, calls one selector or service, and serialises."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from tugi.core.errors import InvalidInput
from tugi.directory.selectors import staff_list_for
from tugi.tickets.selectors import ticket_get_for
from tugi.visits import selectors, services
from tugi.visits.models import AccessKind, Appointment, AppointmentKind

from .schemas import ALWAYS, REFUSALS, Ref

router = Router(tags=["visits"])



class AccessOut(Schema):
    id: int
    kind: str
    what: str
    needed_from: dt.datetime | None
    whom_to_ask: str
    reason: str = Field(..., description="why the work needs it, in the desk's words to the client")
    is_confirmed: bool
    confirmed_at: dt.datetime | None
    confirmed_by: str = Field(..., alias="confirmed_by_label")
    recorded_by: str = Field(..., alias="recorded_by_label",
                             description="the desk member who recorded a confirmation given by phone")
    is_withdrawn: bool
    created_at: dt.datetime


class AccessIn(Schema):
    kind: AccessKind
    what: str = Field(..., min_length=1, max_length=250)
    needed_from: dt.datetime | None = None
    whom_to_ask: str = Field("", max_length=250)
    reason: str = ""


class ConfirmIn(Schema):
    confirmed_by: str = Field("", max_length=200,
                              description="the desk only: who confirmed the access (by phone); a client confirms "
                                          "in their own name")


class AppointmentOut(Schema):
    id: int
    kind: str
    status: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    staff: Ref = Field(..., description="who comes (or connects, for a remote session)")
    location: str
    notes: str
    cancel_reason: str
    uid: str = Field(..., description="the iCalendar UID: the same for the appointment's whole life")
    sequence: int = Field(..., description="the iCalendar SEQUENCE: raised by each change and by cancelling")


class AppointmentIn(Schema):
    kind: AppointmentKind = AppointmentKind.VISIT
    starts_at: dt.datetime = Field(..., description="with its time zone")
    ends_at: dt.datetime
    staff_id: int = Field(..., description="who comes")
    location: str = Field("", max_length=250)
    notes: str = ""


class CancelIn(Schema):
    reason: str = ""


class PlannedWorkIO(Schema):
    planned_start: dt.datetime | None = None
    planned_end: dt.datetime | None = None


def _staff(request: HttpRequest, staff_id: int):
    # A client sees no staff list: they get None, and the service refuses them (403) before it looks.
    if not request.actor.is_staff:
        return None
    staff = staff_list_for(request.actor).filter(pk=staff_id).first()
    if staff is None:
        raise InvalidInput(_("Unknown staff member."), field="staff_id")
    return staff


# --- K4 --------------------------------------------------------------------------------------

@router.get("/tickets/{reference}/access", response={200: list[AccessOut], **ALWAYS})
def list_access(request: HttpRequest, reference: str):
    """The access the work needs and whether the client has confirmed it (K4). Withdrawn
    requirements are listed too, marked ``is_withdrawn``."""
    ticket = ticket_get_for(request.actor, reference)
    return list(selectors.access_requirements_for(request.actor, ticket, include_withdrawn=True))


@router.post("/tickets/{reference}/access", response={201: AccessOut, **REFUSALS})
def add_access(request: HttpRequest, reference: str, payload: AccessIn):
    """The desk records an access the work needs; the client is asked to confirm it. Until then
    work cannot start and no visit can be planned (K4)."""
    ticket = ticket_get_for(request.actor, reference)
    requirement = services.access_requirement_add(
        actor=request.actor, ticket=ticket, kind=payload.kind, what=payload.what, needed_from=payload.needed_from,
        whom_to_ask=payload.whom_to_ask, reason=payload.reason,
    )
    return Status(201, requirement)


@router.post("/tickets/{reference}/access/{access_id}/confirm", response={200: AccessOut, **REFUSALS})
def confirm_access(request: HttpRequest, reference: str, access_id: int, payload: ConfirmIn):
    """The client confirms that the access is there; the desk records a confirmation given by
    phone with ``confirmed_by`` (K4). 409 when it was confirmed or withdrawn already."""
    requirement = selectors.access_requirement_get_for(request.actor, reference, access_id)
    return services.access_requirement_confirm(actor=request.actor, requirement=requirement,
                                               confirmed_by=payload.confirmed_by)


@router.post("/tickets/{reference}/access/{access_id}/withdraw", response={200: AccessOut, **REFUSALS})
def withdraw_access(request: HttpRequest, reference: str, access_id: int):
    """The desk no longer needs the access (K4)."""
    requirement = selectors.access_requirement_get_for(request.actor, reference, access_id)
    return services.access_requirement_withdraw(actor=request.actor, requirement=requirement)


# --- K21 -------------------------------------------------------------------------------------

@router.get("/tickets/{reference}/appointments", response={200: list[AppointmentOut], **ALWAYS})
def list_appointments(request: HttpRequest, reference: str):
    """The visits and remote sessions planned with the client, cancelled ones included (K21)."""
    ticket = ticket_get_for(request.actor, reference)
    return list(selectors.appointments_for(request.actor, ticket))


@router.post("/tickets/{reference}/appointments", response={201: AppointmentOut, **REFUSALS})
def plan_appointment(request: HttpRequest, reference: str, payload: AppointmentIn):
    """The desk plans a visit or a remote session; the client is sent the appointment with an
    iCalendar invitation (K21). 409 while an access the work needs is unconfirmed (K4) or when the
    ticket is no longer open; 400 when the time is wrong."""
    ticket = ticket_get_for(request.actor, reference)
    appointment = services.appointment_plan(
        actor=request.actor, ticket=ticket, kind=payload.kind, starts_at=payload.starts_at,
        ends_at=payload.ends_at, staff=_staff(request, payload.staff_id), location=payload.location,
        notes=payload.notes,
    )
    return Status(201, appointment)


@router.post("/tickets/{reference}/appointments/{appointment_id}/change", response={200: AppointmentOut, **REFUSALS})
def change_appointment(request: HttpRequest, reference: str, appointment_id: int, payload: AppointmentIn):
    """Move the appointment or change who comes; the client gets the invitation again with the
    same UID and a raised SEQUENCE (K21)."""
    appointment = selectors.appointment_get_for(request.actor, reference, appointment_id)
    return services.appointment_change(
        actor=request.actor, appointment=appointment, kind=payload.kind, starts_at=payload.starts_at,
        ends_at=payload.ends_at, staff=_staff(request, payload.staff_id), location=payload.location,
        notes=payload.notes,
    )


@router.post("/tickets/{reference}/appointments/{appointment_id}/cancel", response={200: AppointmentOut, **REFUSALS})
def cancel_appointment(request: HttpRequest, reference: str, appointment_id: int, payload: CancelIn):
    """Cancel the appointment; the client gets METHOD:CANCEL (K21)."""
    appointment = selectors.appointment_get_for(request.actor, reference, appointment_id)
    return services.appointment_cancel(actor=request.actor, appointment=appointment, reason=payload.reason)


@router.get(
    "/tickets/{reference}/appointments/{appointment_id}/calendar.ics",
    response={200: str, **ALWAYS},
    openapi_extra={"responses": {"200": {"description": "the iCalendar invitation as last sent",
                                         "content": {"text/calendar": {"schema": {"type": "string"}}}}}},
)
def appointment_calendar(request: HttpRequest, reference: str, appointment_id: int):
    """The appointment's iCalendar invitation as last sent (METHOD:REQUEST, or METHOD:CANCEL once
    cancelled), as ``text/calendar`` (K21)."""
    appointment: Appointment = selectors.appointment_get_for(request.actor, reference, appointment_id)
    response = HttpResponse(appointment.last_ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{appointment.ticket.reference}-{appointment.pk}.ics"'
    return response


@router.get("/tickets/{reference}/planned-work", response={200: PlannedWorkIO, **REFUSALS})
def get_planned_work(request: HttpRequest, reference: str):
    """The desk's internal planned start and end of the work. The desk only (403 for a client):
    a client learns of the work time through appointments (K21)."""
    ticket = ticket_get_for(request.actor, reference)
    return selectors.planned_work_for(request.actor, ticket)


@router.post("/tickets/{reference}/planned-work", response={200: PlannedWorkIO, **REFUSALS})
def set_planned_work(request: HttpRequest, reference: str, payload: PlannedWorkIO):
    """Set (or clear, with null) the internal planned start and end. The desk only (K21)."""
    ticket = ticket_get_for(request.actor, reference)
    ticket = services.ticket_plan_work(actor=request.actor, ticket=ticket, planned_start=payload.planned_start,
                                       planned_end=payload.planned_end)
    return {"planned_start": ticket.planned_start, "planned_end": ticket.planned_end}
