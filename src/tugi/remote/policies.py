"""Who may do what with a remote access order (K19), as small pure functions of the actor and the
order. Each ``*_refusal`` returns None when allowed, otherwise the reason a person can read."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tugi.cmdb.models import ConfigurationItem
from tugi.core.actors import Actor, Role

from .models import RemoteAccessOrder

REVEALING_ROLES = (Role.AGENT, Role.SERVICE_MANAGER, Role.CATALOGUE_OWNER)


def staff_scope_covers(actor: Actor, organisation_id: int | None) -> bool:
    """Whether the staff member works for this organisation. Today every staff member sees every
    organisation; a per-organisation staff scope plugs in here, and reveals follow it at once."""
    return actor.is_staff and organisation_id is not None


def item_refusal(ticket, item: ConfigurationItem) -> str | None:
    """The item must be the ticket organisation's own and still in use."""
    if item.organisation_id != ticket.organisation_id:
        return _("Please choose a device or system of the ticket's own organisation.")
    if item.status == ConfigurationItem.Status.RETIRED:
        return _("This device or system is retired, so no remote access can be given to it.")
    return None


def order_refusal(actor: Actor, ticket) -> str | None:
    if not actor.is_client or actor.organisation_id is None:
        return _("Remote support is ordered by the client, in the portal or through the API.")
    if ticket.organisation_id != actor.organisation_id:
        return _("You can order remote support for your own organisation's tickets only.")
    if not ticket.is_open:
        return _("The ticket is “%(state)s”: please report a new problem if you need remote support again.") % {
            "state": ticket.get_state_display()}
    return None


def change_refusal(actor: Actor, order: RemoteAccessOrder) -> str | None:
    """The client replaces the details of an active order of their own organisation."""
    if not actor.is_client or actor.organisation_id != order.ticket.organisation_id:
        return _("Only the client can replace the account details.")
    if not order.is_active:
        return _("This remote access has been revoked; please order it again if it is needed.")
    return None


def revoke_refusal(actor: Actor, order: RemoteAccessOrder) -> str | None:
    """The client revokes their order; the desk may revoke it too once the work is done."""
    if not order.is_active:
        return _("This remote access has already been revoked.")
    if actor.is_staff or actor.is_system:
        return None
    if actor.is_client and actor.organisation_id == order.ticket.organisation_id:
        return None
    return _("You may not revoke this remote access.")


def reveal_refusal(actor: Actor, order: RemoteAccessOrder) -> str | None:
    """Only staff with access to the ticket's organisation and to the item may see the account:
    an agent, a service manager or the catalogue owner; the item must belong to the ticket's
    organisation and not be retired."""
    if not actor.is_staff or not any(actor.has_role(role) for role in REVEALING_ROLES):
        return _("Only the service desk's staff can see the account details.")
    ticket = order.ticket
    if not staff_scope_covers(actor, ticket.organisation_id):
        return _("You do not work for this organisation, so you cannot see its account details.")
    if order.configuration_item.organisation_id != ticket.organisation_id:
        return _("The device or system does not belong to the ticket's organisation.")
    if order.configuration_item.status == ConfigurationItem.Status.RETIRED:
        return _("The device or system is retired, so its account details are not shown.")
    if not order.is_active or not order.has_secrets:
        return _("This remote access has been revoked: its account details were erased.")
    return None


def can_reveal(actor: Actor, order: RemoteAccessOrder) -> bool:
    return reveal_refusal(actor, order) is None
