"""The incoming mail (K14): the quarantine of what could not become a ticket, with the reason, the
message as it came, and the desk's two ways out: try again (after a fix, or after adding the sender
as a contact) or discard with a reason. Other states are listed too, so the desk can see what
happened to a message a client says they sent. Staff only: any client's mail is here."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tugi.channels.email import selectors, services
from tugi.channels.email.parsing import MalformedMessage, parse_message
from tugi.channels.models import InboundState
from tugi.core.errors import DomainError
from tugi.core.outcome import report_outcome

from .decorators import staff_required
from .mail_forms import DiscardForm

PAGE_SIZE = 50


@staff_required
def inbox(request):
    state = request.GET.get("state", InboundState.QUARANTINED)
    if state not in InboundState.values:
        state = InboundState.QUARANTINED
    page = Paginator(selectors.inbound_list_for(request.actor, state=state), PAGE_SIZE).get_page(
        request.GET.get("page"))
    counts = selectors.inbound_counts_for(request.actor)
    filters = [(value, label, counts.get(value, 0)) for value, label in InboundState.choices]
    return render(request, "console/mail/list.html", {"page": page, "state": state, "filters": filters})


@staff_required
def message(request, pk):
    row = selectors.inbound_get_for(request.actor, pk)
    try:
        parsed, unreadable = parse_message(bytes(row.raw)), ""
    except MalformedMessage as error:
        parsed, unreadable = None, error.reason
    return render(request, "console/mail/message.html", {
        "message": row, "parsed": parsed, "unreadable": unreadable, "discard_form": DiscardForm(),
    })


@staff_required
def raw(request, pk):
    row = selectors.inbound_get_for(request.actor, pk)
    response = HttpResponse(bytes(row.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="message-{row.pk}.eml"'
    return response


@staff_required
@require_POST
def retry(request, pk):
    row = selectors.inbound_get_for(request.actor, pk)
    try:
        result = services.inbound_retry(actor=request.actor, message=row)
    except DomainError as refusal:
        messages.error(request, refusal.message)
        return redirect("console:mail_message", pk=row.pk)
    if result.is_quarantined:
        messages.error(request, _("Still quarantined: %(reason)s") % {"reason": result.reason})
    elif result.reference:
        messages.success(request, _("Done: the message is now on %(ref)s.") % {"ref": result.reference})
    else:
        messages.success(request, _("Done: %(state)s.") % {"state": InboundState(result.state).label})
    return redirect("console:mail_message", pk=row.pk)


@staff_required
@require_POST
def discard(request, pk):
    row = selectors.inbound_get_for(request.actor, pk)
    report_outcome(request, lambda data: services.inbound_discard(actor=request.actor, message=row,
                                                                   reason=data["reason"]),
                   _("The message was discarded; it stays listed under 'discarded'."), form=DiscardForm(request.POST))
    return redirect("console:mail_message", pk=row.pk)
