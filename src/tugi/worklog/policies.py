"""Who may do what with time entries and their disputes (K12): small pure functions of the actor."""

from __future__ import annotations

from tugi.core.actors import Actor, Role


def can_log_time(actor: Actor) -> bool:
    """The desk logs its own work: any staff member."""
    return actor.is_staff


def can_see_entries(actor: Actor) -> bool:
    """Whoever may see the ticket sees its time entries: the client is owed the justification (K12)."""
    return actor.is_staff or actor.is_system or actor.is_client


def can_dispute(actor: Actor, *, requester_id: int | None, organisation_id: int | None) -> bool:
    """The client who asked for the work, or a representative of the organisation, disputes its time."""
    if not actor.is_client or actor.contact_id is None:
        return False
    if requester_id is not None and actor.contact_id == requester_id:
        return True
    return actor.is_representative and organisation_id is not None and actor.organisation_id == organisation_id


def can_answer_dispute(actor: Actor) -> bool:
    """The desk (an agent) or a service manager answers a dispute, with a justification."""
    return actor.is_staff and (actor.has_role(Role.AGENT) or actor.has_role(Role.SERVICE_MANAGER))
