"""The costs panel of the portal's ticket page: a cost waiting for the client's decision, and the
decisions made (K16); the order behind a request (K20). Hidden when the ticket has none of these."""

from tugi.costs import policies
from tugi.costs.selectors import cost_summary_for

from ..costs_forms import DecisionForm

TEMPLATE = "portal/panels/costs.html"


def context(actor, ticket) -> dict | None:
    summary = cost_summary_for(actor, ticket)
    if not (summary["is_chargeable"] or summary["notices"] or summary["order"]):
        return None
    return {
        **summary,
        "can_decide": ticket.is_open and policies.can_decide_notice(
            actor, requester_id=ticket.requester_id, organisation_id=ticket.organisation_id),
        "form": DecisionForm(),
    }
