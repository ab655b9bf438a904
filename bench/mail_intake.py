"""Mail intake throughput (K14) on PostgreSQL: messages per second through `tugi mail import` (an mbox
of realistic mail: new reports, replies threading by In-Reply-To, out-of-office replies, unknown
senders, duplicates) and through `tugi mail receive`, one process per message as an MTA's pipe runs it.

    .venv/bin/python bench/mail_intake.py                 # 3000 messages, 40 receive processes
    .venv/bin/python bench/mail_intake.py --messages 10000 --receive 100 --parallel 4

It creates (or empties) its own database, tugi_mailbench on 127.0.0.1, and leaves it for a look.
"""

from __future__ import annotations

import argparse
import mailbox
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TUGI = str(ROOT / ".venv" / "bin" / "tugi")
WORDS = ("printer", "server", "parool", "võrk", "arve", "VPN", "konto", "ligipääs", "kettaruum", "varukoopia",
         "tõrge", "aeglane", "ekraan", "töötab", "katkeb", "ühendus", "e-post", "kalender", "faili", "kaust",
         "õigused", "uuendus")


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy (all cores), from /proc/stat."""
    fields = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql, "postgres"], check=True,
                   capture_output=True)


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def body(rng: random.Random, quoted: str = "") -> str:
    text = "Tere,\n\n" + "\n".join(sentence(rng, rng.randint(8, 20)) for _ in range(rng.randint(2, 6)))
    text += "\n\nLugupidamisega\nKlient\nTel +372 5555 0000\n"
    if quoted:
        text += "\nOn Mon, 3 Mar 2025 at 11:02, Tugi <tugi@example.com> wrote:\n" + "".join(
            f"> {line}\n" for line in quoted.splitlines())
    return text


def make(sender: str, subject: str, text: str, *, in_reply_to: str = "", auto: bool = False,
         when: datetime) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "Tugi <tugi@example.com>"
    message["Subject"] = subject
    message["Date"] = format_datetime(when)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2])
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    if auto:
        message["Auto-Submitted"] = "auto-replied"
    message.set_content(text)
    return message


def generate(count: int, contacts: list[str], seed: int = 7) -> list[bytes]:
    """55% new reports, 30% replies in their thread, 5% out-of-office, 5% unknown senders, 5% duplicates."""
    rng = random.Random(seed)
    when = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    new: list[EmailMessage] = []
    out: list[bytes] = []
    while len(out) < count:
        when += timedelta(seconds=rng.randint(5, 120))
        roll = rng.random()
        if roll < 0.30 and new:
            first = rng.choice(new)
            message = make(first["From"], "Re: " + first["Subject"], body(rng, first.get_content()),
                           in_reply_to=first["Message-ID"], when=when)
        elif roll < 0.35 and new:
            first = rng.choice(new)
            message = make(first["From"], "Automaatne vastus: " + first["Subject"],
                           "Olen puhkusel kuni 24.03.\n", in_reply_to=first["Message-ID"], auto=True, when=when)
        elif roll < 0.40:
            message = make(f"stranger{rng.randint(1, 10**6)}@unknown.example", sentence(rng, 4), body(rng), when=when)
        elif roll < 0.45 and out:
            out.append(rng.choice(out))  # the same message delivered twice
            continue
        else:
            message = make(rng.choice(contacts), sentence(rng, rng.randint(3, 6)), body(rng), when=when)
            new.append(message)
        out.append(message.as_bytes())
    return out


def setup_database(name: str, contacts: int) -> tuple[dict, list[str]]:
    psql(f"DROP DATABASE IF EXISTS {name}")
    psql(f"CREATE DATABASE {name}")
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}", "DEBUG": "false",
           "TUGI_TASK_BACKEND": "database"}
    subprocess.run([TUGI, "migrate", "-v0"], env=env, check=True)
    script = f"""
from tugi.catalog.models import Service
from tugi.directory.models import Contact, Organisation, StaffMember
from tugi.core.models import User
manager = StaffMember.objects.create(user=User.objects.create(username="bench-manager"), name="Manager",
                                     email="manager@tugi.example", is_service_manager=True)
orgs = [Organisation.objects.create(name=f"Bench {{n}} OÜ", email_domains=f"org{{n}}.example") for n in range(20)]
Contact.objects.bulk_create(
    Contact(organisation=orgs[n % 20], name=f"Client {{n}}", email=f"client{{n}}@org{{n % 20}}.example")
    for n in range({contacts}))
"""
    subprocess.run([TUGI, "shell", "-c", script], env=env, check=True)
    return env, [f"client{n}@org{n % 20}.example" for n in range(contacts)]


def queries_by_kind(env: dict, contacts: list[str]) -> None:
    """SQL statements per message of each kind, in-process (savepoints included): the part of the
    cost that does not depend on how busy the machine is."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tugi.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tugi.channels.email.intake import message_receive

    when = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
    first = make(contacts[1], "Kaust on kadunud", "Tere, kaust on kadunud.\n", when=when)
    kinds = {
        "new ticket, known contact": first,
        "reply by In-Reply-To": make(contacts[1], "Re: Kaust on kadunud", "Leidsin üles.\n",
                                     in_reply_to=first["Message-ID"], when=when),
        "out-of-office in a thread": make(contacts[1], "Automaatne vastus: Kaust", "Puhkusel.\n",
                                          in_reply_to=first["Message-ID"], auto=True, when=when),
        "unknown sender (S2)": make("someone@org3.example", "Abi", "Palun helistage.\n", when=when),
        "auto-reply outside a thread": make("robot@nowhere.example", "Out of office", "Away.\n", auto=True,
                                            when=when),
    }
    # A process reads each business calendar once (then only when it changes): warm it as a running
    # import is, so the counts are those of every later message.
    message_receive(make(contacts[2], "Soojendus", "Tere.\n", when=when).as_bytes(), source="bench", is_replay=True)
    print("SQL statements per message as `tugi mail import` takes it (savepoints, BEGIN and COMMIT included):")
    for label, message in [*kinds.items(), ("duplicate", first)]:
        with CaptureQueriesContext(connection) as captured:
            message_receive(message.as_bytes(), source="bench", is_replay=True)
        print(f"  {label:32} {len(captured.captured_queries):3}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--contacts", type=int, default=500)
    parser.add_argument("--receive", type=int, default=40, help="messages through `tugi mail receive`")
    parser.add_argument("--parallel", type=int, default=2, help="receive processes at a time")
    parser.add_argument("--database", default="tugi_mailbench")
    parser.add_argument("--jobs", type=int, default=0,
                        help="worker processes of `tugi mail import` (default: the command's own choice)")
    options = parser.parse_args()

    env, contacts = setup_database(options.database, options.contacts)
    messages = generate(options.messages, contacts)
    size = sum(len(m) for m in messages)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.mbox"
        box = mailbox.mbox(path)
        for raw in messages:
            box.add(raw)
        box.flush()
        jobs = ["--jobs", str(options.jobs)] if options.jobs else []
        children, busy = resource.getrusage(resource.RUSAGE_CHILDREN), machine_busy()
        started = time.perf_counter()
        done = subprocess.run([TUGI, "mail", "import", *jobs, str(path)], env=env, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        tugi_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
        all_cpu = machine_busy() - busy
        if done.returncode:
            sys.exit(f"import failed ({done.returncode}): {done.stderr[-2000:]}")
        summary = done.stdout.strip().splitlines()[-1]
        print(f"import (--jobs {options.jobs or 'default'}): {len(messages)} messages ({size / 1e6:.1f} MB) "
              f"in {elapsed:.1f} s = "
              f"{len(messages) / elapsed:.0f} messages/s (whole process, start-up included)")
        print(f"        {summary}")
        print(f"        CPU per message: {tugi_cpu / len(messages) * 1000:.1f} ms in Tugi's processes, "
              f"{(all_cpu - tugi_cpu) / len(messages) * 1000:.1f} ms elsewhere (PostgreSQL and the rest of the "
              f"machine); {os.cpu_count()} cores")

    queries_by_kind(env, contacts)

    if options.receive < 1:
        return
    extra = generate(options.receive, contacts, seed=99)

    def receive(raw: bytes) -> float:
        began = time.perf_counter()
        run = subprocess.run([TUGI, "mail", "receive"], input=raw, env=env, capture_output=True)
        if run.returncode:
            raise RuntimeError(run.stderr.decode()[-1000:])
        return time.perf_counter() - began

    started = time.perf_counter()
    with ThreadPoolExecutor(options.parallel) as pool:
        times = sorted(pool.map(receive, extra))
    elapsed = time.perf_counter() - started
    print(f"receive: {len(extra)} processes, {options.parallel} at a time: {len(extra) / elapsed:.1f} messages/s; "
          f"per process median {times[len(times) // 2] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
