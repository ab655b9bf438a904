"""Reads of the directory, scoped to the actor. A client sees their own organisation and its
contacts (never a staff member's personal phone); staff see everything."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tugi.core.actors import Actor
from tugi.core.errors import NotFound

from .models import Contact, Organisation, PortalAccess, PortalAccessRequest, StaffMember, digits_of


def organisation_list_for(actor: Actor) -> QuerySet[Organisation]:
    qs = Organisation.objects.all()
    if actor.is_staff or actor.is_system:
        return qs
    if actor.is_client and actor.organisation_id:
        return qs.filter(pk=actor.organisation_id)
    return qs.none()


def organisation_get_for(actor: Actor, pk: int) -> Organisation:
    try:
        return organisation_list_for(actor).get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def contact_list_for(actor: Actor) -> QuerySet[Contact]:
    qs = Contact.objects.select_related("organisation")
    if actor.is_staff or actor.is_system:
        return qs
    if actor.is_client:
        if actor.is_representative:
            return qs.filter(organisation_id=actor.organisation_id)
        return qs.filter(pk=actor.contact_id)
    return qs.none()


def contact_find_by_email(email: str) -> Contact | None:
    """Channel lookup (mail intake): the active contact with this address, if exactly one."""
    matches = list(Contact.objects.filter(email__iexact=email.strip(), is_active=True)[:2])
    return matches[0] if len(matches) == 1 else None


def contact_search_for(actor: Actor, text: str) -> QuerySet[Contact]:
    text = text.strip()
    digits = digits_of(text)
    condition = Q(name__icontains=text) | Q(email__icontains=text)
    if len(digits) >= 4:
        condition |= Q(phone_digits__contains=digits[-7:])
    return contact_list_for(actor).filter(condition)


def staff_list_for(actor: Actor) -> QuerySet[StaffMember]:
    """Staff only. Clients learn a staff member's name from tickets, never this list."""
    if actor.is_staff or actor.is_system:
        return StaffMember.objects.filter(is_active=True)
    return StaffMember.objects.none()


def representatives_of(organisation_id: int) -> QuerySet[Contact]:
    return Contact.objects.filter(organisation_id=organisation_id, is_representative=True, is_active=True)



# --- Portal access (K18) ------------------------------------------------------------------------

def _access_requests_for(actor: Actor) -> QuerySet[PortalAccessRequest]:
    """Staff see requests (the catalogue owner decides, the desk can tell a caller where their
    request stands); nobody else does."""
    if not (actor.is_staff or actor.is_system):
        return PortalAccessRequest.objects.none()
    return PortalAccessRequest.objects.select_related("contact__organisation", "decided_by", "withdrawn_by")


def access_request_list_for(actor: Actor) -> QuerySet[PortalAccessRequest]:
    """Requests waiting for the catalogue owner's decision, oldest first."""
    return _access_requests_for(actor).filter(status=PortalAccessRequest.Status.PENDING).order_by("created_at", "id")


def access_decision_list_for(actor: Actor) -> QuerySet[PortalAccessRequest]:
    """Decided requests, newest decision first: the history of the catalogue owner's consent."""
    return (
        _access_requests_for(actor)
        .exclude(status=PortalAccessRequest.Status.PENDING)
        .order_by("-decided_at", "-id")
    )


def access_request_get_for(actor: Actor, pk: int) -> PortalAccessRequest:
    try:
        return _access_requests_for(actor).get(pk=pk)
    except (PortalAccessRequest.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def contact_with_access_list_for(actor: Actor) -> QuerySet[Contact]:
    """Contacts who may sign in to the portal now, for the catalogue owner to review."""
    if not (actor.is_staff or actor.is_system):
        return Contact.objects.none()
    return (
        Contact.objects.select_related("organisation")
        .filter(portal_access=PortalAccess.APPROVED, is_active=True)
        .order_by("organisation__name", "name")
    )


def contact_get_for(actor: Actor, pk: int) -> Contact:
    try:
        return contact_list_for(actor).get(pk=pk)
    except (Contact.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def access_candidates_for(actor: Actor, access_request: PortalAccessRequest, *, limit: int = 50) -> list[Contact]:
    """Existing contacts the catalogue owner may link a request from an unknown person to: those
    with the same address, of an organisation whose name or mail domain matches what was typed."""
    if not (actor.is_staff or actor.is_system):
        return []
    condition = Q(email__iexact=access_request.email)
    typed = access_request.organisation_name.strip()
    if typed:
        condition |= Q(organisation__name__icontains=typed)
    domain = access_request.email.rpartition("@")[2].strip().lower()
    if domain:
        condition |= Q(organisation__email_domains__icontains=domain)
    return list(
        Contact.objects.select_related("organisation")
        .filter(condition, is_active=True)
        .order_by("organisation__name", "name")[:limit]
    )


def contact_blocked_from_portal(user) -> Contact | None:
    """Sign-in check (K18): the contact of this user when their portal access is not approved (or
    the contact is no longer active). None for staff, for approved contacts and for users who are
    not contacts at all."""
    if user is None or user.pk is None:
        return None
    if StaffMember.objects.filter(user=user, is_active=True).exists():
        return None
    contact = Contact.objects.filter(user=user).first()
    if contact is None:
        return None
    if contact.is_active and contact.portal_access == PortalAccess.APPROVED:
        return None
    return contact
