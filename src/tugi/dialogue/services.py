"""Every write of the dialogue flow: questions and answers, the client's word on a resolution with
its satisfaction rating (K11), and priority requests (K15). Each function is one business action in
one transaction: it checks the policy, writes, records the audit event and a conversation event,
and queues notifications for after the commit. The ticket's state and priority move only through
the tickets app's services."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tugi.core.actors import Actor, system_actor
from tugi.core.audit import audit_record
from tugi.core.errors import DomainError, InvalidInput, PermissionDenied, TransitionNotAllowed
from tugi.directory.models import StaffMember
from tugi.notifications.services import Recipient, notify
from tugi.tickets import services as tickets
from tugi.tickets.lifecycle import Action, available_actions
from tugi.tickets.models import OPEN_STATES, ConversationEntry, Ticket, TicketLink, TicketState
from tugi.tickets.priority import Impact, Priority, Urgency, priority_for
from tugi.tickets.selectors import TicketFilters, ticket_get_for, ticket_list_for
from tugi.tickets.services import ticket_event_add

from . import policies
from .models import PriorityRequest, Question, Satisfaction

logger = logging.getLogger(__name__)

# Defaults; a deployment sets them in the environment (see the settings module).
QUESTION_REMINDER_HOURS = 24
AUTO_CLOSE_DAYS = 5
MAX_TEXT = 5000
BATCH = 500


def reminder_hours() -> int:
    return int(getattr(settings, "TUGI_QUESTION_REMINDER_HOURS", QUESTION_REMINDER_HOURS))


def auto_close_days() -> int:
    return int(getattr(settings, "TUGI_AUTO_CLOSE_DAYS", AUTO_CLOSE_DAYS))


# --- helpers ---------------------------------------------------------------------------------

def _text(value: str, *, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(message, field=field)
    if len(value) > MAX_TEXT:
        raise InvalidInput(_("Please keep it under %(n)s characters.") % {"n": MAX_TEXT}, field=field)
    return value


def _lock(actor: Actor, ticket: Ticket) -> Ticket:
    """The ticket locked for this action, read again through the actor's own view of tickets."""
    return ticket_get_for(actor, ticket.reference, for_update=True)


def _event(ticket: Ticket, actor: Actor, body: str) -> ConversationEntry:
    """A public event of the conversation, and activity on the ticket."""
    return ticket_event_add(actor=actor, ticket=ticket, body=body)


def _transition(actor: Actor, ticket: Ticket, action: Action, reason: str = "") -> Ticket:
    """A state change through the tickets service. This flow tells the people itself, in its own
    words, so the service leaves out its generic state mail."""
    return tickets.ticket_transition(actor=actor, ticket=ticket, action=action, reason=reason, notify=False)


def _on_behalf_of(actor: Actor) -> Actor:
    """A client may not move the ticket along the lifecycle themself; their answer or their word on
    the resolution does, through Tugi. The client stays the author of what they said."""
    return actor if actor.is_staff else system_actor()


def _staff_recipient(staff: StaffMember | None) -> Recipient | None:
    if staff is None or not staff.email or not staff.is_active:
        return None
    return Recipient(email=staff.email, name=staff.name, language=staff.language, is_staff=True)


def _desk_recipients(ticket: Ticket) -> list[Recipient]:
    """Who on the desk hears the client: the assignee, or when nobody is assigned, the service
    manager of the ticket's service."""
    person = ticket.assignee if ticket.assignee_id else (ticket.service.service_manager if ticket.service_id else None)
    recipient = _staff_recipient(person)
    return [recipient] if recipient else []


def _client_recipients(ticket: Ticket, actor: Actor) -> list[Recipient]:
    return [r for r in tickets.ticket_parties(ticket, exclude_user_id=actor.user_id) if not r.is_staff]


def _context(ticket: Ticket, **extra) -> dict:
    return {"ticket": ticket, "support_phone": settings.TUGI_SUPPORT_PHONE, **extra}


FINISHED = (TicketState.CLOSED, TicketState.CANCELLED)


def _ensure_not_finished(actor: Actor, ticket: Ticket) -> None:
    """A ticket is finished once it is closed or cancelled: its record is complete and nothing more is
    written on it. A resolved ticket is not finished: it waits for the client's word (K11) and may
    reopen, so its conversation, its plan and its appointments still move (a question about the
    solution, a step the client finds not working, a visit to check the solution on site). The
    visits, plans and dialogue flows use this one rule."""
    if ticket.state in FINISHED:
        if actor.is_client:
            raise TransitionNotAllowed(
                _("This ticket is already closed. Please report a new one; you can mention %(ref)s in it.")
                % {"ref": ticket.reference}
            )
        raise TransitionNotAllowed(_("The ticket is finished: there is nobody left to ask."))


# --- questions and answers (K11) ---------------------------------------------------------------

@transaction.atomic
def question_ask(*, actor: Actor, ticket: Ticket, text: str) -> Question:
    """Ask a question on the ticket. The desk asks the client: the ticket waits for the client's
    answer ("waiting for client") where its state allows it. A client asks the desk: the question
    goes to the assignee, or when nobody is assigned, to the service manager."""
    if not (actor.is_client or actor.is_staff):
        raise PermissionDenied(_("Please sign in to ask a question."))
    text = _text(text, field="text", message=_("Please write your question."))
    ticket = _lock(actor, ticket)
    _ensure_not_finished(actor, ticket)
    to_client = actor.is_staff
    question = Question.objects.create(
        ticket=ticket,
        direction=Question.Direction.TO_CLIENT if to_client else Question.Direction.TO_DESK,
        text=text,
        asked_by_user_id=actor.user_id,
        asked_by_label=actor.label,
    )
    if to_client:
        _event(ticket, actor, _("Question to the client: %(text)s") % {"text": text})
        if ticket.state == TicketState.WAITING_FOR_CLIENT:
            # Already waiting (for an earlier question, or the desk's own reason): this question
            # holds the ticket too, so answering another one does not bring it back to work.
            question.has_paused_ticket = True
        elif Action.WAIT_FOR_CLIENT in available_actions(ticket):
            try:
                ticket = _transition(actor, ticket, Action.WAIT_FOR_CLIENT, reason=text)
            except TransitionNotAllowed:  # a business guard holds the ticket where it is
                pass
            else:
                question.has_paused_ticket = True
                # Questions asked earlier and still open hold the ticket as well: the ticket goes
                # back to work only when the client has answered all of them.
                Question.objects.filter(ticket=ticket, direction=Question.Direction.TO_CLIENT,
                                        answered_at__isnull=True).update(has_paused_ticket=True)
        if question.has_paused_ticket:
            question.save(update_fields=["has_paused_ticket"])
        recipients = _client_recipients(ticket, actor)
        event = "dialogue_question_to_client"
    else:
        _event(ticket, actor, _("Question to the service desk: %(text)s") % {"text": text})
        recipients = _desk_recipients(ticket)
        event = "dialogue_question_to_desk"
    audit_record(actor=actor, action="dialogue.question_ask", obj=ticket,
                 changes={"question": question.pk, "direction": question.direction, "text": text,
                          "paused": question.has_paused_ticket})
    notify(event=event, about=ticket.reference, recipients=recipients,
           context=_context(ticket, question=question, author=actor.label))
    return question


@transaction.atomic
def question_answer(*, actor: Actor, question: Question, text: str) -> Question:
    """Answer a question. The answer to the last open question that made the ticket wait brings
    it back to work; whoever asked is told."""
    if not policies.can_answer(actor, question):
        raise PermissionDenied(_("The service desk answers the questions put to it."))
    text = _text(text, field="text", message=_("Please write your answer."))
    ticket = _lock(actor, question.ticket)
    question = Question.objects.select_for_update().get(pk=question.pk, ticket=ticket)
    if question.is_answered:
        raise InvalidInput(_("This question is already answered. Thank you!"), field="text")
    question.answer = text
    question.answered_at = timezone.now()
    question.answered_by_user_id = actor.user_id
    question.answered_by_label = actor.label
    question.save(update_fields=["answer", "answered_at", "answered_by_user", "answered_by_label"])
    _event(ticket, actor, _("Answer from %(name)s: %(text)s") % {"name": actor.label, "text": text})
    audit_record(actor=actor, action="dialogue.question_answer", obj=ticket,
                 changes={"question": question.pk, "answer": text})
    if question.is_to_client:
        # Every open question to the client keeps the ticket waiting, whichever of them paused it.
        still_waiting = Question.objects.filter(
            ticket=ticket, direction=Question.Direction.TO_CLIENT, answered_at__isnull=True
        ).exists()
        if question.has_paused_ticket and ticket.state == TicketState.WAITING_FOR_CLIENT and not still_waiting:
            ticket = _transition(_on_behalf_of(actor), ticket, Action.RESUME,
                                 reason=_("%(name)s answered the question.") % {"name": actor.label})
        recipients = tickets.ticket_parties(ticket, staff_only=True, exclude_user_id=actor.user_id)
        asker = StaffMember.objects.filter(user_id=question.asked_by_user_id).first() \
            if question.asked_by_user_id and question.asked_by_user_id != actor.user_id else None
        recipient = _staff_recipient(asker)
        if recipient:
            recipients.append(recipient)
    else:
        recipients = _client_recipients(ticket, actor)
    notify(event="dialogue_answered", about=ticket.reference, recipients=recipients,
           context=_context(ticket, question=question, author=actor.label))
    return question


def questions_remind(*, now: dt.datetime | None = None) -> int:
    """K11: the client is reminded once, politely, of a question left unanswered for the configured
    number of hours. Reads only the due questions (a partial index); each is claimed before its
    mail is queued, so two runs never remind twice."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=reminder_hours())
    due = (
        Question.objects.filter(direction=Question.Direction.TO_CLIENT, answered_at__isnull=True,
                                reminded_at__isnull=True, asked_at__lte=cutoff)
        .order_by("asked_at")
        .values_list("pk", flat=True)
    )
    actor = system_actor()
    reminded = 0
    for pk in list(due[:BATCH]):
        with transaction.atomic():
            if not Question.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            question = Question.objects.select_related("ticket", "ticket__requester").get(pk=pk)
            ticket = question.ticket
            if ticket.state in FINISHED:
                continue
            audit_record(actor=actor, action="dialogue.question_remind", obj=ticket,
                         changes={"question": question.pk})
            notify(event="dialogue_question_reminder", about=ticket.reference,
                   recipients=_client_recipients(ticket, actor), context=_context(ticket, question=question))
            reminded += 1
    return reminded


# --- the client's word on a resolution and the satisfaction rating (K11) ------------------------

def _check_rating(rating: int | None) -> int | None:
    if rating in (None, ""):
        return None
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise InvalidInput(_("Please choose a rating from 1 to 5, or leave it empty."), field="rating")
    return rating


def _snapshot(ticket: Ticket) -> dict:
    return {"service_id": ticket.service_id, "assignee_id": ticket.assignee_id,
            "organisation_id": ticket.organisation_id}


@transaction.atomic
def satisfaction_respond(
    *, actor: Actor, ticket: Ticket, confirmed: bool, rating: int | None = None, comment: str = ""
) -> Satisfaction:
    """The client says whether they got what they needed. Yes closes the ticket, with an optional
    rating (1–5) and comment; no reopens it with the client's words, which are then required."""
    if not policies.can_respond_to_resolution(actor):
        raise PermissionDenied(_("Only the client can confirm that they got what they needed."))
    comment = (comment or "").strip()
    if len(comment) > MAX_TEXT:
        raise InvalidInput(_("Please keep it under %(n)s characters.") % {"n": MAX_TEXT}, field="comment")
    rating = _check_rating(rating) if confirmed else None
    ticket = _lock(actor, ticket)
    if ticket.state != TicketState.RESOLVED:
        raise TransitionNotAllowed(_("This ticket is not waiting for your confirmation: it is “%(state)s”.")
                                   % {"state": TicketState(ticket.state).label})
    if confirmed:
        ticket = _transition(_on_behalf_of(actor), ticket, Action.CLOSE,
                             reason=_("The client confirmed the solution."))
        text = _("%(name)s confirmed that they got what they needed.") % {"name": actor.label}
        if rating:
            text += " " + _("Rating: %(rating)s of 5.") % {"rating": rating}
        if comment:
            text += " " + comment
    else:
        if not comment:
            raise InvalidInput(_("Please tell us what is still missing, so that we can put it right."),
                               field="comment")
        ticket = _transition(_on_behalf_of(actor), ticket, Action.REOPEN, reason=comment)
        text = _("%(name)s did not get what they needed: %(comment)s") % {"name": actor.label, "comment": comment}
    response = Satisfaction.objects.create(
        ticket=ticket, is_confirmed=confirmed, rating=rating, comment=comment, by_user_id=actor.user_id,
        by_label=actor.label, **_snapshot(ticket),
    )
    _event(ticket, actor, text)
    audit_record(actor=actor, action="dialogue.satisfaction", obj=ticket,
                 changes={"confirmed": confirmed, "rating": rating, "comment": comment})
    notify(event="dialogue_satisfaction", about=ticket.reference,
           recipients=tickets.ticket_parties(ticket, staff_only=True, exclude_user_id=actor.user_id),
           context=_context(ticket, response=response, author=actor.label))
    if not confirmed:
        notify(event="dialogue_reopened", about=ticket.reference, recipients=_client_recipients(ticket, actor),
               context=_context(ticket, response=response, author=actor.label))
    return response


def tickets_auto_close(*, now: dt.datetime | None = None) -> int:
    """K11: a resolved ticket the client has not answered within the configured days closes by
    itself; the record says that no rating was given, and the client is told, politely, with the
    way back. Touches only the resolved tickets that are due and may close: one with open child
    tickets is left out of the batch (it cannot close yet), so such tickets never crowd out the rest."""
    now = now or timezone.now()
    days = auto_close_days()
    cutoff = now - dt.timedelta(days=days)
    actor = system_actor()
    open_children = TicketLink.objects.filter(
        target=OuterRef("pk"), kind=TicketLink.Kind.CHILD_OF, source__state__in=OPEN_STATES
    )
    due = (
        ticket_list_for(actor, TicketFilters(state=TicketState.RESOLVED))
        .filter(resolved_at__lte=cutoff)
        .exclude(Exists(open_children))
        .order_by("resolved_at")
    )
    reason = ngettext("closed automatically: no answer within %(days)s day",
                      "closed automatically: no answer within %(days)s days", days) % {"days": days}
    closed = 0
    for ticket in list(due[:BATCH]):
        try:
            with transaction.atomic():
                ticket = _transition(actor, ticket, Action.CLOSE, reason=reason)
                Satisfaction.objects.create(
                    ticket=ticket, is_confirmed=False, is_automatic=True, rating=None, by_label=actor.label,
                    **_snapshot(ticket),
                )
                audit_record(actor=actor, action="dialogue.auto_close", obj=ticket,
                             changes={"days": days, "rating": None})
                notify(event="dialogue_auto_closed", about=ticket.reference,
                       recipients=_client_recipients(ticket, actor), context=_context(ticket, days=days))
        except DomainError as refusal:  # another guard holds it: tried again next run
            logger.info("auto-close of %s refused: %s", ticket.reference, refusal)
            continue
        closed += 1
    return closed


# --- priority requests (K15) ----------------------------------------------------------------------

DIRECTIONS = ("higher", "lower")


def desired_from_direction(current: int, direction: str) -> int:
    """One step higher (a smaller number) or lower, within 1..5."""
    if direction not in DIRECTIONS:
        raise InvalidInput(_("Please choose a higher or a lower priority."), field="direction")
    desired = current - 1 if direction == "higher" else current + 1
    if desired not in Priority.values:
        raise InvalidInput(
            _("The priority is already the highest.") if direction == "higher"
            else _("The priority is already the lowest."),
            field="direction",
        )
    return desired


def impact_urgency_for(priority: int, *, impact: int, urgency: int) -> tuple[int, int]:
    """The impact and urgency that give ``priority`` and are nearest to the present ones (urgency,
    the client's own sense of it, moves before impact)."""
    pairs = [(i, u) for i in Impact.values for u in Urgency.values if priority_for(i, u) == priority]
    return min(pairs, key=lambda pair: (abs(pair[0] - impact) + abs(pair[1] - urgency), abs(pair[0] - impact)))


@transaction.atomic
def priority_request_create(
    *, actor: Actor, ticket: Ticket, reason: str, desired_priority: int | None = None, direction: str | None = None
) -> PriorityRequest:
    """The client asks for a higher or lower priority, with a reason (K15). The assignee, or the
    service manager when nobody is assigned, is told and decides."""
    if not policies.can_request_priority(actor):
        raise PermissionDenied(_("The service desk sets the priority directly; this request is for clients."))
    reason = _text(reason, field="reason",
                   message=_("Please write why the priority should change, so that we understand the "
                             "situation exactly."))
    ticket = _lock(actor, ticket)
    if not ticket.is_open:
        raise TransitionNotAllowed(_("The priority of a ticket that is “%(state)s” no longer changes.")
                                   % {"state": TicketState(ticket.state).label})
    if desired_priority is None:
        if direction is None:
            raise InvalidInput(_("Please choose the priority you would like."), field="desired_priority")
        desired_priority = desired_from_direction(ticket.priority, direction)
    if desired_priority not in Priority.values:
        raise InvalidInput(_("Please choose a priority from 1 to 5."), field="desired_priority")
    if desired_priority == ticket.priority:
        raise InvalidInput(_("The ticket already has this priority."), field="desired_priority")
    if PriorityRequest.objects.filter(ticket=ticket, status=PriorityRequest.Status.PENDING).exists():
        raise TransitionNotAllowed(_("Your earlier request is still waiting for a decision; we will answer it "
                                     "soon."), code="pending")
    try:
        with transaction.atomic():
            request = PriorityRequest.objects.create(
                ticket=ticket, current_priority=ticket.priority, desired_priority=desired_priority, reason=reason,
                requested_by_user_id=actor.user_id, requested_by_label=actor.label,
            )
    except IntegrityError:
        raise TransitionNotAllowed(_("Your earlier request is still waiting for a decision; we will answer it "
                                     "soon."), code="pending") from None
    _event(ticket, actor, _("%(name)s asked for priority %(desired)s instead of %(current)s. Reason: %(reason)s")
           % {"name": actor.label, "desired": Priority(desired_priority).label,
              "current": Priority(ticket.priority).label, "reason": reason})
    audit_record(actor=actor, action="dialogue.priority_request", obj=ticket,
                 changes={"request": request.pk, "priority": [ticket.priority, desired_priority], "reason": reason})
    notify(event="dialogue_priority_requested", about=ticket.reference, recipients=_desk_recipients(ticket),
           context=_context(ticket, request=request, author=actor.label))
    return request


@transaction.atomic
def priority_request_decide(
    *, actor: Actor, request: PriorityRequest, accept: bool, answer: str,
    impact: int | None = None, urgency: int | None = None,
) -> PriorityRequest:
    """The desk or the service manager accepts (the priority follows, through the tickets service)
    or declines, always with an answer; the client is told (K15)."""
    if not policies.can_decide_priority(actor):
        raise PermissionDenied(_("The service desk or the service manager decides on the priority."))
    answer = _text(answer, field="answer", message=_("Please write an answer for the client."))
    ticket = _lock(actor, request.ticket)
    request = PriorityRequest.objects.select_for_update().get(pk=request.pk, ticket=ticket)
    if not request.is_pending:
        raise TransitionNotAllowed(_("This request was already decided."), code="decided")
    if accept:
        if impact is None or urgency is None:
            impact, urgency = impact_urgency_for(request.desired_priority, impact=ticket.impact,
                                                 urgency=ticket.urgency)
        if impact not in Impact.values or urgency not in Urgency.values:
            raise InvalidInput(_("Impact and urgency must each be high, medium or low."), field="impact")
        if priority_for(impact, urgency) != request.desired_priority:
            raise InvalidInput(
                _("This impact and urgency give priority %(got)s, not the %(wanted)s the client asked for. "
                  "Choose values that give it, or decline with an answer.")
                % {"got": Priority(priority_for(impact, urgency)).label,
                   "wanted": Priority(request.desired_priority).label},
                field="impact",
            )
        ticket = tickets.ticket_set_priority(actor=actor, ticket=ticket, impact=impact, urgency=urgency,
                                             reason=answer)
    request.status = PriorityRequest.Status.ACCEPTED if accept else PriorityRequest.Status.DECLINED
    request.answer = answer
    request.decided_at = timezone.now()
    request.decided_by_user_id = actor.user_id
    request.decided_by_label = actor.label
    request.save(update_fields=["status", "answer", "decided_at", "decided_by_user", "decided_by_label"])
    text = (_("The request for priority %(desired)s was accepted: %(answer)s") if accept
            else _("The request for priority %(desired)s was declined: %(answer)s")) % {
        "desired": Priority(request.desired_priority).label, "answer": answer}
    _event(ticket, actor, text)
    audit_record(actor=actor, action="dialogue.priority_decide", obj=ticket,
                 changes={"request": request.pk, "status": request.status, "answer": answer,
                          "impact": impact, "urgency": urgency})
    notify(event="dialogue_priority_decided", about=ticket.reference, recipients=_client_recipients(ticket, actor),
           context=_context(ticket, request=request, author=actor.label))
    return request
