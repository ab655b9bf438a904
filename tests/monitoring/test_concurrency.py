"""Deliveries of one new alert at the same moment open one ticket, not several (S1).

Real concurrency needs a database with row locks: on PostgreSQL several threads, each with its own
connection, deliver the same new fingerprint at once. SQLite serialises writers anyway."""

import threading

import pytest
from django.db import connection, connections

from tugi.channels.monitoring import services
from tugi.channels.monitoring.models import Alert
from tugi.channels.monitoring.parsing import IncomingAlert

from .conftest import make_source


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks")
def test_racing_deliveries_of_a_new_alert_open_one_ticket_S1(transactional_db, cast):
    source, _ = make_source("generic")
    barrier = threading.Barrier(6)
    outcomes, errors = [], []

    def deliver():
        try:
            barrier.wait()
            outcomes.append(services.alert_receive(
                source=source, incoming=IncomingAlert(fingerprint="race", is_firing=True, title="Race")))
        except Exception as exc:  # noqa: BLE001 - any failure of a thread fails the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len({outcome.ticket_id for outcome in outcomes}) == 1
    alert = Alert.objects.get()
    assert alert.count == 6
    assert sorted(outcome.what for outcome in outcomes) == ["opened"] + ["repeated"] * 5
