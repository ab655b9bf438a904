"""Who may do what with extra cost (K16) and orders (K20): small pure functions of the actor."""

from __future__ import annotations

from tugi.core.actors import Actor, Role


def can_write_notice(actor: Actor) -> bool:
    """Any member of the desk may write a cost notice, with or without an amount."""
    return actor.is_staff


def can_enter_amount(actor: Actor) -> bool:
    """K16: amounts come from the service-catalogue owner and the service managers, never the desk."""
    return actor.is_staff and (actor.has_role(Role.SERVICE_MANAGER) or actor.has_role(Role.CATALOGUE_OWNER))


def can_mark_chargeable(actor: Actor) -> bool:
    return actor.is_staff or actor.is_system


def can_consult(actor: Actor) -> bool:
    return actor.is_staff


def can_answer_consultation(actor: Actor) -> bool:
    return actor.is_staff and actor.has_role(Role.CATALOGUE_OWNER)


def can_decide_notice(actor: Actor, *, requester_id: int | None, organisation_id: int | None) -> bool:
    """The client who asked for the work, or a representative of the organisation, decides on its cost."""
    if not actor.is_client or actor.contact_id is None:
        return False
    if requester_id is not None and actor.contact_id == requester_id:
        return True
    return actor.is_representative and organisation_id is not None and actor.organisation_id == organisation_id


def is_chargeable(ticket) -> bool:
    """K16: work is chargeable when its service is, or when the desk marked the ticket so."""
    return bool(ticket.is_chargeable or (ticket.service_id and ticket.service.is_chargeable))
