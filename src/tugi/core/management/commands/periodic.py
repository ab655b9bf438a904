import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from tugi.core.periodic import jobs


class Command(BaseCommand):
    help = "Run the periodic jobs that are due (postponed tickets coming back, reminders, ...)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, default=0, metavar="SECONDS",
                            help="Keep running, every SECONDS seconds (0: run once and stop).")

    def handle(self, *args, loop: int, verbosity: int, **options):
        while True:
            for job in jobs():
                done = job.run()
                if verbosity > 1 or (done and verbosity > 0):
                    self.stdout.write(f"{job.name}: {done}")
            if not loop:
                return
            close_old_connections()  # a long-running loop must not hold a broken or stale connection
            time.sleep(loop)
