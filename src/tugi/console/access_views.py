"""The catalogue owner's portal-access page (K18). Every member of staff may look (the desk can
tell a caller where their request stands); only the service-catalogue owner decides."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tugi.core.actors import Role
from tugi.core.errors import DomainError
from tugi.directory import selectors, services

from .access_forms import ApproveForm, RefuseForm, RequestForContactForm, WithdrawForm
from .decorators import role_required, staff_required

LIST_SIZE = 100


def _can_decide(request) -> bool:
    return request.actor.is_staff and request.actor.has_role(Role.CATALOGUE_OWNER)


def _access_request_or_404(request, pk):
    return selectors.access_request_get_for(request.actor, pk)


def _contact_or_404(request, pk):
    return selectors.contact_get_for(request.actor, pk)


def _add_domain_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@staff_required
def access_list(request):
    actor = request.actor
    return render(request, "console/access/list.html", {
        "pending": selectors.access_request_list_for(actor)[:LIST_SIZE],
        "decisions": selectors.access_decision_list_for(actor)[:20],
        "with_access": selectors.contact_with_access_list_for(actor)[:LIST_SIZE],
        "can_decide": _can_decide(request),
    })


def _detail(request, access_request, *, approve_form=None, refuse_form=None, status=200):
    actor = request.actor
    context = {"access_request": access_request, "can_decide": _can_decide(request) and access_request.is_pending}
    if context["can_decide"]:
        context["approve_form"] = approve_form or ApproveForm(
            access_request=access_request,
            candidates=selectors.access_candidates_for(actor, access_request),
            organisations=selectors.organisation_list_for(actor),
        )
        context["refuse_form"] = refuse_form or RefuseForm()
    return render(request, "console/access/detail.html", context, status=status)


@staff_required
def access_request_detail(request, pk):
    return _detail(request, _access_request_or_404(request, pk))


@role_required(Role.CATALOGUE_OWNER)
@require_POST
def access_approve(request, pk):
    access_request = _access_request_or_404(request, pk)
    form = ApproveForm(
        request.POST,
        access_request=access_request,
        candidates=selectors.access_candidates_for(request.actor, access_request),
        organisations=selectors.organisation_list_for(request.actor),
    )
    if form.is_valid():
        data = form.cleaned_data
        new_contact = None
        if form.needs_contact and not data.get("contact"):
            new_contact = services.NewContact(
                organisation=data["organisation"], name=data["name"], email=data["email"],
                phone=data["phone"], language=data["language"],
            )
        try:
            contact = services.access_request_approve(
                actor=request.actor, access_request=access_request, contact=data.get("contact"),
                new_contact=new_contact, reason=data["reason"],
            )
        except DomainError as error:
            _add_domain_error(form, error)
        else:
            messages.success(request, _("Access approved. %(name)s has been sent a link to choose a password.")
                             % {"name": contact.name})
            return redirect("console:access_list")
    return _detail(request, access_request, approve_form=form, status=400)


@role_required(Role.CATALOGUE_OWNER)
@require_POST
def access_refuse(request, pk):
    access_request = _access_request_or_404(request, pk)
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            services.access_request_refuse(
                actor=request.actor, access_request=access_request, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            _add_domain_error(form, error)
        else:
            messages.success(request, _("The request was refused; %(name)s has been told the reason.")
                             % {"name": access_request.name})
            return redirect("console:access_list")
    return _detail(request, access_request, refuse_form=form, status=400)


@role_required(Role.CATALOGUE_OWNER)
def access_withdraw(request, contact_id):
    contact = _contact_or_404(request, contact_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.portal_access_withdraw(actor=request.actor, contact=contact, reason=form.cleaned_data["reason"])
        except DomainError as error:
            _add_domain_error(form, error)
        else:
            messages.success(request, _("Portal access of %(name)s has been withdrawn; they have been told the reason.")
                             % {"name": contact.name})
            return redirect("console:access_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "console/access/withdraw.html", {"contact": contact, "form": form}, status=status)


@staff_required
@require_POST
def access_request_for_contact(request, contact_id):
    """The desk asks on a contact's behalf; the organisation and contact pages post here."""
    contact = _contact_or_404(request, contact_id)
    form = RequestForContactForm(request.POST)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    try:
        services.access_request_create_for_contact(
            actor=request.actor, contact=contact, message=data.get("message", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Portal access has been requested for %(name)s; the service-catalogue owner "
                                    "decides.") % {"name": contact.name})
    target = data.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("console:access_list")
