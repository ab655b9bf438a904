"""The LMTP receiver an MTA delivers to (K14), run on a free port and sent to by a real client
(swaks): 250 once stored, 451 when storing failed so the MTA retries, only the desk's domains,
a size limit, one answer per recipient and one stored message whatever their number."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from tugi.channels.email.intake import IntakeUnavailable, message_receive
from tugi.channels.email.lmtp import receiver_start, receiver_stop
from tugi.channels.models import InboundMessage, InboundState
from tugi.tickets.selectors import ticket_get_for

from ..conftest import need_service
from .mailservers import SWAKS, free_port, swaks

DOMAIN = "tugi.example.ee"
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]  # the receiver stores from its threads


@pytest.fixture(autouse=True)
def _swaks():
    if not Path(SWAKS).exists() and not shutil.which("swaks"):
        need_service("swaks", "Debian's swaks is the mail client of the LMTP tests")


@pytest.fixture
def receiver(settings):
    """Start a receiver on a free port; the test may pass its own intake or size limit."""
    started = []

    def start(protocol="lmtp", **kwargs):
        controller = receiver_start(host="127.0.0.1", port=free_port(), protocol=protocol, domains=(DOMAIN,),
                                    **kwargs)
        started.append(controller)
        return controller

    yield start
    for controller in started:
        receiver_stop(controller)


def send(controller, contact, *, to=f"tugi@{DOMAIN}", subject="Printer is broken", protocol="LMTP", extra=()):
    return swaks("--protocol", protocol, "--server", f"127.0.0.1:{controller.port}", "--to", to,
                 "--from", contact.email, "--header", f"From: {contact.name} <{contact.email}>",
                 "--header", f"Subject: {subject}", "--body", "It prints nothing at all.", *extra)


def test_a_message_delivered_over_lmtp_becomes_a_ticket_K14(cast, receiver):
    controller = receiver()
    sent = send(controller, cast.client_a)
    assert sent.returncode == 0, sent.stdout
    assert "<-  250 2.0.0 Message stored as INC-" in sent.stdout
    row = InboundMessage.objects.get()
    assert row.state == InboundState.CREATED and row.source.startswith("lmtp:127.0.0.1")
    ticket = ticket_get_for(cast.actor("agent"), row.reference)
    assert ticket.title == "Printer is broken" and ticket.requester == cast.client_a


def test_each_recipient_gets_an_answer_and_the_message_is_stored_once(cast, receiver):
    controller = receiver()
    sent = send(controller, cast.client_a, to=f"tugi@{DOMAIN},abi@{DOMAIN}")
    assert sent.returncode == 0, sent.stdout
    assert sent.stdout.count("<-  250 2.0.0 Message stored") == 2
    assert InboundMessage.objects.count() == 1


def test_the_same_message_delivered_twice_is_stored_once(cast, receiver):
    controller = receiver()
    # The same bytes twice, as an MTA redelivers: swaks would otherwise date each sending anew.
    header = ("--header", "Message-Id: <twice@mail.alfa.example>", "--header", "Date: Wed, 25 Nov 2026 10:00:00 +0200")
    assert send(controller, cast.client_a, extra=header).returncode == 0
    again = send(controller, cast.client_a, extra=header)
    assert again.returncode == 0 and "250 2.0.0 Message stored" in again.stdout
    assert InboundMessage.objects.count() == 1


def test_recipients_of_other_domains_are_refused(cast, receiver):
    controller = receiver()
    sent = send(controller, cast.client_a, to="someone@elsewhere.example")
    assert sent.returncode != 0
    assert "550 5.1.1" in sent.stdout
    assert not InboundMessage.objects.exists()


def test_a_message_above_the_size_limit_is_refused(cast, receiver):
    controller = receiver(max_bytes=2000)
    sent = send(controller, cast.client_a, extra=("--body", "\n".join(["x" * 70] * 80)))
    assert "552" in sent.stdout and sent.returncode != 0
    assert not InboundMessage.objects.exists()


def test_a_message_that_could_not_be_stored_is_answered_451_so_the_mta_retries(cast, receiver):
    def database_down(raw, *, source):
        raise IntakeUnavailable("could not connect to the database")

    controller = receiver(receive=database_down)
    sent = send(controller, cast.client_a, extra=("--header", "Message-Id: <retry@mail.alfa.example>"))
    assert "451 4.3.0" in sent.stdout and sent.returncode != 0
    assert not InboundMessage.objects.exists()
    # The MTA tries again once the database is back; the message is stored then, once.
    controller.handler.receive = message_receive
    assert send(controller, cast.client_a, extra=("--header", "Message-Id: <retry@mail.alfa.example>")).returncode == 0
    assert InboundMessage.objects.count() == 1


def test_an_unexpected_failure_is_temporary_too(cast, receiver):
    def broken(raw, *, source):
        raise RuntimeError("a bug")

    sent = send(receiver(receive=broken), cast.client_a)
    assert "451 4.3.0" in sent.stdout


def test_the_receiver_speaks_smtp_too(cast, receiver):
    controller = receiver(protocol="smtp")
    sent = send(controller, cast.client_a, protocol="SMTP")
    assert sent.returncode == 0, sent.stdout
    assert InboundMessage.objects.get().source.startswith("smtp:")


def test_the_command_refuses_without_a_domain(settings):
    settings.TUGI_LMTP_DOMAINS, settings.TUGI_SUPPORT_EMAIL = [], "tugi"
    err = io.StringIO()
    with pytest.raises(SystemExit) as stopped:
        call_command("mail", "lmtp", "--port", str(free_port()), stderr=err)
    assert stopped.value.code == 64 and "TUGI_LMTP_DOMAINS" in err.getvalue()
