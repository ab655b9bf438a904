"""The dialogue panel of the console's ticket page: questions both ways (K11), the client's pending
priority request with the accept or decline form (K15), and the client's word on resolutions."""

from tugi.dialogue import selectors, services
from tugi.tickets.models import TicketState
from tugi.tickets.priority import Impact, Urgency

TEMPLATE = "console/panels/dialogue.html"


def context(actor, ticket) -> dict | None:
    questions = list(selectors.questions_for(actor, ticket))
    requests = list(selectors.priority_requests_for(actor, ticket))
    pending = next((r for r in requests if r.is_pending), None)
    suggestion = None
    if pending is not None:
        suggestion = services.impact_urgency_for(pending.desired_priority, impact=ticket.impact,
                                                 urgency=ticket.urgency)
    return {
        "open_questions": [q for q in questions if not q.is_answered],
        "answered_questions": [q for q in questions if q.is_answered],
        "can_ask": ticket.state not in (TicketState.CLOSED, TicketState.CANCELLED),
        "pending_request": pending,
        "decided_requests": [r for r in requests if not r.is_pending],
        "suggested_impact": suggestion[0] if suggestion else None,
        "suggested_urgency": suggestion[1] if suggestion else None,
        "impacts": Impact.choices,
        "urgencies": Urgency.choices,
        "responses": list(selectors.satisfaction_for(actor, ticket)),
    }
