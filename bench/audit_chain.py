"""What the hash chain of the audit trail costs (K12): one audit write in its own transaction, as a
request makes it, chained (advisory lock + one read of the head + insert) and, for comparison, the
same insert unchained; then writers in parallel threads (they queue on the chain's lock), and how
fast ``tugi audit verify`` walks the chain.

    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE tugi_chain_bench'
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/tugi_chain_bench
    .venv/bin/tugi migrate
    .venv/bin/python bench/audit_chain.py --writes 2000 --threads 4

It writes audit events of a made-up action into that database: point it at a benchmark database."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tugi.settings")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, connections, models, transaction

    from tugi.core.actors import system_actor
    from tugi.core.audit import AUDIT_CHAIN, audit_record
    from tugi.core.hashchain import chains, verify
    from tugi.core.models import AuditEvent
    from tugi.directory.models import Organisation

    if connection.vendor != "postgresql":
        print("Run it on PostgreSQL (DATABASE_URL): SQLite has one writer at a time anyway.", file=sys.stderr)
        return 2
    target = Organisation.objects.first() or Organisation.objects.create(name="Bench chain OÜ")
    actor = system_actor("bench")

    def chained() -> None:
        with transaction.atomic():
            audit_record(actor=actor, action="bench.chained", obj=target, changes={"n": 1, "why": "bench"})

    def unchained() -> None:
        with transaction.atomic():
            row = AuditEvent(actor_kind="system", actor_label="bench", action="bench.unchained",
                             object_type="directory.organisation", object_id=str(target.pk),
                             object_label=str(target), changes={"n": 1, "why": "bench"}, hash="-", previous_hash="-")
            models.Model.save(row, force_insert=True)  # the same INSERT, without the lock and the head

    def timed(fn, n: int) -> list[float]:
        times = []
        for _ in range(n):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        return times

    def line(name: str, times: list[float]) -> str:
        ordered = sorted(times)
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        return (f"{name:<34} n={len(times):>5}  mean {statistics.mean(times):6.3f} ms  "
                f"p50 {statistics.median(times):6.3f} ms  p95 {p95:6.3f} ms")

    print(f"load average before: {os.getloadavg()[0]:.2f}; audit events already: {AuditEvent.objects.count()}")
    timed(unchained, 100)  # warm-up
    base = timed(unchained, args.writes)
    # Not part of the chain: gone before the first chained write, which would otherwise follow them.
    AuditEvent.objects.filter(action="bench.unchained")._raw_delete(AuditEvent.objects.db)
    timed(chained, 100)
    chain = timed(chained, args.writes)
    print(line("one write, unchained insert", base))
    print(line("one write, chained", chain))
    print(f"{'extra per write':<34} mean {statistics.mean(chain) - statistics.mean(base):+.3f} ms")

    per_thread = args.writes // args.threads
    errors = []

    def writer():
        try:
            for _ in range(per_thread):
                chained()
        except Exception as error:  # noqa: BLE001  (counted and shown below)
            errors.append(error)
        finally:
            connections.close_all()

    start = time.perf_counter()
    threads = [threading.Thread(target=writer) for _ in range(args.threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    total = per_thread * args.threads
    print(f"{args.threads} writers in parallel: {total} chained writes in {wall:.2f} s = {total / wall:.0f} writes/s"
          f"{f', {len(errors)} errors: {errors[0]!r}' if errors else ''}")

    audit = next(c for c in chains() if c.name == AUDIT_CHAIN)
    rows = AuditEvent.objects.count()
    start = time.perf_counter()
    problems = verify(audit)
    wall = time.perf_counter() - start
    print(f"tugi audit verify (audit trail): {rows} rows in {wall:.2f} s = {rows / wall:.0f} rows/s, "
          f"{len(problems)} problems")
    return 1 if problems or errors else 0


if __name__ == "__main__":
    sys.exit(main())
