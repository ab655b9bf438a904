"""The client's side of time accounting (K12): disputing a time entry with a reason."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tugi.core.outcome import report_outcome
from tugi.tickets.selectors import ticket_get_for
from tugi.worklog import selectors, services

from .decorators import client_required
from .worklog_forms import DisputeForm


@client_required
@require_POST
def dispute(request, reference, pk):
    """K12: the requester or a representative disputes an entry; the desk answers with a justification."""
    ticket = ticket_get_for(request.actor, reference)
    entry = selectors.time_entry_get_for(request.actor, ticket, pk)
    form = DisputeForm(request.POST, prefix=f"entry{pk}")
    report_outcome(request, lambda data: services.time_entry_dispute(actor=request.actor, entry=entry,
                                                                     reason=data["reason"]),
                   _("Thank you! Your dispute was sent to the service desk, who will answer it with a "
                     "justification."), form=form)
    return redirect(reverse("portal:ticket", kwargs={"reference": ticket.reference}) + "#worklog")
