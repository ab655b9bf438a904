"""The console's quarantine of incoming mail (K14): the desk sees why a message waits, reads it,
downloads the original, tries it again after a fix, or discards it with a reason that is kept."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ContactFactory
from tugi.channels.email.intake import message_receive
from tugi.channels.models import InboundMessage, InboundState, QuarantineReason
from tugi.core.models import AuditEvent
from tugi.tickets.models import Ticket


@pytest.fixture
def desk(cast):
    browser = Client()
    browser.force_login(cast.agent.user)
    return browser


def stranger_mail(subject: str) -> bytes:
    return (f"From: Uus Kolleeg <uus@alfa.ee>\r\nTo: tugi@example.com\r\nSubject: {subject}\r\n"
            "Message-ID: <stranger-1@alfa.ee>\r\n\r\nMul on sama mure.\r\n").encode()


@pytest.fixture
def quarantined(cast):
    ticket = Ticket.objects.get(reference=message_receive(
        f"From: {cast.client_a.email}\r\nSubject: Printer\r\n\r\nEi prindi.\r\n".encode(), source="pipe").reference)
    result = message_receive(stranger_mail(f"Re: [{ticket.reference}] Printer"), source="imap:INBOX")
    assert result.state == InboundState.QUARANTINED
    return InboundMessage.objects.get(pk=result.message_pk), ticket


def test_the_quarantine_lists_each_message_with_its_reason_K14(desk, quarantined):
    message, ticket = quarantined

    page = desk.get(reverse("console:mail")).content.decode()

    assert "uus@alfa.ee" in page and f"Re: [{ticket.reference}] Printer" in page
    assert "An unknown sender names an existing ticket only in the subject" in page
    assert reverse("console:mail_message", args=[message.pk]) in page


def test_a_quarantined_message_shows_its_reason_text_and_headers(desk, quarantined):
    message, _ticket = quarantined

    page = desk.get(reverse("console:mail_message", args=[message.pk])).content.decode()

    assert "Mul on sama mure." in page and "stranger-1@alfa.ee" in page and "imap:INBOX" in page
    assert 'id="mail-reason"' in page and "uus@alfa.ee" in page


def test_the_original_downloads_byte_for_byte(desk, quarantined):
    message, _ticket = quarantined

    response = desk.get(reverse("console:mail_raw", args=[message.pk]))

    assert response["Content-Type"] == "message/rfc822"
    assert "attachment" in response["Content-Disposition"]
    assert response.content == bytes(message.raw)


def test_trying_again_after_adding_the_sender_puts_the_message_on_its_ticket_K2(cast, desk, quarantined):
    message, ticket = quarantined
    ContactFactory(organisation=cast.org_a, email="uus@alfa.ee", name="Uus Kolleeg", is_representative=True)

    response = desk.post(reverse("console:mail_retry", args=[message.pk]), follow=True)

    message.refresh_from_db()
    assert (message.state, message.reference, message.attempts) == (InboundState.ADDED, ticket.reference, 2)
    assert ticket.entries.filter(body="Mul on sama mure.").exists()
    assert f"the message is now on {ticket.reference}" in response.content.decode()
    assert AuditEvent.objects.filter(action="inbound_message.retry", object_id=str(message.pk)).exists()


def test_trying_again_without_a_fix_says_why_it_is_still_quarantined(desk, quarantined):
    message, _ticket = quarantined

    response = desk.post(reverse("console:mail_retry", args=[message.pk]), follow=True)

    assert "Still quarantined" in response.content.decode()
    message.refresh_from_db()
    assert message.state == InboundState.QUARANTINED and message.attempts == 2
    assert message.reason_code == QuarantineReason.STRANGER_SUBJECT


def test_discarding_keeps_the_message_and_the_reason(cast, desk, quarantined):
    message, _ticket = quarantined

    desk.post(reverse("console:mail_discard", args=[message.pk]), {"reason": "Rämpspost"})

    message.refresh_from_db()
    assert message.state == InboundState.DISCARDED and message.discard_reason == "Rämpspost"
    assert message.discarded_by_label == cast.agent.name and bytes(message.raw)
    listed = desk.get(reverse("console:mail") + "?state=discarded").content.decode()
    assert "Rämpspost" in listed


def test_discarding_without_a_reason_is_refused_politely(desk, quarantined):
    message, _ticket = quarantined

    response = desk.post(reverse("console:mail_discard", args=[message.pk]), {"reason": " "}, follow=True)

    message.refresh_from_db()
    assert message.state == InboundState.QUARANTINED
    assert "This field is required" in response.content.decode() or "Please say why" in response.content.decode()


def test_a_handled_message_offers_no_retry(desk, cast):
    result = message_receive(f"From: {cast.client_a.email}\r\nSubject: Ok\r\n\r\nTekst.\r\n".encode(), source="pipe")

    page = desk.get(reverse("console:mail_message", args=[result.message_pk])).content.decode()
    refused = desk.post(reverse("console:mail_retry", args=[result.message_pk]), follow=True).content.decode()

    assert reverse("console:mail_retry", args=[result.message_pk]) not in page
    assert "Only a quarantined message can be tried again" in refused
    assert Ticket.objects.count() == 1


def test_clients_never_see_the_mail_K14(cast, quarantined):
    message, _ticket = quarantined
    browser = Client()
    browser.force_login(cast.representative_a.user)
    for url in (reverse("console:mail"), reverse("console:mail_message", args=[message.pk]),
                reverse("console:mail_raw", args=[message.pk])):
        assert browser.get(url).status_code == 403


def test_the_list_costs_the_same_queries_for_many_messages(desk, cast, django_assert_max_num_queries):
    for number in range(30):
        message_receive(f"Subject: broken {number}\r\n\r\nno sender\r\n".encode(), source="pipe")
    with django_assert_max_num_queries(12):
        assert desk.get(reverse("console:mail")).status_code == 200
