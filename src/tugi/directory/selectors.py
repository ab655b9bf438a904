"""Reads of the directory, scoped to the actor. A client sees their own organisation and its
contacts (never a staff member's personal phone); staff see everything."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tugi.core.actors import Actor
from tugi.core.errors import NotFound

from .models import Contact, Organisation, StaffMember, digits_of


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
