"""The desk's monitoring pages (S1): the sources that may post alerts (a new token is shown once),
the rules that map alerts to CIs, services, organisations and priorities, and the alerts seen."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tugi.catalog.selectors import service_list_for
from tugi.channels.monitoring import selectors, services
from tugi.cmdb.selectors import ci_list_for
from tugi.core.errors import DomainError
from tugi.core.outcome import report_outcome
from tugi.directory.selectors import organisation_list_for

from . import monitoring_forms as forms
from .decorators import staff_required


def _hook_url(source) -> str:
    return settings.TUGI_BASE_URL.rstrip("/") + reverse(
        "monitoring:receive", kwargs={"source": source.slug, "kind": source.kind})


def _sources_page(request, form, *, new_token=None, token_source=None, status=200):
    rows = [(source, _hook_url(source)) for source in selectors.alert_source_list_for(request.actor)]
    return render(request, "console/monitoring/sources.html", {
        "rows": rows, "form": form, "new_token": new_token, "token_source": token_source,
    }, status=status)


def _source_form(request, data=None):
    return forms.SourceForm(data, services=service_list_for(request.actor),
                            organisations=organisation_list_for(request.actor))


@staff_required
def sources(request):
    """The sources, and a form for a new one; its token is shown on the answer, once."""
    if request.method != "POST":
        return _sources_page(request, _source_form(request))
    form = _source_form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            source, token = services.alert_source_create(
                actor=request.actor, slug=data["slug"], name=data["name"], kind=data["kind"],
                resolve_on_recovery=data["resolve_on_recovery"], hmac_secret=data["hmac_secret"],
                max_new_tickets_per_hour=data["max_new_tickets_per_hour"],
                default_service=data["default_service"], default_organisation=data["default_organisation"])
        except DomainError as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            return _sources_page(request, _source_form(request), new_token=token, token_source=source)
    return _sources_page(request, form, status=400)


@staff_required
@require_POST
def source_rotate_token(request, pk):
    source = selectors.alert_source_get_for(request.actor, pk)
    token = services.alert_source_rotate_token(actor=request.actor, source=source)
    return _sources_page(request, _source_form(request), new_token=token, token_source=source)


def _rule_form(request, data=None):
    actor = request.actor
    return forms.RuleForm(data, sources=selectors.alert_source_list_for(actor), services=service_list_for(actor),
                          organisations=organisation_list_for(actor), items=ci_list_for(actor))


@staff_required
def rules(request):
    form = _rule_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        done = report_outcome(request, lambda data: services.alert_rule_create(actor=request.actor, **data),
                              _("The rule was saved."), form=form)
        if done:
            return redirect("console:monitoring_rules")
    return render(request, "console/monitoring/rules.html", {
        "rules": selectors.alert_rule_list_for(request.actor), "form": form,
    }, status=400 if request.method == "POST" else 200)


@staff_required
@require_POST
def rule_delete(request, pk):
    rule = selectors.alert_rule_get_for(request.actor, pk)
    services.alert_rule_delete(actor=request.actor, rule=rule)
    messages.success(request, _("The rule was deleted."))
    return redirect("console:monitoring_rules")


@staff_required
def alerts(request):
    status = request.GET.get("status", "")
    page = Paginator(selectors.alert_list_for(request.actor, status=status), 50).get_page(request.GET.get("page"))
    return render(request, "console/monitoring/alerts.html", {"page": page, "status": status})
