"""API v1 tickets: each route parses input, calls one selector or service, and serialises."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.db import transaction
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from tugi.catalog.selectors import service_list_for
from tugi.cmdb.selectors import ci_get_for, ci_list_for
from tugi.core.errors import InvalidInput, NotFound, PermissionDenied
from tugi.directory.selectors import contact_list_for, organisation_list_for, staff_list_for
from tugi.plans import services as plan_services
from tugi.tickets import policies, selectors, services
from tugi.tickets.models import Participant, TicketKind, TicketLink, TicketSource, TicketState

from .queues import QueueKey, queue_filters
from .schemas import (
    ALWAYS,
    MAX_LIMIT,
    REFUSALS,
    AssignIn,
    EntryIn,
    EntryOut,
    SLAOut,
    TicketIn,
    TicketOut,
    TicketPage,
    TransitionIn,
    binary_download,
    one_visible,
)

router = Router(tags=["tickets"])


class ListParams(Schema):
    view: QueueKey | None = Field(
        None, description="a queue of the console (mine, unassigned, open, waiting, all); for a client "
        "``mine`` is what they reported themselves. The other filters narrow it.")
    requester_id: int | None = None
    state: TicketState | None = None
    kind: TicketKind | None = None
    organisation_id: int | None = None
    service_id: int | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    open: bool | None = Field(None, description="true: open tickets only; false: closed, cancelled, resolved")
    q: str = Field("", description="a ticket reference, or words of the title")
    sort: Literal["activity", "-activity", "created", "priority", "reference"] = "activity"
    limit: int = Field(50, description=f"page size; more than {MAX_LIMIT} is treated as {MAX_LIMIT}")
    offset: int = Field(0, ge=0)


@router.get("/tickets", response={200: TicketPage, **ALWAYS})
def list_tickets(request: HttpRequest, params: Query[ListParams]):
    """Tickets the caller may see, newest activity first. Paged by ``limit`` (at most 200) and
    ``offset``; ``has_more`` says whether another page follows."""
    limit = max(1, min(params.limit, MAX_LIMIT))
    offset = params.offset
    filters = queue_filters(
        request.actor,
        params.view,
        state=params.state,
        kind=params.kind,
        organisation_id=params.organisation_id,
        service_id=params.service_id,
        assignee_id=params.assignee_id,
        unassigned=params.unassigned,
        requester_id=params.requester_id,
        is_open=params.open,
        query=params.q,
    )
    # One row more than the page tells whether another page follows, without a COUNT query.
    rows = list(selectors.ticket_list_for(request.actor, filters, params.sort)[offset : offset + limit + 1])
    return {"items": rows[:limit], "limit": limit, "offset": offset, "has_more": len(rows) > limit}



def _create(request: HttpRequest, payload: TicketIn, files=()):
    actor = request.actor
    if payload.by_phone and not actor.is_staff:
        # The console's phone form is the desk's: a client's own report is not a logged call.
        raise PermissionDenied(_("Only the service desk logs a phone call as a ticket."))
    requester = one_visible(
        contact_list_for(actor), payload.requester_id, "requester_id", _("Unknown requester.")
    )
    organisation = one_visible(
        organisation_list_for(actor), payload.organisation_id, "organisation_id", _("Unknown organisation.")
    )
    if payload.service_id is not None and not actor.is_staff:
        # As on the report form: the client names the device or system, the desk the service (its SLA
        # follows the service, so it is not the reporter's to choose).
        raise InvalidInput(_("The service desk chooses the service; please name the device or system instead."),
                           field="service_id")
    service = one_visible(
        service_list_for(actor), payload.service_id, "service_id", _("Unknown service.")
    )
    cis = list(ci_list_for(actor).filter(pk__in=payload.configuration_item_ids))
    if len(cis) != len(set(payload.configuration_item_ids)):
        raise InvalidInput(_("Unknown configuration item."), field="configuration_item_ids")
    with transaction.atomic():  # a refused wish leaves no ticket behind, as on the report form
        ticket = services.ticket_create(
            actor=actor,
            kind=payload.kind,
            title=payload.title,
            description=payload.description,
            source=TicketSource.PHONE if payload.by_phone else TicketSource.API,
            requester=requester,
            organisation=organisation,
            service=service,
            configuration_items=cis,
            impact=payload.impact,
            urgency=payload.urgency,
            attachments=files,
        )
        if payload.desired_response_by or payload.desired_resolution_by:
            ticket = plan_services.ticket_set_wishes(
                actor=actor, ticket=ticket, desired_response_by=payload.desired_response_by,
                desired_resolution_by=payload.desired_resolution_by,
            )
    return Status(201, ticket)


@router.post("/tickets", response={201: TicketOut, **REFUSALS})
def create_ticket(request: HttpRequest, payload: TicketIn):
    """Register a ticket (K1). A client reports for themself in their own organisation; the desk
    may name any contact as the requester, or nobody (S2). Ids the caller may not see are refused
    as unknown (400), like ids that do not exist. The wished response and resolution times are
    recorded beside the SLA's (K8); ``by_phone`` logs a call taken by the desk (K13)."""
    return _create(request, payload)


@router.post("/tickets/with-files", response={201: TicketOut, **REFUSALS})
def create_ticket_with_files(request: HttpRequest, payload: Form[TicketIn], files: File[list[UploadedFile]] = None):
    """The same as ``POST /tickets``, as ``multipart/form-data`` with screenshots or files (K1), as
    the report form sends them."""
    return _create(request, payload, files or ())


@router.get("/tickets/{reference}", response={200: TicketOut, **ALWAYS})
def get_ticket(request: HttpRequest, reference: str):
    """One ticket by its reference (or a former reference, after reclassification). A ticket the
    caller may not see is 404, exactly like one that does not exist."""
    return selectors.ticket_get_for(request.actor, reference)


@router.get("/tickets/{reference}/sla", response={200: SLAOut, **REFUSALS})
def get_sla(request: HttpRequest, reference: str):
    """The ticket's service level as the desk sees it (K8, K15, K17): the policy, the due times, the
    out-of-hours path and every escalation step, reached or not. The desk only; a client reads the
    due times beside their wishes at ``GET /tickets/{reference}/times``."""
    ticket = selectors.ticket_get_for(request.actor, reference)
    if not request.actor.is_staff:
        raise PermissionDenied(_("The escalation steps are the service desk's own."))
    ticket.escalations = list(selectors.sla_escalations_for(request.actor, ticket))
    return ticket


@router.get("/tickets/{reference}/entries", response={200: list[EntryOut], **ALWAYS})
def list_entries(request: HttpRequest, reference: str):
    """The conversation in order: replies, events and, for the desk only, internal notes (K2)."""
    ticket = selectors.ticket_get_for(request.actor, reference)
    return list(selectors.ticket_conversation_for(request.actor, ticket))


@router.post("/tickets/{reference}/entries", response={201: EntryOut, **REFUSALS})
def add_entry(request: HttpRequest, reference: str, payload: EntryIn):
    """Add a reply that every party is told about (K2), or with ``internal: true`` a note for the
    desk only (a client gets 403). A desk reply that names a price or a magnitude is refused with
    409 ``price_mentioned`` until it is sent again with ``send_anyway: true`` (K20)."""
    return _add_entry(request, reference, payload)


def _add_entry(request: HttpRequest, reference: str, payload: EntryIn, files=()):
    ticket = selectors.ticket_get_for(request.actor, reference)
    entry = services.ticket_add_entry(
        actor=request.actor,
        ticket=ticket,
        body=payload.body,
        is_internal=payload.internal,
        channel=TicketSource.API,
        attachments=files,
        price_confirmed=payload.send_anyway,
    )
    return Status(201, entry)


@router.post("/tickets/{reference}/entries/with-files", response={201: EntryOut, **REFUSALS})
def add_entry_with_files(request: HttpRequest, reference: str, payload: Form[EntryIn],
                         files: File[list[UploadedFile]] = None):
    """The same as ``POST /tickets/{reference}/entries``, as ``multipart/form-data`` with files (K2).
    A file sent with an internal note is the desk's only."""
    return _add_entry(request, reference, payload, files or ())


@router.post("/tickets/{reference}/transitions", response={200: TicketOut, **REFUSALS})
def transition(request: HttpRequest, reference: str, payload: TransitionIn):
    """Move the ticket along its lifecycle. 409 with the reason when the ticket's state does not
    allow the action now; 400 with ``field`` when a required reason (K3) or date is missing; 403
    when the caller may not take the action (a client may cancel or postpone; they confirm or reject
    the solution with ``POST /tickets/{reference}/satisfaction``, K11)."""
    ticket = selectors.ticket_get_for(request.actor, reference)
    return services.ticket_transition(
        actor=request.actor, ticket=ticket, action=payload.action, reason=payload.reason, until=payload.until
    )


@router.post("/tickets/{reference}/assign", response={200: TicketOut, **REFUSALS})
def assign(request: HttpRequest, reference: str, payload: AssignIn):
    """Assign the ticket to a specialist, or unassign it with ``assignee_id: null``. The desk only."""
    ticket = selectors.ticket_get_for(request.actor, reference)
    # A client sees no staff list, so their id resolves to nobody and the service refuses them (403).
    assignee = one_visible(
        staff_list_for(request.actor),
        payload.assignee_id if request.actor.is_staff else None,
        "assignee_id",
        _("Unknown staff member."),
    )
    return services.ticket_assign(actor=request.actor, ticket=ticket, assignee=assignee)


# --- what the console's ticket page does besides the conversation ------------------------------
# Each route below is one of the page's actions (console/views.py TICKET_ACTIONS) and calls the
# same service; a client gets what the service allows them, and 403 where it does not.


class LinkOut(Schema):
    kind: str = Field(..., description="the link as read from this ticket's end (arose_from, caused_by, ...)")
    label: str
    ticket: str = Field(..., description="the other ticket's reference")
    title: str
    state: str

    @staticmethod
    def resolve_ticket(obj) -> str:
        return obj.other.reference

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.other.title

    @staticmethod
    def resolve_state(obj) -> str:
        return obj.other.state

    @staticmethod
    def resolve_label(obj) -> str:
        return str(obj.label)


class LinkIn(Schema):
    target: str = Field(..., min_length=1, description="the other ticket's reference")
    kind: TicketLink.Kind


class RelatedIn(Schema):
    kind: TicketKind
    title: str = Field(..., min_length=1, max_length=250)
    description: str = ""
    link: TicketLink.Kind = TicketLink.Kind.AROSE_FROM


class CILinkOut(Schema):
    id: int
    name: str
    ci_type: str
    status: str = Field(..., description="proposed (not yet confirmed), confirmed, or rejected (not related, K7)")
    added_by: str = Field(..., alias="added_by_label")
    added_at: dt.datetime
    decided_by: str = Field(..., alias="decided_by_label")
    decided_at: dt.datetime | None

    @staticmethod
    def resolve_id(obj) -> int:
        return obj.configuration_item_id

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.configuration_item.name

    @staticmethod
    def resolve_ci_type(obj) -> str:
        return obj.configuration_item.ci_type


class CIIn(Schema):
    configuration_item_id: int


class CICorrectIn(Schema):
    right_id: int | None = Field(None, description="the item it really concerns, if known")
    reason: str = ""


class ReclassifyIn(Schema):
    kind: TicketKind
    reason: str


class KindChangeOut(Schema):
    old_kind: str
    new_kind: str
    old_reference: str
    new_reference: str
    reason: str
    changed_by: str = Field(..., alias="changed_by_label")
    changed_at: dt.datetime


class PriorityIn(Schema):
    impact: int = Field(..., ge=1, le=3)
    urgency: int = Field(..., ge=1, le=3)
    reason: str = ""


class ServiceIn(Schema):
    service_id: int | None = Field(..., description="The service the ticket concerns; null for none.")
    reason: str = ""


class ParticipantOut(Schema):
    name: str
    kind: str = Field(..., description="contact (a client) or staff")
    role: str = Field(..., description="participant or watcher")
    added_at: dt.datetime

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj.contact or obj.staff)

    @staticmethod
    def resolve_kind(obj) -> str:
        return "contact" if obj.contact_id else "staff"


class ParticipantIn(Schema):
    contact_id: int
    role: Participant.Role = Participant.Role.PARTICIPANT


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    internal: bool = Field(..., alias="is_internal")
    entry_id: int | None = Field(None, description="the conversation entry it came with; null: with the report")
    uploaded_by: str = Field(..., alias="uploaded_by_label")
    created_at: dt.datetime


def _ticket(request: HttpRequest, reference: str):
    return selectors.ticket_get_for(request.actor, reference)


@router.get("/tickets/{reference}/links", response={200: list[LinkOut], **ALWAYS})
def list_links(request: HttpRequest, reference: str):
    """Links to other tickets in both directions (S1), each read from this ticket's end; a linked
    ticket the caller may not see is left out."""
    return selectors.ticket_links_for(request.actor, _ticket(request, reference))


@router.post("/tickets/{reference}/links", response={201: list[LinkOut], **REFUSALS})
def add_link(request: HttpRequest, reference: str, payload: LinkIn):
    """Link this ticket to another (S1); the link is kept both ways. The desk only."""
    ticket = _ticket(request, reference)
    try:
        target = selectors.ticket_get_for(request.actor, payload.target)
    except NotFound:
        raise InvalidInput(_("No ticket %(ref)s.") % {"ref": payload.target}, field="target") from None
    services.ticket_link(actor=request.actor, source=ticket, target=target, kind=payload.kind)
    return Status(201, selectors.ticket_links_for(request.actor, ticket))


@router.post("/tickets/{reference}/related", response={201: TicketOut, **REFUSALS})
def create_related(request: HttpRequest, reference: str, payload: RelatedIn):
    """A new ticket that arises from this one (incident → problem, request → change, S1): it takes
    the requester, organisation, service and items, and the link is kept both ways. The desk only."""
    ticket = _ticket(request, reference)
    new = services.ticket_create_from(actor=request.actor, origin=ticket, kind=payload.kind, title=payload.title,
                                      description=payload.description, link=payload.link)
    return Status(201, new)


@router.get("/tickets/{reference}/configuration-items", response={200: list[CILinkOut], **ALWAYS})
def list_ticket_cis(request: HttpRequest, reference: str):
    """The items the ticket concerns and whether the desk confirmed it (K7). The desk also sees the
    links found wrong (``rejected``); a client sees their own organisation's items only."""
    ticket = _ticket(request, reference)
    return selectors.ticket_ci_links_for(request.actor, ticket, include_rejected=request.actor.is_staff)


def _ci(request: HttpRequest, pk: int | None, field: str):
    try:
        return ci_get_for(request.actor, pk)
    except NotFound:
        raise InvalidInput(_("Unknown configuration item."), field=field) from None


def _linked_ci(request: HttpRequest, ticket, pk: int):
    """An item linked to the ticket (a 404 when it is not: there is nothing to confirm or correct)."""
    link = selectors.ticket_ci_links_for(request.actor, ticket, include_rejected=True).filter(
        configuration_item_id=pk).first()
    if link is None:
        raise NotFound()
    return link.configuration_item


@router.post("/tickets/{reference}/configuration-items", response={201: CILinkOut, **REFUSALS})
def add_ticket_ci(request: HttpRequest, reference: str, payload: CIIn):
    """Link an item (K7). The desk's link is confirmed at once; a client's (their own organisation's
    items only) waits for the desk to confirm it."""
    ticket = _ticket(request, reference)
    item = _ci(request, payload.configuration_item_id, "configuration_item_id")
    return Status(201, services.ticket_ci_add(actor=request.actor, ticket=ticket, configuration_item=item))


@router.post("/tickets/{reference}/configuration-items/{ci_id}/confirm", response={200: CILinkOut, **REFUSALS})
def confirm_ticket_ci(request: HttpRequest, reference: str, ci_id: int):
    """The desk confirms that the problem really concerns this item (K7)."""
    ticket = _ticket(request, reference)
    item = _linked_ci(request, ticket, ci_id)
    return services.ticket_ci_confirm(actor=request.actor, ticket=ticket, configuration_item=item)


@router.post("/tickets/{reference}/configuration-items/{ci_id}/correct", response={200: list[CILinkOut], **REFUSALS})
def correct_ticket_ci(request: HttpRequest, reference: str, ci_id: int, payload: CICorrectIn):
    """The desk finds the problem does not concern this item (K7): the link is kept, marked
    ``rejected``, and ``right_id`` (if given) is linked as confirmed. Answers the ticket's items."""
    ticket = _ticket(request, reference)
    wrong = _linked_ci(request, ticket, ci_id)
    if not policies.can_decide_ci(request.actor):  # before the right item is looked up: a client learns nothing
        raise PermissionDenied(_("The service desk confirms which configuration item is concerned."))
    right = _ci(request, payload.right_id, "right_id") if payload.right_id is not None else None
    services.ticket_ci_correct(actor=request.actor, ticket=ticket, wrong=wrong, right=right, reason=payload.reason)
    return selectors.ticket_ci_links_for(request.actor, ticket, include_rejected=True)


@router.post("/tickets/{reference}/reclassify", response={200: TicketOut, **REFUSALS})
def reclassify(request: HttpRequest, reference: str, payload: ReclassifyIn):
    """Change the ticket's kind, with the reason (K1). It gets a reference of its new kind; the old
    one still finds it. The desk only."""
    ticket = _ticket(request, reference)
    return services.ticket_reclassify(actor=request.actor, ticket=ticket, new_kind=payload.kind,
                                      reason=payload.reason)


@router.get("/tickets/{reference}/kind-history", response={200: list[KindChangeOut], **ALWAYS})
def kind_history(request: HttpRequest, reference: str):
    """What kind the ticket was before, who changed it and why (K1)."""
    ticket = _ticket(request, reference)
    return selectors.ticket_kind_history_for(request.actor, ticket)


@router.post("/tickets/{reference}/priority", response={200: TicketOut, **REFUSALS})
def set_priority(request: HttpRequest, reference: str, payload: PriorityIn):
    """The desk sets impact and urgency; the priority and the SLA's due times follow (K15). A client
    asks instead: ``POST /tickets/{reference}/priority-requests``."""
    ticket = _ticket(request, reference)
    return services.ticket_set_priority(actor=request.actor, ticket=ticket, impact=payload.impact,
                                        urgency=payload.urgency, reason=payload.reason)


@router.post("/tickets/{reference}/service", response={200: TicketOut, **REFUSALS})
def set_service(request: HttpRequest, reference: str, payload: ServiceIn):
    """The desk says which service the ticket concerns; the SLA's due times follow its policy,
    keeping every pause (K8). The desk only."""
    ticket = _ticket(request, reference)
    if not request.actor.is_staff:  # before the service is looked up: a client learns nothing of it
        raise PermissionDenied(_("Only the service desk can change the service of a ticket."))
    service = one_visible(service_list_for(request.actor).filter(is_active=True), payload.service_id,
                              "service_id", _("Unknown service."))
    return services.ticket_set_service(actor=request.actor, ticket=ticket, service=service, reason=payload.reason)


def _participants(request: HttpRequest, ticket):
    # As the ticket page shows them: a client sees the clients taking part, not the desk's people.
    participants = selectors.ticket_participants(ticket).order_by("added_at", "id")
    if not request.actor.is_staff:
        participants = participants.filter(contact__isnull=False)
    return participants


@router.get("/tickets/{reference}/participants", response={200: list[ParticipantOut], **ALWAYS})
def list_participants(request: HttpRequest, reference: str):
    """Who is told about the ticket (K2): participants take part, watchers follow."""
    return _participants(request, _ticket(request, reference))


@router.post("/tickets/{reference}/participants", response={201: list[ParticipantOut], **REFUSALS})
def add_participant(request: HttpRequest, reference: str, payload: ParticipantIn):
    """Add a contact as a participant or a watcher; they are told of new information from then on
    (K2). A representative may add colleagues of their own organisation."""
    ticket = _ticket(request, reference)
    contact = contact_list_for(request.actor).filter(pk=payload.contact_id).first()
    if contact is None:
        raise InvalidInput(_("Unknown contact."), field="contact_id")
    services.ticket_add_participant(actor=request.actor, ticket=ticket, contact=contact, role=payload.role)
    return Status(201, _participants(request, ticket))


@router.get("/tickets/{reference}/attachments", response={200: list[AttachmentOut], **ALWAYS})
def list_attachments(request: HttpRequest, reference: str):
    """The ticket's files; a client does not see the files of internal notes."""
    return selectors.ticket_attachments_for(request.actor, _ticket(request, reference))


@router.get(
    "/tickets/{reference}/attachments/{attachment_id}",
    response={200: str, **ALWAYS},
    openapi_extra=binary_download("the file as it was sent", "application/octet-stream"),
)
def download_attachment(request: HttpRequest, reference: str, attachment_id: int):
    """One file, as the portal and console send it (a 404 for a file of an internal note to a client)."""
    item = selectors.attachment_get_for(request.actor, reference, attachment_id)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.filename,
                        content_type=item.content_type)
