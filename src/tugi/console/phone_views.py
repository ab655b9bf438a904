"""The call pop (K13): for the signed-in agent, the call ringing or answered at their extension, with
the caller's contact and open tickets, and the two ways to log it. An htmx fragment the console
polls; without JavaScript the same address is a page of its own."""

from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tugi.channels.phone import selectors, services
from tugi.core.errors import InvalidInput, NotFound
from tugi.core.outcome import report_outcome
from tugi.tickets.models import TicketSource
from tugi.tickets.selectors import ticket_get_for

from . import phone_forms as forms
from .decorators import staff_required


@staff_required
def current(request):
    actor = request.actor
    calls = [(pop.call, pop.open_tickets, pop.number) for pop in selectors.call_pop_for(actor)]  # as the API
    context = {"calls": calls, "extension": selectors.extension_of(actor), "log_form": forms.LogCallForm(),
               "ticket_form": forms.CallTicketForm(), "phone_source": TicketSource.PHONE}
    template = "console/calls/current.html#pop" if request.headers.get("HX-Request") else "console/calls/current.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@staff_required
@require_POST
def log_call(request, pk):
    call = selectors.call_get_for(request.actor, pk)
    form = forms.LogCallForm(request.POST)

    def log(data):
        try:
            ticket = ticket_get_for(request.actor, data["reference"])
        except NotFound:
            raise InvalidInput(_("There is no ticket %(ref)s.") % {"ref": data["reference"][:30]}) from None
        services.call_log_on_ticket(actor=request.actor, call=call, ticket=ticket, note=data["note"])

    if report_outcome(request, log, _("The call was logged on the ticket."), form=form):
        return redirect("console:ticket", reference=form.cleaned_data["reference"].upper())
    return redirect("console:calls_current")


@staff_required
@require_POST
def open_ticket(request, pk):
    call = selectors.call_get_for(request.actor, pk)
    form = forms.CallTicketForm(request.POST)
    made = {}

    def create(data):
        made["ticket"] = services.call_open_ticket(actor=request.actor, call=call, **data)

    if report_outcome(request, create, _("The call was logged as a new phone ticket."), form=form):
        return redirect("console:ticket", reference=made["ticket"].reference)
    return redirect("console:calls_current")
