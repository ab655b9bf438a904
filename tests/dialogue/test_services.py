"""The dialogue flow's rules: questions and answers, the client's word on a resolution with the
satisfaction rating (K11), and priority requests (K15)."""

import datetime as dt

import pytest
from django.utils import timezone

from tugi.core.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from tugi.core.models import AuditEvent
from tugi.dialogue import selectors, services
from tugi.dialogue.models import PriorityRequest, Question, Satisfaction
from tugi.notifications.models import Notification
from tugi.tickets import services as tickets
from tugi.tickets.models import ConversationEntry, TicketKind, TicketSource, TicketState

# Where RESUME takes a ticket is the lifecycle's business (the state before the wait).
BACK_TO_WORK = (TicketState.ASSIGNED, TicketState.IN_PROGRESS)


def told(event):
    return sorted(Notification.objects.filter(event=event).values_list("recipient_email", flat=True))


def audited(action):
    return AuditEvent.objects.filter(action=action).count()


# --- questions (K11) ----------------------------------------------------------------------------

def test_a_desk_question_makes_the_ticket_wait_for_the_client_and_tells_the_client_K11(cast, ticket):
    question = services.question_ask(actor=cast.actor("agent"), ticket=ticket, text="Which printer model is it?")
    ticket.refresh_from_db()
    assert question.direction == Question.Direction.TO_CLIENT and question.has_paused_ticket
    assert ticket.state == TicketState.WAITING_FOR_CLIENT
    assert ticket.state_reason == "Which printer model is it?"
    assert told("dialogue_question_to_client") == [cast.client_a.email]
    assert audited("dialogue.question_ask") == 1
    assert ConversationEntry.objects.filter(ticket=ticket, body__contains="Which printer model").exists()


def test_the_clients_answer_brings_the_ticket_back_to_work_and_tells_the_asker_K11(cast, ticket):
    question = services.question_ask(actor=cast.actor("agent"), ticket=ticket, text="Which printer model is it?")
    question = selectors.question_get_for(cast.actor("client_a"), ticket.reference, question.pk)
    services.question_answer(actor=cast.actor("client_a"), question=question, text="HP LaserJet 4000")
    ticket.refresh_from_db()
    question.refresh_from_db()
    assert ticket.state in BACK_TO_WORK
    assert question.answer == "HP LaserJet 4000" and question.answered_by_label == "Anna Alfa"
    assert told("dialogue_answered") == [cast.agent.email]
    assert audited("dialogue.question_answer") == 1


def test_the_ticket_waits_until_every_open_question_is_answered_K11(cast, ticket):
    first = services.question_ask(actor=cast.actor("agent"), ticket=ticket, text="Which printer model is it?")
    second = services.question_ask(actor=cast.actor("agent"), ticket=ticket, text="Which floor is it on?")
    assert second.has_paused_ticket  # asked while the ticket already waited: it holds the ticket too
    services.question_answer(actor=cast.actor("client_a"), question=first, text="HP LaserJet 4000")
    ticket.refresh_from_db()
    assert ticket.state == TicketState.WAITING_FOR_CLIENT
    services.question_answer(actor=cast.actor("client_a"), question=second, text="Third")
    ticket.refresh_from_db()
    assert ticket.state in BACK_TO_WORK


def test_a_question_asked_before_the_wait_also_holds_the_ticket_K11(cast):
    t = tickets.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title="Unassigned",
                              source=TicketSource.PORTAL)
    early = services.question_ask(actor=cast.actor("agent"), ticket=t, text="Since when?")
    assert not early.has_paused_ticket  # a new ticket does not wait for the client
    t = tickets.ticket_assign(actor=cast.actor("agent"), ticket=t, assignee=cast.agent)
    later = services.question_ask(actor=cast.actor("agent"), ticket=t, text="Which model?")
    services.question_answer(actor=cast.actor("client_a"), question=later, text="HP")
    t.refresh_from_db()
    assert t.state == TicketState.WAITING_FOR_CLIENT
    services.question_answer(actor=cast.actor("client_a"), question=early, text="Monday")
    t.refresh_from_db()
    assert t.state in BACK_TO_WORK


def test_a_question_is_answered_only_once_K11(cast, ticket):
    question = services.question_ask(actor=cast.actor("agent"), ticket=ticket, text="Which model?")
    services.question_answer(actor=cast.actor("client_a"), question=question, text="HP")
    with pytest.raises(InvalidInput):
        services.question_answer(actor=cast.actor("client_a"), question=question, text="HP again")


def test_the_answer_is_required_and_the_question_too_K11(cast, ticket):
    with pytest.raises(InvalidInput) as refusal:
        services.question_ask(actor=cast.actor("agent"), ticket=ticket, text="  ")
    assert refusal.value.field == "text"
    question = services.question_ask(actor=cast.actor("agent"), ticket=ticket, text="Which model?")
    with pytest.raises(InvalidInput):
        services.question_answer(actor=cast.actor("client_a"), question=question, text="")


def test_a_client_question_goes_to_the_assignee_K11(cast, ticket):
    question = services.question_ask(actor=cast.actor("client_a"), ticket=ticket, text="When will it be done?")
    ticket.refresh_from_db()
    assert question.direction == Question.Direction.TO_DESK and not question.has_paused_ticket
    assert ticket.state == TicketState.ASSIGNED
    assert told("dialogue_question_to_desk") == [cast.agent.email]


def test_a_client_question_goes_to_the_service_manager_when_nobody_is_assigned_K11(cast):
    t = tickets.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title="Slow",
                              source=TicketSource.PORTAL, configuration_items=[cast.ci_a])
    services.question_ask(actor=cast.actor("client_a"), ticket=t, text="Is anybody looking?")
    assert told("dialogue_question_to_desk") == [cast.service_manager.email]


def test_only_the_desk_answers_a_question_to_the_desk_and_the_client_is_told_K11(cast, ticket):
    question = services.question_ask(actor=cast.actor("client_a"), ticket=ticket, text="When?")
    with pytest.raises(PermissionDenied):
        services.question_answer(actor=cast.actor("representative_a"), question=question, text="Tomorrow")
    services.question_answer(actor=cast.actor("agent"), question=question, text="Tomorrow morning")
    assert told("dialogue_answered") == [cast.client_a.email]


def test_no_questions_on_a_closed_ticket_K11(cast, ticket):
    tickets.ticket_transition(actor=cast.actor("client_a"), ticket=ticket, action="cancel", reason="Not needed")
    with pytest.raises(TransitionNotAllowed) as refusal:
        services.question_ask(actor=cast.actor("client_a"), ticket=ticket, text="Hello?")
    assert "report a new one" in refusal.value.message


def test_a_resolved_ticket_is_not_finished_the_desk_and_the_client_may_still_ask_K11(cast, resolved):
    # One rule in the visits, plans and dialogue flows: finished means closed or cancelled.
    services.question_ask(actor=cast.actor("client_a"), ticket=resolved, text="What was wrong?")
    services.question_ask(actor=cast.actor("agent"), ticket=resolved, text="Does it work now?")
    resolved.refresh_from_db()
    assert resolved.state == TicketState.RESOLVED  # a resolved ticket does not wait for the client


def test_another_organisations_client_cannot_reach_the_question_K11(cast, ticket):
    from tugi.core.errors import NotFound

    question = services.question_ask(actor=cast.actor("agent"), ticket=ticket, text="Which model?")
    with pytest.raises(NotFound):
        selectors.question_get_for(cast.actor("client_b"), ticket.reference, question.pk)


def test_the_client_is_reminded_once_after_the_configured_hours_K11(cast, ticket, settings):
    settings.TUGI_QUESTION_REMINDER_HOURS = 24
    question = services.question_ask(actor=cast.actor("agent"), ticket=ticket, text="Which model?")
    assert services.questions_remind(now=timezone.now() + dt.timedelta(hours=23)) == 0
    later = timezone.now() + dt.timedelta(hours=25)
    assert services.questions_remind(now=later) == 1
    assert services.questions_remind(now=later + dt.timedelta(hours=48)) == 0
    question.refresh_from_db()
    assert question.reminded_at is not None
    assert told("dialogue_question_reminder") == [cast.client_a.email]


def test_an_answered_question_is_not_reminded_K11(cast, ticket):
    question = services.question_ask(actor=cast.actor("agent"), ticket=ticket, text="Which model?")
    services.question_answer(actor=cast.actor("client_a"), question=question, text="HP")
    assert services.questions_remind(now=timezone.now() + dt.timedelta(days=3)) == 0


def test_the_reminder_is_polite_and_says_why_S4_K11(cast, ticket):
    cast.client_a.language = "en"
    cast.client_a.save()
    services.question_ask(actor=cast.actor("agent"), ticket=ticket, text="Which model?")
    services.questions_remind(now=timezone.now() + dt.timedelta(days=2))
    body = Notification.objects.get(event="dialogue_question_reminder").body
    assert "Please answer" in body and "without it we cannot continue" in body and "Thank you" in body


# --- the client's word on a resolution (K11) ----------------------------------------------------

def test_the_client_confirms_with_a_rating_and_the_ticket_closes_K11(cast, resolved):
    response = services.satisfaction_respond(actor=cast.actor("client_a"), ticket=resolved, confirmed=True,
                                              rating=4, comment="Quick, thanks")
    resolved.refresh_from_db()
    assert resolved.state == TicketState.CLOSED
    assert (response.is_confirmed, response.rating, response.comment) == (True, 4, "Quick, thanks")
    assert response.assignee_id == cast.agent.pk and response.service_id == cast.service.pk
    assert told("dialogue_satisfaction") == [cast.agent.email]
    assert audited("dialogue.satisfaction") == 1


def test_the_rating_is_optional_and_from_1_to_5_K11(cast, resolved):
    with pytest.raises(InvalidInput) as refusal:
        services.satisfaction_respond(actor=cast.actor("client_a"), ticket=resolved, confirmed=True, rating=6)
    assert refusal.value.field == "rating"
    response = services.satisfaction_respond(actor=cast.actor("client_a"), ticket=resolved, confirmed=True)
    assert response.rating is None


def test_not_getting_what_was_needed_reopens_with_the_clients_words_K11(cast, resolved):
    with pytest.raises(InvalidInput) as refusal:
        services.satisfaction_respond(actor=cast.actor("client_a"), ticket=resolved, confirmed=False)
    assert "what is still missing" in refusal.value.message
    services.satisfaction_respond(actor=cast.actor("client_a"), ticket=resolved, confirmed=False,
                                  comment="The payslips are still empty")
    resolved.refresh_from_db()
    assert resolved.state == TicketState.REOPENED
    assert resolved.state_reason == "The payslips are still empty"
    assert Satisfaction.objects.get().is_confirmed is False


@pytest.mark.parametrize("confirmed", [True, False])
def test_tugi_moves_the_ticket_and_the_client_stays_the_author_of_the_response_K11(cast, resolved, monkeypatch,
                                                                                  confirmed):
    # A client may not close or reopen a ticket directly: the dialogue flow does it on their word.
    monkeypatch.setattr("tugi.tickets.policies.CLIENT_ACTIONS", frozenset())
    services.satisfaction_respond(actor=cast.actor("client_a"), ticket=resolved, confirmed=confirmed,
                                  comment="" if confirmed else "Still broken")
    resolved.refresh_from_db()
    assert resolved.state == (TicketState.CLOSED if confirmed else TicketState.REOPENED)
    response = AuditEvent.objects.get(action="dialogue.satisfaction")
    assert response.actor_user_id == cast.client_a.user_id and response.actor_kind == "client"
    move = AuditEvent.objects.get(action="ticket.close" if confirmed else "ticket.reopen")
    assert move.actor_kind == "system"
    assert Satisfaction.objects.get().by_user_id == cast.client_a.user_id


def test_only_the_client_confirms_and_only_a_resolved_ticket_K11(cast, ticket, resolved):
    with pytest.raises(PermissionDenied):
        services.satisfaction_respond(actor=cast.actor("agent"), ticket=resolved, confirmed=True)
    services.satisfaction_respond(actor=cast.actor("client_a"), ticket=resolved, confirmed=True)
    with pytest.raises(TransitionNotAllowed):
        services.satisfaction_respond(actor=cast.actor("client_a"), ticket=resolved, confirmed=True)


def test_an_unanswered_resolution_closes_after_the_configured_days_without_a_rating_K11(cast, resolved, settings):
    settings.TUGI_AUTO_CLOSE_DAYS = 5
    assert services.tickets_auto_close(now=timezone.now() + dt.timedelta(days=4)) == 0
    assert services.tickets_auto_close(now=timezone.now() + dt.timedelta(days=6)) == 1
    resolved.refresh_from_db()
    assert resolved.state == TicketState.CLOSED
    assert resolved.state_reason == "closed automatically: no answer within 5 days"
    record = Satisfaction.objects.get()
    assert record.is_automatic and record.rating is None and not record.is_confirmed
    assert services.tickets_auto_close(now=timezone.now() + dt.timedelta(days=9)) == 0


def test_the_client_is_told_politely_when_the_ticket_closes_by_itself_K11_S4(cast, resolved, settings):
    settings.TUGI_AUTO_CLOSE_DAYS = 5
    cast.client_a.language = "en"  # mail goes out in the client's language
    cast.client_a.save(update_fields=["language"])
    assert services.tickets_auto_close(now=timezone.now() + dt.timedelta(days=6)) == 1
    mail = Notification.objects.get(event="dialogue_auto_closed")
    assert mail.recipient_email == cast.client_a.email
    assert resolved.reference in mail.subject
    assert "5 days" in mail.body and "Thank you" in mail.body


def test_tickets_with_open_children_do_not_hold_up_the_auto_close_batch_K11(cast, resolved, settings, monkeypatch):
    settings.TUGI_AUTO_CLOSE_DAYS = 5
    monkeypatch.setattr(services, "BATCH", 1)
    child = tickets.ticket_create(actor=cast.actor("agent"), kind=TicketKind.INCIDENT, title="Child",
                                  source=TicketSource.AGENT, requester=cast.client_a)
    tickets.ticket_link(actor=cast.actor("agent"), source=child, target=resolved, kind="child_of")
    later = tickets.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title="Later",
                                  source=TicketSource.PORTAL)
    later = tickets.ticket_assign(actor=cast.actor("agent"), ticket=later, assignee=cast.agent)
    later = tickets.ticket_transition(actor=cast.actor("agent"), ticket=later, action="resolve", reason="Done")
    assert services.tickets_auto_close(now=timezone.now() + dt.timedelta(days=6)) == 1
    resolved.refresh_from_db()
    later.refresh_from_db()
    assert resolved.state == TicketState.RESOLVED  # its child is still open
    assert later.state == TicketState.CLOSED


def test_the_satisfaction_report_groups_by_service_agent_and_organisation_K11(cast, resolved):
    services.satisfaction_respond(actor=cast.actor("client_a"), ticket=resolved, confirmed=True, rating=4)
    other = tickets.ticket_create(actor=cast.actor("representative_a"), kind=TicketKind.INCIDENT, title="Mail",
                                  source=TicketSource.PORTAL, configuration_items=[cast.ci_a])
    tickets.ticket_assign(actor=cast.actor("agent"), ticket=other, assignee=cast.agent)
    tickets.ticket_transition(actor=cast.actor("agent"), ticket=other, action="resolve", reason="Done")
    services.satisfaction_respond(actor=cast.actor("representative_a"), ticket=other, confirmed=True, rating=2)
    report = selectors.satisfaction_report(cast.actor("service_manager"))
    (service,) = report["service"]
    assert (service.name, service.average, service.rated, service.confirmed) == ("ERP", 3.0, 2, 2)
    assert report["agent"][0].name == "Agent Smith" and report["organisation"][0].name == "Alfa OÜ"
    assert service.bar == 60
    with pytest.raises(PermissionDenied):
        selectors.satisfaction_report(cast.actor("client_a"))


# --- priority requests (K15) ----------------------------------------------------------------------

def test_the_client_asks_for_a_higher_priority_with_a_reason_and_the_assignee_is_told_K15(cast, ticket):
    assert ticket.priority == 4
    request = services.priority_request_create(actor=cast.actor("client_a"), ticket=ticket, desired_priority=2,
                                               reason="The whole payroll team is blocked")
    assert (request.current_priority, request.desired_priority, request.status) == (4, 2, "pending")
    assert request.is_higher
    assert told("dialogue_priority_requested") == [cast.agent.email]
    assert audited("dialogue.priority_request") == 1


def test_the_reason_is_required_and_asked_for_politely_K15(cast, ticket):
    with pytest.raises(InvalidInput) as refusal:
        services.priority_request_create(actor=cast.actor("client_a"), ticket=ticket, desired_priority=2, reason="")
    assert refusal.value.field == "reason"
    assert "Please write why" in refusal.value.message


def test_only_one_pending_request_per_ticket_K15(cast, ticket):
    services.priority_request_create(actor=cast.actor("client_a"), ticket=ticket, desired_priority=2, reason="Urgent")
    with pytest.raises(TransitionNotAllowed):
        services.priority_request_create(actor=cast.actor("representative_a"), ticket=ticket, direction="higher",
                                         reason="Even more urgent")


def test_a_direction_is_one_step_and_the_same_priority_is_refused_K15(cast, ticket):
    request = services.priority_request_create(actor=cast.actor("client_a"), ticket=ticket, direction="lower",
                                               reason="It can wait")
    assert request.desired_priority == 5
    PriorityRequest.objects.all().delete()
    with pytest.raises(InvalidInput):
        services.priority_request_create(actor=cast.actor("client_a"), ticket=ticket, desired_priority=4,
                                         reason="Same")


def test_the_desk_sets_priority_directly_and_does_not_request_it_K15(cast, ticket):
    with pytest.raises(PermissionDenied):
        services.priority_request_create(actor=cast.actor("agent"), ticket=ticket, desired_priority=2, reason="x")


def test_accepting_sets_the_priority_and_tells_the_client_K15(cast, ticket):
    request = services.priority_request_create(actor=cast.actor("client_a"), ticket=ticket, desired_priority=2,
                                               reason="The whole team is blocked")
    services.priority_request_decide(actor=cast.actor("agent"), request=request, accept=True,
                                     answer="Agreed, we raise it")
    ticket.refresh_from_db()
    request.refresh_from_db()
    assert ticket.priority == 2 and (ticket.impact, ticket.urgency) == (2, 1)
    assert request.status == "accepted" and request.decided_by_label == "Agent Smith"
    assert told("dialogue_priority_decided") == [cast.client_a.email]
    assert AuditEvent.objects.filter(action="ticket.priority").exists()


def test_declining_needs_an_answer_and_keeps_the_priority_K15(cast, ticket):
    request = services.priority_request_create(actor=cast.actor("client_a"), ticket=ticket, desired_priority=1,
                                               reason="Urgent")
    with pytest.raises(InvalidInput) as refusal:
        services.priority_request_decide(actor=cast.actor("service_manager"), request=request, accept=False, answer="")
    assert refusal.value.field == "answer"
    services.priority_request_decide(actor=cast.actor("service_manager"), request=request, accept=False,
                                     answer="Only one user is affected; a workaround exists")
    ticket.refresh_from_db()
    assert ticket.priority == 4
    with pytest.raises(TransitionNotAllowed):
        services.priority_request_decide(actor=cast.actor("agent"), request=request, accept=True, answer="Changed")


def test_the_desk_may_pick_impact_and_urgency_that_give_the_asked_priority_K15(cast, ticket):
    request = services.priority_request_create(actor=cast.actor("client_a"), ticket=ticket, desired_priority=3,
                                               reason="More people now")
    with pytest.raises(InvalidInput):
        services.priority_request_decide(actor=cast.actor("agent"), request=request, accept=True, answer="ok",
                                         impact=1, urgency=1)
    services.priority_request_decide(actor=cast.actor("agent"), request=request, accept=True, answer="ok",
                                     impact=1, urgency=3)
    ticket.refresh_from_db()
    assert (ticket.impact, ticket.urgency, ticket.priority) == (1, 3, 3)


def test_a_client_cannot_decide_K15(cast, ticket):
    request = services.priority_request_create(actor=cast.actor("client_a"), ticket=ticket, desired_priority=2,
                                               reason="Urgent")
    with pytest.raises(PermissionDenied):
        services.priority_request_decide(actor=cast.actor("representative_a"), request=request, accept=True,
                                         answer="Yes")


@pytest.mark.parametrize("priority", [1, 2, 3, 4, 5])
def test_every_priority_has_an_impact_and_urgency_K15(priority):
    from tugi.tickets.priority import priority_for

    impact, urgency = services.impact_urgency_for(priority, impact=3, urgency=2)
    assert priority_for(impact, urgency) == priority
