"""API v1: organisations, contacts, staff, configuration items and the console's search box, read
through the same actor-scoped selectors as the console's pages; the support phone (K13).

Organisations, contacts, staff and search are the desk's pages, so a client gets 403 here. A client
reads their own organisation's configuration items (the report form offers them, K7)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema

from tugi.cmdb.selectors import ci_get_for, ci_list_for, ci_relations_for, ci_search_for
from tugi.directory.selectors import (
    contact_get_for,
    contact_list_for,
    contact_search_for,
    organisation_get_for,
    organisation_list_for,
    staff_list_for,
)
from tugi.tickets.selectors import TicketFilters, ticket_count_for, ticket_list_for_ci, ticket_search_for

from .schemas import ALWAYS, Ref, TicketListItem, desk_only

router = Router(tags=["directory"])

LIST_SIZE = 200
SEARCH_SIZE = 20


_DESK_ONLY = gettext_lazy("This is the service desk's directory.")


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str = Field(..., description="external (a customer company) or internal (a unit of our own)")
    registry_code: str
    is_vip: bool
    email_domains: str


class ContactOut(Schema):
    id: int
    name: str
    email: str
    phone: str = Field(..., description="the client's own number, as they gave it")
    organisation: Ref
    language: str
    is_representative: bool
    is_active: bool
    portal_access: str = Field(..., description="none, requested, approved, refused or withdrawn (K18)")
    email_bounced_at: dt.datetime | None


class OrganisationDetailOut(OrganisationOut):
    notes: str = Field(..., description="the desk's internal notes")
    open_tickets: int = Field(..., description="capped at 1000; the console shows 1000+")
    contacts: list[ContactOut] = Field(..., alias="contacts_list")
    configuration_items: list[Ref] = Field(..., alias="items_list")


class StaffOut(Schema):
    """Name and roles only: a staff member's personal phone is never in the API (K13)."""

    id: int
    name: str
    email: str
    is_agent: bool
    is_service_manager: bool
    is_catalogue_owner: bool


class CIOut(Schema):
    id: int
    name: str
    ci_type: str
    status: str
    criticality: str
    hostname: str
    serial_number: str
    asset_tag: str
    organisation: Ref
    service: Ref | None


class RelationOut(Schema):
    label: str
    configuration_item: Ref = Field(..., alias="other")

    @staticmethod
    def resolve_label(obj) -> str:
        return str(obj.label)


class CIDetailOut(CIOut):
    description: str
    relations: list[RelationOut] = Field(..., alias="relations_list")
    tickets: list[TicketListItem] = Field(
        ..., alias="tickets_list", description="tickets linked to the item, newest activity first (50)")


class SearchOut(Schema):
    tickets: list[TicketListItem]
    contacts: list[ContactOut]
    organisations: list[OrganisationOut]
    configuration_items: list[CIOut]


class SupportOut(Schema):
    phone: str = Field(..., description="the one support number (K13)")
    email: str = Field(..., description="mail to it opens or updates a ticket (K14)")


class Search(Schema):
    q: str = Field("", description="words of the name (organisations: of the name only)")


class CISearch(Schema):
    q: str = Field("", description="name, hostname, serial number or asset tag")
    organisation_id: int | None = None


# --- organisations and contacts (the desk's) ---------------------------------------------------

@router.get("/organisations", response={200: list[OrganisationOut], **ALWAYS})
def list_organisations(request: HttpRequest, params: Query[Search]):
    """Customer organisations by name (the desk only); at most 200."""
    desk_only(request, _DESK_ONLY)
    organisations = organisation_list_for(request.actor)
    if params.q.strip():
        organisations = organisations.filter(name__icontains=params.q.strip())
    return organisations[:LIST_SIZE]


@router.get("/organisations/{organisation_id}", response={200: OrganisationDetailOut, **ALWAYS})
def get_organisation(request: HttpRequest, organisation_id: int):
    """One organisation with its contacts, items and the number of open tickets (the desk only).
    Its tickets: ``GET /tickets?organisation_id=``."""
    desk_only(request, _DESK_ONLY)
    actor = request.actor
    organisation = organisation_get_for(actor, organisation_id)
    organisation.open_tickets = ticket_count_for(
        actor, TicketFilters(organisation_id=organisation.pk, is_open=True)).value
    organisation.contacts_list = list(contact_list_for(actor).filter(organisation=organisation))
    organisation.items_list = list(ci_list_for(actor).filter(organisation=organisation))
    return organisation


@router.get("/contacts", response={200: list[ContactOut], **ALWAYS})
def list_contacts(request: HttpRequest, params: Query[Search]):
    """Find a caller by name, address or phone number (K13: the phone intake); without ``q`` the
    first 200 by name. The desk only. Their open tickets: ``GET /tickets?requester_id=&open=true``."""
    desk_only(request, _DESK_ONLY)
    q = params.q.strip()
    contacts = contact_search_for(request.actor, q) if q else contact_list_for(request.actor)
    return contacts[:LIST_SIZE]


@router.get("/contacts/{contact_id}", response={200: ContactOut, **ALWAYS})
def get_contact(request: HttpRequest, contact_id: int):
    """One contact (the desk only)."""
    desk_only(request, _DESK_ONLY)
    return contact_get_for(request.actor, contact_id)


@router.get("/staff", response={200: list[StaffOut], **ALWAYS})
def list_staff(request: HttpRequest):
    """The active staff, e.g. to assign a ticket (the desk only). No personal phone (K13)."""
    desk_only(request, _DESK_ONLY)
    return staff_list_for(request.actor).order_by("name")


# --- configuration items (K7) --------------------------------------------------------------------

@router.get("/cis", response={200: list[CIOut], **ALWAYS})
def list_cis(request: HttpRequest, params: Query[CISearch]):
    """Configuration items the caller may see (a client: their own organisation's), by name; at
    most 200."""
    q = params.q.strip()
    items = ci_search_for(request.actor, q) if q else ci_list_for(request.actor)
    if params.organisation_id is not None:
        items = items.filter(organisation_id=params.organisation_id)
    return items[:LIST_SIZE]


@router.get("/cis/{ci_id}", response={200: CIDetailOut, **ALWAYS})
def get_ci(request: HttpRequest, ci_id: int):
    """One item with its relations to other items and its tickets (K7); work by other parties on
    it: ``GET /cis/{ci_id}/third-party-work`` (K9)."""
    actor = request.actor
    item = ci_get_for(actor, ci_id)
    item.relations_list = ci_relations_for(actor, item)
    item.tickets_list = list(ticket_list_for_ci(actor, item)[:50])
    return item


# --- the console's search box ----------------------------------------------------------------------

@router.get("/search", response={200: SearchOut, **ALWAYS})
def search(request: HttpRequest, params: Query[Search]):
    """One box for tickets, contacts, organisations and items, 20 of each; at least two characters
    (the desk only)."""
    desk_only(request, _DESK_ONLY)
    actor = request.actor
    q = params.q.strip()
    if len(q) < 2:
        return {"tickets": [], "contacts": [], "organisations": [], "configuration_items": []}
    return {
        "tickets": list(ticket_search_for(actor, q)[:SEARCH_SIZE]),
        "contacts": list(contact_search_for(actor, q)[:SEARCH_SIZE]),
        "organisations": list(organisation_list_for(actor).filter(name__icontains=q)[:SEARCH_SIZE]),
        "configuration_items": list(ci_search_for(actor, q)[:SEARCH_SIZE]),
    }


@router.get("/support", response={200: SupportOut}, auth=None)
def support(request: HttpRequest):
    """The support phone and address, shown to clients everywhere (K13, K14). Open to everyone."""
    return {"phone": settings.TUGI_SUPPORT_PHONE, "email": settings.TUGI_SUPPORT_EMAIL}
