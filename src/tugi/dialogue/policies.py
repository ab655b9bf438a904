"""Who may do what in the dialogue flow: small pure functions of the actor (and the object)."""

from __future__ import annotations

from tugi.core.actors import Actor, Role

from .models import Question


def can_answer(actor: Actor, question: Question) -> bool:
    """A question to the client is answered by a client of the ticket, or by the desk on their
    behalf (the answer came by phone); a question to the desk is answered by the desk."""
    if question.is_to_client:
        return actor.is_client or actor.is_staff
    return actor.is_staff


def can_request_priority(actor: Actor) -> bool:
    """The client asks (K15); the desk sets the priority directly instead."""
    return actor.is_client


def can_decide_priority(actor: Actor) -> bool:
    """The desk (a specialist) or the service manager accepts or declines (K15)."""
    return actor.is_staff and (actor.has_role(Role.AGENT) or actor.has_role(Role.SERVICE_MANAGER))


def can_respond_to_resolution(actor: Actor) -> bool:
    """Only the client says whether they got what they needed (K11)."""
    return actor.is_client


def can_read_satisfaction_report(actor: Actor) -> bool:
    return actor.is_staff
