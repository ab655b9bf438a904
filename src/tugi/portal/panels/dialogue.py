"""The dialogue panel of the portal's ticket page: the desk's questions to answer, asking the desk,
the client's word on a resolution with a rating (K11), and asking for another priority (K15)."""

from tugi.dialogue import selectors
from tugi.tickets.models import TicketState
from tugi.tickets.priority import Priority

TEMPLATE = "portal/panels/dialogue.html"


def context(actor, ticket) -> dict | None:
    questions = list(selectors.questions_for(actor, ticket))
    requests = list(selectors.priority_requests_for(actor, ticket))
    pending = next((r for r in requests if r.is_pending), None)
    finished = ticket.state in (TicketState.CLOSED, TicketState.CANCELLED)
    return {
        "open_questions": [q for q in questions if q.is_to_client and not q.is_answered],
        "questions": [q for q in questions if q.is_answered or not q.is_to_client],
        "can_ask": not finished,
        "priority_requests": requests,
        "pending_request": pending,
        "can_request_priority": ticket.is_open and pending is None,
        "priority_choices": [(value, label) for value, label in Priority.choices if value != ticket.priority],
        "can_respond": ticket.state == TicketState.RESOLVED,
        "ratings": range(1, 6),
    }
