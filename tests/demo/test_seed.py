"""`tugi seed`: bulk-loaded tickets are as consistent as those the services make."""

from collections import Counter

import pytest
from django.core.management import call_command

from tugi.api.models import ApiToken, hash_key
from tugi.core.actors import system_actor
from tugi.tickets import services
from tugi.tickets.models import (
    ConversationEntry,
    Participant,
    Ticket,
    TicketCounter,
    TicketKind,
    TicketSource,
    TicketState,
    make_reference,
)


def seed(tmp_path, tickets=200, **options):
    options.setdefault("organisations", 8)
    call_command("seed", tickets=tickets, no_progress=True, token_file=str(tmp_path / "token"), **options)


@pytest.fixture
def seeded(db, tmp_path):
    seed(tmp_path)


def test_seed_makes_the_asked_number_of_tickets_of_every_kind_and_many_states(seeded):
    assert Ticket.objects.count() == 200
    assert set(Ticket.objects.values_list("kind", flat=True)) == set(TicketKind.values)
    states = set(Ticket.objects.values_list("state", flat=True))
    assert len(states) >= 5
    assert {TicketState.NEW, TicketState.CLOSED} <= states


def test_references_are_unique_and_follow_kind_and_number(seeded):
    rows = list(Ticket.objects.values_list("kind", "number", "reference"))
    assert len({ref for _k, _n, ref in rows}) == len(rows)
    assert all(ref == make_reference(kind, number) for kind, number, ref in rows)
    for kind in TicketKind.values:
        numbers = sorted(n for k, n, _r in rows if k == kind)
        assert numbers == list(range(1, len(numbers) + 1))


def test_counters_make_the_next_created_ticket_take_the_next_number(seeded):
    top = max(Ticket.objects.filter(kind=TicketKind.INCIDENT).values_list("number", flat=True))
    assert TicketCounter.objects.get(kind=TicketKind.INCIDENT).last_number == top
    ticket = services.ticket_create(
        actor=system_actor("Monitooring"),
        kind=TicketKind.INCIDENT,
        title="After the seed",
        source=TicketSource.MONITORING,
    )
    assert ticket.number == top + 1
    assert ticket.reference == make_reference(TicketKind.INCIDENT, top + 1)


def test_tickets_have_conversations_and_their_requesters_take_part(seeded):
    entries = ConversationEntry.objects.count()
    assert 1.5 * 200 <= entries <= 4 * 200
    assert set(ConversationEntry.objects.values_list("kind", flat=True)) == set(ConversationEntry.Kind.values)
    assert not ConversationEntry.objects.filter(kind=ConversationEntry.Kind.NOTE, is_internal=False).exists()
    with_requester = Ticket.objects.filter(requester__isnull=False)
    assert with_requester.exists()
    for ticket in with_requester[:20]:
        assert Participant.objects.filter(ticket=ticket, contact_id=ticket.requester_id).exists()
    # Conversation entries fall in the ticket's life, not at the moment of seeding.
    entry = ConversationEntry.objects.select_related("ticket").order_by("ticket__created_at").first()
    assert entry.ticket.created_at <= entry.created_at <= entry.ticket.last_activity_at


def test_closed_tickets_carry_their_times_and_open_ones_none(seeded):
    closed = Ticket.objects.filter(state=TicketState.CLOSED)
    assert closed.exists()
    assert not closed.filter(closed_at__isnull=True).exists()
    assert not closed.filter(resolved_at__isnull=True).exists()
    assert not Ticket.objects.filter(state=TicketState.NEW, assignee__isnull=False).exists()
    assert not Ticket.objects.filter(state=TicketState.POSTPONED, postponed_until__isnull=True).exists()


def test_a_second_run_appends_and_continues_the_numbers(db, tmp_path):
    seed(tmp_path, tickets=60)
    seed(tmp_path, tickets=40)
    assert Ticket.objects.count() == 100
    per_kind = Counter(Ticket.objects.values_list("kind", flat=True))
    for kind, count in per_kind.items():
        assert sorted(Ticket.objects.filter(kind=kind).values_list("number", flat=True)) == list(
            range(1, count + 1)
        )


def test_the_same_seed_gives_the_same_tickets(db, tmp_path):
    def snapshot():
        return list(Ticket.objects.order_by("reference").values_list("reference", "title", "state", "source"))

    seed(tmp_path, tickets=80, seed=7)
    first = snapshot()
    seed(tmp_path, tickets=80, seed=7, reset=True)
    assert snapshot() == first
    seed(tmp_path, tickets=80, seed=8, reset=True)
    assert snapshot() != first


def test_the_bench_agent_gets_a_working_api_token(seeded, tmp_path):
    key = (tmp_path / "token").read_text().strip()
    token = ApiToken.objects.select_related("user").get(key_hash=hash_key(key))
    assert token.user.username == "bench-agent"
    assert token.user.check_password("bench-pass-2025")
    assert token.user.staff_member.is_agent
