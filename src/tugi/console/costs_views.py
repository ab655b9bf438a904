"""The desk's side of extra cost (K16) and orders (K20). Each view parses input, calls one service,
and goes back to the ticket with the outcome or the refusal as a message."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tugi.core.actors import Role
from tugi.core.errors import DomainError
from tugi.core.outcome import report_outcome
from tugi.costs import policies, selectors, services
from tugi.directory.selectors import contact_list_for, contact_search_for
from tugi.tickets.models import TicketSource
from tugi.tickets.selectors import ticket_get_for

from . import costs_forms as forms
from .decorators import role_required, staff_required


def _back(ticket):
    return redirect("console:ticket", reference=ticket.reference)


def _run(request, ticket, call, done: str):
    report_outcome(request, call, done)
    return _back(ticket)


@staff_required
@require_POST
def set_chargeable(request, reference):
    ticket = ticket_get_for(request.actor, reference)
    form = forms.ChargeableForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    return _run(request, ticket, lambda: services.ticket_set_chargeable(
        actor=request.actor, ticket=ticket, is_chargeable=data.get("is_chargeable", False),
        reason=data.get("reason", "")), _("Saved whether the work is chargeable."))


@staff_required
@require_POST
def notice_create(request, reference):
    ticket = ticket_get_for(request.actor, reference)
    form_class = forms.PricedNoticeForm if policies.can_enter_amount(request.actor) else forms.NoticeForm
    form = form_class(request.POST, prefix="notice")
    if not form.is_valid():
        messages.error(request, _("Please write what the extra cost is for; an amount is a number of euros."))
        return _back(ticket)
    amount = form.cleaned_data.get("amount")
    done = _("The cost notice was sent to the client.") if amount else \
        _("The cost notice was written; the service manager was asked to enter the amount.")
    return _run(request, ticket, lambda: services.cost_notice_create(
        actor=request.actor, ticket=ticket, description=form.cleaned_data["description"], amount=amount), done)


@role_required(Role.SERVICE_MANAGER, Role.CATALOGUE_OWNER)
@require_POST
def notice_amount(request, reference, pk):
    ticket = ticket_get_for(request.actor, reference)
    notice = selectors.cost_notice_get_for(request.actor, ticket, pk)
    form = forms.AmountForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the amount as a number of euros, e.g. 120.50."))
        return _back(ticket)
    return _run(request, ticket, lambda: services.cost_notice_set_amount(
        actor=request.actor, notice=notice, amount=form.cleaned_data["amount"]),
        _("The amount was entered and the client was asked to accept it."))


@staff_required
@require_POST
def consult(request, reference):
    ticket = ticket_get_for(request.actor, reference)
    form = forms.ConsultForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please write what you would like the catalogue owner to decide."))
        return _back(ticket)
    return _run(request, ticket, lambda: services.cost_consultation_ask(
        actor=request.actor, ticket=ticket, question=form.cleaned_data["question"]),
        _("The service-catalogue owner was asked; the answer will be recorded on the ticket."))


def _consultations_page(request, forms_by_pk=None, status=200):
    rows = list(selectors.open_consultations_for(request.actor)[:100])
    forms_by_pk = forms_by_pk or {}
    return render(request, "console/costs/consultations.html", {
        "rows": [(c, forms_by_pk.get(c.pk) or forms.AnswerForm(prefix=f"c{c.pk}")) for c in rows],
        "answered": selectors.recent_answers_for(request.actor),
    }, status=status)


@role_required(Role.CATALOGUE_OWNER)
def consultations(request):
    """K16: the questions of the desk waiting for the catalogue owner's answer."""
    return _consultations_page(request)


@role_required(Role.CATALOGUE_OWNER)
@require_POST
def consultation_answer(request, pk):
    consultation = selectors.open_consultation_get_for(request.actor, pk)
    form = forms.AnswerForm(request.POST, prefix=f"c{pk}")
    if form.is_valid():
        try:
            services.cost_consultation_answer(
                actor=request.actor, consultation=consultation, is_chargeable=form.cleaned_data["is_chargeable"],
                explanation=form.cleaned_data["explanation"])
        except DomainError as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("Your answer on %(ref)s was recorded and the desk was told.")
                             % {"ref": consultation.ticket.reference})
            return redirect("console:costs_consultations")
    return _consultations_page(request, {pk: form}, status=400)


@staff_required
def order(request):
    """K20: the desk orders hardware or software for a caller; it goes straight to the service manager."""
    actor = request.actor
    query = request.GET.get("q", "").strip()
    contacts = list(contact_search_for(actor, query).select_related("organisation")[:20]) if query else []
    services_ = list(selectors.orderable_services_for(actor))
    if request.method == "POST":
        chosen = request.POST.get("contact", "").strip()
        # isdigit() accepts "²", which int() refuses; an id is plain ASCII digits of a sane length.
        is_id = chosen.isascii() and chosen.isdecimal() and len(chosen) <= 18
        contacts = list(contact_list_for(actor).filter(pk=int(chosen)).select_related("organisation")) \
            if is_id else []
    form = forms.OrderForm(request.POST or None, contacts=contacts, services=services_)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        service = next(s for s in services_ if s.pk == data["service"])
        try:
            made = services.order_create(
                actor=actor, service=service, kind=data["kind"], item=data["item"], quantity=data["quantity"],
                justification=data["justification"], deliver_to=data["deliver_to"], requester=contacts[0],
                source=TicketSource.PHONE,
            )
        except DomainError as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("Order %(ref)s was registered and sent to the service manager.")
                             % {"ref": made.ticket.reference})
            return redirect("console:ticket", reference=made.ticket.reference)
    return render(request, "console/costs/order.html", {"form": form, "query": query, "contacts": contacts},
                  status=400 if request.method == "POST" else 200)
