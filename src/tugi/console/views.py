"""The desk's pages. Each view parses input, calls one selector or service, and renders; a refusal
from a service comes back to the page as a message in the user's language."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tugi.catalog.selectors import service_list_for
from tugi.cmdb.selectors import ci_get_for, ci_list_for, ci_relations_for, ci_search_for, third_party_work_for_ci
from tugi.core.errors import DomainError, NotFound
from tugi.directory.selectors import (
    contact_get_for,
    contact_list_for,
    contact_search_for,
    organisation_get_for,
    organisation_list_for,
    staff_list_for,
)
from tugi.tickets import saved_views, services
from tugi.tickets import selectors as tickets
from tugi.tickets.guards import action_choices
from tugi.tickets.lifecycle import ACTION_LABELS, Action, rules_for
from tugi.tickets.models import TicketSource
from tugi.tickets.prices import PriceMentioned
from tugi.tickets.queues import DEFAULT_VIEW, VIEWS, VIEWS_BY_KEY

from . import forms
from .decorators import staff_required
from .panels import panels_for
from .queues import filters_from

PAGE_SIZE = 50
SORT_COLUMNS = ("activity", "created", "priority", "reference")


MAX_PAGE = 10_000  # past this, a filter finds faster than paging


def _page_number(request) -> int:
    try:
        return min(max(1, int(request.GET.get("page", 1))), MAX_PAGE)
    except ValueError:
        return 1


@staff_required
def queue(request):
    """The queues (mine, unassigned, ...), filters, sorting, paging and capped counts."""
    actor = request.actor
    view_key = request.GET.get("view", DEFAULT_VIEW)
    if view_key not in VIEWS_BY_KEY:
        view_key = DEFAULT_VIEW
    sort = request.GET.get("sort", "activity")
    if sort.lstrip("-") not in SORT_COLUMNS:
        sort = "activity"
    page = _page_number(request)
    filters = filters_from(actor, view_key, request.GET)
    offset = (page - 1) * PAGE_SIZE
    rows = list(tickets.ticket_list_for(actor, filters, sort)[offset:offset + PAGE_SIZE + 1])
    services_ = list(service_list_for(actor).select_related(None).only("pk", "name"))
    filter_form = forms.QueueFilterForm(
        request.GET or None,
        services=services_,
        organisations=organisation_list_for(actor).only("pk", "name"),
        staff=staff_list_for(actor).only("pk", "name"),
    )
    params = {k: v for k, v in request.GET.items() if k not in ("page",) and v}
    context = {
        "views": [(v, tickets.ticket_count_for(actor, v.filters(actor))) for v in VIEWS],
        "view_key": view_key,
        "saved_views": saved_views.saved_views_for(actor),
        "filter_form": filter_form,
        "tickets": rows[:PAGE_SIZE],
        "page": page,
        "has_next": len(rows) > PAGE_SIZE,
        "count": tickets.ticket_count_for(actor, filters),
        "sort": sort,
        "query": urlencode({k: v for k, v in params.items() if k != "sort"}),
        "page_query": urlencode(params),
        "saved_form": forms.SavedViewForm(initial={"query": urlencode(params)}),
    }
    template = "console/queue.html#results" if request.headers.get("HX-Request") else "console/queue.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@staff_required
@require_POST
def saved_view_create(request):
    """Save the queue's filters under a name (the same name replaces), and open the view."""
    query = request.POST.get("query", "")
    try:
        saved = saved_views.saved_view_save(actor=request.actor, name=request.POST.get("name", ""), query=query)
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The view is saved."))
        query = saved.query
    return redirect(f"{reverse('console:queue')}?{query}")


@staff_required
@require_POST
def saved_view_delete(request, pk: int):
    try:
        saved_views.saved_view_delete(actor=request.actor, view_id=pk)
    except DomainError as refusal:
        messages.error(request, refusal.message)
    return redirect("console:queue")


# --- one ticket ------------------------------------------------------------------------------

def _detail_context(request, reference: str) -> dict:
    actor = request.actor
    detail = tickets.ticket_detail_for(actor, reference)
    ticket = detail["ticket"]
    org_items = list(ci_list_for(actor).filter(organisation_id=ticket.organisation_id)) if ticket.organisation_id \
        else []
    staff = list(staff_list_for(actor).filter(is_agent=True).only("pk", "name"))
    actions = [(a, problem) for a, problem in action_choices(ticket) if a is not Action.ASSIGN]
    rules = {r.action: r for r in rules_for(ticket.kind)}
    detail.update({
        "actions": [(a, ACTION_LABELS[a], rules[a].needs_reason, rules[a].needs_date, problem)
                    for a, problem in actions],
        "assign_form": forms.AssignForm(initial={"assignee": ticket.assignee_id}, staff=staff),
        "entry_form": forms.EntryForm(),
        "link_form": forms.LinkForm(),
        "related_form": forms.RelatedTicketForm(),
        "ci_form": forms.CIForm(items=org_items),
        "org_items": org_items,
        "reclassify_form": forms.ReclassifyForm(),
        "priority_form": forms.PriorityForm(initial={"impact": ticket.impact, "urgency": ticket.urgency}),
        "service_form": forms.ServiceForm(initial={"service": ticket.service_id},
                                          services=service_list_for(actor).filter(is_active=True)),
        "panels": panels_for(actor, ticket),
    })
    return detail


@staff_required
def ticket_detail(request, reference: str):
    context = _detail_context(request, reference)
    if context["ticket"].reference != reference.upper():  # an old reference after reclassification
        return redirect("console:ticket", reference=context["ticket"].reference)
    return render(request, "console/ticket.html", context)


def _ci(actor, pk):
    try:
        return ci_get_for(actor, int(pk))
    except (NotFound, TypeError, ValueError):
        raise DomainError(_("Unknown configuration item.")) from None


def _act_assign(actor, ticket, data, files):
    form = forms.AssignForm(data, staff=staff_list_for(actor))
    if not form.is_valid():
        raise DomainError(_("Please choose a specialist."))
    pk = form.cleaned_data["assignee"]
    assignee = staff_list_for(actor).filter(pk=pk).first() if pk else None
    services.ticket_assign(actor=actor, ticket=ticket, assignee=assignee)
    return _("Assignment saved.")


def _act_transition(actor, ticket, data, files):
    form = forms.TransitionForm(data)
    if not form.is_valid():
        raise DomainError(_("Please check the date."))
    services.ticket_transition(actor=actor, ticket=ticket, action=form.cleaned_data["action"],
                               reason=form.cleaned_data["reason"], until=form.cleaned_data["until"])
    return _("Done: %(action)s.") % {"action": ACTION_LABELS[Action(form.cleaned_data["action"])]}


def _act_entry(actor, ticket, data, files):
    form = forms.EntryForm(data, files)
    if not form.is_valid():
        raise DomainError(_("Please write something before sending."))
    data = form.cleaned_data
    try:
        services.ticket_add_entry(actor=actor, ticket=ticket, body=data["body"], is_internal=data["internal"],
                                  attachments=data["attachments"], price_confirmed=data["send_anyway"])
    except PriceMentioned as warning:
        warning.form = form  # the page shows the warning with the text kept
        raise
    return _("Internal note added.") if form.cleaned_data["internal"] else _("Reply sent.")


def _act_link(actor, ticket, data, files):
    form = forms.LinkForm(data)
    if not form.is_valid():
        raise DomainError(_("Please give the other ticket's reference."))
    try:
        target = tickets.ticket_get_for(actor, form.cleaned_data["target"])
    except NotFound:
        raise DomainError(_("No ticket %(ref)s.") % {"ref": form.cleaned_data["target"]}) from None
    services.ticket_link(actor=actor, source=ticket, target=target, kind=form.cleaned_data["kind"])
    return _("Linked.")


def _act_related(actor, ticket, data, files):
    form = forms.RelatedTicketForm(data)
    if not form.is_valid():
        raise DomainError(_("Please give the new ticket a kind and a title."))
    new = services.ticket_create_from(actor=actor, origin=ticket, kind=form.cleaned_data["kind"],
                                      title=form.cleaned_data["title"], link=form.cleaned_data["link"])
    return _("Created %(ref)s.") % {"ref": new.reference}


def _act_ci_add(actor, ticket, data, files):
    services.ticket_ci_add(actor=actor, ticket=ticket, configuration_item=_ci(actor, data.get("configuration_item")))
    return _("Configuration item linked.")


def _act_ci_confirm(actor, ticket, data, files):
    item = _ci(actor, data.get("configuration_item"))
    services.ticket_ci_confirm(actor=actor, ticket=ticket, configuration_item=item)
    return _("Confirmed.")


def _act_ci_correct(actor, ticket, data, files):
    right = data.get("right")
    services.ticket_ci_correct(actor=actor, ticket=ticket, wrong=_ci(actor, data.get("wrong")),
                               right=_ci(actor, right) if right else None, reason=data.get("reason", ""))
    return _("Corrected.")


def _act_reclassify(actor, ticket, data, files):
    form = forms.ReclassifyForm(data)
    if not form.is_valid():
        raise DomainError(_("Please choose the new kind and write down why."))
    ticket = services.ticket_reclassify(actor=actor, ticket=ticket, new_kind=form.cleaned_data["kind"],
                                        reason=form.cleaned_data["reason"])
    return _("The ticket is now %(ref)s.") % {"ref": ticket.reference}


def _act_priority(actor, ticket, data, files):
    form = forms.PriorityForm(data)
    if not form.is_valid():
        raise DomainError(_("Please choose impact and urgency."))
    services.ticket_set_priority(actor=actor, ticket=ticket, impact=form.cleaned_data["impact"],
                                 urgency=form.cleaned_data["urgency"], reason=form.cleaned_data["reason"])
    return _("Priority saved.")


def _act_service(actor, ticket, data, files):
    form = forms.ServiceForm(data, services=service_list_for(actor).filter(is_active=True))
    if not form.is_valid():
        raise DomainError(_("Please choose a service that is offered."))
    services.ticket_set_service(actor=actor, ticket=ticket, service=form.cleaned_data["service"],
                                reason=form.cleaned_data["reason"])
    return _("Service saved; the SLA due times follow it.")


def _act_participant(actor, ticket, data, files):
    try:
        contact = contact_get_for(actor, data.get("contact"))
    except NotFound:
        raise DomainError(_("Unknown contact.")) from None
    services.ticket_add_participant(actor=actor, ticket=ticket, contact=contact, role=data.get("role", "participant"))
    return _("Added.")


TICKET_ACTIONS = {
    "assign": _act_assign,
    "transition": _act_transition,
    "entry": _act_entry,
    "link": _act_link,
    "related": _act_related,
    "ci-add": _act_ci_add,
    "ci-confirm": _act_ci_confirm,
    "ci-correct": _act_ci_correct,
    "reclassify": _act_reclassify,
    "priority": _act_priority,
    "service": _act_service,
    "participant": _act_participant,
}


@staff_required
@require_POST
def ticket_action(request, reference: str, action: str):
    """Every action on the ticket page posts here; the table above names the one service each calls."""
    handler = TICKET_ACTIONS.get(action)
    if handler is None:
        raise Http404
    ticket = tickets.ticket_get_for(request.actor, reference)
    try:
        message = handler(request.actor, ticket, request.POST, request.FILES)
    except PriceMentioned as warning:
        context = _detail_context(request, ticket.reference)
        context.update({"entry_form": warning.form, "price_warning": warning.found})
        return render(request, "console/ticket.html", context)
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, message)
    ticket.refresh_from_db(fields=["reference"])
    return redirect("console:ticket", reference=ticket.reference)


# --- phone intake (K13) -------------------------------------------------------------------------

@staff_required
def phone(request):
    """A form built for a live call: find the caller by number or name, see who they are, their
    organisation (VIP shown), open tickets and CIs, and log the call as a ticket."""
    actor = request.actor
    q = request.GET.get("q", "").strip()
    matches = list(contact_search_for(actor, q)[:10]) if len(q) >= 2 else []
    contact = None
    contact_id = request.GET.get("contact") or request.POST.get("contact")
    if contact_id:
        try:
            contact = contact_get_for(actor, contact_id)
        except NotFound:
            messages.error(request, _("Unknown contact."))
    elif len(matches) == 1:
        contact = matches[0]
    items = list(ci_list_for(actor).filter(organisation_id=contact.organisation_id)) if contact else []
    form = forms.PhoneTicketForm(request.POST or None, items=items,
                                 initial={"contact": contact.pk if contact else None})
    if request.method == "POST" and contact is not None and form.is_valid():
        data = form.cleaned_data
        ci = next((c for c in items if c.pk == data["configuration_item"]), None)
        try:
            ticket = services.ticket_create(
                actor=actor, kind=data["kind"], title=data["title"], description=data["description"],
                source=TicketSource.PHONE, requester=contact, configuration_items=[ci] if ci else [],
                impact=data["impact"], urgency=data["urgency"],
            )
        except DomainError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Logged as %(ref)s.") % {"ref": ticket.reference})
            return redirect("console:ticket", reference=ticket.reference)
    open_tickets = []
    if contact is not None:
        open_tickets = list(tickets.ticket_list_for(actor, tickets.TicketFilters(requester_id=contact.pk,
                                                                                 is_open=True))[:20])
    context = {"q": q, "matches": matches, "contact": contact, "items": items, "form": form,
               "open_tickets": open_tickets}
    template = "console/phone.html#callers" if request.headers.get("HX-Request") else "console/phone.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- organisations, CIs, search ----------------------------------------------------------------

@staff_required
def organisation_list(request):
    q = request.GET.get("q", "").strip()
    organisations = organisation_list_for(request.actor)
    if q:
        organisations = organisations.filter(name__icontains=q)
    return render(request, "console/organisations.html", {"organisations": organisations[:200], "q": q})


@staff_required
def organisation_detail(request, pk: int):
    actor = request.actor
    organisation = organisation_get_for(actor, pk)
    return render(request, "console/organisation.html", {
        "organisation": organisation,
        "contacts": contact_list_for(actor).filter(organisation=organisation),
        "items": ci_list_for(actor).filter(organisation=organisation),
        "tickets": tickets.ticket_list_for(actor, tickets.TicketFilters(organisation_id=organisation.pk))[:50],
        "open_count": tickets.ticket_count_for(actor, tickets.TicketFilters(organisation_id=organisation.pk,
                                                                              is_open=True)),
    })


@staff_required
def ci_detail(request, pk: int):
    actor = request.actor
    item = ci_get_for(actor, pk)
    return render(request, "console/ci.html", {
        "item": item,
        "relations": ci_relations_for(actor, item),
        "third_party": third_party_work_for_ci(actor, item),
        "tickets": tickets.ticket_list_for_ci(actor, item)[:50],
    })


@staff_required
def search(request):
    """One box for tickets, contacts, organisations and CIs."""
    actor = request.actor
    q = request.GET.get("q", "").strip()
    results = {}
    if len(q) >= 2:
        results = {
            "tickets": list(tickets.ticket_search_for(actor, q)[:20]),
            "contacts": list(contact_search_for(actor, q)[:20]),
            "organisations": list(organisation_list_for(actor).filter(name__icontains=q)[:20]),
            "items": list(ci_search_for(actor, q)[:20]),
        }
    return render(request, "console/search.html", {"q": q, "results": results})
