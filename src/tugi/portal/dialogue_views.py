"""The client's side of the dialogue flow: answer the desk's questions and ask their own, say
whether they got what they needed with a rating (K11), ask for another priority (K15). Each view
parses the form, calls one service, and goes back to the ticket page with a word of thanks or the
service's reason for refusing."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tugi.core.outcome import report_outcome
from tugi.dialogue import selectors, services
from tugi.tickets.selectors import ticket_get_for

from .decorators import client_required
from .dialogue_forms import PriorityRequestForm, SatisfactionForm, TextForm


def _done(request, ticket, call, thanks: str):
    report_outcome(request, call, thanks)
    return redirect("portal:ticket", reference=ticket.reference)


@client_required
@require_POST
def dialogue_ask(request, reference: str):
    ticket = ticket_get_for(request.actor, reference)
    form = TextForm(request.POST)
    form.is_valid()
    return _done(
        request, ticket,
        lambda: services.question_ask(actor=request.actor, ticket=ticket, text=form.cleaned_data.get("text", "")),
        _("Thank you for your question. We will answer it soon."),
    )


@client_required
@require_POST
def dialogue_answer(request, reference: str, pk: int):
    question = selectors.question_get_for(request.actor, reference, pk)
    form = TextForm(request.POST)
    form.is_valid()
    return _done(
        request, question.ticket,
        lambda: services.question_answer(actor=request.actor, question=question,
                                         text=form.cleaned_data.get("text", "")),
        _("Thank you for your answer! We continue the work."),
    )


@client_required
@require_POST
def dialogue_priority(request, reference: str):
    ticket = ticket_get_for(request.actor, reference)
    form = PriorityRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose the priority you would like."))
        return redirect("portal:ticket", reference=ticket.reference)
    return _done(
        request, ticket,
        lambda: services.priority_request_create(actor=request.actor, ticket=ticket,
                                                 desired_priority=form.cleaned_data["desired_priority"],
                                                 reason=form.cleaned_data["reason"]),
        _("Thank you. Your request is with the service desk, who will answer it."),
    )


@client_required
@require_POST
def dialogue_satisfaction(request, reference: str):
    ticket = ticket_get_for(request.actor, reference)
    form = SatisfactionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please tell us whether you got what you needed."))
        return redirect("portal:ticket", reference=ticket.reference)
    confirmed = form.cleaned_data["decision"] == "confirm"
    return _done(
        request, ticket,
        lambda: services.satisfaction_respond(actor=request.actor, ticket=ticket, confirmed=confirmed,
                                              rating=form.cleaned_data["rating"],
                                              comment=form.cleaned_data["comment"]),
        _("Thank you for your feedback!") if confirmed
        else _("Thank you for telling us. The ticket is reopened and we continue the work."),
    )
