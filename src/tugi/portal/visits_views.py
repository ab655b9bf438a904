"""The client's side of the visits flow: confirm that an access is there (K4), and take an
appointment into one's calendar (K21)."""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tugi.core.outcome import report_outcome
from tugi.visits import selectors, services

from .decorators import client_required


@client_required
@require_POST
def access_confirm(request, reference: str, pk: int):
    requirement = selectors.access_requirement_get_for(request.actor, reference, pk)
    report_outcome(request, lambda: services.access_requirement_confirm(actor=request.actor, requirement=requirement),
                   _("Thank you for confirming the access! The specialist has been told and can start the work."))
    return redirect("portal:ticket", reference=requirement.ticket.reference)


def appointment_ics(request, reference: str, pk: int):
    """The appointment as an iCalendar file, for anyone who may see the ticket (the desk too)."""
    if not request.actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    appointment = selectors.appointment_get_for(request.actor, reference, pk)
    response = HttpResponse(appointment.last_ics, content_type="text/calendar; charset=utf-8")
    filename = f"{appointment.ticket.reference}-{appointment.pk}.ics"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
