"""The client's side of extra cost (K16) and orders (K20)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tugi.core.errors import DomainError, NotFound
from tugi.costs import selectors, services
from tugi.tickets.models import TicketSource
from tugi.tickets.selectors import ticket_get_for

from .costs_forms import DecisionForm, OrderForm
from .decorators import client_required

DECISIONS = {"accept": services.cost_notice_accept, "decline": services.cost_notice_decline}


@client_required
@require_POST
def decide(request, reference, pk, decision):
    """K16: the client accepts or declines the extra cost before the work starts."""
    service = DECISIONS.get(decision)
    if service is None:
        raise Http404
    try:
        ticket = ticket_get_for(request.actor, reference)
        notice = selectors.cost_notice_get_for(request.actor, ticket, pk)
    except NotFound:
        raise Http404 from None
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        service(actor=request.actor, notice=notice, comment=form.cleaned_data.get("comment", ""))
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        if decision == "accept":
            messages.success(request, _("Thank you! You accepted the cost, and the specialist can start the work."))
        else:
            messages.success(request, _("Thank you, your decision is recorded. The specialist will not start the "
                                        "chargeable work and will contact you about how to go on."))
    return redirect("portal:ticket", reference=ticket.reference)


@client_required
def order(request):
    """K20: order hardware or software; it goes straight to the service's manager, who sends the quote."""
    actor = request.actor
    services_ = list(selectors.orderable_services_for(actor))
    form = OrderForm(request.POST or None, services=services_)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        service = next(s for s in services_ if s.pk == data["service"])
        try:
            made = services.order_create(
                actor=actor, service=service, kind=data["kind"], item=data["item"], quantity=data["quantity"],
                justification=data["justification"], deliver_to=data["deliver_to"], source=TicketSource.PORTAL,
            )
        except DomainError as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("Thank you! Your order %(ref)s was sent to the service manager, who will "
                                        "send you a quote.") % {"ref": made.ticket.reference})
            return redirect("portal:ticket", reference=made.ticket.reference)
    return render(request, "portal/costs/order.html", {"form": form},
                  status=400 if request.method == "POST" else 200)
