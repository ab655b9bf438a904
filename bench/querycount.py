"""How many SQL queries each benchmarked API request makes, and how long it takes in-process.

Runs the requests of bench/run.py through Django's test client (no HTTP server), so the count is
exact. Run it on a small and on a large seeded database: the counts must be the same.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tugi_bench .venv/bin/python bench/querycount.py
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--token-file", default=str(ROOT / "var" / "bench-token"))
    parser.add_argument("--repeat", type=int, default=20, help="timed repetitions per request (default 20)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to the seeded database (this makes tickets: not the demo's SQLite file).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tugi.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    token = Path(args.token_file).read_text().strip()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT kind, last_number FROM tickets_ticketcounter WHERE kind = 'incident'")
        top = cursor.fetchone()[1]
        cursor.execute("SELECT id FROM directory_contact WHERE is_active ORDER BY id LIMIT 1")
        contact = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM tickets_ticket")
        tickets = cursor.fetchone()[0]
    reference = f"INC-{max(1, top // 2):06d}"
    requests = [
        ("queue", "get", "/api/v1/tickets?state=new&limit=50", None),
        ("detail", "get", f"/api/v1/tickets/{reference}", None),
        ("search", "get", "/api/v1/tickets?limit=50&q=printer", None),
        ("search-ref", "get", f"/api/v1/tickets?limit=50&q={reference.lower()}", None),
        (
            "create",
            "post",
            "/api/v1/tickets",
            {"kind": "incident", "title": "Query count", "requester_id": contact},
        ),
    ]
    print(f"{tickets:,} tickets")
    print("| request | queries | median ms in-process |")
    print("|---|---:|---:|")
    for name, method, path, body in requests:
        call = getattr(client, method)
        kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body else {}
        call(path, **kwargs)  # warm
        reset_queries()  # Django also resets the log when a request starts; begin from empty
        with CaptureQueriesContext(connection) as queries:
            response = call(path, **kwargs)
        count = len(queries.captured_queries)  # before more requests reset the log
        if response.status_code >= 400:
            sys.exit(f"{name}: {response.status_code} {response.content[:300]!r}")
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            call(path, **kwargs)
            times.append((time.perf_counter() - started) * 1000)
        print(f"| {name} | {count} | {statistics.median(times):.1f} |")


if __name__ == "__main__":
    main()
