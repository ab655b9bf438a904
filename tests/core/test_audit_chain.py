"""K12: the record is evidence. The audit trail and the time entries are hash chains, and
``tugi audit verify`` reports any row that was altered, removed or moved, with its id; a clean
chain passes."""

import io
import threading
from importlib import import_module

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.utils import timezone

from tugi.core.actors import system_actor
from tugi.core.audit import audit_record
from tugi.core.hashchain import GENESIS, digest
from tugi.core.models import AuditEvent
from tugi.worklog import services


def verify(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("audit", "verify", "--no-progress", *args, stdout=out)
    except CommandError as failure:
        return failure.returncode, out.getvalue()
    return 0, out.getvalue()


def sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def events(cast):
    """Five audit events after what the cast's making wrote."""
    actor = system_actor("Chain test")
    return [audit_record(actor=actor, action="test.event", obj=cast.org_a, changes={"n": n, "ratio": n / 4,
                                                                                   "list": (n, "x")})
            for n in range(5)]


def log(cast, ticket_fixture_ticket, minutes=30):
    return services.time_entry_add(actor=cast.actor("agent"), ticket=ticket_fixture_ticket,
                                   work_date=timezone.localdate(), minutes=minutes, description="Work")


@pytest.fixture
def ticket(cast):
    from tugi.tickets import services as tickets
    from tugi.tickets.models import TicketKind, TicketSource

    return tickets.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title="Alfa mail is down",
                                 source=TicketSource.PORTAL)


def test_each_event_carries_the_hash_of_the_one_before_K12(events):
    rows = list(AuditEvent.objects.order_by("id"))
    assert rows[0].previous_hash == GENESIS
    assert all(later.previous_hash == earlier.hash for earlier, later in zip(rows, rows[1:], strict=False))
    assert len({row.hash for row in rows}) == len(rows)


def test_a_clean_record_passes_K12(events, cast, ticket):
    log(cast, ticket)
    status, out = verify()
    assert status == 0 and "OK: every chain is intact" in out


def test_an_altered_audit_event_is_reported_with_its_id_K12(events):
    target = events[2]
    sql("UPDATE core_auditevent SET action = %s WHERE id = %s", "test.innocent", target.pk)
    status, out = verify()
    assert status == 1
    assert f"audit #{target.pk}: altered" in out
    assert out.count("audit #") == 1  # the rows after it still follow its stored hash


def test_an_altered_and_rehashed_event_breaks_the_next_link_K12(events):
    target = events[2]
    forged = digest({**target.chain_content(), "action": "test.innocent"}, target.previous_hash)
    sql("UPDATE core_auditevent SET action = %s, hash = %s WHERE id = %s", "test.innocent", forged, target.pk)
    status, out = verify()
    assert status == 1 and f"audit #{events[3].pk}: a gap" in out and f"#{target.pk} was altered" in out


def test_a_removed_audit_event_is_reported_as_a_gap_K12(events):
    sql("DELETE FROM core_auditevent WHERE id = %s", events[2].pk)
    status, out = verify()
    assert status == 1
    assert f"audit #{events[3].pk}: a gap" in out and f"between #{events[1].pk} and it were removed" in out


def test_reordered_audit_events_are_reported_K12(events):
    first, second = events[1].pk, events[2].pk
    sql("UPDATE core_auditevent SET id = %s WHERE id = %s", -1, first)
    sql("UPDATE core_auditevent SET id = %s WHERE id = %s", first, second)
    sql("UPDATE core_auditevent SET id = %s WHERE id = %s", second, -1)
    status, out = verify()
    assert status == 1 and f"audit #{first}: reordered" in out and f"audit #{second}: reordered" in out
    assert "altered" not in out


def test_the_newest_events_cut_off_are_found_against_a_head_written_down_K12(events):
    head = io.StringIO()
    call_command("audit", "head", stdout=head)
    audit_head = next(line for line in head.getvalue().splitlines() if line.startswith("audit="))
    assert verify("--expect", audit_head.split()[0])[0] == 0
    sql("DELETE FROM core_auditevent WHERE id = %s", events[-1].pk)
    assert verify()[0] == 0  # what no chain can see by itself
    status, out = verify("--expect", audit_head.split()[0])
    assert status == 1 and "no longer in the chain" in out


def test_an_altered_time_entry_is_reported_K12(cast, ticket):
    entries = [log(cast, ticket, minutes) for minutes in (30, 45, 60)]
    sql("UPDATE worklog_timeentry SET minutes = %s WHERE id = %s", 5, entries[1].pk)
    status, out = verify()
    assert status == 1 and f"worklog #{entries[1].pk}: altered" in out


def test_a_removed_time_entry_is_reported_even_the_newest_K12(cast, ticket):
    entries = [log(cast, ticket, minutes) for minutes in (30, 45, 60)]
    sql("DELETE FROM worklog_timeentry WHERE id = %s", entries[1].pk)
    sql("DELETE FROM worklog_timeentry WHERE id = %s", entries[2].pk)
    status, out = verify()
    assert status == 1
    assert f"worklog #{entries[1].pk}: removed" in out and f"worklog #{entries[2].pk}: removed" in out


def test_a_time_entry_quietly_marked_removed_is_reported_K12(cast, ticket):
    entry = log(cast, ticket)
    sql("UPDATE worklog_timeentry SET state = %s WHERE id = %s", "removed", entry.pk)
    status, out = verify()
    assert status == 1 and f"worklog #{entry.pk}: its state is 'removed', but the audit trail says 'active'" in out


def test_a_correction_through_a_dispute_verifies_K12(cast, ticket):
    entry = log(cast, ticket)
    dispute = services.time_entry_dispute(actor=cast.actor("client_a"), entry=entry, reason="Too long")
    services.time_dispute_answer(actor=cast.actor("agent"), dispute=dispute, outcome="corrected", justification="Yes",
                                 minutes=20)
    status, out = verify()
    assert status == 0, out


def test_a_chained_row_refuses_to_change_K12(cast, ticket, events):
    entry = log(cast, ticket)
    entry.minutes = 1
    with pytest.raises(ValueError):
        entry.save(update_fields=["minutes"])
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        AuditEvent.objects.bulk_create([AuditEvent(actor_kind="system", actor_label="x", action="x")])


def test_the_migration_chains_the_events_written_before_the_chain_K12(events):
    sql("UPDATE core_auditevent SET hash = '', previous_hash = ''")
    from django.apps import apps

    migration = import_module("tugi.core.migrations.0002_audit_chain")
    migration.chain_existing_events(apps, None)
    assert verify()[0] == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain_K12(cast):
    """On PostgreSQL writers run at once; the chain's lock makes them append one after another."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time anyway; the lock is PostgreSQL's")
    before = AuditEvent.objects.count()
    errors = []

    def write(n):
        try:
            for i in range(10):
                audit_record(actor=system_actor(f"writer {n}"), action="test.concurrent", obj=cast.org_a,
                             changes={"i": i})
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and AuditEvent.objects.count() == before + 40
    assert verify()[0] == 0
    assert AuditEvent.objects.values("previous_hash").distinct().count() == AuditEvent.objects.count()
