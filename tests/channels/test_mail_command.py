"""`tugi mail receive` and `tugi mail import` (K14): what an MTA and an administrator moving from
another system see — the exit status, one line per message and the summary."""

import io
import mailbox
import os
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import OperationalError

from tests.factories import ContactFactory
from tugi.channels.email import commands_intake, intake
from tugi.channels.models import InboundMessage, InboundState
from tugi.tickets.models import Ticket

CORPUS = Path(__file__).parent / "corpus"


def mail(sender: str, subject: str, message_id: str | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "tugi@example.com"
    message["Subject"] = subject
    if message_id:
        message["Message-ID"] = message_id
    message.set_content(f"{subject}.\n")
    return message.as_bytes()


def run(*args, stdin: bytes = b"", monkeypatch=None) -> tuple[int, list[str], str]:
    out, err = io.StringIO(), io.StringIO()
    if monkeypatch is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    try:
        call_command("mail", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return status, out.getvalue().splitlines(), err.getvalue()


def test_receive_stores_a_message_from_standard_input_and_exits_0_K14(cast, monkeypatch):
    status, lines, _err = run("receive", stdin=mail(cast.client_a.email, "Printer", "<p-1@alfa.ee>"),
                              monkeypatch=monkeypatch)

    ticket = Ticket.objects.get()
    assert status == 0 and lines == [f"pipe\t{ticket.reference}"]
    assert InboundMessage.objects.get().source == "pipe"


def test_receive_exits_0_for_a_quarantined_message_the_mta_must_not_retry(db, monkeypatch):
    status, lines, _err = run("receive", stdin=b"garbage without headers", monkeypatch=monkeypatch)

    assert status == 0 and lines[0].startswith("pipe\tquarantined: ")
    assert InboundMessage.objects.get().state == InboundState.QUARANTINED


def test_receive_exits_75_when_the_message_cannot_be_stored(db, monkeypatch):
    def database_down(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(intake, "_store", database_down)  # the one place a message is stored
    status, lines, err = run("receive", stdin=mail("a@b.ee", "x"), monkeypatch=monkeypatch)

    assert status == commands_intake.EX_TEMPFAIL == 75 and lines == []
    assert "try again later" in err
    assert not InboundMessage.objects.exists()


def test_receive_as_an_mta_runs_it_exits_75_while_the_database_is_down(tmp_path):
    """The real process, as Postfix's pipe runs it, against a database port where nobody listens."""
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:9/tugi_nobody", "TUGI_VAR_DIR": str(tmp_path)}
    tugi = Path(sys.executable).with_name("tugi")
    done = subprocess.run([str(tugi), "mail", "receive"], input=mail("a@b.ee", "x"), env=env,
                          capture_output=True, timeout=60)
    assert done.returncode == 75, done.stderr.decode()[-2000:]


def test_import_takes_eml_files_and_prints_a_line_per_message_and_a_summary_K14(cast):
    ContactFactory(organisation=cast.org_a, email="mari.maasikas@naidis.ee")
    files = [CORPUS / "01_outlook_new_incident.eml", CORPUS / "21_duplicate_delivery_1.eml",
             CORPUS / "21_duplicate_delivery_2.eml", CORPUS / "15_eemal_kontorist.eml",
             CORPUS / "18_broken_from_unreadable.eml"]

    status, lines, _err = run("import", *map(str, files))

    assert status == 0
    first, second = Ticket.objects.order_by("pk")
    assert lines[0] == f"import:{files[0]}\t{first.reference}"
    assert lines[1] == f"import:{files[1]}\t{second.reference}"
    assert lines[2] == f"import:{files[2]}\t{second.reference}\tduplicate"
    assert lines[3].startswith(f"import:{files[3]}\tignored: automatic reply")
    assert lines[4].startswith(f"import:{files[4]}\tquarantined: The message has no sender address.")
    assert lines[5] == ("5 messages: 2 tickets created, 0 added to tickets, 1 quarantined, "
                        "1 automatic replies ignored, 0 bounces, 1 already stored")


def test_import_reads_mbox_files_and_maildir_folders(cast, tmp_path):
    box = mailbox.mbox(tmp_path / "old-system.mbox")
    box.add(mail(cast.client_a.email, "Esimene", "<m-1@alfa.ee>"))
    box.add(mail(cast.client_a.email, "Teine", "<m-2@alfa.ee>"))
    box.flush()
    maildir = mailbox.Maildir(tmp_path / "Maildir", create=True)
    key = maildir.add(mail(cast.client_b.email, "Kolmas", "<m-3@beeta.ee>"))

    status, lines, _err = run("import", str(tmp_path / "old-system.mbox"), str(tmp_path / "Maildir"))

    assert status == 0
    refs = {t.title: t.reference for t in Ticket.objects.all()}
    assert lines[:3] == [
        f"import:{tmp_path / 'old-system.mbox'}#1\t{refs['Esimene']}",
        f"import:{tmp_path / 'old-system.mbox'}#2\t{refs['Teine']}",
        f"import:{tmp_path / 'Maildir'}/{key}\t{refs['Kolmas']}",
    ]
    assert Ticket.objects.get(title="Kolmas").requester == cast.client_b


def test_import_again_replays_nothing_twice(cast, tmp_path):
    path = tmp_path / "one.eml"
    path.write_bytes(mail(cast.client_a.email, "Kord", "<once@alfa.ee>"))
    run("import", str(path))

    status, lines, _err = run("import", str(path))

    assert status == 0 and lines[0].endswith("\tduplicate") and Ticket.objects.count() == 1


def test_import_names_a_missing_path_and_still_imports_the_rest(cast, tmp_path):
    path = tmp_path / "one.eml"
    path.write_bytes(mail(cast.client_a.email, "Olemas", "<here@alfa.ee>"))

    status, lines, err = run("import", str(tmp_path / "missing.mbox"), str(path))

    assert status == commands_intake.EX_NOINPUT
    assert "missing.mbox: no such file, mbox or Maildir folder" in err
    assert Ticket.objects.count() == 1 and lines[-1].endswith("1 paths unreadable")


def test_subcommands_of_other_modules_register_themselves(db):
    from django.core.management import load_command_class

    parser = load_command_class("tugi.channels", "mail").create_parser("tugi", "mail")
    help_text = parser.format_help()
    assert "receive" in help_text and "import" in help_text


@pytest.mark.parametrize("broken", [b"\x00\x01\x02", b""])
def test_import_of_a_broken_file_quarantines_it_with_the_reason(db, tmp_path, broken):
    path = tmp_path / "broken.eml"
    path.write_bytes(broken)
    status, lines, _err = run("import", str(path))
    assert status == 0 and lines[0].startswith(f"import:{path}\tquarantined: The message could not be read.")


def test_a_replayed_message_whose_handling_fails_is_stored_once_and_quarantined_with_the_reason(
        db, monkeypatch, caplog):
    """A replay stores and handles in one transaction without a savepoint of its own: a failure
    rolls it back whole, and the message is run again as arriving mail is, so it still waits in
    quarantine with the reason, once, and the failure is logged once."""
    ContactFactory(email="mari@alfa.ee")

    def broken(row, parsed):
        raise RuntimeError("the intake has a bug")

    monkeypatch.setattr(intake, "_decide", broken)
    result = intake.message_receive(mail("mari@alfa.ee", "Printer", "<bug@alfa.ee>"), source="import:x",
                                    is_replay=True)
    assert result.state == InboundState.QUARANTINED and "RuntimeError: the intake has a bug" in result.reason
    (stored,) = InboundMessage.objects.all()
    assert (stored.state, stored.reason_code, stored.attempts) == (InboundState.QUARANTINED, "error", 1)
    assert Ticket.objects.count() == 0
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == [
        f"mail intake failed on message {stored.pk}"]
