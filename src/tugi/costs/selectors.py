"""Every read of extra cost (K16) and orders (K20), scoped to the actor. A notice, consultation or
order is as visible as its ticket; consultations are the desk's own."""

from __future__ import annotations

from django.db.models import QuerySet

from tugi.catalog.selectors import service_list_for
from tugi.core.actors import Actor
from tugi.core.errors import NotFound
from tugi.tickets.models import Ticket

from .models import CostConsultation, CostNotice, CostNoticeStatus, Order
from .policies import is_chargeable

NOTICE_RELATED = ("created_by", "priced_by", "decided_by")


def cost_notices_for(actor: Actor, ticket: Ticket) -> QuerySet[CostNotice]:
    """The ticket's cost notices (the caller has the ticket from ``ticket_get_for``). A client sees
    only priced ones: a notice without an amount is still the desk's work."""
    qs = CostNotice.objects.filter(ticket=ticket).select_related(*NOTICE_RELATED)
    if actor.is_staff or actor.is_system:
        return qs
    if actor.is_client:
        return qs.exclude(status=CostNoticeStatus.AWAITING_PRICE)
    return qs.none()


def cost_notice_get_for(actor: Actor, ticket: Ticket, pk: int) -> CostNotice:
    notice = cost_notices_for(actor, ticket).filter(pk=pk).first()
    if notice is None:
        raise NotFound()
    return notice


def cost_consultations_for(actor: Actor, ticket: Ticket) -> QuerySet[CostConsultation]:
    if not (actor.is_staff or actor.is_system):
        return CostConsultation.objects.none()
    return CostConsultation.objects.filter(ticket=ticket).select_related("asked_by", "answered_by")


def cost_consultation_get_for(actor: Actor, ticket: Ticket, pk: int) -> CostConsultation:
    consultation = cost_consultations_for(actor, ticket).filter(pk=pk).first()
    if consultation is None:
        raise NotFound()
    return consultation


def open_consultations_for(actor: Actor) -> QuerySet[CostConsultation]:
    """The questions waiting for the catalogue owner, oldest first (indexed on answered_at)."""
    if not (actor.is_staff or actor.is_system):
        return CostConsultation.objects.none()
    return (CostConsultation.objects.filter(answered_at__isnull=True)
            .select_related("ticket", "ticket__organisation", "ticket__service", "asked_by")
            .order_by("asked_at", "id"))


def open_consultation_get_for(actor: Actor, pk: int) -> CostConsultation:
    consultation = open_consultations_for(actor).filter(pk=pk).first()
    if consultation is None:
        raise NotFound()
    return consultation


def recent_answers_for(actor: Actor, limit: int = 20) -> list[CostConsultation]:
    if not (actor.is_staff or actor.is_system):
        return []
    return list(CostConsultation.objects.filter(answered_at__isnull=False)
                .select_related("ticket", "answered_by").order_by("-answered_at", "-id")[:limit])


def order_for(actor: Actor, ticket: Ticket) -> Order | None:
    """The order behind a ticket (the caller has the ticket from ``ticket_get_for``), if any."""
    if not actor.is_authenticated:
        return None
    return Order.objects.filter(ticket=ticket).select_related("service").first()


def orderable_services_for(actor: Actor):
    """The catalogue's services one may order from."""
    return service_list_for(actor).filter(is_active=True).order_by("name")


def cost_summary_for(actor: Actor, ticket: Ticket) -> dict:
    """What a ticket's cost panel shows: whether the work is chargeable and why, the notices, and for
    the desk the consultations."""
    notices = list(cost_notices_for(actor, ticket))
    accepted = any(n.status == CostNoticeStatus.ACCEPTED for n in notices)
    return {
        "is_chargeable": is_chargeable(ticket),
        "service_is_chargeable": bool(ticket.service_id and ticket.service.is_chargeable),
        "ticket_is_chargeable": ticket.is_chargeable,
        "notices": notices,
        "awaiting": [n for n in notices if n.status == CostNoticeStatus.AWAITING_CLIENT],
        "has_accepted": accepted,
        "consultations": list(cost_consultations_for(actor, ticket)),
        "order": order_for(actor, ticket),
    }
