"""The desk's pages of outgoing webhooks. The whole desk may read the subscriptions and the
delivery log (to see why an integration is quiet); the service-catalogue owner and the service
managers change them. Each view parses input, calls one selector or service, and renders."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tugi.core.actors import Role
from tugi.core.errors import DomainError
from tugi.core.outcome import report_outcome
from tugi.directory.selectors import organisation_list_for
from tugi.webhooks import policies, selectors, services
from tugi.webhooks.models import DeliveryStatus

from .decorators import role_required, staff_required
from .webhooks_forms import SubscriptionForm

MANAGERS = (Role.CATALOGUE_OWNER, Role.SERVICE_MANAGER)


def _status_filter(request) -> str:
    status = request.GET.get("status", "")
    return status if status in DeliveryStatus.values else ""


def _deliveries_page(request, qs):
    return Paginator(qs, 50).get_page(request.GET.get("page"))


@staff_required
def overview(request):
    actor = request.actor
    status = _status_filter(request)
    return render(request, "console/webhooks/overview.html", {
        "subscriptions": selectors.subscription_list_for(actor),
        "page": _deliveries_page(request, selectors.delivery_list_for(actor, status=status)),
        "status": status,
        "statuses": DeliveryStatus.choices,
        "may_manage": policies.can_manage(actor),
    })


def _form(request, data=None, initial=None):
    return SubscriptionForm(data, initial=initial, organisations=organisation_list_for(request.actor))


def _save(request, form, subscription=None):
    """Call the service with the form's data; a refusal goes back on the form's field."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    fields = {"name": data["name"], "target_url": data["target_url"], "event_types": data["event_types"],
              "organisation": data["organisation"], "is_active": data["is_active"]}
    try:
        if subscription is None:
            return services.webhook_subscription_create(actor=request.actor, **fields)
        return services.webhook_subscription_update(actor=request.actor, subscription=subscription, **fields)
    except DomainError as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return None


@role_required(*MANAGERS)
def subscription_create(request):
    form = _form(request, request.POST or None, initial={"is_active": True})
    if request.method == "POST":
        made = _save(request, form)
        if made is not None:
            messages.success(request, _("The subscription was saved. Give the receiver its secret, shown below."))
            return redirect("console:webhook", pk=made.pk)
    return render(request, "console/webhooks/subscription.html", {"form": form, "subscription": None},
                  status=400 if request.method == "POST" else 200)


@staff_required
def subscription_detail(request, pk):
    actor = request.actor
    subscription = selectors.subscription_get_for(actor, pk)
    may_manage = policies.can_manage(actor)
    initial = {"name": subscription.name, "target_url": subscription.target_url,
               "event_types": subscription.event_types, "organisation": subscription.organisation,
               "is_active": subscription.is_active}
    form = _form(request, request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        if _save(request, form, subscription) is not None:
            messages.success(request, _("The subscription was saved."))
            return redirect("console:webhook", pk=pk)
        status = 400
    status_filter = _status_filter(request)
    return render(request, "console/webhooks/subscription.html", {
        "form": form, "subscription": subscription, "may_manage": may_manage, "status": status_filter,
        "statuses": DeliveryStatus.choices,
        "page": _deliveries_page(request, selectors.delivery_list_for(actor, subscription=subscription,
                                                                      status=status_filter)),
    }, status=status)


@role_required(*MANAGERS)
@require_POST
def subscription_rotate_secret(request, pk):
    subscription = selectors.subscription_get_for(request.actor, pk)
    report_outcome(request, lambda: services.webhook_subscription_rotate_secret(
        actor=request.actor, subscription=subscription),
        _("A new secret was made. Deliveries from now on are signed with it: give it to the receiver."))
    return redirect("console:webhook", pk=pk)


@role_required(*MANAGERS)
@require_POST
def subscription_delete(request, pk):
    subscription = selectors.subscription_get_for(request.actor, pk)
    if report_outcome(request, lambda: services.webhook_subscription_delete(
            actor=request.actor, subscription=subscription), _("The subscription and its delivery log were removed.")):
        return redirect("console:webhooks")
    return redirect("console:webhook", pk=pk)


@staff_required
def delivery_detail(request, pk):
    delivery = selectors.delivery_get_for(request.actor, pk)
    return render(request, "console/webhooks/delivery.html", {
        "delivery": delivery, "payload": json.dumps(delivery.payload, ensure_ascii=False, indent=2),
        "may_manage": policies.can_manage(request.actor),
    })


@role_required(*MANAGERS)
@require_POST
def delivery_resend(request, pk):
    delivery = selectors.delivery_get_for(request.actor, pk)
    report_outcome(request, lambda: services.webhook_delivery_resend(actor=request.actor, delivery=delivery),
                   _("The delivery is being sent again; its status below shows how it went."))
    return redirect("console:webhook_delivery", pk=pk)
