"""Polling an IMAP mailbox (K14) against a real Dovecot: mail sent into it by swaks (over Dovecot's
LMTP) or put there by APPEND becomes tickets; a message is flagged, moved or deleted only after the
intake committed it, so a crash between the two loses nothing and a rerun stores nothing twice."""

from __future__ import annotations

import io
import shutil
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from imap_tools import MailBoxUnencrypted

from tugi.channels.email import imap
from tugi.channels.email.intake import IntakeUnavailable, message_receive
from tugi.channels.models import InboundMessage, InboundState
from tugi.tickets.selectors import ticket_get_for

from ..conftest import need_service
from .mailservers import DOVECOT, DOVECOT_LMTP, SWAKS, dovecot_running, swaks


@pytest.fixture(scope="module")
def dovecot():
    if not Path(DOVECOT).exists() and not shutil.which("dovecot"):
        need_service("dovecot", "Debian's dovecot-imapd is needed for the IMAP tests")
    with dovecot_running(folders=("Processed",)) as server:
        yield server


@pytest.fixture
def mailbox(dovecot):
    """The test's own view of the mailbox, emptied before and after each test."""
    with MailBoxUnencrypted("127.0.0.1", dovecot.imap_port).login(dovecot.user, dovecot.password) as box:
        for folder in ("Processed", "INBOX"):
            box.folder.set(folder)
            box.delete(box.uids("ALL"))
        yield box
        for folder in ("Processed", "INBOX"):
            box.folder.set(folder)
            box.delete(box.uids("ALL"))


def mail_from(contact, subject: str, body: str = "The printer on floor 2 prints nothing.") -> bytes:
    message = EmailMessage()
    message["From"] = f"{contact.name} <{contact.email}>"
    message["To"] = "tugi@tugi.example.ee"
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="mail.alfa.example")
    message.set_content(body)
    return bytes(message)


def append(box, raw: bytes, folder: str = "INBOX") -> None:
    box.folder.set(folder)
    box.append(raw, folder)


def flags_in(box, folder: str = "INBOX") -> list[tuple[str, ...]]:
    box.folder.set(folder)
    # \Recent only says which session saw the message first; it is not the poller's doing
    return [tuple(f for f in m.flags if f != "\\Recent") for m in box.fetch("ALL", mark_seen=False, headers_only=True)]


def config(dovecot, **query) -> imap.MailboxConfig:
    return imap.mailbox_config_from_url(dovecot.url(**query))


@pytest.mark.services
def test_mail_sent_with_swaks_becomes_tickets_and_is_flagged_seen_K14(cast, dovecot, mailbox):
    """Mail reaches the mailbox as it does in life, from a mail client through the server's LMTP;
    without Debian's dovecot-lmtpd it is put there by APPEND instead."""
    by_swaks = dovecot.lmtp_port is not None and Path(DOVECOT_LMTP).exists()
    if by_swaks and not Path(SWAKS).exists():
        need_service("swaks", "Debian's swaks sends the mail")
    for number in (1, 2):
        if not by_swaks:
            append(mailbox, mail_from(cast.client_a, f"Printer {number} is broken"))
            continue
        sent = swaks("--protocol", "LMTP", "--server", f"127.0.0.1:{dovecot.lmtp_port}", "--to", "tugi@localhost",
                     "--from", cast.client_a.email, "--header", f"Subject: Printer {number} is broken",
                     "--header", f"From: {cast.client_a.name} <{cast.client_a.email}>",
                     "--body", "It prints nothing at all.")
        assert sent.returncode == 0, sent.stdout + sent.stderr
    assert flags_in(mailbox) == [(), ()]
    result = imap.mailbox_poll(config(dovecot))
    assert (result.stored, result.duplicates, result.failed, result.error) == (2, 0, 0, "")
    references = [r.reference for r in result.results]
    titles = {ticket_get_for(cast.actor("agent"), ref).title for ref in references}
    assert titles == {"Printer 1 is broken", "Printer 2 is broken"}
    assert all(ticket_get_for(cast.actor("agent"), ref).requester == cast.client_a for ref in references)
    assert flags_in(mailbox) == [("\\Seen",), ("\\Seen",)]
    again = imap.mailbox_poll(config(dovecot))
    assert again.seen == 0  # only unseen mail is fetched
    assert InboundMessage.objects.count() == 2


@pytest.mark.services
def test_fetching_marks_nothing_read_when_the_message_could_not_be_stored(cast, dovecot, mailbox):
    append(mailbox, mail_from(cast.client_a, "Database is down meanwhile"))

    def database_down(raw, *, source):
        raise IntakeUnavailable("could not connect to the database")

    result = imap.mailbox_poll(config(dovecot), receive=database_down)
    assert (result.stored, result.failed) == (0, 1)
    assert flags_in(mailbox) == [()]  # BODY.PEEK: still unread, the next run takes it
    assert imap.mailbox_poll(config(dovecot)).stored == 1
    assert flags_in(mailbox) == [("\\Seen",)]


@pytest.mark.services
def test_a_crash_between_storing_and_flagging_loses_nothing_and_stores_nothing_twice_K14(cast, dovecot, mailbox):
    for number in (1, 2, 3):
        append(mailbox, mail_from(cast.client_a, f"Crash test {number}"))
    calls = []

    def crash_after_storing(raw, *, source):
        result = message_receive(raw, source=source)  # committed here
        calls.append(result)
        if len(calls) == 2:
            raise SystemExit("the poller was killed")  # after storing the second, before flagging it
        return result

    with pytest.raises(SystemExit):
        imap.mailbox_poll(config(dovecot), receive=crash_after_storing)
    assert InboundMessage.objects.count() == 2
    assert flags_in(mailbox) == [("\\Seen",), (), ()]  # the second was stored but not flagged
    rerun = imap.mailbox_poll(config(dovecot))
    assert (rerun.stored, rerun.duplicates, rerun.failed) == (1, 1, 0)
    assert InboundMessage.objects.count() == 3
    assert len({row.reference for row in InboundMessage.objects.all()}) == 3  # three tickets, none twice
    assert set(InboundMessage.objects.values_list("state", flat=True)) == {InboundState.CREATED}
    assert flags_in(mailbox) == [("\\Seen",)] * 3


@pytest.mark.services
def test_an_error_on_one_message_does_not_stop_the_batch(cast, dovecot, mailbox):
    for number in (1, 2, 3):
        append(mailbox, mail_from(cast.client_a, f"Batch {number}"))

    def second_fails(raw, *, source):
        if b"Batch 2" in raw:
            raise IntakeUnavailable("disk full")
        return message_receive(raw, source=source)

    result = imap.mailbox_poll(config(dovecot), receive=second_fails)
    assert (result.stored, result.failed) == (2, 1)
    assert flags_in(mailbox) == [("\\Seen",), (), ("\\Seen",)]


@pytest.mark.services
def test_stored_mail_can_be_moved_to_a_folder(cast, dovecot, mailbox):
    append(mailbox, mail_from(cast.client_a, "Move me"))
    result = imap.mailbox_poll(config(dovecot, after="move", move_to="Processed"))
    assert result.stored == 1
    assert flags_in(mailbox, "INBOX") == []
    assert len(flags_in(mailbox, "Processed")) == 1


@pytest.mark.services
def test_stored_mail_can_be_deleted_and_seen_mail_is_taken_too(cast, dovecot, mailbox):
    append(mailbox, mail_from(cast.client_a, "Delete me"))
    mailbox.folder.set("INBOX")
    mailbox.flag(mailbox.uids("ALL"), "\\Seen", True)  # someone read it in their mail program
    result = imap.mailbox_poll(config(dovecot, after="delete"))
    assert result.stored == 1
    assert flags_in(mailbox) == []


@pytest.mark.services
def test_a_wrong_password_stops_only_that_mailbox(cast, dovecot, mailbox):
    append(mailbox, mail_from(cast.client_a, "Still waiting"))
    wrong = imap.mailbox_config_from_url(dovecot.url().replace(dovecot.password, "wrong"))
    bad, good = imap.mailboxes_poll([wrong, config(dovecot)])
    assert bad.error and bad.seen == 0
    assert good.stored == 1


@pytest.mark.services
def test_the_command_polls_once(cast, dovecot, mailbox, settings):
    append(mailbox, mail_from(cast.client_a, "By command"))
    settings.TUGI_IMAP_MAILBOXES = [dovecot.url()]
    out = io.StringIO()
    call_command("mail", "imap", "--once", stdout=out)
    assert "1 stored, 0 already stored, 0 not stored" in out.getvalue()
    assert "mailbox-secret" not in out.getvalue()  # no password in the output
    assert InboundMessage.objects.get().state == InboundState.CREATED


def test_the_command_refuses_without_a_mailbox(db, settings):
    settings.TUGI_IMAP_MAILBOXES = []
    err = io.StringIO()
    with pytest.raises(SystemExit) as stopped:
        call_command("mail", "imap", stderr=err)
    assert stopped.value.code == 64 and "TUGI_IMAP_MAILBOXES" in err.getvalue()


@pytest.mark.parametrize("url, expected", [
    ("imaps://tugi%40desk:p%2Css@mail.example.ee/Support?after=move&move_to=Done",
     ("mail.example.ee", 993, "tls", "tugi@desk", "p,ss", "Support", "move", "Done")),
    ("imap+starttls://tugi:pw@mail.example.ee",
     ("mail.example.ee", 143, "starttls", "tugi", "pw", "INBOX", "seen", "")),
    ("imap://tugi:pw@127.0.0.1:1143/INBOX?after=delete",
     ("127.0.0.1", 1143, "plain", "tugi", "pw", "INBOX", "delete", "")),
])
def test_mailbox_urls(url, expected):
    c = imap.mailbox_config_from_url(url)
    assert (c.host, c.port, c.security, c.user, c.password, c.folder, c.after, c.move_to) == expected
    assert "pw" not in c.label and "p,ss" not in repr(c)


@pytest.mark.parametrize("url, complaint", [
    ("pop3://tugi:pw@mail.example.ee", "scheme"),
    ("imaps://mail.example.ee", "user"),
    ("imaps://tugi:pw@mail.example.ee?after=archive", "after="),
    ("imaps://tugi:pw@mail.example.ee?after=move", "move_to"),
])
def test_wrong_mailbox_urls_are_refused_with_the_reason(url, complaint):
    with pytest.raises(ImproperlyConfigured, match=complaint):
        imap.mailbox_config_from_url(url)
