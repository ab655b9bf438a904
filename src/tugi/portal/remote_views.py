"""The client's side of the remote flow: order remote support with its account (K19), replace
or revoke it, and declare another party's work on an item (K9)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from tugi.cmdb import services as cmdb_services
from tugi.cmdb.models import ConfigurationItem
from tugi.cmdb.selectors import ci_get_for, ci_list_for
from tugi.core.errors import DomainError, NotFound
from tugi.core.outcome import report_outcome
from tugi.remote import selectors, services
from tugi.tickets.selectors import ticket_get_for

from .decorators import client_required
from .remote_forms import RemoteOrderForm, ReplaceForm, RevokeForm, ThirdPartyWorkForm


def _no_store(response):
    # The page may hold an account name the client typed; no cache keeps it (no-store).
    add_never_cache_headers(response)
    return response


def _refused(form, refusal: DomainError) -> None:
    form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)


def _own_items(actor):
    return ci_list_for(actor).exclude(status=ConfigurationItem.Status.RETIRED)


@sensitive_post_parameters("account_identifier", "password", "notes")  # K19: never in an error report
@client_required
@sensitive_variables("data")
def remote_order(request):
    """K19: the client orders remote support for one of their open tickets (``?ticket=`` picks it)."""
    actor = request.actor
    tickets = list(selectors.remote_orderable_tickets_for(actor)[:200])
    items = list(_own_items(actor))
    initial = {"ticket": (request.GET.get("ticket") or "").upper()}
    form = RemoteOrderForm(request.POST or None, tickets=tickets, items=items, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = ticket_get_for(actor, data["ticket"])
            item = ci_get_for(actor, data["configuration_item"])
            services.remote_access_order(
                actor=actor, ticket=ticket, method=data["method"], method_detail=data["method_detail"],
                configuration_item=item, account_identifier=data["account_identifier"], password=data["password"],
                notes=data["notes"],
            )
        except DomainError as refusal:
            _refused(form, refusal)
        else:
            messages.success(request, _("Thank you! The specialist can now connect. The account details are kept "
                                        "encrypted, and you can revoke them here at any time."))
            return redirect("portal:ticket", reference=ticket.reference)
    response = render(request, "portal/remote/order.html", {"form": form, "tickets": tickets},
                      status=400 if request.method == "POST" else 200)
    return _no_store(response)


def _order(request, reference, pk):
    return selectors.remote_order_get_for(request.actor, reference, pk)


def _outcome(request, reference, call, success):
    report_outcome(request, call, success)
    return redirect("portal:ticket", reference=reference)


# Every field: the names carry the order's id (replace-<pk>-account_identifier), K19.
@sensitive_post_parameters()
@client_required
@require_POST
@sensitive_variables("data")
def remote_replace(request, reference: str, pk: int):
    order = _order(request, reference, pk)
    form = ReplaceForm(request.POST, prefix=f"replace-{order.pk}")
    if not form.is_valid():
        messages.error(request, _("Please give the account name or ID the specialist signs in with."))
        return redirect("portal:ticket", reference=order.ticket.reference)
    data = form.cleaned_data
    return _outcome(request, order.ticket.reference,
                    lambda: services.remote_access_replace(actor=request.actor, order=order,
                                                           account_identifier=data["account_identifier"],
                                                           password=data["password"]),
                    _("Thank you! The new account details are stored encrypted, and the specialist has been told."))


@client_required
@require_POST
def remote_revoke(request, reference: str, pk: int):
    order = _order(request, reference, pk)
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _outcome(request, order.ticket.reference,
                    lambda: services.remote_access_revoke(actor=request.actor, order=order, reason=reason),
                    _("The remote access is revoked and its account details were erased."))


@client_required
def remote_third_party(request):
    """K9: the client tells us that another party works on one of their items (from a ticket's
    page, ``?ticket=``, or on its own)."""
    actor = request.actor
    items = list(_own_items(actor))
    reference = (request.POST.get("ticket") or request.GET.get("ticket") or "").strip()
    ticket = None
    if reference:
        ticket = ticket_get_for(actor, reference)
    form = ThirdPartyWorkForm(request.POST or None, items=items,
                              initial={"ticket": ticket.reference if ticket else ""})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = ci_get_for(actor, data["configuration_item"])
            cmdb_services.third_party_work_declare(
                actor=actor, configuration_item=item, party=data["party"], what=data["what"],
                starts_at=data["starts_at"], ends_at=data["ends_at"], via_ticket=ticket,
            )
        except NotFound:
            form.add_error("configuration_item", _("Please choose one of your devices or systems."))
        except DomainError as refusal:
            _refused(form, refusal)
        else:
            messages.success(request, _("Thank you for letting us know! Work by others can cost the specialist time "
                                        "looking for a cause that is not there, so this really helps."))
            if ticket is not None:
                return redirect("portal:ticket", reference=ticket.reference)
            return redirect("portal:home")
    return render(request, "portal/remote/third_party.html", {"form": form, "ticket": ticket},
                  status=400 if request.method == "POST" else 200)
