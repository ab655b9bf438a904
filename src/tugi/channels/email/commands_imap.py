"""`tugi mail imap`: poll the IMAP mailboxes of TUGI_IMAP_MAILBOXES once (for cron) or every N
seconds (as a service), handing each message to the intake (K14). See `tugi.channels.email.imap`."""

from __future__ import annotations

import time

from django.core.exceptions import ImproperlyConfigured
from django.db import close_old_connections
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .imap import DEFAULT_BATCH, MailboxConfig, PollResult, configured_mailboxes, mailbox_config_from_url, mailbox_poll

EX_OK = 0
EX_USAGE = 64
EX_TEMPFAIL = 75


def register(subparsers) -> None:
    imap = subparsers.add_parser(
        "imap", help="Poll the IMAP mailboxes (TUGI_IMAP_MAILBOXES) and store their mail.",
        description="A message is flagged, moved or deleted in its mailbox only after it was stored; a run "
                    "that dies loses nothing, and the next run stores nothing twice. Exit status 75 when a "
                    "mailbox could not be polled or a message could not be stored.",
    )
    when = imap.add_mutually_exclusive_group()
    when.add_argument("--once", action="store_true", help="Poll once and exit (the default).")
    when.add_argument("--loop", type=float, metavar="SECONDS", help="Poll every SECONDS until stopped.")
    imap.add_argument("--mailbox", action="append", metavar="URL",
                      help="Poll this mailbox URL instead of the configured ones (may repeat).")
    imap.add_argument("--limit", type=int, default=DEFAULT_BATCH, help="Messages per mailbox and poll.")
    imap.set_defaults(handler=imap_command)


def _line(result: PollResult) -> str:
    text = (f"{result.mailbox}: {result.stored} stored, {result.duplicates} already stored, "
            f"{result.failed} not stored")
    if result.unfinished:
        text += f", {result.unfinished} stored but not yet flagged"
    return text + (f"; stopped: {result.error}" if result.error else "")


def _poll_all(configs: list[MailboxConfig], limit: int, out) -> bool:
    """One poll of every mailbox; True when all went through."""
    console = Console(stderr=True)
    ok = True
    for config in configs:
        progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                            console=console, transient=True, disable=not console.is_terminal)
        with progress:
            task = progress.add_task(config.label, total=None)
            result = mailbox_poll(config, limit=limit,
                                  on_message=lambda _outcome, bar=progress, task=task: bar.advance(task))
        out.write(_line(result))
        ok = ok and not result.error and not result.failed and not result.unfinished
    return ok


def imap_command(options, out, err) -> int:
    try:
        configs = ([mailbox_config_from_url(url) for url in options["mailbox"]] if options.get("mailbox")
                   else configured_mailboxes())
    except ImproperlyConfigured as error:
        err.write(f"tugi mail imap: {error}")
        return EX_USAGE
    if not configs:
        err.write("tugi mail imap: no mailbox is configured; set TUGI_IMAP_MAILBOXES or give --mailbox.")
        return EX_USAGE
    if not options.get("loop"):
        return EX_OK if _poll_all(configs, options["limit"], out) else EX_TEMPFAIL
    try:
        while True:
            close_old_connections()  # a long-running poller must not keep a connection the database closed
            _poll_all(configs, options["limit"], out)
            time.sleep(options["loop"])
    except KeyboardInterrupt:
        return EX_OK
