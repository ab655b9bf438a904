"""The main pages of both sides of the desk, with a small believable desk behind them, each checked
for what a person would notice first (its heading, the support phone in the header on every page:
K13) and saved as docs/screenshots/<name>.png when TUGI_SCREENSHOTS=1 (see conftest.screenshot).

The screenshots are for the README: `TUGI_SCREENSHOTS=1 .venv/bin/pytest tests/e2e` renews them.
"""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from tugi.catalog.models import Criticality
from tugi.core.actors import ANONYMOUS, system_actor
from tugi.directory import services as directory
from tugi.directory.actors import actor_for_contact, actor_for_staff
from tugi.kb import services as kb
from tugi.kb.models import Visibility
from tugi.plans import services as plans
from tugi.tickets import services as tickets
from tugi.tickets.lifecycle import Action
from tugi.tickets.models import Ticket, TicketKind, TicketSource

from ..factories import PASSWORD, CIFactory, ContactFactory, OrganisationFactory, ServiceFactory, StaffFactory

SUPPORT_PHONE = "+372 501 6105"


@pytest.fixture
def desk(db):
    """Näidis OÜ and its people, servers and tickets; a VIP customer; the knowledge base; one
    pending portal-access request. Tickets in every step of the client's timeline."""
    agent = StaffFactory(name="Kati Kask", user__username="agent", email="kati.kask@tugi.example")
    manager = StaffFactory(name="Peeter Paju", user__username="manager", is_service_manager=True)
    owner = StaffFactory(name="Anu Allik", user__username="owner", is_catalogue_owner=True)
    erp = ServiceFactory(code="erp", name="Majandustarkvara", service_manager=manager, catalogue_owner=owner,
                         criticality=Criticality.MISSION_CRITICAL)
    mail_service = ServiceFactory(code="email", name="E-post ja kalender", service_manager=manager,
                                  catalogue_owner=owner, criticality=Criticality.HIGH)

    naidis = OrganisationFactory(name="Näidis OÜ", registry_code="12345678", email_domains="naidis.ee")
    teine = OrganisationFactory(name="Teine AS", registry_code="87654321", is_vip=True, email_domains="teine.ee")
    mari = ContactFactory(organisation=naidis, name="Mari Maasikas", email="mari@naidis.ee",
                          phone="+372 5100 0001", user__username="mari")
    ContactFactory(organisation=naidis, name="Jaan Tamm", email="jaan@naidis.ee", phone="+372 5100 0002",
                   is_representative=True, user__username="jaan")
    liis = ContactFactory(organisation=teine, name="Liis Lepp", email="liis@teine.ee", phone="+372 5100 0003",
                          is_representative=True, language="en", user__username="liis")
    server = CIFactory(organisation=naidis, name="naidis-srv01", ci_type="server", hostname="srv01.naidis.ee",
                       service=erp, criticality=Criticality.MISSION_CRITICAL)
    app = CIFactory(organisation=naidis, name="Naidis ERP", ci_type="application", service=erp,
                    criticality=Criticality.MISSION_CRITICAL)
    laptop = CIFactory(organisation=naidis, name="Mari sülearvuti", ci_type="laptop", asset_tag="NA-0042")
    mailsrv = CIFactory(organisation=teine, name="teine-mail", ci_type="server", service=mail_service)

    desk_actor, client = actor_for_staff(agent), actor_for_contact(mari)
    erp_down = tickets.ticket_create(
        actor=client, kind=TicketKind.INCIDENT, title="ERP ei avane",
        description="Hommikust saadik annab ERP sisselogimisel vea „Ühendus serveriga puudub“.\n"
                    "Proovisin arvuti taaskäivitada, ei aidanud.",
        source=TicketSource.PORTAL, configuration_items=[app], impact=2, urgency=1)
    tickets.ticket_assign(actor=desk_actor, ticket=erp_down, assignee=agent)
    # the ERP is mission-critical: the client is given an approximate resolution time before work starts (K8)
    plans.ticket_set_approximate_resolution(actor=desk_actor, ticket=erp_down,
                                            at=timezone.now() + dt.timedelta(hours=3))
    plans.plan_write(actor=desk_actor, ticket=erp_down,
                     text="1. Vaatame üle serveri naidis-srv01 logid.\n2. Vabastame andmebaasi kettal ruumi.\n"
                          "3. Kontrollime koos Teiega, et ERP avaneb.")
    tickets.ticket_transition(actor=desk_actor, ticket=erp_down, action=Action.START)
    tickets.ticket_add_entry(actor=desk_actor, ticket=erp_down,
                             body="Tere, Mari! Vaatame serveri logid üle ja anname tunni jooksul teada.")
    tickets.ticket_add_entry(actor=client, ticket=erp_down, channel=TicketSource.PORTAL,
                             body="Aitäh! Sama viga on ka kolleegil Jaanil.")
    tickets.ticket_add_entry(actor=desk_actor, ticket=erp_down, is_internal=True,
                             body="naidis-srv01: andmebaasi ketas on täis, puhastan logid.")
    tickets.ticket_create(actor=desk_actor, kind=TicketKind.INCIDENT, title="Printer ei prindi", requester=mari,
                          source=TicketSource.PHONE, configuration_items=[laptop])
    mouse = tickets.ticket_create(actor=client, kind=TicketKind.SERVICE_REQUEST, title="Uus juhtmeta hiir",
                                  description="Vana hiir on katki.", source=TicketSource.PORTAL)
    tickets.ticket_assign(actor=desk_actor, ticket=mouse, assignee=agent)
    tickets.ticket_transition(actor=desk_actor, ticket=mouse, action=Action.START)
    tickets.ticket_transition(actor=desk_actor, ticket=mouse, action=Action.RESOLVE,
                              reason="Uus hiir on Teie laual.")
    tickets.ticket_create(actor=actor_for_contact(liis), kind=TicketKind.INCIDENT, title="Mail is slow",
                          source=TicketSource.PORTAL, configuration_items=[mailsrv], impact=2, urgency=2)
    tickets.ticket_create(actor=system_actor("Monitooring"), kind=TicketKind.INCIDENT,
                          title="Disk usage above 90% on srv01", source=TicketSource.MONITORING,
                          configuration_items=[server], impact=2, urgency=2)

    printing = kb.category_create(actor=desk_actor, name="Printerid ja skannerid", order=1)
    accounts = kb.category_create(actor=desk_actor, name="Kontod ja paroolid", order=2)
    network = kb.category_create(actor=desk_actor, name="Võrk ja VPN", order=3)
    for category, title, body in [
        (printing, "Printer ei prindi", "Palun kontrollige, et printer on sisse lülitatud ja selles on paberit.\n\n"
                                        "Kui töö jääb prindijärjekorda, taaskäivitage arvuti ja proovige uuesti."),
        (accounts, "Unustasin parooli", "Helistage palun tugitelefonile: spetsialist kontrollib Teie isikut ja "
                                        "avab konto."),
        (network, "VPN-iga ühendamine kodust", "Käivitage VPN-klient ja logige sisse oma tööarvuti kasutajanime ja "
                                               "parooliga."),
    ]:
        kb.article_create(actor=desk_actor, title=title, body=body, category=category, visibility=Visibility.PUBLIC)

    directory.access_request_create(actor=ANONYMOUS, name="Olev Uus", email="olev@naidis.ee",
                                    phone="+372 5100 0009", organisation_name="Näidis OÜ",
                                    message="Soovin näha oma pöördumiste käiku.")
    return {"naidis": naidis, "erp_down": erp_down}


def sign_in_as(page, signin, live_server, username):
    signin(page, username, PASSWORD)
    assert page.url.startswith(live_server.url)


def assert_page(page, heading):
    """What every page shows: its heading, and the support phone in the header (K13)."""
    assert page.get_by_role("heading", level=1).first.inner_text() == heading
    assert page.locator("header .phone a").inner_text() == SUPPORT_PHONE


def test_sign_in(page, live_server, screenshot):
    page.goto(live_server.url + "/signin/")
    assert page.locator("main h1").is_visible()
    assert page.locator("header .phone a").inner_text() == SUPPORT_PHONE
    assert SUPPORT_PHONE in page.locator("main").inner_text()
    screenshot(page, "signin")


def test_portal_home_shows_the_progress_of_each_ticket(page, live_server, signin, desk, screenshot):
    sign_in_as(page, signin, live_server, "mari")
    assert page.url == live_server.url + "/"
    assert page.locator("header .phone a").inner_text() == SUPPORT_PHONE
    cards = page.locator("main article.card")
    assert cards.count() == 3  # Mari's own: the resolved, the one in progress, the phoned-in one
    steps = {card.get_by_role("link").inner_text(): card.locator("ol.timeline [aria-current=step]").inner_text()
             for card in cards.all()}
    current = {title.split(" ", 1)[1]: step for title, step in steps.items()}
    assert len(set(current.values())) == 3, current  # three different steps of the timeline
    assert page.locator("main ol.timeline li.done").count() >= 3
    screenshot(page, "portal-home")


def test_portal_report_form(page, live_server, signin, desk, screenshot):
    sign_in_as(page, signin, live_server, "mari")
    with page.expect_navigation():
        page.locator("main .actions a.button").first.click()  # "Report a problem"
    assert page.url == live_server.url + "/report/"
    assert page.locator("header .phone a").inner_text() == SUPPORT_PHONE
    assert page.locator("main input[type=radio][name=kind]").count() == 3  # K1: incident, problem, request
    devices = page.locator("main select[name=configuration_item] option").all_inner_texts()
    assert any("naidis-srv01" in d for d in devices) and not any("teine-mail" in d for d in devices)
    if settings.TUGI_HTMX_AVAILABLE:  # typing the title suggests FAQ answers
        page.locator("main input[name=title]").press_sequentially("Printer ei", delay=20)
        page.locator("#faq-suggestions a").first.wait_for()
        assert "Printer ei prindi" in page.locator("#faq-suggestions").inner_text()
    assert SUPPORT_PHONE in page.locator("main aside").inner_text()
    screenshot(page, "portal-report")


def test_portal_ticket_page_with_the_conversation(page, live_server, signin, desk, screenshot):
    reference = desk["erp_down"].reference
    sign_in_as(page, signin, live_server, "mari")
    with page.expect_navigation():
        page.locator("main article.card").filter(has_text="ERP ei avane").get_by_role("link").click()
    assert page.url == f"{live_server.url}/tickets/{reference}/"
    assert_page(page, f"{reference} ERP ei avane")
    conversation = page.locator("main ol.conversation").inner_text()
    assert "Vaatame serveri logid üle" in conversation and "Sama viga on ka kolleegil" in conversation
    assert "andmebaasi ketas on täis" not in page.locator("main").inner_text()  # the internal note stays inside
    assert "Kati Kask" in page.locator("main aside").inner_text()
    screenshot(page, "portal-ticket")


def test_portal_faq(page, live_server, signin, desk, screenshot):
    sign_in_as(page, signin, live_server, "mari")
    with page.expect_navigation():
        page.locator("header nav a[href='/faq/']").click()
    assert page.locator("header .phone a").inner_text() == SUPPORT_PHONE
    main = page.locator("main").inner_text()
    for title in ("Printer ei prindi", "Unustasin parooli", "VPN-iga ühendamine kodust"):
        assert title in main
    screenshot(page, "portal-faq")


def test_guide_to_reporting_a_problem(page, live_server, signin, desk, screenshot):
    sign_in_as(page, signin, live_server, "mari")
    with page.expect_navigation():
        page.locator("header nav a[href='/guide/']").click()
    assert page.locator("header .phone a").inner_text() == SUPPORT_PHONE
    assert page.locator("main h1").inner_text().strip()
    assert SUPPORT_PHONE in page.locator("main aside").inner_text()  # how to reach us (K13, K14)
    screenshot(page, "guide")


def test_console_queue(page, live_server, signin, desk, screenshot):
    sign_in_as(page, signin, live_server, "agent")
    assert page.url == live_server.url + "/console/"
    assert page.locator("header .phone a").inner_text() == SUPPORT_PHONE
    queue = page.locator("main table").first.inner_text()
    for title in ("ERP ei avane", "Printer ei prindi", "Mail is slow", "Disk usage above 90% on srv01"):
        assert title in queue
    assert "VIP" in queue  # Teine AS
    screenshot(page, "console-queue")


def test_console_ticket_page(page, live_server, signin, desk, screenshot):
    reference = desk["erp_down"].reference
    sign_in_as(page, signin, live_server, "agent")
    with page.expect_navigation():
        page.locator("main table").first.get_by_role("link", name=reference).click()
    assert_page(page, f"{reference} ERP ei avane")
    conversation = page.locator("main ol.conversation").inner_text()
    assert "andmebaasi ketas on täis" in conversation  # the desk sees its internal notes
    assert "+372 5100 0001" in page.locator("main aside").inner_text()  # the caller's own number, for the desk
    screenshot(page, "console-ticket")


def test_console_phone_intake_finds_the_caller(page, live_server, signin, desk, screenshot):
    sign_in_as(page, signin, live_server, "agent")
    with page.expect_navigation():
        page.locator("header nav a[href='/console/phone/']").click()
    assert page.locator("header .phone a").inner_text() == SUPPORT_PHONE
    page.locator("#caller-q").fill("+372 5100 0001")
    page.locator("main form.filters button[type=submit]").click()
    caller = page.locator("main section.caller")
    caller.wait_for()
    assert caller.locator("h2").inner_text() == "Mari Maasikas"
    assert "Näidis OÜ" in caller.inner_text()
    aside = page.locator("#callers aside").inner_text()
    assert "ERP ei avane" in aside and "naidis-srv01" in aside
    screenshot(page, "console-phone")


def test_console_organisation_page(page, live_server, signin, desk, screenshot):
    sign_in_as(page, signin, live_server, "agent")
    with page.expect_navigation():
        page.locator("header nav a[href='/console/organisations/']").click()
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Näidis OÜ").click()
    assert_page(page, "Näidis OÜ")
    aside = page.locator("main aside").inner_text()
    assert "Mari Maasikas" in aside and "Jaan Tamm" in aside and "naidis-srv01" in aside
    assert "ERP ei avane" in page.locator("main table").inner_text()
    screenshot(page, "console-organisation")


def test_console_portal_access(page, live_server, signin, desk, screenshot):
    sign_in_as(page, signin, live_server, "owner")
    with page.expect_navigation():
        page.locator("header nav a[href='/console/access/']").click()
    assert page.locator("header .phone a").inner_text() == SUPPORT_PHONE
    waiting = page.locator("main table").first.inner_text()
    assert "Olev Uus" in waiting and "Näidis OÜ" in waiting
    with_access = page.locator("main table").nth(2).inner_text()
    assert "Mari Maasikas" in with_access and "Liis Lepp" in with_access
    assert Ticket.objects.count() == 5
    screenshot(page, "console-access")
