"""`tugi mail lmtp`: run the LMTP (or SMTP) receiver an MTA delivers the support mail to (K14),
until stopped (SIGTERM or Ctrl-C). See `tugi.channels.email.lmtp` and docs/mail.md."""

from __future__ import annotations

import signal
import threading

from django.conf import settings

from .lmtp import accepted_domains, receiver_start, receiver_stop

EX_OK = 0
EX_USAGE = 64
EX_UNAVAILABLE = 69


def register(subparsers) -> None:
    lmtp = subparsers.add_parser(
        "lmtp", help="Receive mail over LMTP (or SMTP) from an MTA and store it.",
        description="Answers 250 once a message is stored (as a ticket, an entry or in quarantine) and 451 "
                    "when it could not be stored, so the MTA keeps it and tries again.",
    )
    lmtp.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
    lmtp.add_argument("--port", type=int, default=8024, help="Port to listen on (default 8024).")
    lmtp.add_argument("--smtp", action="store_true", help="Speak SMTP instead of LMTP.")
    lmtp.add_argument("--domain", action="append", metavar="DOMAIN",
                      help="Accept recipients of this domain (may repeat; default TUGI_LMTP_DOMAINS, else the "
                           "support address's domain).")
    lmtp.set_defaults(handler=lmtp_command)


def lmtp_command(options, out, err) -> int:
    domains = tuple(options["domain"]) if options.get("domain") else accepted_domains()
    if not domains:
        err.write("tugi mail lmtp: no recipient domain to accept; set TUGI_LMTP_DOMAINS or give --domain.")
        return EX_USAGE
    protocol = "smtp" if options.get("smtp") else "lmtp"
    try:
        controller = receiver_start(host=options["host"], port=options["port"], protocol=protocol, domains=domains)
    except (OSError, RuntimeError) as error:
        err.write(f"tugi mail lmtp: cannot listen on {options['host']}:{options['port']}: {error}")
        return EX_UNAVAILABLE
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_args: stopped.set())
    out.write(f"Tugi receives {protocol.upper()} on {options['host']}:{options['port']} for "
              f"{', '.join(domains)} (up to {settings.TUGI_LMTP_MAX_BYTES // (1024 * 1024)} MB a message).")
    out.flush()
    try:
        stopped.wait()
    finally:
        receiver_stop(controller)
        out.write(f"Stopped; messages stored: {controller.handler.received}.")
    return EX_OK
