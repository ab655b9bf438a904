"""The desk's side of the plans flow: the plan and the client's expectations (K6), the steps
(K5), the approximate and wished times (K8), the risks (K10). Each view parses input, calls one
service and returns to the ticket page with the outcome or the service's reason for refusing."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _  # messages built at import, shown in each page's language
from django.views.decorators.http import require_POST

from tugi.core.outcome import report_outcome
from tugi.plans import selectors, services
from tugi.tickets.selectors import ticket_get_for

from . import plans_forms as forms
from .decorators import staff_required


def _back(reference: str):
    return redirect(reverse("console:ticket", args=[reference]) + "#plans")


def _found(get, *args):
    return get(*args)


def _act(request, reference: str, form, call, success: str):
    """Validate ``form``, then call the service with its data; the outcome comes back as a message."""
    report_outcome(request, call, success, form=form)
    return _back(reference)


def _ticket_view(form_class, call, success):
    @staff_required
    @require_POST
    def view(request, reference: str):
        ticket = _found(ticket_get_for, request.actor, reference)
        return _act(request, ticket.reference, form_class(request.POST),
                    lambda data: call(request.actor, ticket, data), success)
    return view


def _item_view(get, form_class, call, success):
    @staff_required
    @require_POST
    def view(request, reference: str, pk: int):
        item = _found(get, request.actor, reference, pk)
        return _act(request, item.ticket.reference, form_class(request.POST),
                    lambda data: call(request.actor, item, data), success)
    return view


plan_write = _ticket_view(
    forms.PlanForm,
    lambda actor, ticket, d: services.plan_write(actor=actor, ticket=ticket, text=d["text"], reason=d["reason"]),
    _("The plan is saved and the client has been told."),
)
expectations = _ticket_view(
    forms.TextForm,
    lambda actor, ticket, d: services.expectations_set(actor=actor, ticket=ticket, text=d["text"]),
    _("The client's expectations are recorded."),
)
wishes = _ticket_view(
    forms.WishesForm,
    lambda actor, ticket, d: services.ticket_set_wishes(
        actor=actor, ticket=ticket, desired_response_by=d["desired_response_by"],
        desired_resolution_by=d["desired_resolution_by"]),
    _("The client's wished times are recorded."),
)
approximate = _ticket_view(
    forms.ApproximateForm,
    lambda actor, ticket, d: services.ticket_set_approximate_resolution(actor=actor, ticket=ticket, at=d["at"]),
    _("The approximate resolution time is saved and the client has been told."),
)
step_add = _ticket_view(
    forms.TextForm,
    lambda actor, ticket, d: services.step_add(actor=actor, ticket=ticket, text=d["text"]),
    _("The step is added."),
)
risk_add = _ticket_view(
    forms.RiskForm,
    lambda actor, ticket, d: services.risk_record(actor=actor, ticket=ticket, text=d["text"],
                                                  likelihood=d["likelihood"], impact=d["impact"]),
    _("The risk is recorded and the client has been told."),
)
step_edit = _item_view(
    selectors.step_get_for, forms.TextForm,
    lambda actor, step, d: services.step_edit(actor=actor, step=step, text=d["text"]),
    _("The step is changed."),
)
step_move = _item_view(
    selectors.step_get_for, forms.MoveForm,
    lambda actor, step, d: services.step_move(actor=actor, step=step, position=d["position"]),
    _("The step is moved."),
)
step_done = _item_view(
    selectors.step_get_for, forms.NoInput,
    lambda actor, step, d: services.step_mark_done(actor=actor, step=step),
    _("The step is marked done; the client is asked to confirm it."),
)
risk_edit = _item_view(
    selectors.risk_get_for, forms.RiskForm,
    lambda actor, risk, d: services.risk_change(actor=actor, risk=risk, text=d["text"],
                                                likelihood=d["likelihood"], impact=d["impact"]),
    _("The risk is changed and the client has been told."),
)
