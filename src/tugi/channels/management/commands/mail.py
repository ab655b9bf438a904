"""`tugi mail <subcommand>`: the ways mail comes in by command (K14).

The subcommands live beside the code they run, in modules `tugi.channels.email.commands_<name>`,
each with `register(subparsers)` that adds its parser and sets `handler(options, out, err) -> int`
(the exit status) with `set_defaults`. So `receive` and `import` (commands_intake) and the IMAP
poller and LMTP receiver (their own modules) are added without editing this file."""

from __future__ import annotations

import importlib
import pkgutil

from django.core.management.base import BaseCommand, CommandError

import tugi.channels.email as email_package

PREFIX = "commands_"


def subcommand_modules() -> list[str]:
    return sorted(
        f"{email_package.__name__}.{info.name}"
        for info in pkgutil.iter_modules(email_package.__path__)
        if info.name.startswith(PREFIX)
    )


class Command(BaseCommand):
    # An MTA runs `receive` once per message: the system checks would cost each message time, and a
    # page's broken import would turn a storable message into a bounce instead of a stored one.
    requires_system_checks: list = []
    help = "Mail in: receive one message from standard input, import files, or run a mail transport."

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
        subparsers.required = True
        for name in subcommand_modules():
            importlib.import_module(name).register(subparsers)

    def handle(self, *args, **options):
        handler = options.get("handler")
        if handler is None:
            raise CommandError("Please name a subcommand; see `tugi mail --help`.")
        status = handler(options, self.stdout, self.stderr)
        if status:
            raise SystemExit(status)
