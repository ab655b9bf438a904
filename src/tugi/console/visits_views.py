"""The desk's side of the visits flow. Each action posts a form, calls one service and returns
to the ticket page with the outcome (a refusal says why)."""

from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tugi.core.outcome import report_outcome
from tugi.directory.selectors import staff_list_for
from tugi.tickets.selectors import ticket_get_for
from tugi.visits import selectors, services

from .decorators import staff_required
from .visits_forms import (
    AccessRequirementForm,
    AppointmentForm,
    CancelAppointmentForm,
    PhoneConfirmationForm,
    PlannedWorkForm,
)


def _back(reference: str):
    return redirect("console:ticket", reference=reference)


def _run(request, reference: str, form, call, success: str):
    report_outcome(request, call, success, form=form)
    return _back(reference)



@staff_required
@require_POST
def access_add(request, reference: str):
    ticket = ticket_get_for(request.actor, reference)
    return _run(request, ticket.reference, AccessRequirementForm(request.POST, prefix="access"),
                lambda data: services.access_requirement_add(actor=request.actor, ticket=ticket, **data),
                _("The access is recorded and the client has been asked to confirm it."))


@staff_required
@require_POST
def access_confirm(request, reference: str, pk: int):
    requirement = selectors.access_requirement_get_for(request.actor, reference, pk)
    return _run(request, requirement.ticket.reference, PhoneConfirmationForm(request.POST),
                lambda data: services.access_requirement_confirm(actor=request.actor, requirement=requirement,
                                                                 confirmed_by=data["confirmed_by"]),
                _("The confirmation is recorded."))


@staff_required
@require_POST
def access_withdraw(request, reference: str, pk: int):
    requirement = selectors.access_requirement_get_for(request.actor, reference, pk)
    report_outcome(request, lambda: services.access_requirement_withdraw(actor=request.actor, requirement=requirement),
                   _("The access requirement is withdrawn."))
    return _back(requirement.ticket.reference)


@staff_required
@require_POST
def appointment_plan(request, reference: str):
    ticket = ticket_get_for(request.actor, reference)
    form = AppointmentForm(request.POST, staff=staff_list_for(request.actor), prefix="plan")
    return _run(request, ticket.reference, form,
                lambda data: services.appointment_plan(actor=request.actor, ticket=ticket, **data),
                _("The appointment is planned and the client has been sent the invitation."))


@staff_required
@require_POST
def appointment_change(request, reference: str, pk: int):
    appointment = selectors.appointment_get_for(request.actor, reference, pk)
    form = AppointmentForm(request.POST, staff=staff_list_for(request.actor), prefix=f"appointment-{pk}")
    return _run(request, appointment.ticket.reference, form,
                lambda data: services.appointment_change(actor=request.actor, appointment=appointment, **data),
                _("The appointment is changed and the client has been sent the updated invitation."))


@staff_required
@require_POST
def appointment_cancel(request, reference: str, pk: int):
    appointment = selectors.appointment_get_for(request.actor, reference, pk)
    return _run(request, appointment.ticket.reference, CancelAppointmentForm(request.POST),
                lambda data: services.appointment_cancel(actor=request.actor, appointment=appointment, **data),
                _("The appointment is cancelled and the client has been told."))


@staff_required
@require_POST
def planned_work(request, reference: str):
    ticket = ticket_get_for(request.actor, reference)
    return _run(request, ticket.reference, PlannedWorkForm(request.POST),
                lambda data: services.ticket_plan_work(actor=request.actor, ticket=ticket, **data),
                _("The internal planned work time is saved."))
