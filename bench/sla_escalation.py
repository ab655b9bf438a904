"""How long the SLA escalation job takes at 10,000 and at 1,000,000 open tickets (issue 5, K8).

The job reads only the armed escalation steps whose moment has come (a partial index on
``sla_slaescalation(due_at) WHERE status = 'armed'``), so its time follows the steps due, not the
tickets open. For each size this benchmark fills its own PostgreSQL database with that many open
tickets, each with its four armed steps (75 % and 100 % of the response and the resolution target,
spread over the next 30 days), makes ``--due`` of them due now, and times:

- an idle run (nothing due): the fixed cost of one run;
- a run that sends the due steps (mail queued to the assignee or the service manager, an internal
  event and an audit record each);

and prints the plan of the job's read (EXPLAIN ANALYZE) to show the index at work.

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE tugi_sla_bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tugi_sla_bench \\
        .venv/bin/python bench/sla_escalation.py [--sizes 10000,1000000] [--due 200] [--repeat 3]

It migrates the database and EMPTIES ITS TICKETS for each size: give it a database of its own (its
name must contain "bench")."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tugi.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tugi_sla_bench")
os.environ.setdefault("TUGI_TASK_BACKEND", "database")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402

from tugi.catalog.models import Service  # noqa: E402
from tugi.core.models import User  # noqa: E402
from tugi.directory.models import Organisation, StaffMember  # noqa: E402
from tugi.sla.escalation import escalation_job_query, sla_escalations_run  # noqa: E402
from tugi.sla.models import SLAEscalation  # noqa: E402
from tugi.tickets.models import Ticket, TicketState  # noqa: E402
from tugi.tickets.services import tickets_delete_all  # noqa: E402

COPY_BATCH = 50_000


def _cast() -> tuple[Organisation, Service, StaffMember]:
    def staff(username: str, **flags) -> StaffMember:
        user, _created = User.objects.get_or_create(username=username)
        member, _created = StaffMember.objects.get_or_create(
            user=user, defaults={"name": username, "email": f"{username}@bench.invalid", **flags}
        )
        return member

    manager = staff("sla-bench-manager", is_service_manager=True)
    agent = staff("sla-bench-agent")
    service, _created = Service.objects.get_or_create(
        code="sla-bench", defaults={"name": "SLA bench", "catalogue_owner": manager, "service_manager": manager}
    )
    organisation, _created = Organisation.objects.get_or_create(name="SLA bench OÜ")
    return organisation, service, agent


def _fill(size: int, progress: Progress) -> None:
    """``size`` open tickets by COPY (every column from a template ticket's values, so columns added
    later need no change here), then four armed steps each by one INSERT ... SELECT."""
    organisation, service, agent = _cast()
    now = timezone.now()
    template = Ticket(kind="incident", number=0, reference="", title="Escalation bench", source="agent",
                      organisation=organisation, service=service, assignee=agent, state=TicketState.IN_PROGRESS,
                      last_activity_at=now, created_at=now, updated_at=now)
    fields = [f for f in Ticket._meta.concrete_fields if not f.primary_key]
    values = {f.column: f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields}
    columns = [f.column for f in fields]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    task = progress.add_task(f"{size:,} open tickets", total=size)
    with transaction.atomic():
        tickets_delete_all()
        with connection.cursor() as cursor:
            done = 0
            while done < size:
                batch = min(COPY_BATCH, size - done)
                with cursor.copy(f"COPY {Ticket._meta.db_table} ({quoted}) FROM STDIN") as copy:
                    for n in range(done + 1, done + batch + 1):
                        row = dict(values, number=n, reference=f"INC-{n:07d}")
                        copy.write_row([row[c] for c in columns])
                done += batch
                progress.update(task, completed=done)
            # 75 % / 100 % of response and resolution, spread from 1 hour to 30 days ahead.
            cursor.execute(
                f"""INSERT INTO {SLAEscalation._meta.db_table} (ticket_id, target, threshold, due_at, status, notified)
                    SELECT t.id, s.target, s.threshold,
                           now() + interval '1 hour' + (hashtext(t.reference || s.target || s.threshold) & 1023)
                                   * interval '42 minutes' * s.factor,
                           'armed', ''
                    FROM {Ticket._meta.db_table} t
                    CROSS JOIN (VALUES ('response', 75, 0.03), ('response', 100, 0.04),
                                       ('resolution', 75, 0.75), ('resolution', 100, 1.0))
                         AS s(target, threshold, factor)"""
            )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Ticket._meta.db_table}")
        cursor.execute(f"ANALYZE {SLAEscalation._meta.db_table}")


def _make_due(count: int) -> None:
    """``count`` steps (75 % of the response, on different tickets) reached a minute ago."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {SLAEscalation._meta.db_table} SET status = 'armed', sent_at = NULL, notified = '',
                       due_at = now() - interval '1 minute'
                WHERE id IN (SELECT id FROM {SLAEscalation._meta.db_table}
                             WHERE target = 'response' AND threshold = 75 ORDER BY ticket_id LIMIT %s)""",
            [count],
        )


def _timed(run) -> float:
    began = time.perf_counter()
    run()
    return time.perf_counter() - began


def _plan() -> str:
    sql, params = escalation_job_query(timezone.now())[:200].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,1000000", help="open tickets, comma-separated")
    parser.add_argument("--due", type=int, default=200, help="escalation steps due in each timed run")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if connection.vendor != "postgresql" or "bench" not in connection.settings_dict["NAME"]:
        sys.exit("Give it a PostgreSQL database of its own whose name contains 'bench' (it empties its tickets).")
    call_command("migrate", verbosity=0)
    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    for size in sizes:
        with Progress(*columns) as progress:
            fill = _timed(lambda size=size, progress=progress: _fill(size, progress))
        armed = SLAEscalation.objects.filter(status="armed").count()
        idle = statistics.median(_timed(sla_escalations_run) for _ in range(args.repeat))
        busy = []
        for _ in range(args.repeat):
            _make_due(args.due)
            busy.append(_timed(sla_escalations_run))
        sent = SLAEscalation.objects.filter(status="sent").count()
        _make_due(args.due)
        plan = _plan()
        results.append((size, armed, fill, idle, statistics.median(busy), sent))
        print(f"\n{size:,} open tickets, {armed:,} armed steps (filled in {fill:.0f} s)")
        print(f"  idle run (nothing due):        {idle * 1000:8.1f} ms (median of {args.repeat})")
        print(f"  run sending {args.due} due steps:      {statistics.median(busy) * 1000:8.1f} ms "
              f"(median of {args.repeat}; {statistics.median(busy) / args.due * 1000:.1f} ms per step)")
        print("  the job's read, EXPLAIN ANALYZE:")
        print("    " + plan.replace("\n", "\n    "))
    print(f"\n| open tickets | armed steps | idle run | run sending {args.due} due steps | per step |")
    print("|---:|---:|---:|---:|---:|")
    for size, armed, _fill_s, idle, busy, _sent in results:
        per_step = busy / args.due * 1000
        print(f"| {size:,} | {armed:,} | {idle * 1000:.1f} ms | {busy * 1000:.0f} ms | {per_step:.1f} ms |")


if __name__ == "__main__":
    main()
