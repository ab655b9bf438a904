"""The client's pages. Each view parses input, calls one selector or service, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tugi.cmdb.selectors import ci_list_for
from tugi.core.errors import DomainError
from tugi.plans import services as plan_services
from tugi.tickets import selectors as tickets
from tugi.tickets import services
from tugi.tickets.lifecycle import Action
from tugi.tickets.models import OutOfHours, TicketSource, TicketState

from .decorators import client_required
from .forms import AddInformationForm, ReasonForm, ReportForm
from .panels import panels_for

PAGE_SIZE = 50

# The client's view of the lifecycle: where the ticket is on its way, in four steps. Lazy, so each
# page shows them in its own language.
TIMELINE = [
    (gettext_lazy("Received"), {TicketState.NEW}),
    (gettext_lazy("Being handled"), {TicketState.ASSIGNED, TicketState.IN_PROGRESS, TicketState.WAITING_FOR_CLIENT,
                          TicketState.POSTPONED, TicketState.REOPENED}),
    (gettext_lazy("Resolved"), {TicketState.RESOLVED}),
    (gettext_lazy("Closed"), {TicketState.CLOSED, TicketState.CANCELLED}),
]


def timeline_for(state: str) -> list[tuple[str, str]]:
    """Each step with 'done', 'current' or '' for the ticket's state."""
    current = next(i for i, (_label, states) in enumerate(TIMELINE) if state in states)
    return [(str(label), "done" if i < current else "current" if i == current else "")
            for i, (label, _states) in enumerate(TIMELINE)]


@client_required
def home(request):
    """My tickets, and for a representative the organisation's, newest activity first."""
    actor = request.actor
    mine = list(tickets.ticket_list_for(actor, tickets.TicketFilters(requester_id=actor.contact_id))[:PAGE_SIZE])
    # A representative sees the organisation's other tickets; anyone else those they take part in.
    others = tickets.ticket_list_for(actor).exclude(requester_id=actor.contact_id)
    organisation = list(others[:PAGE_SIZE])
    for t in mine + organisation:
        t.timeline = timeline_for(t.state)
    return render(request, "portal/home.html", {"mine": mine, "organisation_tickets": organisation})


@client_required
def report(request):
    """K1: report an incident, a problem or a service request, on a CI of one's own organisation."""
    actor = request.actor
    items = list(ci_list_for(actor).exclude(status="retired"))
    form = ReportForm(request.POST or None, request.FILES or None, items=items)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = [ci for ci in items if ci.pk == data["configuration_item"]]
        try:
            with transaction.atomic():  # a refused wish leaves no ticket behind
                ticket = services.ticket_create(
                    actor=actor, kind=data["kind"], title=data["title"], description=data["description"],
                    source=TicketSource.PORTAL, configuration_items=chosen, impact=data["impact"],
                    urgency=data["urgency"], attachments=data["attachments"],
                )
                if data["desired_response_by"] or data["desired_resolution_by"]:
                    plan_services.ticket_set_wishes(
                        actor=actor, ticket=ticket, desired_response_by=data["desired_response_by"],
                        desired_resolution_by=data["desired_resolution_by"],
                    )
        except DomainError as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("Thank you! Your ticket %(ref)s has been registered. We will keep you "
                                        "informed.") % {"ref": ticket.reference})
            if ticket.out_of_hours == OutOfHours.NEXT_WORKING_TIME and ticket.work_starts_at:  # K17
                start = formats.date_format(timezone.localtime(ticket.work_starts_at), "DATETIME_FORMAT")
                messages.info(request, _("It arrived outside our working hours, so work on it will start at the "
                                         "beginning of the next working time: %(start)s.") % {"start": start})
            elif ticket.out_of_hours == OutOfHours.ON_CALL:
                messages.info(request, _("It arrived outside our working hours; our on-call specialist has been "
                                         "told and will take it up."))
            return redirect("portal:ticket", reference=ticket.reference)
    return render(request, "portal/report.html", {"form": form})


@client_required
def ticket_detail(request, reference: str):
    detail = tickets.ticket_detail_for(request.actor, reference)
    ticket = detail["ticket"]
    if ticket.reference != reference.upper():
        return redirect("portal:ticket", reference=ticket.reference)
    detail.update({
        "timeline": timeline_for(ticket.state),
        "form": AddInformationForm(),
        "can_cancel": ticket.is_open,
        "panels": panels_for(request.actor, ticket),
    })
    return render(request, "portal/ticket.html", detail)


@client_required
@require_POST
def ticket_add_information(request, reference: str):
    """K2: new information; every party is told."""
    ticket = tickets.ticket_get_for(request.actor, reference)
    form = AddInformationForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Please write something before sending."))
        return redirect("portal:ticket", reference=ticket.reference)
    try:
        services.ticket_add_entry(actor=request.actor, ticket=ticket, body=form.cleaned_data["body"],
                                  channel=TicketSource.PORTAL, attachments=form.cleaned_data["attachments"])
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Thank you, the information was added and everyone involved was told."))
    return redirect("portal:ticket", reference=ticket.reference)


# Confirming or reopening a resolved ticket is the dialogue flow's (K11), with the rating.
CLIENT_TRANSITIONS = {"cancel": Action.CANCEL, "postpone": Action.POSTPONE}


@client_required
@require_POST
def ticket_decide(request, reference: str, decision: str):
    """The client's own decisions about the work: cancel or postpone it (K3)."""
    action = CLIENT_TRANSITIONS.get(decision)
    if action is None:
        raise Http404
    ticket = tickets.ticket_get_for(request.actor, reference)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.ticket_transition(actor=request.actor, ticket=ticket, action=action,
                                   reason=form.cleaned_data.get("reason", ""), until=form.cleaned_data.get("until"))
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Thank you, your decision is recorded."))
    return redirect("portal:ticket", reference=ticket.reference)


def attachment(request, reference: str, pk: int):
    """A file of a ticket, for anyone who may see it (clients: not files of internal notes)."""
    if not request.actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    item = tickets.attachment_get_for(request.actor, reference, pk)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.filename,
                        content_type=item.content_type)
