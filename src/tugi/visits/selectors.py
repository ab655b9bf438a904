"""Every read of the visits flow, scoped to the actor through the ticket: whoever may see the
ticket (tugi.tickets.selectors.ticket_get_for) sees its access requirements and appointments."""

from __future__ import annotations

from django.db.models import QuerySet

from tugi.core.actors import Actor
from tugi.core.errors import NotFound, PermissionDenied
from tugi.tickets.models import Ticket
from tugi.tickets.selectors import ticket_get_for

from .models import AccessRequirement, Appointment


def access_requirements_for(actor: Actor, ticket: Ticket, *, include_withdrawn: bool = False
                            ) -> QuerySet[AccessRequirement]:
    """The access the work on ``ticket`` needs (K4). ``ticket`` comes from ticket_get_for, so the
    actor may see it; a withdrawn requirement is history the desk may want to see."""
    qs = AccessRequirement.objects.filter(ticket=ticket)
    if not include_withdrawn:
        qs = qs.active()
    return qs.order_by("created_at", "id")


def unconfirmed_access(ticket: Ticket) -> list[AccessRequirement]:
    """For the K4 rule itself (the lifecycle guard and planning): what is still missing."""
    return list(AccessRequirement.objects.filter(ticket=ticket).unconfirmed().order_by("created_at", "id"))


def access_requirement_get_for(actor: Actor, reference: str, pk: int, *, for_update: bool = False
                               ) -> AccessRequirement:
    ticket = ticket_get_for(actor, reference)
    qs = AccessRequirement.objects.filter(ticket=ticket, pk=pk)
    if for_update:
        qs = qs.select_for_update()
    requirement = qs.first()
    if requirement is None:
        raise NotFound()
    requirement.ticket = ticket
    return requirement


def appointments_for(actor: Actor, ticket: Ticket) -> QuerySet[Appointment]:
    """The ticket's appointments (K21), planned and cancelled, soonest first."""
    return Appointment.objects.filter(ticket=ticket).select_related("staff").order_by("starts_at", "id")


def appointment_get_for(actor: Actor, reference: str, pk: int, *, for_update: bool = False) -> Appointment:
    ticket = ticket_get_for(actor, reference)
    qs = Appointment.objects.filter(ticket=ticket, pk=pk).select_related("staff")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    appointment = qs.first()
    if appointment is None:
        raise NotFound()
    appointment.ticket = ticket
    return appointment


def planned_work_for(actor: Actor, ticket: Ticket) -> dict:
    """The desk's internal planned start and end of the work (K21): for the desk only, never for
    a client, who learns of the work time through appointments."""
    if not (actor.is_staff or actor.is_system):
        from django.utils.translation import gettext

        raise PermissionDenied(gettext("Only the service desk can see the internal planned work time."))
    return {"planned_start": ticket.planned_start, "planned_end": ticket.planned_end}
