"""Measure Tugi's API under load: the agent's queue, a ticket's detail, search and ticket create.

Starts gunicorn (2 sync workers by default) on 127.0.0.1 against a seeded PostgreSQL database,
then drives it from this process with N concurrent clients (threads, one request at a time each,
a new connection per request as gunicorn's sync workers close it). Every scenario is bounded in
requests and in seconds. Prints p50/p95/p99 latency and throughput per scenario.

    .venv/bin/tugi seed --tickets 100000            # with DATABASE_URL set, see bench/README.md
    .venv/bin/python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/tugi_bench

Only the standard library and psycopg (a Tugi dependency, for picking sample rows) are used."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SCENARIOS = ("queue", "detail", "search", "search-ref", "create")
DESCRIPTIONS = {
    "queue": "GET /api/v1/tickets?state=new&limit=50 (agent's queue, first page)",
    "detail": "GET /api/v1/tickets/{reference} (random ticket of the whole range)",
    "search": "GET /api/v1/tickets?q=<word>&limit=50 (title words, common to rare)",
    "search-ref": "GET /api/v1/tickets?q=<reference>&limit=50 (exact reference, any case)",
    "create": "POST /api/v1/tickets (staff creates for a client; audit, notification, task)",
}
# From very common in seeded titles to rare; hostnames and surnames are picked from the data.
SEARCH_WORDS = [
    "ei avane",
    "printer",
    "vpn",
    "backup",
    "slow",
    "uus kasutaja",
    "sertifikaat",
    "mfa",
    "ligipääs",
    "kuusk",
    "Teams",
    "ekraan",
]


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    first_error: str = ""
    wall: float = 0.0


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Samples:
    """Rows the requests use, read once from the database so the load does not depend on the API."""

    def __init__(self, database_url: str, rng: random.Random):
        with psycopg.connect(database_url) as conn:
            counters = dict(conn.execute("SELECT kind, last_number FROM tickets_ticketcounter").fetchall())
            self.contacts = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM directory_contact WHERE is_active ORDER BY id LIMIT 2000"
                ).fetchall()
            ]
            self.hosts = [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM cmdb_configurationitem WHERE hostname <> '' ORDER BY id LIMIT 500"
                ).fetchall()
            ]
            self.tickets = conn.execute("SELECT count(*) FROM tickets_ticket").fetchone()[0]
            self.entries = conn.execute("SELECT count(*) FROM tickets_conversationentry").fetchone()[0]
            self.db_size = conn.execute(
                "SELECT pg_size_pretty(pg_database_size(current_database()))"
            ).fetchone()[0]
        prefixes = {"incident": "INC", "problem": "PRB", "service_request": "REQ", "change_request": "CHG"}
        self.ranges = [(prefixes[k], n) for k, n in counters.items() if n > 0 and k in prefixes]
        if not self.ranges or not self.contacts:
            sys.exit("The database has no tickets or contacts: run `tugi seed --tickets N` first.")
        self.rng = rng

    def reference(self) -> str:
        prefix, top = self.rng.choice(self.ranges)
        return f"{prefix}-{self.rng.randint(1, top):06d}"

    def search_text(self) -> str:
        r = self.rng.random()
        if r < 0.75 or not self.hosts:
            return self.rng.choice(SEARCH_WORDS)
        return self.rng.choice(self.hosts)


def request(port: int, token: str, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def make_request(scenario: str, samples: Samples, rng: random.Random) -> tuple[str, str, dict | None, int]:
    """(method, path, body, expected status) of one request of the scenario."""
    from urllib.parse import quote

    if scenario == "queue":
        return "GET", "/api/v1/tickets?state=new&limit=50", None, 200
    if scenario == "detail":
        return "GET", f"/api/v1/tickets/{samples.reference()}", None, 200
    if scenario == "search":
        return "GET", f"/api/v1/tickets?limit=50&q={quote(samples.search_text())}", None, 200
    if scenario == "search-ref":
        ref = samples.reference()
        return (
            "GET",
            f"/api/v1/tickets?limit=50&q={quote(ref.lower() if rng.random() < 0.5 else ref)}",
            None,
            200,
        )
    if scenario == "create":
        kind = rng.choice(
            ["incident", "incident", "incident", "service_request", "change_request", "problem"]
        )
        body = {
            "kind": kind,
            "title": f"Bench: {rng.choice(SEARCH_WORDS)} {rng.randrange(10**6)}",
            "description": "Created by bench/run.py.",
            "requester_id": rng.choice(samples.contacts),
            "impact": rng.randint(1, 3),
            "urgency": rng.randint(1, 3),
        }
        return "POST", "/api/v1/tickets", body, 201
    raise ValueError(scenario)


def run_scenario(
    scenario: str,
    *,
    port: int,
    token: str,
    samples: Samples,
    clients: int,
    max_requests: int,
    max_seconds: float,
    seed: int,
) -> Result:
    result = Result()
    lock = threading.Lock()
    issued = [0]
    deadline = time.monotonic() + max_seconds

    def client(index: int) -> None:
        rng = random.Random(f"{seed}:{scenario}:{index}")
        while True:
            with lock:
                if issued[0] >= max_requests or time.monotonic() >= deadline:
                    return
                issued[0] += 1
                method, path, body, expected = make_request(scenario, samples, rng)
            started = time.perf_counter()
            try:
                status, payload = request(port, token, method, path, body)
            except OSError as exc:
                status, payload = 0, str(exc).encode()
            elapsed = time.perf_counter() - started
            with lock:
                result.statuses[status] = result.statuses.get(status, 0) + 1
                # A reference that does not exist (a gap left by reclassification) is a fair 404.
                if status == expected or (scenario == "detail" and status == 404):
                    result.latencies.append(elapsed)
                else:
                    result.errors += 1
                    if not result.first_error:
                        result.first_error = f"{method} {path} -> {status}: {payload[:300]!r}"

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.wall = time.monotonic() - started
    return result


def start_gunicorn(args) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SETTINGS_MODULE": "tugi.settings",
        "LOG_LEVEL": "ERROR",
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "tugi.wsgi",
        "-w",
        str(args.workers),
        "-b",
        f"{HOST}:{args.port}",
        "--log-level",
        "warning",
        "--timeout",
        "60",
    ]
    print("$", " ".join(command), flush=True)
    return subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)


def wait_ready(port: int, token: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit("gunicorn exited during start-up; see its output above.")
        try:
            status, body = request(port, token, "GET", "/api/v1/tickets?limit=1")
            if status == 200:
                return
            hint = {
                401: "Is the token file from the last `tugi seed` on this database?",
                500: "Is the database migrated (`tugi migrate`)? gunicorn's log above says more.",
            }.get(status, "")
            sys.exit(f"The API answered {status}: {body[:200]!r}. {hint}")
        except OSError:
            time.sleep(0.3)
    sys.exit("gunicorn did not answer in time.")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="PostgreSQL database seeded with `tugi seed` (default: $DATABASE_URL)",
    )
    parser.add_argument(
        "--token-file",
        default=str(ROOT / "var" / "bench-token"),
        help="API token of bench-agent, written by `tugi seed` (default: var/bench-token)",
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--requests", type=int, default=2000, help="at most this many requests per scenario")
    parser.add_argument("--seconds", type=float, default=30, help="at most this long per scenario")
    parser.add_argument("--warmup", type=int, default=100, help="unmeasured requests per scenario first")
    parser.add_argument(
        "--scenarios", default=",".join(SCENARIOS), help="comma-separated, of: " + ", ".join(SCENARIOS)
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("Give --database-url (or DATABASE_URL) of a seeded PostgreSQL database.")
    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = set(scenarios) - set(SCENARIOS)
    if unknown:
        sys.exit(f"Unknown scenario(s): {', '.join(sorted(unknown))}")
    token_file = Path(args.token_file)
    if not token_file.exists():
        sys.exit(f"No token in {token_file}: run `tugi seed --tickets N` (it writes one).")
    token = token_file.read_text().strip()

    samples = Samples(args.database_url, random.Random(args.seed))
    print(
        f"Data: {samples.tickets:,} tickets, {samples.entries:,} conversation entries, "
        f"database {samples.db_size}; {os.cpu_count()} CPUs",
        flush=True,
    )
    proc = start_gunicorn(args)
    rows = []
    try:
        wait_ready(args.port, token, proc)
        for scenario in scenarios:
            common = dict(port=args.port, token=token, samples=samples, clients=args.clients)
            load = os.getloadavg()[0]
            if args.warmup:
                run_scenario(
                    scenario,
                    max_requests=args.warmup,
                    max_seconds=args.seconds,
                    seed=args.seed + 1000,
                    **common,
                )
            r = run_scenario(
                scenario, max_requests=args.requests, max_seconds=args.seconds, seed=args.seed, **common
            )
            row = {
                "scenario": scenario,
                "requests": len(r.latencies),
                "errors": r.errors,
                "p50_ms": percentile(r.latencies, 50) * 1000,
                "p95_ms": percentile(r.latencies, 95) * 1000,
                "p99_ms": percentile(r.latencies, 99) * 1000,
                "rps": len(r.latencies) / r.wall if r.wall else 0.0,
                "statuses": r.statuses,
                "load_before": load,
            }
            rows.append(row)
            print(
                f"  {scenario:<11} {row['requests']:>6} ok {row['errors']:>4} err  "
                f"p50 {row['p50_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  {row['rps']:7.1f}/s  "
                f"(load average before: {load:.2f})",
                flush=True,
            )
            print(f"    statuses: {r.statuses}", flush=True)
            if r.first_error:
                print(f"    first error: {r.first_error}", flush=True)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)

    print()
    print(
        f"{samples.tickets:,} tickets, {samples.entries:,} entries, {samples.db_size}; "
        f"gunicorn -w {args.workers}, {args.clients} clients, "
        f"<= {args.requests} requests or {args.seconds:g} s per scenario"
    )
    print("| scenario | requests | errors | p50 ms | p95 ms | p99 ms | req/s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['scenario']} | {row['requests']} | {row['errors']} | {row['p50_ms']:.1f} | "
            f"{row['p95_ms']:.1f} | {row['p99_ms']:.1f} | {row['rps']:.0f} |"
        )
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "tickets": samples.tickets,
                    "entries": samples.entries,
                    "db_size": samples.db_size,
                    "cpus": os.cpu_count(),
                    "workers": args.workers,
                    "clients": args.clients,
                    "results": rows,
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
