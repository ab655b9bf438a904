"""`tugi sla recompute [--all]`: recompute open tickets' SLA due times and escalation schedules
(K8). Without --all only tickets without due times (from before the SLA engine, or imported); with
--all every open ticket, as after a change the admin did not make (a bulk import of calendars)."""

from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from tugi.core.actors import system_actor
from tugi.sla.escalation import sla_escalations_run
from tugi.sla.recompute import BATCH_SIZE, sla_recompute


class Command(BaseCommand):
    help = "The SLA engine's upkeep: recompute due times (recompute [--all]) or run the escalation once (escalate)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        recompute = sub.add_parser("recompute", help="Recompute open tickets' due times, keeping every pause.")
        recompute.add_argument("--all", action="store_true", dest="everything",
                               help="Every open ticket, not only those without due times.")
        recompute.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        sub.add_parser("escalate", help="Run the escalation job once now (it also runs with `tugi periodic`).")

    def handle(self, *args, action: str, verbosity: int, **options):
        if action == "escalate":
            self.stdout.write(f"{sla_escalations_run()} escalation(s) sent")
            return
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   TimeRemainingColumn())
        with Progress(*columns, disable=verbosity < 1) as progress:
            task = progress.add_task("Recomputing SLA due times", total=None)

            def report(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            done = sla_recompute(
                actor=system_actor("tugi sla recompute"), missing_only=not options["everything"],
                batch_size=options["batch_size"], progress=report,
                reason="all open tickets" if options["everything"] else "tickets without due times",
            )
        self.stdout.write(f"{done} open ticket(s) recomputed")
