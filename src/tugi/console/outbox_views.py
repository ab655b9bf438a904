"""The desk's outbox: mail not yet delivered, failing and retried, or given up, with the error and a
button to send it again (K2). Staff only: it names every client the desk writes to."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tugi.core.outcome import report_outcome
from tugi.notifications import selectors, services
from tugi.notifications.models import Notification
from tugi.notifications.services import TICKET_REFERENCE

from .decorators import staff_required

PAGE_SIZE = 50


@staff_required
def outbox(request):
    status = request.GET.get("status", "")
    if status not in selectors.UNDELIVERED:
        status = ""
    page = Paginator(selectors.outbox_list_for(request.actor, status=status), PAGE_SIZE).get_page(
        request.GET.get("page"))
    for row in page.object_list:
        row.is_ticket = bool(TICKET_REFERENCE.match(row.subject_reference))
        row.may_resend = row.status != Notification.Status.SENT
    counts = selectors.outbox_counts_for(request.actor)
    filters = [("", _("All undelivered"), sum(counts.values()))] + [
        (value, label, counts.get(value, 0)) for value, label in Notification.Status.choices
        if value in selectors.UNDELIVERED
    ]
    return render(request, "console/outbox/list.html", {"page": page, "status": status, "filters": filters})


@staff_required
@require_POST
def resend(request, pk):
    row = selectors.notification_get_for(request.actor, pk)
    report_outcome(request, lambda: services.notification_resend(actor=request.actor, notification_id=row.pk),
                   _("The message to %(address)s was queued again.") % {"address": row.recipient_email})
    return redirect("console:outbox")
