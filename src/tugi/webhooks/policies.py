"""Who may do what with outgoing webhooks: small pure functions of the actor.

Subscriptions send ticket data out of Tugi to another system, so they are managed by the staff who
answer for services and what leaves the desk: the service-catalogue owner and the service managers.
Agents see the delivery log (to tell a caller why an integration is quiet) but change nothing."""

from __future__ import annotations

from tugi.core.actors import Actor, Role


def can_view(actor: Actor) -> bool:
    return actor.is_staff or actor.is_system


def can_manage(actor: Actor) -> bool:
    return actor.is_system or (
        actor.is_staff and (actor.has_role(Role.CATALOGUE_OWNER) or actor.has_role(Role.SERVICE_MANAGER))
    )
