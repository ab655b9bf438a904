"""An LMTP (or SMTP) receiver an MTA delivers the support address's mail to (K14).

Postfix, Exim and the like hand a message over LMTP and keep it in their queue until the receiver
answers: 250 once the intake has committed it (as a ticket, an entry, a recorded bounce or in
quarantine), 451 when it could not be stored, so the MTA tries again later and nothing is lost.
Only recipients of the configured domains are accepted (``TUGI_LMTP_DOMAINS``, by default the
support address's), so the receiver is no open relay; messages above ``TUGI_LMTP_MAX_BYTES`` are
refused with 552 before they are stored. LMTP answers DATA once per accepted recipient; the
message is stored once whatever the number of recipients.

The intake is Django's synchronous ORM, so it runs in a small thread pool beside aiosmtpd's event
loop; each thread keeps its own database connection, closed when the database has dropped it.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from email.utils import parseaddr

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import close_old_connections, connections

from .intake import IntakeResult, IntakeUnavailable, message_receive

logger = logging.getLogger(__name__)

WORKERS = 4  # messages stored at the same time; more only wait for the database's locks
OK = "250 2.0.0 Message stored"
TRY_LATER = "451 4.3.0 The message could not be stored now; please try again later"
NOT_HERE = "550 5.1.1 <{address}>: this receiver takes only mail for {domains}"


def accepted_domains() -> tuple[str, ...]:
    configured = [d.strip().lower().lstrip("@") for d in settings.TUGI_LMTP_DOMAINS if d.strip()]
    if configured:
        return tuple(configured)
    _name, support = parseaddr(settings.TUGI_SUPPORT_EMAIL)
    return (support.rpartition("@")[2].lower(),) if "@" in support else ()


class IntakeHandler:
    """aiosmtpd's handler: recipients by domain, DATA into the intake."""

    def __init__(self, *, domains: tuple[str, ...] | None = None,
                 receive: Callable[..., IntakeResult] = message_receive, workers: int = WORKERS):
        self.domains = tuple(d.lower() for d in (accepted_domains() if domains is None else domains))
        self.receive = receive
        self.workers = workers
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tugi-lmtp")
        self.received = 0  # stored messages, duplicates included: for the command's log
        self._lock = threading.Lock()

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        domain = address.rpartition("@")[2].lower()
        if self.domains and domain not in self.domains:
            return NOT_HERE.format(address=address, domains=", ".join(self.domains))
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    def _store(self, raw: bytes, source: str) -> IntakeResult:
        close_old_connections()
        try:
            return self.receive(raw, source=source)
        finally:
            close_old_connections()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        peer = session.peer[0] if isinstance(session.peer, tuple) else str(session.peer)
        source = f"{'lmtp' if isinstance(server, LMTP) else 'smtp'}:{peer}"
        try:
            result = await asyncio.get_running_loop().run_in_executor(self.executor, self._store, raw, source)
        except IntakeUnavailable as error:
            logger.warning("LMTP message from %s not stored, the MTA will retry: %s", peer, error)
            status = TRY_LATER
        except Exception:  # noqa: BLE001 — whatever went wrong, the MTA must keep the message and retry
            logger.exception("LMTP message from %s not stored, the MTA will retry", peer)
            status = TRY_LATER
        else:
            with self._lock:
                self.received += 1
            status = OK + (f" as {result.reference}" if result.reference else "")
        # LMTP answers once per accepted recipient (RFC 2033); SMTP once.
        count = max(1, len(envelope.rcpt_tos)) if isinstance(server, LMTP) else 1
        return "\r\n".join([status] * count)

    def close(self) -> None:
        """Close each intake thread's database connection (only its own thread may), then the pool."""
        barrier = threading.Barrier(self.workers)

        def close_own_connections() -> None:
            connections.close_all()
            with suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=5)  # keeps this thread from taking another's turn

        for future in [self.executor.submit(close_own_connections) for _ in range(self.workers)]:
            future.result()
        self.executor.shutdown(wait=True)


class ReceiverController(Controller):
    """aiosmtpd's threaded controller speaking LMTP (or SMTP)."""

    def __init__(self, handler: IntakeHandler, *, host: str, port: int, protocol: str = "lmtp",
                 max_bytes: int | None = None):
        self.protocol = protocol
        super().__init__(handler, hostname=host, port=port,
                         data_size_limit=settings.TUGI_LMTP_MAX_BYTES if max_bytes is None else max_bytes,
                         enable_SMTPUTF8=True, ident="Tugi")

    def factory(self):
        server_class = LMTP if self.protocol == "lmtp" else SMTP
        return server_class(self.handler, **self.SMTP_kwargs)


def receiver_start(*, host: str, port: int, protocol: str = "lmtp", domains: tuple[str, ...] | None = None,
                   receive: Callable[..., IntakeResult] = message_receive,
                   max_bytes: int | None = None) -> ReceiverController:
    """Start the receiver in a thread of its own; ``stop()`` it (and ``handler.close()``) when done."""
    controller = ReceiverController(IntakeHandler(domains=domains, receive=receive), host=host, port=port,
                                    protocol=protocol, max_bytes=max_bytes)
    controller.start()
    return controller


def receiver_stop(controller: ReceiverController) -> None:
    controller.stop()
    controller.handler.close()
