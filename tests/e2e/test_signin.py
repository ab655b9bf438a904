"""The sign-in page in a real browser: the support phone (K13), a wrong password, an agent's way to
the console queue, the language switch and the keyboard path."""

from tugi.tickets import services
from tugi.tickets.models import TicketKind, TicketSource

from ..factories import PASSWORD, StaffFactory

SUPPORT_PHONE = "+372 501 6105"


def test_sign_in_page_shows_the_support_phone_K13(page, live_server):
    page.goto(live_server.url + "/signin/")
    assert page.locator("header .phone a").inner_text() == SUPPORT_PHONE
    assert page.locator("header .phone a").get_attribute("href") == "tel:+3725016105"
    assert SUPPORT_PHONE in page.locator("main").inner_text()


def test_wrong_password_shows_an_error_and_stays_on_the_page(page, signin, db):
    StaffFactory(user__username="agent")
    signin(page, "agent", "not-the-password")
    assert page.url.split("?")[0].endswith("/signin/")
    assert page.locator("main .error").is_visible()
    assert page.locator("#id_username").input_value() == "agent"
    assert page.locator("#id_password").input_value() == ""


def test_an_agent_signs_in_and_lands_on_the_console_queue(page, signin, live_server, cast):
    for who, title in (("client_a", "Printer on the 2nd floor jams"), ("client_b", "Mailbox is full")):
        services.ticket_create(actor=cast.actor(who), kind=TicketKind.INCIDENT, title=title,
                               source=TicketSource.PORTAL)
    signin(page, "agent", PASSWORD)  # the cast's agent, Agent Smith
    assert page.url == live_server.url + "/console/"
    assert "Agent Smith" in page.locator("header").inner_text()
    queue = page.locator("main table").first.inner_text()
    assert "Printer on the 2nd floor jams" in queue and "Mailbox is full" in queue


def test_the_language_switch_toggles_between_estonian_and_english(page, live_server):
    page.goto(live_server.url + "/signin/")
    assert page.locator("html").get_attribute("lang") == "et"
    switch = page.locator("header form.lang button")
    assert switch.inner_text() == "English"

    with page.expect_navigation():
        switch.click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert switch.inner_text() == "Eesti"
    assert page.url == live_server.url + "/signin/"

    with page.expect_navigation():
        switch.click()
    assert page.locator("html").get_attribute("lang") == "et"
    assert switch.inner_text() == "English"


def test_the_sign_in_form_can_be_completed_with_the_keyboard_alone(page, live_server, db):
    StaffFactory(user__username="agent")
    page.goto(live_server.url + "/signin/")
    focused = "document.activeElement.id"
    assert page.evaluate(focused) == "id_username"  # autofocus
    page.keyboard.type("agent")
    page.keyboard.press("Tab")
    assert page.evaluate(focused) == "id_password"
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_server.url + "/console/"
