"""The client's side of the plans flow: earlier versions of the plan (K6), expectations (K6),
wished times (K8), confirming a step or saying it did not work (K5). Each view parses input,
calls one service and returns to the ticket page with a message."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tugi.core.outcome import report_outcome
from tugi.plans import selectors, services
from tugi.tickets.selectors import ticket_get_for

from .decorators import client_required
from .plans_forms import ExpectationsForm, NotWorkingForm, WishesForm


def _back(ticket):
    return redirect(reverse("portal:ticket", args=[ticket.reference]) + "#plans")



def _step(request, reference, pk):
    return selectors.step_get_for(request.actor, reference, pk)


def _first_error(form) -> str:
    return next((str(e) for errors in form.errors.values() for e in errors), _("Please check the form."))


def _run(request, ticket, call, success: str):
    report_outcome(request, call, success)
    return _back(ticket)


@client_required
def plan_history(request, reference: str):
    """Every version of the resolution plan, with why it changed (K6)."""
    ticket = ticket_get_for(request.actor, reference)
    versions = list(selectors.plan_versions_for(request.actor, ticket))
    return render(request, "portal/plans/history.html", {"ticket": ticket, "versions": versions})


@client_required
@require_POST
def expectations(request, reference: str):
    ticket = ticket_get_for(request.actor, reference)
    form = ExpectationsForm(request.POST)
    form.is_valid()
    return _run(request, ticket,
                lambda: services.expectations_set(actor=request.actor, ticket=ticket,
                                                  text=form.cleaned_data.get("text", "")),
                _("Thank you, your expectations are recorded and the specialist can see them."))


@client_required
@require_POST
def wishes(request, reference: str):
    ticket = ticket_get_for(request.actor, reference)
    form = WishesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return _back(ticket)
    data = form.cleaned_data
    return _run(request, ticket,
                lambda: services.ticket_set_wishes(actor=request.actor, ticket=ticket,
                                                   desired_response_by=data["desired_response_by"],
                                                   desired_resolution_by=data["desired_resolution_by"]),
                _("Thank you, your wish is recorded."))


@client_required
@require_POST
def step_confirm(request, reference: str, pk: int):
    step = _step(request, reference, pk)
    return _run(request, step.ticket, lambda: services.step_confirm(actor=request.actor, step=step),
                _("Thank you for confirming the step."))


@client_required
@require_POST
def step_not_working(request, reference: str, pk: int):
    step = _step(request, reference, pk)
    form = NotWorkingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please tell us briefly what did not work, so that the specialist can put it "
                                  "right."))
        return _back(step.ticket)
    return _run(request, step.ticket,
                lambda: services.step_report_not_working(actor=request.actor, step=step,
                                                         comment=form.cleaned_data["comment"]),
                _("Thank you for telling us. The specialist has been told and will look at it again."))
