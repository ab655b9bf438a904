"""API v1: client-portal access (K18), through the same selectors and services as the console's
access page and the portal's public request form. Every member of staff may read the requests (the
desk can tell a caller where theirs stands); only the service-catalogue owner decides."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from tugi.core.actors import ANONYMOUS
from tugi.core.errors import InvalidInput, NotFound
from tugi.directory import selectors, services
from tugi.directory.models import Contact

from .schemas import REFUSALS, Error, Ref, ValidationErrorOut, desk_only

router = Router(tags=["portal access"])

LIST_SIZE = 100


class AccessRequestOut(Schema):
    id: int
    status: str = Field(..., description="pending, approved, refused or withdrawn")
    contact: Ref | None = Field(None, description="the contact it is for; null: somebody the directory does not know")
    name: str
    email: str
    phone: str
    organisation_name: str = Field(..., description="the organisation as the person typed it")
    language: str
    message: str
    requested_by: str = Field(..., alias="requested_by_label")
    created_at: dt.datetime
    decided_by: str | None = None
    decided_at: dt.datetime | None
    decision_reason: str
    withdrawn_at: dt.datetime | None
    withdrawal_reason: str

    @staticmethod
    def resolve_decided_by(obj) -> str | None:
        return obj.decided_by.name if obj.decided_by_id else None


class CandidateOut(Schema):
    id: int
    name: str
    email: str
    organisation: Ref


class AccessRequestDetailOut(AccessRequestOut):
    candidates: list[CandidateOut] = Field(
        ..., description="existing contacts the catalogue owner may give the access to (same address or organisation)")


class ContactAccessOut(Schema):
    id: int
    name: str
    email: str
    organisation: Ref
    portal_access: str
    portal_access_changed_at: dt.datetime | None


class NewContactIn(Schema):
    organisation_id: int
    name: str
    email: str
    phone: str = ""
    language: Contact.Language = Contact.Language.ESTONIAN


class ApproveIn(Schema):
    contact_id: int | None = Field(None, description="an existing contact to give the access to")
    new_contact: NewContactIn | None = Field(None, description="or a new contact, made while approving")
    reason: str = ""


class ReasonIn(Schema):
    reason: str


class MessageIn(Schema):
    message: str = ""


class PublicRequestIn(Schema):
    name: str
    email: str
    phone: str = ""
    organisation: str = ""
    message: str = ""


class PublicRequestOut(Schema):
    detail: str


_DESK_ONLY = gettext_lazy("Portal access requests are decided by the service-catalogue owner.")


def _contact(request: HttpRequest, contact_id: int):
    return selectors.contact_get_for(request.actor, contact_id)


@router.get("/access-requests", response={200: list[AccessRequestOut], **REFUSALS})
def list_pending(request: HttpRequest):
    """Requests waiting for the catalogue owner's decision, oldest first (staff only)."""
    desk_only(request, _DESK_ONLY)
    return selectors.access_request_list_for(request.actor)[:LIST_SIZE]


@router.get("/access-requests/decisions", response={200: list[AccessRequestOut], **REFUSALS})
def list_decisions(request: HttpRequest):
    """Decided requests, newest decision first: the history of the catalogue owner's consent."""
    desk_only(request, _DESK_ONLY)
    return selectors.access_decision_list_for(request.actor)[:LIST_SIZE]


@router.get("/access-requests/{request_id}", response={200: AccessRequestDetailOut, **REFUSALS})
def get_request(request: HttpRequest, request_id: int):
    """One request, and for one from an unknown person the contacts it may belong to."""
    desk_only(request, _DESK_ONLY)
    access_request = selectors.access_request_get_for(request.actor, request_id)
    access_request.candidates = selectors.access_candidates_for(request.actor, access_request) \
        if access_request.is_pending and not access_request.contact_id else []
    return access_request


@router.post("/access-requests/{request_id}/approve", response={200: ContactAccessOut, **REFUSALS})
def approve(request: HttpRequest, request_id: int, payload: ApproveIn):
    """The catalogue owner approves (K18): the request's contact, an existing contact or a new one
    gets an account and a link to choose a password."""
    access_request = selectors.access_request_get_for(request.actor, request_id)
    contact = None
    if payload.contact_id is not None:
        contact = selectors.contact_list_for(request.actor).filter(pk=payload.contact_id).first()
        if contact is None:
            raise InvalidInput(_("Unknown contact."), field="contact_id")
    new_contact = None
    if payload.new_contact is not None and contact is None:
        try:
            organisation = selectors.organisation_get_for(request.actor, payload.new_contact.organisation_id)
        except NotFound:
            raise InvalidInput(_("Unknown organisation."), field="new_contact.organisation_id") from None
        new_contact = services.NewContact(
            organisation=organisation, name=payload.new_contact.name, email=payload.new_contact.email,
            phone=payload.new_contact.phone, language=payload.new_contact.language,
        )
    return services.access_request_approve(actor=request.actor, access_request=access_request, contact=contact,
                                           new_contact=new_contact, reason=payload.reason)


@router.post("/access-requests/{request_id}/refuse", response={200: AccessRequestOut, **REFUSALS})
def refuse(request: HttpRequest, request_id: int, payload: ReasonIn):
    """The catalogue owner refuses, with a reason the person is told (K18)."""
    access_request = selectors.access_request_get_for(request.actor, request_id)
    return services.access_request_refuse(actor=request.actor, access_request=access_request, reason=payload.reason)


@router.get("/portal-access", response={200: list[ContactAccessOut], **REFUSALS})
def list_with_access(request: HttpRequest):
    """Contacts who may sign in to the portal now, for the catalogue owner to review (staff only)."""
    desk_only(request, _DESK_ONLY)
    return selectors.contact_with_access_list_for(request.actor)[:LIST_SIZE]


@router.post("/contacts/{contact_id}/access-request", response={201: AccessRequestOut, **REFUSALS})
def request_for_contact(request: HttpRequest, contact_id: int, payload: MessageIn):
    """The desk asks for portal access on a contact's behalf (K18); the catalogue owner decides."""
    desk_only(request, _DESK_ONLY)
    contact = _contact(request, contact_id)
    made = services.access_request_create_for_contact(actor=request.actor, contact=contact, message=payload.message)
    return Status(201, made)


@router.post("/contacts/{contact_id}/withdraw-access", response={200: ContactAccessOut, **REFUSALS})
def withdraw(request: HttpRequest, contact_id: int, payload: ReasonIn):
    """The catalogue owner withdraws a contact's portal access, with a reason they are told (K18)."""
    desk_only(request, _DESK_ONLY)
    contact = _contact(request, contact_id)
    return services.portal_access_withdraw(actor=request.actor, contact=contact, reason=payload.reason)


@router.post("/access-requests", response={202: PublicRequestOut, 400: Error, 422: ValidationErrorOut}, auth=None)
def public_request(request: HttpRequest, payload: PublicRequestIn):
    """Ask for client-portal access (K18), as on the portal's public form; no sign-in needed. The
    answer is the same whether the address is known, already has access or asked before, so it
    tells nobody who is a client. The service-catalogue owner decides; the answer comes by mail."""
    try:
        validate_email(payload.email)
    except ValidationError:
        raise InvalidInput(_("Please give your email address: we answer there."), field="email") from None
    services.access_request_create(
        actor=ANONYMOUS, name=payload.name, email=payload.email, phone=payload.phone,
        organisation_name=payload.organisation, message=payload.message, language=get_language(),
    )
    return Status(202, {"detail": _("Thank you. The service-catalogue owner decides on access; we will answer "
                                    "by email.")})
