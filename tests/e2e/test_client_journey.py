"""The whole way of a new client through the desk, in a real browser (K18, K1, K7, K2, K13).

A client asks for portal access on the public page; the service-catalogue owner approves it in
the console, linking the person to a new contact of Näidis OÜ; the client chooses a password from
the link in the approval mail, signs in, reports an incident on the organisation's server; an
agent finds it in the queue and replies; the client sees the reply. A contact whose access is not
approved is kept out with a polite word and the support phone.

Every step is done as a person would: following links, filling labelled fields, pressing buttons.
The journey runs in English (switched with the header's language switch, as a visitor would), so
the labels it looks for stay the same whatever the Estonian catalogue says; test_language checks
the Estonian side.
"""

import re
import time
from urllib.parse import urlsplit

from django.core import mail

from tugi.directory.models import Contact, PortalAccess
from tugi.tickets.models import Ticket

from ..factories import PASSWORD, CIFactory, ContactFactory, OrganisationFactory, StaffFactory

SUPPORT_PHONE = "+372 501 6105"
CLIENT_NAME = "Tiina Tamm"
CLIENT_EMAIL = "tiina.tamm@naidis.ee"
CLIENT_PASSWORD = "Kevad-2026-lumi"
SET_PASSWORD_PATH = re.compile(r"/access/set-password/[^/\s]+/[^/\s]+/")


def to_english(page):
    """Press the header's language switch when the page is in Estonian."""
    if page.locator("html").get_attribute("lang") != "en":
        with page.expect_navigation():
            page.locator("header form.lang button").click()
    assert page.locator("html").get_attribute("lang") == "en"


def sign_out(page, live_server):
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    assert page.url.split("?")[0] == live_server.url + "/signin/"


def mail_to(address, containing, timeout=5.0):
    """The mails sent to an address whose text has the pattern. The notification goes out after
    the request's transaction commits, in the live server's thread: wait for it briefly."""
    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in mail.outbox if any(address in to for to in m.to) and containing.search(m.body)]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_a_client_asks_for_access_is_approved_reports_an_incident_and_reads_the_reply(
    page, live_server, signin, db
):
    naidis = OrganisationFactory(name="Näidis OÜ", email_domains="naidis.ee")
    CIFactory(organisation=naidis, name="naidis-srv01", ci_type="server", hostname="srv01.naidis.ee")
    CIFactory(organisation=OrganisationFactory(name="Teine AS"), name="teine-mail", ci_type="server")
    StaffFactory(name="Anu Allik", is_catalogue_owner=True, user__username="owner", email="anu@tugi.example")
    StaffFactory(name="Kati Kask", user__username="agent")
    mail.outbox.clear()

    # 1. The client asks for access on the public page, from the sign-in page's link.
    page.goto(live_server.url + "/signin/")
    to_english(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Ask for access to the client portal").click()
    assert page.url == live_server.url + "/access/request/"
    assert page.get_by_role("heading", level=1).inner_text() == "Ask for access to the client portal"
    page.get_by_label("Your name").fill(CLIENT_NAME)
    page.get_by_label("Email").fill(CLIENT_EMAIL)
    page.get_by_label("Phone").fill("+372 5100 0042")
    page.get_by_label("Organisation").fill("Näidis OÜ")
    page.get_by_label("Why do you need access?").fill("I would like to follow our server's tickets.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the request").click()
    assert page.url == live_server.url + "/access/request/sent/"
    main = page.locator("main")
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you for your request"
    assert "the service-catalogue owner decides on the request" in main.inner_text()
    assert SUPPORT_PHONE in main.inner_text()

    # 2. Before the decision there is no account: signing in fails like any wrong password.
    signin(page, CLIENT_EMAIL, CLIENT_PASSWORD)
    assert page.url.split("?")[0] == live_server.url + "/signin/"
    assert "The username or password is not correct" in page.locator("main .error").first.inner_text()

    # 3. The service-catalogue owner approves it: a new contact of Näidis OÜ.
    signin(page, "owner", PASSWORD)
    assert page.url == live_server.url + "/console/"
    with page.expect_navigation():
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Portal access").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Client-portal access"
    waiting = page.locator("main table").first
    row = waiting.get_by_role("row").filter(has_text=CLIENT_NAME)
    assert "Näidis OÜ" in row.inner_text() and "not yet a contact" in row.inner_text()
    with page.expect_navigation():
        row.get_by_role("link", name="Decide").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Portal access for {CLIENT_NAME}"
    assert page.get_by_label("Existing contact").input_value() == ""  # "— a new contact —"
    page.get_by_label("Organisation of the new contact").select_option(label="Näidis OÜ")
    assert page.get_by_label("Name", exact=True).input_value() == CLIENT_NAME
    assert page.get_by_label("Email", exact=True).input_value() == CLIENT_EMAIL
    page.get_by_label("Note to the person (optional)").fill("Welcome to the portal!")
    with page.expect_navigation():
        page.get_by_role("button", name="Approve and send the password link").click()
    assert page.url == live_server.url + "/console/access/"
    assert f"Access approved. {CLIENT_NAME} has been sent a link" in page.locator("main .messages").inner_text()
    with_access = page.locator("main table").nth(2).inner_text()
    assert CLIENT_NAME in with_access and "Näidis OÜ" in with_access
    sign_out(page, live_server)
    contact = Contact.objects.get(email=CLIENT_EMAIL)
    assert contact.organisation == naidis and contact.portal_access == PortalAccess.APPROVED

    # 4. The link in the approval mail: the client chooses a password.
    approvals = mail_to(CLIENT_EMAIL, SET_PASSWORD_PATH)
    assert len(approvals) == 1, [(m.to, m.subject) for m in mail.outbox]
    link = SET_PASSWORD_PATH.search(approvals[0].body).group(0)
    page.goto(live_server.url + link)
    assert page.get_by_role("heading", level=1).inner_text() == "Choose your password"
    assert urlsplit(page.url).path.startswith("/access/set-password/")
    page.get_by_label("New password", exact=True).fill(CLIENT_PASSWORD)
    page.get_by_label("New password confirmation").fill(CLIENT_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Save the password").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your password is saved"
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Sign in").click()

    # 5. The client signs in (the address is the username) and lands on the portal home.
    page.get_by_label("Username").fill(CLIENT_EMAIL)
    page.get_by_label("Password").fill(CLIENT_PASSWORD)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Sign in").click()
    assert page.url == live_server.url + "/"
    assert page.get_by_role("heading", level=1).inner_text() == "My tickets"
    assert CLIENT_NAME in page.locator("header").inner_text()
    assert "You have not reported anything yet." in page.locator("main").inner_text()

    # 6. ... and reports an incident on the server; only the organisation's own CIs are offered.
    with page.expect_navigation():
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Report a problem", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Report a problem"
    page.get_by_role("radio", name=re.compile(r"^Incident")).check()
    page.get_by_label("In a few words").fill("The ERP server does not answer")
    page.get_by_label("What happened?").fill("Since 9 o'clock the ERP shows 'connection refused'.")
    device = page.get_by_label("Which device or system is it about?")
    offered = device.locator("option").all_inner_texts()
    assert "naidis-srv01 (server)" in offered and not any("teine-mail" in o for o in offered)
    device.select_option(label="naidis-srv01 (server)")
    with page.expect_navigation():
        page.get_by_role("button", name="Send", exact=True).click()
    ticket = Ticket.objects.get(title="The ERP server does not answer")
    assert page.url == f"{live_server.url}/tickets/{ticket.reference}/"
    assert page.get_by_role("heading", level=1).inner_text() == f"{ticket.reference} The ERP server does not answer"
    assert f"Your ticket {ticket.reference} has been registered" in page.locator("main .messages").inner_text()
    assert "naidis-srv01" in page.locator("main aside").inner_text()
    assert page.locator("ol.timeline li").first.get_attribute("aria-current") == "step"  # the first step
    sign_out(page, live_server)

    # 7. The agent finds it in the queue, opens it and replies.
    signin(page, "agent", PASSWORD)
    assert page.url == live_server.url + "/console/"
    row = page.locator("main table").first.get_by_role("row").filter(has_text="The ERP server does not answer")
    assert "Näidis OÜ" in row.inner_text()
    with page.expect_navigation():
        row.get_by_role("link", name=ticket.reference).click()
    assert page.get_by_role("heading", level=1).inner_text() == f"{ticket.reference} The ERP server does not answer"
    assert CLIENT_NAME in page.locator("main aside").inner_text()
    reply = "We restarted the ERP service on naidis-srv01. Could you please try again?"
    page.get_by_label("Reply to the client or add an internal note").fill(reply)
    with page.expect_navigation():
        page.get_by_role("button", name="Send", exact=True).click()
    assert "Reply sent." in page.locator("main .messages").inner_text()
    assert reply in page.locator("main ol.conversation").inner_text()
    sign_out(page, live_server)

    # 8. The client signs in again and reads the reply on the ticket page.
    signin(page, CLIENT_EMAIL, CLIENT_PASSWORD)
    assert page.url == live_server.url + "/"
    card = page.locator("main article.card").filter(has_text=ticket.reference)
    with page.expect_navigation():
        card.get_by_role("link").click()
    conversation = page.locator("main ol.conversation").inner_text()
    assert reply in conversation and "Kati Kask" in conversation


def test_a_client_whose_access_is_pending_is_kept_out_politely_K18(page, live_server, signin, db):
    ContactFactory(name="Olev Uus", user__username="olev", portal_access=PortalAccess.REQUESTED)
    page.goto(live_server.url + "/signin/")
    to_english(page)
    signin(page, "olev", PASSWORD)
    assert page.url.split("?")[0] == live_server.url + "/signin/"
    error = page.locator("main .error").first
    assert error.get_attribute("role") == "alert"
    text = error.inner_text()
    assert "Thank you for your patience" in text
    assert "waiting for the decision of the service-catalogue owner" in text
    assert SUPPORT_PHONE in text
    # not signed in: the portal still sends the visitor to sign in
    page.goto(live_server.url + "/report/")
    assert urlsplit(page.url).path == "/signin/"
    assert "Olev Uus" not in page.locator("header").inner_text()


def test_a_visitor_without_an_account_is_sent_to_sign_in(page, live_server, db):
    page.goto(live_server.url + "/")
    assert urlsplit(page.url).path == "/signin/"
    assert page.locator("header .phone a").inner_text() == SUPPORT_PHONE
