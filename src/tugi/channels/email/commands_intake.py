"""`tugi mail receive` (one message on standard input, for an MTA's pipe) and `tugi mail import
PATH...` (.eml files, mbox files, Maildir folders; for moving from another system and for replaying
mail). Both hand every message to the same intake as the IMAP poller and the LMTP receiver."""

from __future__ import annotations

import gc
import mailbox
import os
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from django.db import connection
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tugi.notifications.services import deliveries_batched

from ..models import InboundState
from .intake import IntakeResult, IntakeUnavailable, message_receive
from .parallel import Done, import_in_parallel

EX_OK = 0
EX_USAGE = 64
EX_NOINPUT = 66
EX_TEMPFAIL = 75  # sysexits.h: the MTA keeps the message and tries again later

PROGRESS_FROM = 50  # show progress on stderr from this many messages on
PARALLEL_FROM = 200  # below this, starting workers costs more than they save
DEFAULT_JOBS_MAX = 4


def register(subparsers) -> None:
    receive = subparsers.add_parser(
        "receive", help="Store one RFC 5322 message read from standard input (for an MTA's pipe).",
        description="Exit status 0 when the message was stored (as a ticket, an entry or in quarantine), "
                    "75 when it could not be stored and the MTA should try again.",
    )
    receive.add_argument("--source", default="pipe", help="What to record as the message's source (default: pipe).")
    receive.set_defaults(handler=receive_command)

    imports = subparsers.add_parser(
        "import", help="Take .eml files, mbox files and Maildir folders as if each message had arrived.",
        description="Prints one line per message: its source, a tab, then the ticket reference or "
                    "'quarantined: <reason>'; then a summary with the counts.",
    )
    imports.add_argument("paths", nargs="+", metavar="PATH")
    imports.add_argument(
        "--jobs", type=int, default=0, metavar="N",
        help=f"Worker processes (default: on PostgreSQL, from {PARALLEL_FROM} messages on, as many as the "
             f"machine has cores, at most {DEFAULT_JOBS_MAX}; otherwise 1). A thread's messages keep their order.",
    )
    imports.set_defaults(handler=import_command)


# --- receive ------------------------------------------------------------------------------------

def receive_command(options, out, err) -> int:
    try:
        raw = sys.stdin.buffer.read()
    except OSError as error:
        err.write(f"tugi mail receive: cannot read standard input: {error}")
        return EX_TEMPFAIL
    try:
        result = message_receive(raw, source=options["source"])
    except IntakeUnavailable as error:
        err.write(f"tugi mail receive: the message could not be stored, try again later: {error}")
        return EX_TEMPFAIL
    out.write(line_for(options["source"], result))
    return EX_OK


# --- import -------------------------------------------------------------------------------------

class Unreadable(Exception):
    pass


def _is_maildir(path: Path) -> bool:
    return path.is_dir() and any((path / sub).is_dir() for sub in ("cur", "new"))


def _is_mbox(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


def messages_in(path: Path) -> tuple[int, Iterator[tuple[bytes, str]]]:
    """How many messages the path holds and the messages, each with its source."""
    if _is_maildir(path):
        box = mailbox.Maildir(path, factory=None, create=False)
        keys = sorted(box.keys())
        return len(keys), ((box.get_bytes(key), f"import:{path}/{key}") for key in keys)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.eml") if p.is_file())
        return len(files), ((p.read_bytes(), f"import:{p}") for p in files)
    if not path.is_file():
        raise Unreadable(f"{path}: no such file, mbox or Maildir folder")
    if path.suffix.lower() != ".eml" and _is_mbox(path):
        box = mailbox.mbox(path, factory=None, create=False)
        keys = list(box.keys())
        return len(keys), ((box.get_bytes(key), f"import:{path}#{number}") for number, key in enumerate(keys, 1))
    return 1, iter([(path.read_bytes(), f"import:{path}")])


def line_for(source: str, result: IntakeResult) -> str:
    if result.state == InboundState.QUARANTINED:
        text = f"quarantined: {result.reason}"
    elif result.reference:
        text = result.reference
    else:
        text = f"{InboundState(result.state).label}: {result.reason}"
    text = " ".join(text.split())  # one line per message, whatever the reason holds
    return f"{source}\t{text}" + ("\tduplicate" if result.is_duplicate else "")


def import_command(options, out, err) -> int:
    counts: Counter[str] = Counter()
    status = EX_OK
    sources = []
    for name in options["paths"]:
        try:
            sources.append(messages_in(Path(name)))
        except (Unreadable, OSError, mailbox.Error) as error:
            err.write(f"tugi mail import: {error}")
            counts["unreadable paths"] += 1
            status = EX_NOINPUT
    total = sum(count for count, _messages in sources)
    console = Console(stderr=True)
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        console=console, transient=True, disable=total < PROGRESS_FROM or not console.is_terminal)
    jobs = options["jobs"] or _default_jobs(total)
    if jobs < 1:
        err.write("tugi mail import: --jobs must be 1 or more")
        return EX_USAGE
    if jobs > 1 and connection.vendor != "postgresql":
        err.write(f"tugi mail import: {connection.vendor} takes one writer at a time, so one process imports")
        jobs = 1
    unavailable = ""

    def record(source: str, result: IntakeResult) -> None:
        out.write(line_for(source, result))
        counts["duplicate" if result.is_duplicate else result.state] += 1
        progress.advance(task)

    with progress:
        task = progress.add_task("importing mail", total=total)
        messages = (message for _count, each in sources for message in each)
        # What start-up made lives as long as the import: the collector need not look at it again and
        # again (fewer pauses, and forked workers share those pages instead of copying them).
        gc.freeze()
        try:
            if jobs == 1:
                with deliveries_batched():
                    for raw, source in messages:
                        try:
                            # A replay: the file stays where it is, so storing and handling share one commit.
                            record(source, message_receive(raw, source=source, is_replay=True))
                        except IntakeUnavailable as error:
                            unavailable = str(error)
                            break
            else:
                def on_done(done: Done) -> bool:
                    nonlocal unavailable
                    if done.result is None:
                        unavailable = unavailable or done.unavailable
                        return False
                    record(done.source, done.result)
                    return True

                problem = import_in_parallel(messages, jobs=jobs, on_done=on_done)
                unavailable = unavailable or problem
        finally:
            gc.unfreeze()  # the import is over; a process that goes on (a test run) collects as usual
    if unavailable:
        err.write(f"tugi mail import: stopped; run again later (stored messages are skipped): {unavailable}")
        _summary(out, counts)
        return EX_TEMPFAIL
    _summary(out, counts)
    return status


def _default_jobs(total: int) -> int:
    """Several workers only where they help: PostgreSQL takes writers side by side, SQLite one at a time."""
    if total < PARALLEL_FROM or connection.vendor != "postgresql":
        return 1
    return max(1, min(os.cpu_count() or 1, DEFAULT_JOBS_MAX))


def _summary(out, counts: Counter[str]) -> None:
    messages = sum(n for key, n in counts.items() if key != "unreadable paths")
    parts = [
        f"{counts[InboundState.CREATED]} tickets created",
        f"{counts[InboundState.ADDED]} added to tickets",
        f"{counts[InboundState.QUARANTINED]} quarantined",
        f"{counts[InboundState.LOOP]} automatic replies ignored",
        f"{counts[InboundState.BOUNCE]} bounces",
        f"{counts['duplicate']} already stored",
    ]
    if counts["unreadable paths"]:
        parts.append(f"{counts['unreadable paths']} paths unreadable")
    out.write(f"{messages} messages: " + ", ".join(parts))

