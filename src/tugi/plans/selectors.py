"""Every read of the plans flow, scoped to the actor: whoever may see the ticket sees its plan,
its steps, its risks and its times (all of them are meant for the client too)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from tugi.catalog.models import Criticality
from tugi.core.actors import Actor
from tugi.core.errors import NotFound
from tugi.tickets.models import Ticket, TicketCI
from tugi.tickets.selectors import ticket_get_for

from .models import ResolutionPlan, Risk, SolutionStep


def plan_versions_for(actor: Actor, ticket: Ticket) -> QuerySet[ResolutionPlan]:
    """Every version of the ticket's plan, the current (highest) first."""
    return ResolutionPlan.objects.filter(ticket=ticket).order_by("-version")


def plan_current_for(actor: Actor, ticket: Ticket) -> ResolutionPlan | None:
    return plan_versions_for(actor, ticket).first()


def plan_version_get_for(actor: Actor, reference: str, version: int) -> ResolutionPlan:
    ticket = ticket_get_for(actor, reference)
    plan = plan_versions_for(actor, ticket).filter(version=version).first()
    if plan is None:
        raise NotFound()
    return plan


def steps_for(actor: Actor, ticket: Ticket) -> QuerySet[SolutionStep]:
    return SolutionStep.objects.filter(ticket=ticket).order_by("position", "id")


def step_get_for(actor: Actor, reference: str, pk: int) -> SolutionStep:
    """One step of a ticket the actor may see; a step of another ticket is NotFound."""
    ticket = ticket_get_for(actor, reference)
    step = steps_for(actor, ticket).filter(pk=pk).select_related("ticket").first()
    if step is None:
        raise NotFound()
    return step


def risks_for(actor: Actor, ticket: Ticket) -> QuerySet[Risk]:
    return Risk.objects.filter(ticket=ticket).order_by("recorded_at", "id")


def risk_get_for(actor: Actor, reference: str, pk: int) -> Risk:
    ticket = ticket_get_for(actor, reference)
    risk = risks_for(actor, ticket).filter(pk=pk).select_related("ticket").first()
    if risk is None:
        raise NotFound()
    return risk


def is_mission_critical(ticket: Ticket) -> bool:
    """K8: the ticket's service, or a configuration item linked to it (and not found unrelated),
    is mission-critical."""
    if ticket.service_id and ticket.service.criticality == Criticality.MISSION_CRITICAL:
        return True
    return (
        TicketCI.objects.filter(ticket=ticket, configuration_item__criticality=Criticality.MISSION_CRITICAL)
        .exclude(status=TicketCI.Status.REJECTED)
        .exists()
    )


@dataclass(frozen=True)
class Times:
    """K8: what the client wished, what the SLA commits to, and the specialist's approximate
    resolution time, side by side."""

    desired_response_by: object
    desired_resolution_by: object
    response_due_at: object
    resolution_due_at: object
    approximate_resolution_at: object
    is_mission_critical: bool
    # The SLA's resolution clock stands still (waiting for the client, postponed): no due time now.
    is_sla_paused: bool = False

    @property
    def needs_approximate_time(self) -> bool:
        return self.is_mission_critical and self.approximate_resolution_at is None


def times_for(actor: Actor, ticket: Ticket) -> Times:
    return Times(
        desired_response_by=ticket.desired_response_by,
        desired_resolution_by=ticket.desired_resolution_by,
        response_due_at=ticket.response_due_at,
        resolution_due_at=ticket.resolution_due_at,
        approximate_resolution_at=ticket.approximate_resolution_at,
        is_mission_critical=is_mission_critical(ticket),
        is_sla_paused=ticket.is_sla_paused,
    )


def plans_overview_for(actor: Actor, ticket: Ticket) -> dict:
    """Everything the ticket page's plans panel shows, in a handful of queries."""
    versions = list(plan_versions_for(actor, ticket))
    return {
        "plan": versions[0] if versions else None,
        "earlier_versions": versions[1:],
        "expectations": ticket.client_expectations,
        "steps": list(steps_for(actor, ticket)),
        "risks": list(risks_for(actor, ticket)),
        "times": times_for(actor, ticket),
    }
