"""`tugi mail import --jobs N` (K14, K2; issue 6's throughput): several worker processes, and still
no reply handled before the message it answers, no reply opening a second ticket, and the lines in
the order of the file."""

import io
import mailbox
from email.message import EmailMessage

import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import ContactFactory, OrganisationFactory
from tugi.channels.email.parallel import thread_keys
from tugi.channels.models import InboundMessage, InboundState
from tugi.tickets.models import ConversationEntry, Ticket


def mail(sender: str, subject: str, message_id: str, *, answers: str = "", references: str = "") -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "tugi@example.com"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    if answers:
        message["In-Reply-To"] = answers
    if references:
        message["References"] = references
    message.set_content(f"{subject}.\n")
    return message.as_bytes()


def test_a_message_is_tied_to_its_own_id_those_it_answers_and_the_reference_in_its_subject():
    raw = mail("a@b.ee", "=?utf-8?q?Vastus=3A_=5BINC-000042=5D_Printer?=", "<three@b.ee>", answers="<two@b.ee>",
               references="<one@b.ee> <two@b.ee>")
    assert thread_keys(raw) == ["id:three@b.ee", "id:two@b.ee", "id:one@b.ee", "id:two@b.ee", "ref:INC-000042"]
    assert thread_keys(b"\xff\xfe no headers at all") == []


def test_on_sqlite_the_import_says_it_uses_one_process(cast, tmp_path):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite's rule; PostgreSQL takes the workers (the test below)")
    path = tmp_path / "one.eml"
    path.write_bytes(mail(cast.client_a.email, "Üks", "<one@alfa.ee>"))
    out, err = io.StringIO(), io.StringIO()
    call_command("mail", "import", "--jobs", "3", str(path), stdout=out, stderr=err)
    assert "one process imports" in err.getvalue() and Ticket.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="workers write side by side: needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_k14_workers_keep_every_thread_in_order_and_the_lines_in_file_order(tmp_path):
    organisation = OrganisationFactory()
    clients = [ContactFactory(organisation=organisation, email=f"client{n}@alfa.ee") for n in range(6)]
    box = mailbox.mbox(tmp_path / "old.mbox")
    # Six threads, one after another: each a report and three replies straight after it, each reply
    # answering the one before (References grows as a mail program writes it), so a reply sent to a
    # free worker would be handled while the message it answers is not yet stored; one report also
    # arrives twice.
    for n, client in enumerate(clients):
        for step in range(4):
            own = f"<t{n}-m{step}@alfa.ee>"
            chain = " ".join(f"<t{n}-m{k}@alfa.ee>" for k in range(step))
            subject = f"Teema {n}" if step == 0 else f"Re: Teema {n}"
            box.add(mail(client.email, subject, own, answers=f"<t{n}-m{step - 1}@alfa.ee>" if step else "",
                         references=chain))
    box.add(mail(clients[0].email, "Teema 0", "<t0-m0@alfa.ee>"))
    box.flush()

    out, err = io.StringIO(), io.StringIO()
    call_command("mail", "import", "--jobs", "3", str(tmp_path / "old.mbox"), stdout=out, stderr=err)

    lines = out.getvalue().splitlines()
    sources = [f"import:{tmp_path / 'old.mbox'}#{n}" for n in range(1, 26)]
    assert [line.split("\t")[0] for line in lines[:-1]] == sources
    assert lines[-1] == ("25 messages: 6 tickets created, 18 added to tickets, 0 quarantined, "
                         "0 automatic replies ignored, 0 bounces, 1 already stored")
    assert Ticket.objects.count() == 6  # no reply opened a ticket of its own
    for ticket in Ticket.objects.all():
        replies = ConversationEntry.objects.filter(ticket=ticket, kind=ConversationEntry.Kind.REPLY)
        assert [entry.body for entry in replies.order_by("pk")] == [f"Re: {ticket.title}."] * 3
    assert not InboundMessage.objects.filter(state=InboundState.QUARANTINED).exists()
    assert not err.getvalue()
