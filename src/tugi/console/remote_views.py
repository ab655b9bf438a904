"""The desk's side of the remote flow: reveal a remote account once (K19, audited), revoke it,
and record another party's work on an item, from a ticket or from the item's page (K9)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from tugi.cmdb import services as cmdb_services
from tugi.cmdb.selectors import ci_get_for
from tugi.core.errors import DomainError, NotFound
from tugi.core.outcome import form_problem
from tugi.remote import selectors, services
from tugi.tickets.selectors import ticket_get_for

from .decorators import staff_required
from .remote_forms import RevokeForm, ThirdPartyWorkForm


def _order(request, reference, pk):
    return selectors.remote_order_get_for(request.actor, reference, pk)


def _form_problem(request, form) -> None:
    messages.error(request, form_problem(form))


@sensitive_post_parameters()
@staff_required
@require_POST
@sensitive_variables("revealed", "response")  # K19: the account in clear is never in an error report
def remote_reveal(request, reference: str, pk: int):
    """The account in clear, on this response only: not stored, not cached (no-store), audited."""
    order = _order(request, reference, pk)
    try:
        revealed = services.remote_access_reveal(actor=request.actor, order=order)
    except DomainError as refusal:
        messages.error(request, refusal.message)
        return redirect("console:ticket", reference=order.ticket.reference)
    response = render(request, "console/remote/reveal.html", {"order": revealed.order, "revealed": revealed,
                                                              "ticket": revealed.order.ticket})
    add_never_cache_headers(response)
    response["Pragma"] = "no-cache"
    return response


@staff_required
@require_POST
def remote_revoke(request, reference: str, pk: int):
    order = _order(request, reference, pk)
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.remote_access_revoke(actor=request.actor, order=order, reason=reason)
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The remote access is revoked and its account details were erased."))
    return redirect("console:ticket", reference=order.ticket.reference)


def _declare(request, form, item, ticket):
    try:
        cmdb_services.third_party_work_declare(
            actor=request.actor, configuration_item=item, party=form.cleaned_data["party"],
            what=form.cleaned_data["what"], starts_at=form.cleaned_data["starts_at"],
            ends_at=form.cleaned_data["ends_at"], via_ticket=ticket,
        )
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The work by another party is recorded; the assignees of the item's open tickets "
                                    "have been told."))


@staff_required
@require_POST
def remote_third_party_ticket(request, reference: str):
    ticket = ticket_get_for(request.actor, reference)
    form = ThirdPartyWorkForm(request.POST, prefix="third-party")
    if not form.is_valid():
        _form_problem(request, form)
    elif not form.cleaned_data["configuration_item"]:
        messages.error(request, _("Please choose the configuration item."))
    else:
        try:
            item = ci_get_for(request.actor, form.cleaned_data["configuration_item"])
        except NotFound:
            messages.error(request, _("Please choose the configuration item."))
        else:
            _declare(request, form, item, ticket)
    return redirect("console:ticket", reference=ticket.reference)


@staff_required
@require_POST
def remote_third_party_ci(request, pk: int):
    item = ci_get_for(request.actor, pk)
    form = ThirdPartyWorkForm(request.POST, prefix="third-party")
    if form.is_valid():
        _declare(request, form, item, None)
    else:
        _form_problem(request, form)
    return redirect("console:ci", pk=item.pk)
