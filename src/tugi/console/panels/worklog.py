"""The time entries of a ticket and their disputes (K12) on the console's ticket page: the entries
with their totals (billable and not), the form to log time, and an answer form for each open dispute."""

from tugi.worklog import policies
from tugi.worklog.selectors import worklog_for

from ..worklog_forms import AnswerForm, TimeEntryForm

TEMPLATE = "console/panels/worklog.html"


def context(actor, ticket) -> dict | None:
    log = worklog_for(actor, ticket)
    can_answer = policies.can_answer_dispute(actor)
    if can_answer:
        for dispute in log.open_disputes:  # the same objects the entries list, so the template finds it there
            dispute.answer_form = AnswerForm(prefix=f"dispute{dispute.pk}")
    return {
        "log": log,
        "can_log": policies.can_log_time(actor),
        "can_answer": can_answer,
        "form": TimeEntryForm(prefix="time"),
    }
