"""Building the actor for a signed-in user from the directory."""

from __future__ import annotations

from tugi.core.actors import ANONYMOUS, Actor, ActorKind, Role

from .models import Contact, PortalAccess, StaffMember


def actor_for_staff(staff: StaffMember) -> Actor:
    roles = set()
    if staff.is_agent:
        roles.add(Role.AGENT)
    if staff.is_service_manager:
        roles.add(Role.SERVICE_MANAGER)
    if staff.is_catalogue_owner:
        roles.add(Role.CATALOGUE_OWNER)
    return Actor(
        kind=ActorKind.STAFF, user_id=staff.user_id, label=staff.name, staff_id=staff.pk, roles=frozenset(roles)
    )


def actor_for_contact(contact: Contact) -> Actor:
    roles = frozenset({Role.REPRESENTATIVE}) if contact.is_representative else frozenset()
    return Actor(
        kind=ActorKind.CLIENT,
        user_id=contact.user_id,
        label=contact.name,
        organisation_id=contact.organisation_id,
        contact_id=contact.pk,
        roles=roles,
    )


def _one_to_one(user, name: str):
    """The user's staff member or contact: no query when the caller loaded it with select_related."""
    try:
        return getattr(user, name)
    except (StaffMember.DoesNotExist, Contact.DoesNotExist):
        return None


def actor_for_user(user) -> Actor:
    """Staff first: a person who is both staff and a contact acts as staff when signed in. A contact
    acts only while their portal access is approved (K18): refused, pending or withdrawn access makes
    even a live session anonymous. Load the user with select_related("staff_member", "contact") and
    this costs no query."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    staff = _one_to_one(user, "staff_member")
    if staff is not None and staff.is_active:
        return actor_for_staff(staff)
    contact = _one_to_one(user, "contact")
    if contact is not None and contact.is_active and contact.portal_access == PortalAccess.APPROVED:
        return actor_for_contact(contact)
    return ANONYMOUS
