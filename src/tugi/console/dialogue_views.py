"""The desk's side of the dialogue flow: ask the client and answer the client's questions (K11),
decide on priority requests (K15), and the satisfaction report with its CSV export (K11)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tugi.core.outcome import report_outcome
from tugi.dialogue import selectors, services
from tugi.tickets.selectors import ticket_get_for

from .csv_export import csv_response
from .decorators import staff_required
from .dialogue_forms import PriorityDecisionForm, ReportPeriodForm, TextForm


def _done(request, ticket, call, success: str):
    report_outcome(request, call, success)
    return redirect("console:ticket", reference=ticket.reference)


@staff_required
@require_POST
def dialogue_ask(request, reference: str):
    ticket = ticket_get_for(request.actor, reference)
    form = TextForm(request.POST)
    form.is_valid()
    return _done(
        request, ticket,
        lambda: services.question_ask(actor=request.actor, ticket=ticket, text=form.cleaned_data.get("text", "")),
        _("The question was sent to the client."),
    )


@staff_required
@require_POST
def dialogue_answer(request, reference: str, pk: int):
    question = selectors.question_get_for(request.actor, reference, pk)
    form = TextForm(request.POST)
    form.is_valid()
    return _done(
        request, question.ticket,
        lambda: services.question_answer(actor=request.actor, question=question,
                                         text=form.cleaned_data.get("text", "")),
        _("Answer saved."),
    )


@staff_required
@require_POST
def dialogue_priority_decide(request, reference: str, pk: int):
    priority_request = selectors.priority_request_get_for(request.actor, reference, pk)
    form = PriorityDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please accept or decline the request, with an answer for the client."))
        return redirect("console:ticket", reference=priority_request.ticket.reference)
    data = form.cleaned_data
    accept = data["decision"] == "accept"
    return _done(
        request, priority_request.ticket,
        lambda: services.priority_request_decide(actor=request.actor, request=priority_request, accept=accept,
                                                 answer=data["answer"], impact=data["impact"],
                                                 urgency=data["urgency"]),
        _("Accepted; the client is told.") if accept else _("Declined; the client is told."),
    )


def _period(request):
    form = ReportPeriodForm(request.GET)
    if not form.is_valid():
        return form, None, None
    tz = timezone.get_current_timezone()
    since = form.cleaned_data.get("since")
    until = form.cleaned_data.get("until")
    return (
        form,
        dt.datetime.combine(since, dt.time.min, tzinfo=tz) if since else None,
        dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=tz) if until else None,
    )


# Lazy: translated in the language of each request, not in whichever was active at import time.
GROUP_LABELS = {
    "service": gettext_lazy("Per service"),
    "agent": gettext_lazy("Per agent"),
    "organisation": gettext_lazy("Per organisation"),
}

@staff_required
def dialogue_satisfaction(request):
    """K11: satisfaction per service, agent and organisation, for a period."""
    form, since, until = _period(request)
    report = selectors.satisfaction_report(request.actor, since=since, until=until)
    groups = [(key, str(GROUP_LABELS[key]), rows) for key, rows in report.items()]
    return render(request, "console/dialogue/satisfaction.html",
                  {"form": form, "groups": groups, "query": request.GET.urlencode()})


@staff_required
def dialogue_satisfaction_csv(request):
    _form, since, until = _period(request)
    report = selectors.satisfaction_report(request.actor, since=since, until=until)
    rows = ((group, row.name, "" if row.average is None else f"{row.average:.2f}", row.rated, row.confirmed,
             row.reopened, row.automatic) for group, group_rows in report.items() for row in group_rows)
    return csv_response("satisfaction.csv", ["group", "name", "average_rating", "rated", "confirmed", "reopened",
                                             "closed_without_answer"], rows)
