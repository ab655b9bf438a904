"""The lifecycle table, tested without a database (S1, K3)."""

from dataclasses import dataclass

import pytest

from tugi.core.errors import TransitionNotAllowed
from tugi.tickets.lifecycle import Action, available_actions, find_rule, reachable_states, rules_for
from tugi.tickets.models import TicketKind, TicketState

S = TicketState


@dataclass
class FakeTicket:
    state: str
    kind: str = TicketKind.INCIDENT
    assignee_id: int | None = 7
    state_before_wait: str = ""


EXPECTED = {
    # (state, action): target, for a ticket with an assignee
    (S.NEW, Action.ASSIGN): S.ASSIGNED,
    (S.NEW, Action.START): S.IN_PROGRESS,
    (S.NEW, Action.POSTPONE): S.POSTPONED,
    (S.NEW, Action.CANCEL): S.CANCELLED,
    (S.ASSIGNED, Action.ASSIGN): S.ASSIGNED,
    (S.ASSIGNED, Action.START): S.IN_PROGRESS,
    (S.ASSIGNED, Action.WAIT_FOR_CLIENT): S.WAITING_FOR_CLIENT,
    (S.ASSIGNED, Action.POSTPONE): S.POSTPONED,
    (S.ASSIGNED, Action.RESOLVE): S.RESOLVED,
    (S.ASSIGNED, Action.CANCEL): S.CANCELLED,
    (S.IN_PROGRESS, Action.ASSIGN): S.IN_PROGRESS,
    (S.IN_PROGRESS, Action.WAIT_FOR_CLIENT): S.WAITING_FOR_CLIENT,
    (S.IN_PROGRESS, Action.POSTPONE): S.POSTPONED,
    (S.IN_PROGRESS, Action.RESOLVE): S.RESOLVED,
    (S.IN_PROGRESS, Action.CANCEL): S.CANCELLED,
    (S.WAITING_FOR_CLIENT, Action.ASSIGN): S.WAITING_FOR_CLIENT,
    (S.WAITING_FOR_CLIENT, Action.RESUME): S.IN_PROGRESS,
    (S.WAITING_FOR_CLIENT, Action.POSTPONE): S.POSTPONED,
    (S.WAITING_FOR_CLIENT, Action.RESOLVE): S.RESOLVED,
    (S.WAITING_FOR_CLIENT, Action.CANCEL): S.CANCELLED,
    (S.POSTPONED, Action.ASSIGN): S.POSTPONED,
    (S.POSTPONED, Action.RESUME): S.ASSIGNED,
    (S.POSTPONED, Action.CANCEL): S.CANCELLED,
    (S.RESOLVED, Action.CLOSE): S.CLOSED,
    (S.RESOLVED, Action.REOPEN): S.REOPENED,
    (S.REOPENED, Action.ASSIGN): S.ASSIGNED,
    (S.REOPENED, Action.START): S.IN_PROGRESS,
    (S.REOPENED, Action.WAIT_FOR_CLIENT): S.WAITING_FOR_CLIENT,
    (S.REOPENED, Action.POSTPONE): S.POSTPONED,
    (S.REOPENED, Action.RESOLVE): S.RESOLVED,
    (S.REOPENED, Action.CANCEL): S.CANCELLED,
}


@pytest.mark.parametrize("kind", TicketKind.values)
@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("action", list(Action))
def test_every_state_and_action_is_allowed_exactly_as_the_table_says(kind, state, action):
    ticket = FakeTicket(state=state, kind=kind)
    expected = EXPECTED.get((state, action))
    if expected is None:
        with pytest.raises(TransitionNotAllowed) as refused:
            find_rule(ticket, action)
        assert refused.value.message  # a readable reason, never empty
    else:
        assert find_rule(ticket, action).target_for(ticket) == expected


@pytest.mark.parametrize("state", [S.CLOSED, S.CANCELLED])
def test_closed_and_cancelled_are_final(state):
    assert available_actions(FakeTicket(state=state)) == []


def test_refusal_names_the_state_and_the_action():
    with pytest.raises(TransitionNotAllowed) as refused:
        find_rule(FakeTicket(state=S.CLOSED), Action.RESOLVE)
    assert "closed" in refused.value.message
    assert "Resolve" in refused.value.message


def test_work_cannot_start_or_be_resolved_without_an_assignee():
    for action in (Action.START, Action.RESOLVE):
        with pytest.raises(TransitionNotAllowed, match="Assign the ticket"):
            find_rule(FakeTicket(state=S.ASSIGNED, assignee_id=None), action)
    assert Action.START not in available_actions(FakeTicket(state=S.NEW, assignee_id=None))


def test_action_choices_explain_what_is_not_possible_yet():
    from tugi.tickets.lifecycle import action_choices

    choices = dict(action_choices(FakeTicket(state=S.NEW, assignee_id=None)))
    assert choices[Action.START] == "Assign the ticket to a specialist first."
    assert choices[Action.CANCEL] is None
    assert Action.CLOSE not in choices


@pytest.mark.parametrize("before", [S.ASSIGNED, S.IN_PROGRESS, S.REOPENED])
def test_resuming_after_waiting_returns_to_where_the_ticket_was_K11(before):
    ticket = FakeTicket(state=S.WAITING_FOR_CLIENT, state_before_wait=before)
    assert find_rule(ticket, Action.RESUME).target_for(ticket) == before


def test_resuming_a_postponed_ticket_without_an_assignee_makes_it_new_again():
    ticket = FakeTicket(state=S.POSTPONED, assignee_id=None)
    assert find_rule(ticket, Action.RESUME).target_for(ticket) == S.NEW


def test_cancel_postpone_resolve_and_reopen_need_a_reason_K3():
    needs = {rule.action for rule in rules_for(TicketKind.INCIDENT) if rule.needs_reason}
    assert {Action.CANCEL, Action.POSTPONE, Action.RESOLVE, Action.REOPEN, Action.WAIT_FOR_CLIENT} <= needs
    dated = {rule.action for rule in rules_for(TicketKind.INCIDENT) if rule.needs_date}
    assert dated == {Action.POSTPONE}


@pytest.mark.parametrize("kind", TicketKind.values)
def test_every_state_is_reachable_from_new(kind):
    assert reachable_states(kind) == set(S)
