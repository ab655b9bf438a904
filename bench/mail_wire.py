"""Messages per second through the two network ways in (K14): the LMTP receiver and IMAP polling.

- ``lmtp-new``: a few client threads deliver over LMTP (one connection each, as an MTA keeps one),
  every message from a known contact, so each opens a ticket and queues its acknowledgement;
- ``lmtp-reply``: the same, every message a reply (In-Reply-To) to one of those tickets, so each
  adds an entry and tells the ticket's parties;
- ``lmtp-wire`` and ``imap-wire``: the same transport with an intake that stores nothing, for
  what the receiver and the poller themselves cost;
- ``imap-new``: messages APPENDed to a Dovecot of the benchmark's own (not timed), then one poll
  stores them all and flags each \\Seen; ``imap-move`` moves each to a folder instead.

The receiver, the clients and the poller run in this process, on the same 2-core machine as the
database (and Dovecot), so the figures are what one receiver process and one poller do.

    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE tugi_mailwire'
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/tugi_mailwire
    .venv/bin/tugi migrate
    .venv/bin/python bench/mail_wire.py --messages 500 --clients 4
"""

from __future__ import annotations

import argparse
import itertools
import os
import smtplib
import sys
import threading
import time
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.channels.mailservers: the same Dovecot set-up as the tests
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tugi.settings")
os.environ.setdefault("TUGI_TASK_BACKEND", "database")  # enqueueing the mail costs what it costs in production

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import Progress  # noqa: E402
from rich.table import Table  # noqa: E402

from tugi.channels.email import imap  # noqa: E402
from tugi.channels.email.intake import IntakeResult, message_receive  # noqa: E402
from tugi.channels.email.lmtp import receiver_start, receiver_stop  # noqa: E402
from tugi.directory.models import Contact, Organisation  # noqa: E402

DOMAIN = "tugi.bench.example"
RUN = str(int(time.time()))  # each run's Message-IDs are new, so nothing is a duplicate of an earlier run


def contacts(count: int) -> list[Contact]:
    organisation, _created = Organisation.objects.get_or_create(
        name="Bench Mail OÜ", defaults={"email_domains": "mail.bench.example"})
    return [Contact.objects.get_or_create(email=f"bench-mail-{n}@mail.bench.example",
                                          defaults={"organisation": organisation, "name": f"Bench Sender {n}"})[0]
            for n in range(count)]


def message(sender: Contact, number: int, *, reply_to: str | None = None) -> tuple[bytes, str]:
    mail = EmailMessage()
    mail["From"] = f"{sender.name} <{sender.email}>"
    mail["To"] = f"tugi@{DOMAIN}"
    mail["Subject"] = f"Bench printer {number} prints nothing" if reply_to is None else "Re: more detail"
    mail["Message-ID"] = make_msgid(idstring=f"{RUN}.{number}", domain="mail.bench.example")
    if reply_to:
        mail["In-Reply-To"] = reply_to
        mail["References"] = reply_to
    mail.set_content("The printer on the second floor prints nothing since this morning.\n\n"
                     "Mari\n+372 5555 0000\n")
    return bytes(mail), mail["Message-ID"]


def nothing_stored(raw: bytes, *, source: str) -> IntakeResult:
    """An intake that stores nothing: what the transport alone costs."""
    return IntakeResult(state="created", reference="", reason="", is_duplicate=False)


def intake_for(kind: str):
    return nothing_stored if kind.endswith("-wire") else message_receive


def free_port() -> int:
    from tests.channels.mailservers import free_port as port

    return port()


def lmtp(kind: str, senders: list[Contact], total: int, clients: int, progress, replies_to: list[str]) -> dict:
    controller = receiver_start(host="127.0.0.1", port=free_port(), domains=(DOMAIN,), receive=intake_for(kind))
    numbers = itertools.count()
    lock = threading.Lock()
    done = {"ok": 0, "failed": 0, "ids": []}
    task = progress.add_task(kind, total=total)

    def client():
        with smtplib.LMTP("127.0.0.1", controller.port) as session:
            while True:
                with lock:
                    number = next(numbers)
                if number >= total:
                    return
                parent = replies_to[number % len(replies_to)] if kind == "lmtp-reply" else None
                raw, message_id = message(senders[number % len(senders)], number + (0 if parent is None else total),
                                          reply_to=parent)
                try:
                    session.sendmail(senders[0].email, [f"tugi@{DOMAIN}"], raw)
                    ok = True
                except smtplib.SMTPException:
                    ok = False
                with lock:
                    done["ok" if ok else "failed"] += 1
                    if ok:
                        done["ids"].append(message_id)
                progress.advance(task)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    receiver_stop(controller)
    return {"scenario": kind, "messages": done["ok"], "failed": done["failed"], "seconds": elapsed,
            "ids": done["ids"]}


def imap_poll(kind: str, senders: list[Contact], total: int, progress) -> dict:
    from imap_tools import MailBoxUnencrypted

    from tests.channels.mailservers import dovecot_running

    with dovecot_running(folders=("Processed",)) as server:
        with MailBoxUnencrypted("127.0.0.1", server.imap_port).login(server.user, server.password) as box:
            task = progress.add_task(f"{kind}: APPEND", total=total)
            for number in range(total):
                offset = 10_000_000 + (total if kind == "imap-move" else 0)
                box.append(message(senders[number % len(senders)], offset + number)[0], "INBOX")
                progress.advance(task)
        query = {"after": "move", "move_to": "Processed"} if kind == "imap-move" else {}
        receive = intake_for(kind)
        config = imap.mailbox_config_from_url(server.url(**query))
        task = progress.add_task(kind, total=total)
        started = time.monotonic()
        result = imap.mailbox_poll(config, limit=total, receive=receive,
                                   on_message=lambda _outcome: progress.advance(task))
        elapsed = time.monotonic() - started
    return {"scenario": kind, "messages": result.stored, "failed": result.failed + result.unfinished,
            "seconds": elapsed, "error": result.error}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=500, help="Messages per scenario.")
    parser.add_argument("--clients", type=int, default=4, help="LMTP client connections at once.")
    parser.add_argument("--scenarios", default="lmtp-wire,lmtp-new,lmtp-reply,imap-wire,imap-new,imap-move")
    options = parser.parse_args()
    console = Console()
    senders = contacts(50)
    scenarios = options.scenarios.split(",")
    results = []
    new_ids: list[str] = []
    with Progress(console=console, transient=True) as progress:
        for kind in scenarios:
            if kind.startswith("lmtp"):
                if kind == "lmtp-reply" and not new_ids:
                    new_ids = lmtp("lmtp-new (for replies)", senders, 50, options.clients, progress, [])["ids"]
                result = lmtp(kind, senders, options.messages, options.clients, progress, new_ids)
                if kind == "lmtp-new":
                    new_ids = result["ids"]
            else:
                result = imap_poll(kind, senders, options.messages, progress)
            results.append(result)
    table = Table(title=f"Mail over LMTP and IMAP on {connection.vendor} ({os.cpu_count()} cores, "
                        f"load {os.getloadavg()[0]:.2f})")
    for column in ("scenario", "messages", "failed", "seconds", "messages/s"):
        table.add_column(column, justify="left" if column == "scenario" else "right")
    for result in results:
        table.add_row(result["scenario"], str(result["messages"]), str(result["failed"]), f"{result['seconds']:.1f}",
                      f"{result['messages'] / result['seconds']:.1f}")
    console.print(table)


if __name__ == "__main__":
    main()
