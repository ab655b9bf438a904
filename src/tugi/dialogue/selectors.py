"""Every read of the dialogue flow, scoped to the actor. The ticket is found through the tickets
app's selectors, so a ticket the actor may not see is NotFound here too."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, Q, QuerySet
from django.utils.translation import gettext as _

from tugi.core.actors import Actor
from tugi.core.errors import NotFound, PermissionDenied
from tugi.tickets.models import Ticket
from tugi.tickets.selectors import ticket_get_for

from . import policies
from .models import PriorityRequest, Question, Satisfaction


def questions_for(actor: Actor, ticket: Ticket) -> QuerySet[Question]:
    """The questions of a ticket the actor already sees: questions and answers are public to the
    ticket's parties, like replies."""
    return Question.objects.filter(ticket=ticket).order_by("asked_at", "id")


def open_questions_to_client(ticket: Ticket) -> QuerySet[Question]:
    return Question.objects.filter(ticket=ticket, direction=Question.Direction.TO_CLIENT, answered_at__isnull=True)


def question_get_for(actor: Actor, reference: str, pk: int) -> Question:
    ticket = ticket_get_for(actor, reference)
    question = questions_for(actor, ticket).filter(pk=pk).first()
    if question is None:
        raise NotFound()
    question.ticket = ticket
    return question


def priority_requests_for(actor: Actor, ticket: Ticket) -> QuerySet[PriorityRequest]:
    return PriorityRequest.objects.filter(ticket=ticket).order_by("requested_at", "id")


def pending_priority_request(ticket: Ticket) -> PriorityRequest | None:
    return PriorityRequest.objects.filter(ticket=ticket, status=PriorityRequest.Status.PENDING).first()


def priority_request_get_for(actor: Actor, reference: str, pk: int) -> PriorityRequest:
    ticket = ticket_get_for(actor, reference)
    request = priority_requests_for(actor, ticket).filter(pk=pk).first()
    if request is None:
        raise NotFound()
    request.ticket = ticket
    return request


def satisfaction_for(actor: Actor, ticket: Ticket) -> QuerySet[Satisfaction]:
    return Satisfaction.objects.filter(ticket=ticket).order_by("at", "id")


# --- the report (K11) ---------------------------------------------------------------------------

@dataclass(frozen=True)
class SatisfactionRow:
    """One line of the report: a service, an agent or an organisation, with its figures."""

    key: int | None
    name: str
    average: float | None  # of the ratings given; None when nobody rated
    rated: int
    confirmed: int
    reopened: int
    automatic: int

    @property
    def responses(self) -> int:
        return self.confirmed + self.reopened + self.automatic

    @property
    def bar(self) -> int:
        """The average as a width of 0..100 for the report's bar."""
        return round((self.average or 0) * 20)


GROUPS = {
    "service": ("service_id", "service__name"),
    "agent": ("assignee_id", "assignee__name"),
    "organisation": ("organisation_id", "organisation__name"),
}


def satisfaction_report(actor: Actor, *, since=None, until=None) -> dict[str, list[SatisfactionRow]]:
    """Average rating and counts per service, per agent (the assignee when it was resolved) and per
    organisation: three grouped queries, whatever the number of tickets."""
    if not policies.can_read_satisfaction_report(actor):
        raise PermissionDenied(_("The satisfaction report is for the service desk."))
    qs = Satisfaction.objects.all()
    if since is not None:
        qs = qs.filter(at__gte=since)
    if until is not None:
        qs = qs.filter(at__lt=until)
    result = {}
    for group, (key, name) in GROUPS.items():
        rows = (
            qs.values(key, name)
            .annotate(
                average=Avg("rating"),
                rated=Count("pk", filter=Q(rating__isnull=False)),
                confirmed=Count("pk", filter=Q(is_confirmed=True)),
                reopened=Count("pk", filter=Q(is_confirmed=False, is_automatic=False)),
                automatic=Count("pk", filter=Q(is_automatic=True)),
            )
            .order_by(name)
        )
        result[group] = [
            SatisfactionRow(
                key=row[key], name=row[name] or "—", average=round(row["average"], 2) if row["average"] else None,
                rated=row["rated"], confirmed=row["confirmed"], reopened=row["reopened"], automatic=row["automatic"],
            )
            for row in rows
        ]
    return result

