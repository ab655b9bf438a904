"""Sustained alerts per second that ONE gunicorn sync worker takes through the monitoring webhook,
with deduplication by fingerprint, on PostgreSQL (S1).

Makes an Alertmanager source (and prints its token), starts `gunicorn tugi.wsgi -w 1` on 127.0.0.1,
and posts Alertmanager v4 deliveries from a few client threads for a fixed time per scenario:

- ``repeat-1``: one alert per delivery, always one of 100 firing fingerprints (the storm case: every
  delivery is a repeat, counted with one UPDATE);
- ``repeat-50``: Alertmanager's usual shape, 50 alerts of a group per delivery, all repeats;
- ``new-1pct``: one alert per delivery, one in a hundred a new fingerprint (opens a ticket,
  up to the source's storm limit, then joins the storm ticket).

    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE tugi_monitoring'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tugi_monitoring .venv/bin/tugi migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tugi_monitoring .venv/bin/python bench/alerts.py
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def payload(fingerprints: list[str]) -> bytes:
    return json.dumps({
        "version": "4", "status": "firing", "receiver": "tugi", "groupKey": "bench", "truncatedAlerts": 0,
        "groupLabels": {"alertname": "Bench"}, "commonLabels": {}, "commonAnnotations": {},
        "externalURL": "http://alertmanager.bench:9093",
        "alerts": [{"status": "firing", "fingerprint": fp, "labels": {"alertname": "Bench", "instance": fp},
                    "annotations": {"summary": f"Bench alert {fp}"}, "startsAt": "2026-11-25T10:00:00Z",
                    "endsAt": "0001-01-01T00:00:00Z", "generatorURL": "http://prometheus.bench/graph"}
                   for fp in fingerprints],
    }).encode()


def post(port: int, path: str, token: str, body: bytes) -> int:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("POST", path, body=body, headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children (the gunicorn worker), from /proc."""
    total = 0.0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    pids += [int(child) for child in children]
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def run(port, path, token, make_body, alerts_per_delivery, seconds, threads, progress, label):
    counter = itertools.count()
    lock = threading.Lock()
    done = {"deliveries": 0, "errors": 0}
    deadline = time.monotonic() + seconds
    task = progress.add_task(label, total=seconds)

    def worker():
        while time.monotonic() < deadline:
            status = post(port, path, token, make_body(next(counter)))
            with lock:
                done["deliveries"] += 1
                done["errors"] += status != 200

    started = time.monotonic()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    while any(thread.is_alive() for thread in pool):
        progress.update(task, completed=min(seconds, time.monotonic() - started))
        time.sleep(0.2)
    wall = time.monotonic() - started
    progress.update(task, completed=seconds)
    return done["deliveries"], done["deliveries"] * alerts_per_delivery / wall, done["errors"]


def in_process(source, seconds: float) -> str:
    """The same repeats through the service alone, without HTTP: what the database work costs."""
    from tugi.channels.monitoring import services
    from tugi.channels.monitoring.parsing import IncomingAlert

    lines = []
    for size in (1, 50):
        batch = [IncomingAlert(fingerprint=f"warm-{k}", is_firing=True, title="Bench") for k in range(size)]
        done, started = 0, time.monotonic()
        while time.monotonic() - started < seconds / 3:
            services.alerts_receive(source=source, incoming=batch)
            done += size
        lines.append(f"service alone, {size} alert(s) a call: {done / (time.monotonic() - started):,.0f} alerts/s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=15, help="per scenario (default 15)")
    parser.add_argument("--threads", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    if not (os.environ.get("DATABASE_URL") or "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a migrated PostgreSQL database of its own (alerts open tickets there).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tugi.settings")
    import django

    django.setup()
    from tugi.channels.monitoring import services
    from tugi.channels.monitoring.models import Alert
    from tugi.core.actors import system_actor

    slug = f"bench-{secrets.token_hex(3)}"
    source, token = services.alert_source_create(actor=system_actor(), slug=slug, name=f"Bench {slug}",
                                                 kind="alertmanager", max_new_tickets_per_hour=50)
    path = f"/hooks/monitoring/{slug}/alertmanager"
    env = {**os.environ, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1,localhost", "LOG_LEVEL": "ERROR"}
    command = [str(Path(sys.executable).parent / "gunicorn"), "tugi.wsgi", "-w", "1", "-b", f"{HOST}:{args.port}",
               "--log-level", "warning"]
    console = Console()
    console.print("$", " ".join(command))
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    try:
        for _ in range(100):
            try:
                post(args.port, path, token, payload([f"warm-{n}" for n in range(100)]))
                break
            except OSError:
                time.sleep(0.3)
        firing = [f"warm-{n}" for n in range(100)]  # opened above: from now on every one is a repeat
        scenarios = [
            ("repeat-1", lambda n: payload([firing[n % 100]]), 1),
            ("repeat-50", lambda n: payload([firing[(n + k) % 100] for k in range(50)]), 50),
            ("new-1pct", lambda n: payload([f"new-{n}" if n % 100 == 0 else firing[n % 100]]), 1),
        ]
        table = Table(title=f"Alerts through one gunicorn worker, {args.threads} client threads, PostgreSQL")
        for column in ("scenario", "deliveries", "alerts/s", "errors", "worker CPU ms/alert", "alerts/CPU-s"):
            table.add_column(column, justify="right" if column != "scenario" else "left")
        with Progress(console=console) as progress:
            for label, make_body, size in scenarios:
                cpu_before = cpu_seconds(server.pid)
                deliveries, rate, errors = run(args.port, path, token, make_body, size, args.seconds, args.threads,
                                               progress, label)
                # Wall-clock rates depend on what else the machine runs; the worker's CPU time per alert
                # does not, and says what one worker on a core of its own takes.
                per_alert = (cpu_seconds(server.pid) - cpu_before) / max(1, deliveries * size)
                table.add_row(label, str(deliveries), f"{rate:,.0f}", str(errors), f"{per_alert * 1000:.2f}",
                              f"{1 / per_alert:,.0f}" if per_alert else "-")
        console.print(table)
        console.print(in_process(source, args.seconds))
        one, five, fifteen = os.getloadavg()
        console.print(f"load average (1, 5, 15 min): {one:.1f} {five:.1f} {fifteen:.1f} on {os.cpu_count()} cores")
        alerts = Alert.objects.filter(source=source)
        tickets = alerts.exclude(ticket=None).values("ticket").distinct().count()
        console.print(f"{alerts.count()} alerts, {tickets} tickets (storm limit 50 an hour, then one storm ticket)")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
