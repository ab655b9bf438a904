"""The plans panel of the portal's ticket page: the resolution plan and the client's expectations
(K6), the steps to confirm (K5), the wished, committed and approximate times (K8) and the risks
(K10)."""

from tugi.plans.selectors import plans_overview_for
from tugi.tickets.models import TicketState

from ..plans_forms import ExpectationsForm, NotWorkingForm, WishesForm

TEMPLATE = "portal/panels/plans.html"


def context(actor, ticket) -> dict | None:
    data = plans_overview_for(actor, ticket)
    data["is_open"] = ticket.state not in (TicketState.CLOSED, TicketState.CANCELLED)
    if not data["is_open"] and not (data["plan"] or data["steps"] or data["risks"]):
        return None
    data["ticket"] = ticket
    data["expectations_form"] = ExpectationsForm(initial={"text": ticket.client_expectations})
    data["wishes_form"] = WishesForm(initial={"desired_response_by": ticket.desired_response_by,
                                              "desired_resolution_by": ticket.desired_resolution_by})
    data["not_working_form"] = NotWorkingForm()
    return data
