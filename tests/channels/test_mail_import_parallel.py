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
    # Written without angle brackets, as some programs do: read as the intake reads it.
    assert thread_keys(b"Message-ID: abc.123@alfa.ee\r\nIn-Reply-To: abc.122@alfa.ee\r\n\r\nx") == [
        "id:abc.123@alfa.ee", "id:abc.122@alfa.ee"]


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


# --- the workers' life, without a database: the intake is replaced in the workers (they are forked) ----

def _chain(count: int, *, threads: int = 1) -> list[tuple[bytes, str]]:
    """``count`` messages in ``threads`` threads, each answering the one before in its thread."""
    out = []
    for n in range(count):
        thread, step = n % threads, n // threads
        answers = f"In-Reply-To: <t{thread}-{step - 1}@alfa.ee>\r\n" if step else ""
        out.append((f"Message-ID: <t{thread}-{step}@alfa.ee>\r\n{answers}Subject: x\r\n\r\nx\r\n".encode(), f"m{n}"))
    return out


def _fake_intake(monkeypatch, *, dies_at="", unavailable_at="", delay=0.0):
    import os
    import time

    from tugi.channels.email import parallel
    from tugi.channels.email.intake import IntakeResult, IntakeUnavailable

    def receive(raw, *, source, is_replay):
        if source == dies_at:
            os._exit(9)  # killed: the OOM killer, a segfault
        if source == unavailable_at:
            raise IntakeUnavailable("the database is down")
        time.sleep(delay)
        return IntakeResult(state=InboundState.CREATED, reference="INC-" + source[1:].zfill(6), reason="",
                            is_duplicate=False)

    monkeypatch.setattr(parallel, "message_receive", receive)
    return parallel.import_in_parallel


@pytest.fixture
def deadline():
    """A hang fails the test instead of stopping the suite."""
    import signal

    def hung(*_args):
        raise TimeoutError("the import hung")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_the_outcomes_come_in_file_order_from_several_workers(monkeypatch, deadline):
    import multiprocessing

    import_in_parallel = _fake_intake(monkeypatch, delay=0.002)
    seen = []
    problem = import_in_parallel(_chain(120, threads=7), jobs=3, on_done=lambda done: seen.append(done.source) or True)
    assert problem == "" and seen == [f"m{n}" for n in range(120)]
    assert not multiprocessing.active_children()


def test_a_worker_that_dies_stops_the_import_says_so_and_leaves_no_process_behind_K14(monkeypatch, deadline):
    """One thread of 100 messages fills its worker's queue; the worker is killed at the sixth."""
    import multiprocessing

    import_in_parallel = _fake_intake(monkeypatch, dies_at="m5")
    seen = []
    problem = import_in_parallel(_chain(100), jobs=2, on_done=lambda done: seen.append(done.source) or True)
    assert "worker stopped (exit status -9" in problem or "worker stopped (exit status 9" in problem
    # What was reported comes in order; a killed worker may not have reported its last one (it may be
    # stored: the rerun tells, as for everything after it).
    assert seen == [f"m{n}" for n in range(len(seen))] and len(seen) <= 5
    assert not multiprocessing.active_children()


def test_when_the_database_goes_away_no_further_message_is_handed_out(monkeypatch, deadline):
    import multiprocessing

    import_in_parallel = _fake_intake(monkeypatch, unavailable_at="m10", delay=0.01)
    answered = []

    def on_done(done):
        answered.append(done.source)
        return done.result is not None

    problem = import_in_parallel(_chain(300, threads=5), jobs=2, on_done=on_done)
    assert problem == "" and "m10" in answered
    assert len(answered) < 120  # the queued ones were taken back, not handled
    assert not multiprocessing.active_children()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="synchronous_commit is PostgreSQL's")
def test_only_a_replay_commits_without_waiting_for_the_disk(cast):
    """An import's file stays where it is, so its commit need not wait for the disk; arriving mail
    leaves its mailbox once committed, so its commit must."""
    from django.test.utils import CaptureQueriesContext

    from tugi.channels.email.intake import message_receive

    def statements(raw: bytes, *, is_replay: bool) -> str:
        with CaptureQueriesContext(connection) as captured:
            message_receive(raw, source="test", is_replay=is_replay)
        return "\n".join(query["sql"] for query in captured.captured_queries)

    assert "synchronous_commit TO OFF" in statements(
        mail(cast.client_a.email, "Vana kiri", "<old@alfa.ee>"), is_replay=True)
    assert "synchronous_commit" not in statements(
        mail(cast.client_a.email, "Uus kiri", "<new@alfa.ee>"), is_replay=False)
