"""Who may do what to a ticket: small pure functions of the actor and the ticket. Visibility
itself is ``TicketQuerySet.visible_to``; these decide actions on a ticket already visible."""

from __future__ import annotations

from tugi.core.actors import Actor

from .lifecycle import Action
from .models import TicketKind

# The client decides about their own work: cancel or postpone it (K3). Confirming or rejecting the
# solution goes through the dialogue flow (K11), which records the satisfaction response and moves
# the ticket itself; everything else moves by the desk.
CLIENT_ACTIONS = frozenset({Action.CANCEL, Action.POSTPONE})
# What a client reports (K1): a change is the desk's to register, whatever the channel.
CLIENT_KINDS = (TicketKind.INCIDENT, TicketKind.PROBLEM, TicketKind.SERVICE_REQUEST)


def can_transition(actor: Actor, action: Action) -> bool:
    if actor.is_staff or actor.is_system:
        return True
    return actor.is_client and action in CLIENT_ACTIONS


def can_write_internal(actor: Actor) -> bool:
    return actor.is_staff or actor.is_system


def can_reclassify(actor: Actor) -> bool:
    return actor.is_staff or actor.is_system


def can_link_tickets(actor: Actor) -> bool:
    return actor.is_staff or actor.is_system


def can_decide_ci(actor: Actor) -> bool:
    """Confirming or correcting a CI link is the desk's call (K7)."""
    return actor.is_staff or actor.is_system


def can_set_priority_directly(actor: Actor) -> bool:
    """Clients ask for a priority change (K15); only the desk sets it."""
    return actor.is_staff or actor.is_system
