"""The language switch in the header turns a whole page to English and back to Estonian (the
Estonian and English interface the spec asks for; Estonian first).

On the client's portal home and report form and on the desk's queue, the visible text of the page
(what `inner_text` gives: rendered text only) is collected in Estonian, after switching to English,
and after switching back. What the people typed (names, titles, the organisation, the CIs) stays
as it was written and is left out before the checks.

- English: the English words of the page are there, and nothing Estonian is left: no õ ä ö ü š ž
  and none of a few Estonian marker words.
- Back to Estonian: the same page, word for word, as before the switch.
- Estonian: the page says what the glossary (/work/shared/GLOSSARY.md) calls things (pöördumine,
  tugitelefon, KKK, intsident, …), no English marker word is left, and the two renders differ.

The steps of the client's progress timeline have a test of their own at the end.
"""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tugi.directory.actors import actor_for_contact, actor_for_staff
from tugi.tickets import services
from tugi.tickets.lifecycle import Action
from tugi.tickets.models import TicketKind, TicketSource

from ..factories import PASSWORD, CIFactory, ContactFactory, OrganisationFactory, StaffFactory

SUPPORT_PHONE = "+372 501 6105"

# What people typed: shown as written in either language, so left out of the checks.
DATA = ["Näidis OÜ", "Mari Maasikas", "Kati Kask", "ERP ei avane", "Printer ei prindi", "naidis-srv01",
        "Mari sülearvuti", "Tugi"]
SWITCH_LABELS = ["English", "Eesti"]

# Parts of a page with a known fault, each with a strict-xfail test of its own that turns red once
# the fault is fixed: then delete the entry here and the xfail marker there.
KNOWN_FAULTS: list[str] = []

TIMELINE_STEPS = ["Received", "Being handled", "Resolved", "Closed"]  # the client's view of a ticket's way

ESTONIAN_LETTERS = re.compile(r"[õäöüšžÕÄÖÜŠŽ]")
ESTONIAN_MARKERS = {"pöördumine", "pöördumised", "pöördumist", "pöördumisi", "teie", "palun", "saada", "teata",
                    "minu", "tugitelefon", "probleemist", "logi", "välja", "järjekorrad", "ja", "ei", "või"}
ENGLISH_MARKERS = {"the", "your", "you", "and", "of", "my", "tickets", "ticket", "report", "support", "phone",
                   "sign", "out", "queues", "priority", "please", "send", "what", "who", "which"}

PAGES = {
    # name: (who signs in, path, English the page must show, Estonian the full translation must show)
    "portal-home": ("mari", "/", ["My tickets", "Report a problem", "How to report a problem", "FAQ",
                                  "Support phone", "Sign out", "Incident"],
                    ["pöördumis", "tugitelefon", "KKK", "probleem", "intsident"]),
    "portal-report": ("mari", "/report/", ["Report a problem", "What would you like to report?", "Incident",
                                           "Service request", "In a few words", "I don't know", "Support phone",
                                           "Send"],
                      ["probleem", "intsident", "teenuspäring", "tugitelefon"]),
    "console-queue": ("agent", "/console/", ["Queues", "Phone intake", "Organisations", "Portal access",
                                             "Priority", "Last activity", "Support phone", "Sign out"],
                      ["pöördumis", "prioriteet", "organisatsioon", "tugitelefon"]),
}


def words(text):
    return {w.lower() for w in re.findall(r"[^\W\d_]+", text)}


def without_data(text):
    for value in DATA + SWITCH_LABELS:
        text = text.replace(value, " ")
    return text


@pytest.fixture
def desk(db):
    naidis = OrganisationFactory(name="Näidis OÜ")
    server = CIFactory(organisation=naidis, name="naidis-srv01", ci_type="server")
    CIFactory(organisation=naidis, name="Mari sülearvuti", ci_type="laptop")
    mari = ContactFactory(organisation=naidis, name="Mari Maasikas", user__username="mari")
    kati = StaffFactory(name="Kati Kask", user__username="agent")
    client, agent = actor_for_contact(mari), actor_for_staff(kati)
    services.ticket_create(actor=client, kind=TicketKind.INCIDENT, title="ERP ei avane",
                           source=TicketSource.PORTAL, configuration_items=[server])
    busy = services.ticket_create(actor=client, kind=TicketKind.INCIDENT, title="Printer ei prindi",
                                  source=TicketSource.PORTAL)
    services.ticket_assign(actor=agent, ticket=busy, assignee=kati)
    services.ticket_transition(actor=agent, ticket=busy, action=Action.START)


def switch(page):
    with page.expect_navigation():
        page.locator("header form.lang button").click()


def visible_text(page):
    """The page's rendered text, less the parts with a known fault of their own (see below)."""
    text = page.inner_text("body")
    for selector in KNOWN_FAULTS:
        for fault in page.locator(selector).all_inner_texts():
            text = text.replace(fault, " ")
    return text


def renders(page, live_server, signin, name):
    """The page's visible text in Estonian, in English, and in Estonian again."""
    username, path, _english, _estonian = PAGES[name]
    signin(page, username, PASSWORD)
    page.goto(live_server.url + path)
    assert page.locator("html").get_attribute("lang") == "et"
    texts = {"et": visible_text(page)}
    switch(page)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url == live_server.url + path
    texts["en"] = visible_text(page)
    switch(page)
    assert page.locator("html").get_attribute("lang") == "et"
    assert page.url == live_server.url + path
    texts["et_again"] = visible_text(page)
    return texts


@pytest.mark.parametrize("name", PAGES)
def test_switching_to_english_and_back_gives_the_same_estonian_page(page, live_server, signin, desk, name):
    texts = renders(page, live_server, signin, name)
    assert texts["et_again"] == texts["et"]
    assert SUPPORT_PHONE in texts["et"] and SUPPORT_PHONE in texts["en"]  # K13, in both languages


@pytest.mark.parametrize("name", PAGES)
def test_the_english_page_has_no_estonian_left(page, live_server, signin, desk, name):
    english = renders(page, live_server, signin, name)["en"]
    for phrase in PAGES[name][2]:
        assert phrase in english, phrase
    rest = without_data(english)
    assert not ESTONIAN_LETTERS.findall(rest), [line for line in rest.splitlines() if ESTONIAN_LETTERS.search(line)]
    assert not words(rest) & ESTONIAN_MARKERS, sorted(words(rest) & ESTONIAN_MARKERS)


@pytest.mark.parametrize("name", PAGES)
def test_the_estonian_page_is_in_estonian(page, live_server, signin, desk, name):
    texts = renders(page, live_server, signin, name)
    estonian, english = without_data(texts["et"]), without_data(texts["en"])
    missing = [w for w in PAGES[name][3] if w.lower() not in estonian.lower()]
    assert not missing, f"not on the Estonian page: {missing}"
    left = words(estonian) & ENGLISH_MARKERS
    assert not left, f"English words on the Estonian page: {sorted(left)}"
    assert words(english) - words(estonian), "the English and the Estonian page show the same words"
    for phrase in PAGES[name][2]:
        if phrase != "FAQ":
            assert phrase not in estonian, phrase


def test_the_progress_timeline_speaks_the_language_of_the_page(page, live_server, signin, desk):
    with translation.override("et"):
        estonian = [gettext(step) for step in TIMELINE_STEPS]
    assert estonian != TIMELINE_STEPS  # the catalogue has them
    signin(page, "mari", PASSWORD)
    card = page.locator("main article.card").filter(has_text="ERP ei avane")
    seen = {"et": card.locator("ol.timeline li").all_inner_texts()}
    switch(page)
    seen["en"] = card.locator("ol.timeline li").all_inner_texts()
    assert seen == {"et": estonian, "en": TIMELINE_STEPS}
