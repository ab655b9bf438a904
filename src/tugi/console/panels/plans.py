"""The plans panel of the console's ticket page: the resolution plan and the client's
expectations (K6), the steps (K5), the wished, committed and approximate times (K8) and the risks
(K10)."""

from tugi.plans.selectors import plans_overview_for
from tugi.tickets.models import TicketState

from ..plans_forms import ApproximateForm, PlanForm, RiskForm, WishesForm

TEMPLATE = "console/panels/plans.html"


def context(actor, ticket) -> dict | None:
    data = plans_overview_for(actor, ticket)
    data["ticket"] = ticket
    data["is_open"] = ticket.state not in (TicketState.CLOSED, TicketState.CANCELLED)
    data["plan_form"] = PlanForm(initial={"text": data["plan"].text if data["plan"] else ""})
    data["wishes_form"] = WishesForm(initial={"desired_response_by": ticket.desired_response_by,
                                              "desired_resolution_by": ticket.desired_resolution_by})
    data["approximate_form"] = ApproximateForm(initial={"at": ticket.approximate_resolution_at})
    data["risk_form"] = RiskForm()
    data["levels"] = RiskForm.base_fields["likelihood"].choices
    data["step_count"] = len(data["steps"])
    return data
