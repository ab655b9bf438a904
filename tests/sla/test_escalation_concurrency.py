"""Issue 5, K8: two escalation runs at the same moment (two `tugi periodic` processes, or a run that
overlaps the next) tell nobody twice. Real concurrency needs PostgreSQL: each thread has its own
connection, and SKIP LOCKED lets a run pass over the steps another run holds."""

import datetime as dt
import importlib
import threading
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db import connection, connections

from tugi.notifications.models import Notification
from tugi.sla.escalation import sla_escalations_run
from tugi.sla.models import SLAEscalation
from tugi.tickets import services
from tugi.tickets.priority import Impact, Urgency

TALLINN = ZoneInfo("Europe/Tallinn")


@pytest.fixture
def default_sla(transactional_db):
    """The default calendars and policies the migrations write. A transactional test empties the
    tables when it ends, so a later one (this one) writes them again; the functions are idempotent."""
    for name in ("0002_default_calendars", "0003_default_policies"):
        importlib.import_module(f"tugi.sla.migrations.{name}").create(apps, None)
    importlib.import_module("tugi.sla.migrations.0005_on_call_calendar").mark(apps, None)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks")
def test_k8_racing_escalation_runs_send_each_step_once(default_sla, cast):
    created = dt.datetime(2026, 3, 9, 8, tzinfo=TALLINN)
    for n in range(20):
        ticket = services.ticket_create(
            actor=cast.actor("agent"), kind="incident", title=f"Slow {n}", source="agent", organisation=cast.org_a,
            service=cast.service, impact=Impact.MEDIUM, urgency=Urgency.MEDIUM,
        )
        services.ticket_assign(actor=cast.actor("agent"), ticket=ticket, assignee=cast.agent)
    # Every ticket reached 75 % and 100 % of its response target a moment ago.
    now = created + dt.timedelta(days=30)
    assert SLAEscalation.objects.filter(target="response").count() == 40  # 20 tickets x 75 % and 100 %
    SLAEscalation.objects.filter(target="response").update(due_at=now - dt.timedelta(minutes=1))
    before = Notification.objects.filter(event="sla_escalation").count()
    barrier = threading.Barrier(4)
    sent, errors = [], []

    def run():
        try:
            barrier.wait()
            sent.append(sla_escalations_run(now=now, batch_size=5))
        except Exception as exc:  # noqa: BLE001 - any failure of a thread fails the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sum(sent) == 40  # 20 tickets x (75 % and 100 %), however the runs shared them
    assert Notification.objects.filter(event="sla_escalation").count() - before == 40
    assert not SLAEscalation.objects.filter(target="response", status="armed").exists()
