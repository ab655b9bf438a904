"""The dialogue flow in the portal and the console (K11, K15): the panels show what is to be done,
the forms call the services, and refusals come back as readable messages."""

import pytest
from django.test import Client
from django.urls import reverse

from tugi.dialogue import services
from tugi.dialogue.models import PriorityRequest, Question, Satisfaction
from tugi.tickets.models import TicketState


def browser(person):
    client = Client()
    client.force_login(person.user)
    return client


def test_the_client_answers_the_desks_question_in_the_portal_K11(cast, ticket):
    question = services.question_ask(actor=cast.actor("agent"), ticket=ticket, text="Which printer model is it?")
    anna = browser(cast.client_a)
    page = anna.get(reverse("portal:ticket", args=[ticket.reference])).content.decode()
    assert "Which printer model is it?" in page and "Your answer" in page
    response = anna.post(reverse("portal:dialogue_answer", args=[ticket.reference, question.pk]),
                         {"text": "HP LaserJet"}, follow=True)
    assert "Thank you for your answer" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.state in (TicketState.ASSIGNED, TicketState.IN_PROGRESS)  # RESUME's target is the lifecycle's


def test_the_client_asks_the_desk_in_the_portal_and_the_desk_answers_in_the_console_K11(cast, ticket):
    browser(cast.client_a).post(reverse("portal:dialogue_ask", args=[ticket.reference]), {"text": "When?"})
    question = Question.objects.get()
    agent = browser(cast.agent)
    assert "When?" in agent.get(reverse("console:ticket", args=[ticket.reference])).content.decode()
    agent.post(reverse("console:dialogue_answer", args=[ticket.reference, question.pk]), {"text": "Tomorrow"})
    question.refresh_from_db()
    assert question.answer == "Tomorrow"


def test_the_desk_asks_in_the_console_and_an_empty_question_is_refused_politely_K11(cast, ticket):
    agent = browser(cast.agent)
    response = agent.post(reverse("console:dialogue_ask", args=[ticket.reference]), {"text": ""}, follow=True)
    assert "Please write your question." in response.content.decode()
    agent.post(reverse("console:dialogue_ask", args=[ticket.reference]), {"text": "Which model?"})
    ticket.refresh_from_db()
    assert ticket.state == TicketState.WAITING_FOR_CLIENT


def test_the_client_confirms_with_a_rating_in_the_portal_K11(cast, resolved):
    anna = browser(cast.client_a)
    page = anna.get(reverse("portal:ticket", args=[resolved.reference])).content.decode()
    assert "Yes, I got what I needed" in page
    anna.post(reverse("portal:dialogue_satisfaction", args=[resolved.reference]),
              {"decision": "confirm", "rating": "5", "comment": "Thanks"})
    resolved.refresh_from_db()
    assert resolved.state == TicketState.CLOSED
    assert Satisfaction.objects.get().rating == 5


def test_the_client_reopens_with_their_words_in_the_portal_K11(cast, resolved):
    anna = browser(cast.client_a)
    response = anna.post(reverse("portal:dialogue_satisfaction", args=[resolved.reference]),
                         {"decision": "reopen", "comment": ""}, follow=True)
    assert "what is still missing" in response.content.decode()
    anna.post(reverse("portal:dialogue_satisfaction", args=[resolved.reference]),
              {"decision": "reopen", "comment": "Still empty"})
    resolved.refresh_from_db()
    assert resolved.state == TicketState.REOPENED


def test_the_client_asks_for_a_priority_and_the_desk_accepts_in_the_console_K15(cast, ticket):
    anna = browser(cast.client_a)
    page = anna.get(reverse("portal:ticket", args=[ticket.reference])).content.decode()
    assert "Please write why the priority should change" in page
    anna.post(reverse("portal:dialogue_priority", args=[ticket.reference]),
              {"desired_priority": "2", "reason": "The whole team is blocked"})
    request = PriorityRequest.objects.get()
    agent = browser(cast.agent)
    page = agent.get(reverse("console:ticket", args=[ticket.reference])).content.decode()
    assert "The whole team is blocked" in page
    agent.post(reverse("console:dialogue_priority_decide", args=[ticket.reference, request.pk]),
               {"decision": "accept", "answer": "Agreed", "impact": "2", "urgency": "1"})
    ticket.refresh_from_db()
    assert ticket.priority == 2
    page = anna.get(reverse("portal:ticket", args=[ticket.reference])).content.decode()
    assert "Agreed" in page and "accepted" in page


def test_a_client_of_another_organisation_gets_404_K11_K15(cast, ticket):
    question = services.question_ask(actor=cast.actor("agent"), ticket=ticket, text="Which model?")
    bert = browser(cast.client_b)
    assert bert.post(reverse("portal:dialogue_answer", args=[ticket.reference, question.pk]),
                     {"text": "x"}).status_code == 404
    assert bert.post(reverse("portal:dialogue_priority", args=[ticket.reference]),
                     {"desired_priority": "1", "reason": "x"}).status_code == 404


@pytest.mark.parametrize("who,status", [("agent", 200), ("service_manager", 200), ("client_a", 403)])
def test_the_satisfaction_report_is_for_the_desk_K11(cast, resolved, who, status):
    services.satisfaction_respond(actor=cast.actor("client_a"), ticket=resolved, confirmed=True, rating=4)
    response = browser(getattr(cast, who)).get(reverse("console:dialogue_satisfaction"))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "ERP" in page and "Agent Smith" in page and "Alfa OÜ" in page
        assert 'width="80"' in page and "style=" not in page


def test_the_satisfaction_report_exports_csv_K11(cast, resolved):
    services.satisfaction_respond(actor=cast.actor("client_a"), ticket=resolved, confirmed=True, rating=4)
    response = browser(cast.service_manager).get(reverse("console:dialogue_satisfaction_csv"))
    lines = response.content.decode("utf-8-sig").splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert lines[0].startswith("group,name,average_rating")
    assert "service,ERP,4.00,1,1,0,0" in lines


def test_the_csv_keeps_names_that_look_like_formulas_as_text_K11(cast, resolved):
    cast.org_a.name = "=HYPERLINK(\"http://evil\")"
    cast.org_a.save(update_fields=["name"])
    cast.agent.name = "@SUM(A1)"
    cast.agent.save(update_fields=["name"])
    cast.service.name = "-2+3"
    cast.service.save(update_fields=["name"])
    services.satisfaction_respond(actor=cast.actor("client_a"), ticket=resolved, confirmed=True, rating=4)
    text = browser(cast.service_manager).get(reverse("console:dialogue_satisfaction_csv")).content.decode("utf-8-sig")
    cells = [line.split(",", 2)[1] for line in text.splitlines()[1:]]
    assert sorted(cells) == sorted(["'-2+3", "'@SUM(A1)", "\"'=HYPERLINK(\"\"http://evil\"\")\""])


@pytest.mark.parametrize("language,label", [("en", "Per service"), ("et", "Teenuste kaupa")])
def test_the_report_groups_are_named_in_the_readers_language_K11(cast, resolved, settings, language, label):
    services.satisfaction_respond(actor=cast.actor("client_a"), ticket=resolved, confirmed=True, rating=4)
    desk = browser(cast.service_manager)
    desk.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    assert label in desk.get(reverse("console:dialogue_satisfaction")).content.decode()
