"""How fast Tugi's outgoing webhooks go (issue 6): the outbox (audit events -> deliveries) and the
sender (signed POSTs to a receiver on 127.0.0.1 answering 204), one process, one
sender run (which posts to different receivers side by side).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tugi_hooks .venv/bin/python bench/webhooks.py
    .venv/bin/python bench/webhooks.py --tickets 300 --deliveries 3000

Without DATABASE_URL it uses a new SQLite file in a temporary directory. It migrates the database,
adds its own organisation, tickets and subscriptions (named "bench-webhooks"), and removes its
subscriptions and deliveries at the end. The receiver is ``http.server`` in a thread of this process,
so the figure includes both ends of each POST on the same cores.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Receiver(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    received = 0

    latency = 0.0

    def do_POST(self):  # noqa: N802 - the name http.server calls
        time.sleep(self.latency)
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        type(self).received += 1
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def _setup_django() -> None:
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="tugi-bench-webhooks-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ.setdefault("TUGI_VAR_DIR", folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tugi.settings")
    os.environ.setdefault("TUGI_TASK_BACKEND", "dummy")  # the bench calls the sender itself
    os.environ.setdefault("TUGI_WEBHOOK_ALLOW_PRIVATE", "true")  # its receivers listen on 127.0.0.1
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=200, help="tickets made (each one audit event)")
    parser.add_argument("--subscriptions", type=int, default=5, help="subscriptions wanting every ticket event")
    parser.add_argument("--deliveries", type=int, default=2000, help="deliveries sent in the sender's run")
    parser.add_argument("--latency-ms", type=float, default=0, help="the receiver's pause before it answers")
    args = parser.parse_args()
    _Receiver.latency = args.latency_ms / 1000
    _setup_django()

    from django.db import connection
    from django.urls import reverse

    from tugi.core.actors import system_actor
    from tugi.directory.models import Organisation
    from tugi.tickets import services as tickets
    from tugi.tickets.models import TicketKind, TicketSource
    from tugi.webhooks import services
    from tugi.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    actor = system_actor("bench")
    organisation, _ = Organisation.objects.get_or_create(name="bench-webhooks OÜ")
    subscriptions = [
        services.webhook_subscription_create(actor=actor, name=f"bench-webhooks {n}", target_url=url,
                                             event_types=["ticket.created"], organisation=organisation)
        for n in range(args.subscriptions)
    ]
    print(f"database: {connection.vendor}; receiver: {url}, answering after {args.latency_ms:g} ms; "
          f"{args.subscriptions} subscriptions")
    reverse("console:queue")  # load the URL conf (the payload links the ticket) before the clock runs

    for n in range(args.tickets):
        tickets.ticket_create(actor=actor, kind=TicketKind.INCIDENT, title=f"bench-webhooks ticket {n}",
                              source=TicketSource.MONITORING, organisation=organisation)
    began = time.perf_counter()
    made = services.webhooks_outbox_run()
    elapsed = time.perf_counter() - began
    print(f"outbox: {args.tickets} events x {args.subscriptions} subscriptions -> {made} deliveries in "
          f"{elapsed:.2f} s = {made / elapsed:,.0f} deliveries/s ({args.tickets / elapsed:,.0f} events/s)")

    # The sender: the outbox's deliveries plus copies up to --deliveries, all due now.
    template = WebhookDelivery.objects.filter(subscription__in=subscriptions).first()
    extra = max(args.deliveries - made, 0)
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(subscription=subscriptions[n % len(subscriptions)], event_id=10**12 + n,
                        event_type=template.event_type, ticket_reference=template.ticket_reference,
                        payload=template.payload, next_attempt_at=template.next_attempt_at)
        for n in range(extra))
    total = made + extra
    began = time.perf_counter()
    delivered = services.webhook_deliveries_send_due()
    elapsed = time.perf_counter() - began
    failed = WebhookDelivery.objects.filter(subscription__in=subscriptions).exclude(
        status=DeliveryStatus.DELIVERED).count()
    print(f"sender: {delivered} of {total} delivered ({failed} not), {_Receiver.received} received, in "
          f"{elapsed:.2f} s = {delivered / elapsed:,.0f} deliveries/s ({elapsed * 1000 / max(delivered, 1):.2f} ms "
          f"each)")

    WebhookSubscription.objects.filter(pk__in=[s.pk for s in subscriptions]).delete()
    server.shutdown()


if __name__ == "__main__":
    main()
