"""``tugi audit verify``: check the tamper-evident records (K12), the audit trail and the time
entries, and report every row that was altered, removed or moved. ``tugi audit head``: the newest
hash of each chain, to write down elsewhere; ``verify --expect CHAIN=HASH`` then also notices the
newest rows cut off (which no chain can see by itself)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tugi.core import audit  # noqa: F401  (registers the audit trail's chain)
from tugi.core.hashchain import chains, head_of, verify, verify_order


class Command(BaseCommand):
    help = "Verify the hash chains of the audit trail and the time entries (verify), or print their heads (head)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("verify", help="Report every row altered, removed or moved; exit status 1 if any.")
        check.add_argument("--expect", action="append", default=[], metavar="CHAIN=HASH",
                           help="A head printed by 'tugi audit head' earlier: it must still be in the chain.")
        check.add_argument("--no-progress", action="store_true", help="No progress bar.")
        sub.add_parser("head", help="Print each chain's newest hash and its number of rows.")

    def handle(self, *args, action: str, **options):
        ordered = sorted(chains(), key=verify_order)
        if action == "head":
            for chain in ordered:
                self.stdout.write(f"{chain.name}={head_of(chain.model)} ({chain.model._base_manager.count()} rows)")
            return
        expected = self._expected(options["expect"], {c.name for c in ordered})
        problems = []
        console = Console(stderr=True)
        show = not options["no_progress"] and options["verbosity"] > 0
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, disable=not show, transient=True) as progress:
            for chain in ordered:
                task = progress.add_task(chain.name, total=chain.model._base_manager.count())
                problems += verify(chain, on_row=lambda task=task: progress.advance(task),
                                   expect=expected.get(chain.name, ""))
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} problem(s): the record was tampered with.", returncode=1)
        if options["verbosity"] > 0:
            counts = ", ".join(f"{c.name} {c.model._base_manager.count()}" for c in ordered)
            self.stdout.write(f"OK: every chain is intact ({counts} rows).")

    def _expected(self, values: list[str], names: set[str]) -> dict[str, str]:
        expected = {}
        for value in values:
            name, _, digest = value.partition("=")
            if name not in names or len(digest) != 64:
                raise CommandError(f"--expect takes CHAIN=HASH with CHAIN one of {', '.join(sorted(names))}.")
            expected[name] = digest.lower()
        return expected
