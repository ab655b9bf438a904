"""The dialogue flow in a real browser, as a client and an agent do it (K11, K15).

K11: the agent asks the client a question on the console's ticket page (the ticket waits for the
client); the client answers in the portal (the ticket is back in progress); the agent resolves it;
the client confirms that they got what they needed, with a rating.
K15: the client asks for a higher priority with a reason; the agent accepts it with an answer; the
client sees the new priority and the answer.

Both run in English, switched with the header's language switch as a visitor would."""

from tugi.dialogue.models import PriorityRequest, Satisfaction
from tugi.tickets import services as tickets
from tugi.tickets.lifecycle import Action
from tugi.tickets.models import TicketKind, TicketSource, TicketState

from ..factories import PASSWORD


def to_english(page):
    if page.locator("html").get_attribute("lang") != "en":
        with page.expect_navigation():
            page.locator("header form.lang button").click()
    assert page.locator("html").get_attribute("lang") == "en"


def sign_out(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()


def open_page(page, url):
    page.goto(url)
    to_english(page)


def press(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def _ticket(cast):
    ticket = tickets.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT,
                                   title="Payroll run fails", source=TicketSource.PORTAL,
                                   configuration_items=[cast.ci_a])
    tickets.ticket_assign(actor=cast.actor("agent"), ticket=ticket, assignee=cast.agent)
    # Work has started: after the client's answer the ticket goes back to it (K11).
    return tickets.ticket_transition(actor=cast.actor("agent"), ticket=ticket, action=Action.START)


def test_the_agent_asks_the_client_answers_and_confirms_with_a_rating_K11(page, live_server, signin, cast,
                                                                          screenshot):
    ticket = _ticket(cast)
    console_url = f"{live_server.url}/console/tickets/{ticket.reference}/"
    portal_url = f"{live_server.url}/tickets/{ticket.reference}/"

    # The agent asks; the ticket waits for the client.
    signin(page, "agent", PASSWORD)
    open_page(page, console_url)
    page.get_by_label("Ask the client").fill("Which payroll period fails: May or June?")
    press(page, "Ask the client")
    assert "The question was sent to the client." in page.locator("main").inner_text()
    ticket.refresh_from_db()
    assert ticket.state == TicketState.WAITING_FOR_CLIENT
    sign_out(page)

    # The client answers in the portal; the ticket is back in progress.
    signin(page, "anna", PASSWORD)
    open_page(page, portal_url)
    panel = page.locator("#dialogue-questions")
    assert "Which payroll period fails: May or June?" in panel.inner_text()
    screenshot(page, "portal-question")
    panel.get_by_label("Your answer").fill("June; May ran fine.")
    press(page, "Send the answer")
    assert "Thank you for your answer!" in page.locator("main").inner_text()
    assert "June; May ran fine." in page.locator("#dialogue-questions").inner_text()
    ticket.refresh_from_db()
    assert ticket.state == TicketState.IN_PROGRESS
    sign_out(page)

    # The agent resolves it.
    signin(page, "agent", PASSWORD)
    open_page(page, console_url)
    page.get_by_label("Reason (Resolve)").fill("The June payroll job is fixed.")
    press(page, "Resolve")
    ticket.refresh_from_db()
    assert ticket.state == TicketState.RESOLVED
    sign_out(page)

    # The client confirms, with a rating and a comment.
    signin(page, "anna", PASSWORD)
    open_page(page, portal_url)
    card = page.locator("#dialogue-satisfaction")
    card.get_by_label("4", exact=True).check()
    card.get_by_label("Comment (optional)").fill("Quick and clear, thank you.")
    screenshot(page, "portal-satisfaction")
    press(page, "Yes, I got what I needed")
    assert "Thank you for your feedback!" in page.locator("main").inner_text()
    ticket.refresh_from_db()
    assert ticket.state == TicketState.CLOSED
    response = Satisfaction.objects.get(ticket=ticket)
    assert (response.is_confirmed, response.rating, response.comment) == (True, 4, "Quick and clear, thank you.")


def test_the_client_asks_for_a_higher_priority_and_the_agent_accepts_K15(page, live_server, signin, cast,
                                                                         screenshot):
    ticket = _ticket(cast)
    assert ticket.priority == 4
    console_url = f"{live_server.url}/console/tickets/{ticket.reference}/"
    portal_url = f"{live_server.url}/tickets/{ticket.reference}/"

    # The client asks, with the reason.
    signin(page, "anna", PASSWORD)
    open_page(page, portal_url)
    panel = page.locator("#dialogue-priority")
    panel.get_by_text("Ask for a different priority").click()
    assert "Please write why the priority should change" in panel.inner_text()
    panel.get_by_label("Priority you would like").select_option(label="2 high")
    panel.get_by_label("Reason").fill("The whole payroll team is blocked until it runs.")
    press(page, "Send the request")
    assert "Your request is with the service desk" in page.locator("main").inner_text()
    assert PriorityRequest.objects.get(ticket=ticket).status == "pending"
    sign_out(page)

    # The agent accepts, with an answer.
    signin(page, "agent", PASSWORD)
    open_page(page, console_url)
    panel = page.locator("#dialogue-priority")
    assert "The whole payroll team is blocked until it runs." in panel.inner_text()
    panel.get_by_label("Answer to the client").fill("Agreed: a whole team waiting is high priority.")
    screenshot(page, "console-priority-request")
    press(page, "Accept")
    assert "Accepted; the client is told." in page.locator("main").inner_text()
    sign_out(page)

    # The client sees the new priority and the answer.
    signin(page, "anna", PASSWORD)
    open_page(page, portal_url)
    facts = page.locator("aside dl.facts").first.inner_text()
    assert "2 high" in facts
    panel = page.locator("#dialogue-priority").inner_text()
    assert "Agreed: a whole team waiting is high priority." in panel and "accepted" in panel
    ticket.refresh_from_db()
    assert ticket.priority == 2
