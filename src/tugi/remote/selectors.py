"""Every read of the remote flow (K19), scoped to the actor through the ticket: whoever may see
the ticket sees its remote access orders, but only as method, item and "••••". The account details
come out through services.remote_access_reveal alone, which checks and audits."""

from __future__ import annotations

from django.db.models import QuerySet

from tugi.cmdb.models import ConfigurationItem
from tugi.cmdb.selectors import ci_list_for
from tugi.core.actors import Actor
from tugi.core.errors import NotFound
from tugi.tickets.models import Ticket
from tugi.tickets.selectors import TicketFilters, ticket_get_for, ticket_list_for

from .models import RemoteAccessOrder


def remote_orders_for(actor: Actor, ticket: Ticket) -> QuerySet[RemoteAccessOrder]:
    """The orders of ``ticket`` (which comes from ticket_get_for, so the actor may see it), newest
    first. Only tokens are loaded; templates show ``order.masked``."""
    return (RemoteAccessOrder.objects.filter(ticket=ticket).select_related("configuration_item")
            .order_by("-created_at", "-id"))


def remote_order_get_for(actor: Actor, reference: str, pk: int, *, for_update: bool = False) -> RemoteAccessOrder:
    ticket = ticket_get_for(actor, reference)
    qs = RemoteAccessOrder.objects.filter(ticket=ticket, pk=pk).select_related("configuration_item")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    order = qs.first()
    if order is None:
        raise NotFound()
    order.ticket = ticket
    return order


def remote_orderable_tickets_for(actor: Actor) -> QuerySet[Ticket]:
    """The open tickets a client may order remote support for: those they see in the portal."""
    if not actor.is_client:
        return ticket_list_for(actor).none()
    return ticket_list_for(actor, TicketFilters(is_open=True))


def remote_items_for(actor: Actor, ticket: Ticket) -> QuerySet[ConfigurationItem]:
    """The items remote access may be given to on ``ticket``: its organisation's, not retired."""
    return (ci_list_for(actor).filter(organisation_id=ticket.organisation_id)
            .exclude(status=ConfigurationItem.Status.RETIRED))
