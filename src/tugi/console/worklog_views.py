"""The desk's side of time accounting (K12): log time on a ticket, answer a client's dispute, and the
list of disputes waiting for an answer. Each view parses input, calls one service, and goes back to
the ticket with the outcome or the refusal as a message."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tugi.core.outcome import report_outcome
from tugi.tickets.selectors import ticket_get_for
from tugi.worklog import selectors, services

from . import worklog_forms as forms
from .decorators import staff_required


def _back(ticket):
    return redirect(reverse("console:ticket", kwargs={"reference": ticket.reference}) + "#worklog")


@staff_required
@require_POST
def log_time(request, reference):
    ticket = ticket_get_for(request.actor, reference)
    form = forms.TimeEntryForm(request.POST, prefix="time")
    report_outcome(request, lambda data: services.time_entry_add(
        actor=request.actor, ticket=ticket, work_date=data["work_date"], minutes=data["duration"],
        description=data["description"], is_billable=data["is_billable"]),
        _("The time was logged."), form=form)
    return _back(ticket)


@staff_required
@require_POST
def answer(request, reference, pk):
    ticket = ticket_get_for(request.actor, reference)
    dispute = selectors.time_dispute_get_for(request.actor, ticket, pk)
    form = forms.AnswerForm(request.POST, prefix=f"dispute{pk}")
    report_outcome(request, lambda data: services.time_dispute_answer(
        actor=request.actor, dispute=dispute, outcome=data["outcome"], justification=data["justification"],
        minutes=data["duration"], is_billable=data["is_billable"]),
        _("The dispute was answered and the client was told."), form=form)
    return _back(ticket)


@staff_required
def disputes(request):
    """K12: the clients' disputes of time waiting for an answer, oldest first."""
    return render(request, "console/worklog/disputes.html",
                  {"disputes": list(selectors.open_disputes_for(request.actor)[:200])})
