"""A Message-ID is only a claim: another message under an already stored Message-ID (a broken mail
program, a forwarder that reuses it) must be stored and handled, not dropped as a duplicate, or it
is lost for good once the mailbox deletes what was fetched (K14: nothing that arrives is lost)."""

from email.message import EmailMessage

from tugi.channels.email.intake import content_hash, message_receive
from tugi.channels.models import InboundMessage, InboundState
from tugi.tickets.models import Ticket


def mail(body: str, *, sender: str, subject: str = "Printer", message_id: str = "<same-id@client.example>",
         received: str = "") -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "tugi@example.com"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message.set_content(body)
    return (received.encode() if received else b"") + message.as_bytes()


def test_another_message_under_a_stored_message_id_is_stored_and_handled_too_K14(cast):
    first = message_receive(mail("Printer ei prindi.\n", sender=cast.client_a.email), source="imap:INBOX")
    second = message_receive(mail("Ka skanner ei tööta.\n", sender=cast.client_a.email, subject="Skanner"),
                             source="imap:INBOX")

    assert not second.is_duplicate and second.state == InboundState.CREATED
    assert second.reference and second.reference != first.reference
    assert InboundMessage.objects.count() == 2
    assert "Ka skanner ei tööta." in Ticket.objects.get(reference=second.reference).description
    # Delivered once more, the second message is now a duplicate of itself, not a third ticket.
    again = message_receive(mail("Ka skanner ei tööta.\n", sender=cast.client_a.email, subject="Skanner"),
                            source="lmtp")
    assert again.is_duplicate and again.reference == second.reference
    assert InboundMessage.objects.count() == 2 and Ticket.objects.count() == 2


def test_the_same_message_by_another_way_is_still_a_duplicate_K14(cast):
    raw = mail("Printer ei prindi.\n", sender=cast.client_a.email)
    first = message_receive(raw, source="imap:INBOX")
    relayed = (b"Received: from mx2.example.com by mx1.example.com; Mon, 17 Mar 2025 10:00:02 +0200\r\n"
               b"X-Spam-Status: No, score=-1.2\r\n" + raw.replace(b"\n", b"\r\n"))
    again = message_receive(relayed, source="lmtp")
    identical = message_receive(raw, source="pipe")

    assert again.is_duplicate and identical.is_duplicate
    assert again.reference == identical.reference == first.reference
    assert InboundMessage.objects.count() == 1 and Ticket.objects.count() == 1


def test_the_content_hash_ignores_what_a_delivery_adds_and_sees_what_the_author_wrote():
    raw = mail("Tere\n>From the office\n", sender="mari@example.ee")
    assert content_hash(b"Delivered-To: tugi@example.com\n" + raw) == content_hash(raw)
    assert content_hash(raw.replace(b">From the office", b">>From the office")) == content_hash(raw)
    assert content_hash(raw.replace(b"Subject: Printer", b"Subject: Skanner")) != content_hash(raw)
    assert content_hash(raw.replace(b"Tere", b"Head aega")) != content_hash(raw)
