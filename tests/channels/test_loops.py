"""Loop protection (K14): what must never get an automatic answer, and which address bounced."""

import pytest

from tugi.channels.email.loops import bounced_address, is_automatic, returned_message_ids
from tugi.channels.email.parsing import parse_message


def message(headers="", subject="Printer", sender="Mari <mari@naidis.ee>", body="hi", content_type="text/plain"):
    raw = f"From: {sender}\r\nSubject: {subject}\r\nMessage-ID: <m@n>\r\n{headers}"
    raw += f"Content-Type: {content_type}\r\n\r\n{body}"
    return parse_message(raw.encode())


def test_an_ordinary_message_may_be_answered():
    assert is_automatic(message()) is None


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ("Auto-Submitted: auto-replied\r\n", "Auto-Submitted"),
        ("Auto-Submitted: auto-generated; owner-email=x@y\r\n", "Auto-Submitted"),
        ("Auto-Submitted: auto-notified\r\n", "Auto-Submitted"),
        ("Precedence: bulk\r\n", "Precedence: bulk"),
        ("Precedence: junk\r\n", "Precedence: junk"),
        ("Precedence: list\r\n", "Precedence: list"),
        ("X-Autoreply: yes\r\n", "X-Autoreply"),
        ("X-Autorespond: vacation\r\n", "X-Autorespond"),
        ("X-Auto-Response-Suppress: DR, OOF, AutoReply\r\n", "X-Auto-Response-Suppress"),
        ("List-Id: <uudised.naidis.ee>\r\n", "mailing list"),
        ("Return-Path: <>\r\n", "null sender"),
    ],
)
def test_automatic_headers(headers, reason):
    assert reason in is_automatic(message(headers))


@pytest.mark.parametrize(
    "headers", ["Auto-Submitted: no\r\n", "Precedence: normal\r\n", "X-Auto-Response-Suppress: DR, RN\r\n"]
)
def test_headers_that_do_not_make_a_message_automatic(headers):
    assert is_automatic(message(headers)) is None


@pytest.mark.parametrize(
    "subject",
    [
        "Automatic reply: [INC-000001] Printer",
        "Out of Office: Printer",
        "Automaatne vastus: Printer",
        "Eemal kontorist",
        "AUTOMAATNE VASTUS: x",
        "Undeliverable: [INC-000001] Printer",
    ],
)
def test_auto_reply_subjects(subject):
    assert is_automatic(message(subject=subject)) is not None


@pytest.mark.parametrize("subject", ["RE: Automatic reply kept coming", "Out of paper", "Kontor eemal Tartus"])
def test_subjects_that_only_look_alike(subject):
    assert is_automatic(message(subject=subject)) is None


@pytest.mark.parametrize("sender", ["MAILER-DAEMON@mx.example.com", "postmaster@naidis.ee"])
def test_delivery_daemons_are_automatic(sender):
    assert "sent by" in is_automatic(message(sender=sender))


def dsn(action, status):
    body = (
        "--B\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx\r\n\r\n"
        "Final-Recipient: rfc822; kept@naidis.ee\r\nAction: delivered\r\nStatus: 2.0.0\r\n\r\n"
        f"Final-Recipient: rfc822;<Gone@Naidis.ee>\r\nAction: {action}\r\nStatus: {status}\r\n\r\n--B--\r\n"
    )
    return message(
        sender="postmaster@mx.example.com",
        content_type="multipart/report; report-type=delivery-status; boundary=B",
        body=body,
    )


def test_a_failed_delivery_names_the_bounced_address():
    parsed = dsn("failed", "5.1.1")
    assert is_automatic(parsed) == "delivery status notification"
    assert bounced_address(parsed) == "gone@naidis.ee"


def test_a_delayed_delivery_bounces_nothing():
    assert bounced_address(dsn("delayed", "4.4.1")) is None


def test_an_ordinary_message_bounces_nothing():
    assert bounced_address(message(body="The following address(es) failed:\n\n  x@y.ee\n")) is None


def test_a_bounce_names_the_message_it_returns_wherever_the_mail_server_put_it():
    """The returned headers of a DSN, the copy an older server quotes, the returned message itself, and
    In-Reply-To: whichever is there, the intake checks it against the mail the desk sent."""
    from pathlib import Path

    corpus = Path(__file__).parent / "corpus"
    assert returned_message_ids(parse_message((corpus / "11_dsn_bounce.eml").read_bytes())) == [
        "ticket-INC-000200-1@tugi.example.com"]
    assert returned_message_ids(parse_message((corpus / "29_exim_text_bounce.eml").read_bytes())) == [
        "ticket-INC-000210-1@tugi.example.com"]
    assert returned_message_ids(message(body="Tere!\n")) == []
