"""Polling IMAP mailboxes (K14): each message in the folder is handed to the intake, and only after
the intake has committed it is the message flagged, moved or deleted in the mailbox.

Messages are fetched with BODY.PEEK[], so fetching marks nothing read: a poller that dies at any
point leaves every message it had not finished with as it was, and the next run fetches it again.
The intake recognises a message it already stored (by Message-ID, or by content without one) and
stores nothing twice, so the rerun only finishes the flagging. An error on one message (the intake
could not store it, the server refused to flag it) is counted and the batch goes on; the message
stays in the mailbox for the next run.

A mailbox is configured as one URL (``TUGI_IMAP_MAILBOXES``, comma-separated for several):
``imaps://user:password@host:993/INBOX?after=move&move_to=Tugi``, with the schemes ``imaps`` (TLS),
``imap+starttls`` and ``imap`` (plain, for a server on the same machine), the password
URL-encoded, the folder as the path (default INBOX), and after storing ``after=seen`` (flag \\Seen;
only unseen messages are fetched), ``after=move`` (to ``move_to``) or ``after=delete``.
"""

from __future__ import annotations

import imaplib
import logging
import socket
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from imap_tools import AND, MailBox, MailBoxStartTls, MailBoxUnencrypted, MailMessageFlags
from imap_tools.errors import ImapToolsError
from imap_tools.message import MailMessage

from .intake import IntakeResult, IntakeUnavailable, message_receive

logger = logging.getLogger(__name__)

AFTER_SEEN = "seen"
AFTER_MOVE = "move"
AFTER_DELETE = "delete"
AFTERS = (AFTER_SEEN, AFTER_MOVE, AFTER_DELETE)
SECURITY_BY_SCHEME = {"imaps": "tls", "imap+starttls": "starttls", "imap": "plain"}
DEFAULT_PORTS = {"tls": 993, "starttls": 143, "plain": 143}
FETCH_BULK = 20  # messages per FETCH command: few round trips, bounded memory
DEFAULT_BATCH = 500  # messages per poll of one mailbox; the rest wait for the next poll

# What the server or the connection can do to a poll: the mailbox's run ends, the others go on.
CONNECTION_ERRORS = (OSError, imaplib.IMAP4.error, ImapToolsError, ssl.SSLError, socket.timeout)


@dataclass(frozen=True)
class MailboxConfig:
    host: str
    port: int
    security: str  # tls | starttls | plain
    user: str
    password: str = field(repr=False)
    folder: str = "INBOX"
    after: str = AFTER_SEEN
    move_to: str = ""
    timeout: float = 30.0

    @property
    def label(self) -> str:
        """How the mailbox is named in logs and as the stored message's source: no password."""
        return f"imap://{self.user}@{self.host}:{self.port}/{self.folder}"


def mailbox_config_from_url(url: str) -> MailboxConfig:
    """Read one mailbox URL; a wrong one is refused with what is wrong, at start-up."""
    parts = urlsplit(url.strip())
    security = SECURITY_BY_SCHEME.get(parts.scheme.lower())
    if security is None:
        raise ImproperlyConfigured(f"IMAP mailbox URL {parts.scheme}://…: the scheme must be one of "
                                   f"{', '.join(SECURITY_BY_SCHEME)}.")
    if not parts.hostname or not parts.username:
        raise ImproperlyConfigured(f"IMAP mailbox URL {parts.scheme}://…{parts.hostname or ''}: "
                                   "the user and the host are needed (imaps://user:password@host/INBOX).")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    after = query.get("after", AFTER_SEEN).lower()
    if after not in AFTERS:
        raise ImproperlyConfigured(f"IMAP mailbox {parts.hostname}: after= must be one of {', '.join(AFTERS)}.")
    move_to = query.get("move_to", "")
    if after == AFTER_MOVE and not move_to:
        raise ImproperlyConfigured(f"IMAP mailbox {parts.hostname}: after=move needs move_to=<folder>.")
    return MailboxConfig(
        host=parts.hostname, port=parts.port or DEFAULT_PORTS[security], security=security,
        user=unquote(parts.username), password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX", after=after, move_to=move_to,
        timeout=float(query.get("timeout", 30)),
    )


def configured_mailboxes() -> list[MailboxConfig]:
    return [mailbox_config_from_url(url) for url in settings.TUGI_IMAP_MAILBOXES if url.strip()]


class _RawMailMessage(MailMessage):
    """A fetched message as its raw bytes and UID: the intake reads and keeps the bytes exactly as
    they came, so they are not parsed here."""

    def __init__(self, fetch_data: list) -> None:
        raw, self._raw_uid_data, self._raw_flag_data = self._get_message_data_parts(fetch_data)
        self.raw = bytes(raw)
        self.obj = None


@contextmanager
def mailbox_open(config: MailboxConfig) -> Iterator[MailBox]:
    if config.security == "tls":
        box = MailBox(config.host, config.port, timeout=config.timeout, ssl_context=ssl.create_default_context())
    elif config.security == "starttls":
        box = MailBoxStartTls(config.host, config.port, timeout=config.timeout,
                              ssl_context=ssl.create_default_context())
    else:
        box = MailBoxUnencrypted(config.host, config.port, timeout=config.timeout)
    box.email_message_class = _RawMailMessage
    box.login(config.user, config.password, initial_folder=config.folder)
    try:
        yield box
    finally:
        with suppress(*CONNECTION_ERRORS):  # the session is gone either way
            box.logout()


@dataclass
class PollResult:
    mailbox: str
    stored: int = 0  # new messages the intake stored (as tickets, entries, bounces or in quarantine)
    duplicates: int = 0  # already stored by an earlier run: only their flagging was finished
    failed: int = 0  # the intake could not store them: left in the mailbox as they were
    unfinished: int = 0  # stored, but the server refused to flag, move or delete them: the next run does
    error: str = ""  # the connection failed: the poll of this mailbox stopped there
    results: list[IntakeResult] = field(default_factory=list, repr=False)

    @property
    def seen(self) -> int:
        return self.stored + self.duplicates + self.failed


def _finish(box: MailBox, config: MailboxConfig, uid: str) -> None:
    """The one step that changes the mailbox, taken only after the intake committed."""
    if config.after == AFTER_MOVE:
        box.move(uid, config.move_to)
    elif config.after == AFTER_DELETE:
        box.delete(uid)
    else:
        box.flag(uid, MailMessageFlags.SEEN, True)


Receive = Callable[..., IntakeResult]


def mailbox_poll(config: MailboxConfig, *, limit: int = DEFAULT_BATCH, receive: Receive = message_receive,
                 on_message: Callable[[IntakeResult | None], None] | None = None) -> PollResult:
    """Poll one mailbox once: up to ``limit`` messages, oldest first. ``receive`` is the intake
    (the tests put a crash after it)."""
    result = PollResult(config.label)
    criteria = AND(seen=False) if config.after == AFTER_SEEN else "ALL"
    try:
        with mailbox_open(config) as box:
            for message in box.fetch(criteria, mark_seen=False, limit=limit, bulk=FETCH_BULK):
                outcome = _poll_one(box, config, message, receive, result)
                if on_message is not None:
                    on_message(outcome)
            if config.after == AFTER_DELETE and result.seen:
                box.expunge()
    except CONNECTION_ERRORS as error:
        result.error = f"{type(error).__name__}: {error}"
        logger.warning("IMAP poll of %s stopped: %s", config.label, result.error)
    return result


def _poll_one(box: MailBox, config: MailboxConfig, message: _RawMailMessage, receive: Receive,
              result: PollResult) -> IntakeResult | None:
    try:
        outcome = receive(message.raw, source=config.label)
    except IntakeUnavailable as error:
        result.failed += 1
        logger.warning("IMAP %s UID %s not stored, left in the mailbox: %s", config.label, message.uid, error)
        return None
    # Committed: from here on a crash only means the next run finds it again as a duplicate.
    if outcome.is_duplicate:
        result.duplicates += 1
    else:
        result.stored += 1
    result.results.append(outcome)
    try:
        _finish(box, config, message.uid)
    except ImapToolsError as error:  # the server refused this one message's flag or move
        result.unfinished += 1
        logger.warning("IMAP %s UID %s stored but not %s: %s", config.label, message.uid, config.after, error)
    return outcome


def mailboxes_poll(configs: list[MailboxConfig] | None = None, *, limit: int = DEFAULT_BATCH) -> list[PollResult]:
    """Poll every configured mailbox once; one mailbox's failure does not stop the others."""
    return [mailbox_poll(config, limit=limit) for config in (configured_mailboxes() if configs is None else configs)]
