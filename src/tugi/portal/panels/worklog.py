"""The time entries of a ticket and their disputes (K12) on the portal's ticket page: what was done,
by whom and how long, the totals, a dispute form for each valid entry, and the desk's answers.
Hidden while no time has been logged."""

from tugi.worklog import policies
from tugi.worklog.selectors import worklog_for

from ..worklog_forms import DisputeForm

TEMPLATE = "portal/panels/worklog.html"


def context(actor, ticket) -> dict | None:
    log = worklog_for(actor, ticket)
    if not log.entries:
        return None
    can_dispute = policies.can_dispute(actor, requester_id=ticket.requester_id, organisation_id=ticket.organisation_id)
    if can_dispute:
        for entry in log.entries:
            if entry.is_active and not any(d.is_open for d in entry.disputes.all()):
                entry.dispute_form = DisputeForm(prefix=f"entry{entry.pk}")
    return {"log": log, "can_dispute": can_dispute}
