"""The ticket lifecycle as a plain table: which action may move a ticket from which state to
which, and what must be true first. Pure: no database, no Django models imported; the services
enforce it, the console draws its buttons from it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tugi.core.errors import TransitionNotAllowed

from .models import TicketKind, TicketState

S = TicketState


class Action(StrEnum):
    ASSIGN = "assign"
    START = "start"
    WAIT_FOR_CLIENT = "wait_for_client"
    RESUME = "resume"
    POSTPONE = "postpone"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"
    CANCEL = "cancel"


ACTION_LABELS = {
    Action.ASSIGN: gettext_lazy("Assign"),
    Action.START: gettext_lazy("Start work"),
    Action.WAIT_FOR_CLIENT: gettext_lazy("Wait for the client"),
    Action.RESUME: gettext_lazy("Resume"),
    Action.POSTPONE: gettext_lazy("Postpone"),
    Action.RESOLVE: gettext_lazy("Resolve"),
    Action.CLOSE: gettext_lazy("Close"),
    Action.REOPEN: gettext_lazy("Reopen"),
    Action.CANCEL: gettext_lazy("Cancel"),
}


class TicketFacts(Protocol):
    """What the guards may look at. A Ticket satisfies it; tests use a plain object."""

    state: str
    kind: str
    assignee_id: int | None
    state_before_wait: str


Guard = Callable[[TicketFacts], str | None]


def _has_assignee(ticket: TicketFacts) -> str | None:
    if ticket.assignee_id is None:
        return _("Assign the ticket to a specialist first.")
    return None


def _after_postponement(ticket: TicketFacts) -> S:
    return S.ASSIGNED if ticket.assignee_id is not None else S.NEW


RESUMABLE = frozenset({S.ASSIGNED, S.IN_PROGRESS, S.REOPENED})


def _after_waiting(ticket: TicketFacts) -> S:
    """Back to where the ticket was before it waited; work that had not started has not started."""
    before = getattr(ticket, "state_before_wait", "")
    return S(before) if before in RESUMABLE else S.IN_PROGRESS


@dataclass(frozen=True)
class Rule:
    action: Action
    sources: frozenset[S]
    target: S | Callable[[TicketFacts], S] | None  # None: the state stays (a reassignment)
    needs_reason: bool = False
    needs_date: bool = False
    guards: tuple[Guard, ...] = field(default=())

    def target_for(self, ticket: TicketFacts) -> S:
        if self.target is None:
            return S(ticket.state)
        if callable(self.target):
            return self.target(ticket)
        return self.target


def _rules(*rules: Rule) -> tuple[Rule, ...]:
    return rules


WORKING = frozenset({S.ASSIGNED, S.IN_PROGRESS, S.WAITING_FOR_CLIENT, S.REOPENED})

BASE_RULES = _rules(
    Rule(Action.ASSIGN, frozenset({S.NEW, S.REOPENED}), S.ASSIGNED),
    Rule(Action.ASSIGN, frozenset({S.ASSIGNED, S.IN_PROGRESS, S.WAITING_FOR_CLIENT, S.POSTPONED}), None),
    Rule(Action.START, frozenset({S.NEW, S.ASSIGNED, S.REOPENED}), S.IN_PROGRESS, guards=(_has_assignee,)),
    Rule(Action.WAIT_FOR_CLIENT, frozenset({S.ASSIGNED, S.IN_PROGRESS, S.REOPENED}), S.WAITING_FOR_CLIENT,
         needs_reason=True),
    Rule(Action.RESUME, frozenset({S.WAITING_FOR_CLIENT}), _after_waiting),
    Rule(Action.RESUME, frozenset({S.POSTPONED}), _after_postponement),
    Rule(Action.POSTPONE, frozenset({S.NEW}) | WORKING, S.POSTPONED, needs_reason=True, needs_date=True),
    Rule(Action.RESOLVE, WORKING, S.RESOLVED, needs_reason=True, guards=(_has_assignee,)),
    Rule(Action.CLOSE, frozenset({S.RESOLVED}), S.CLOSED),
    Rule(Action.REOPEN, frozenset({S.RESOLVED}), S.REOPENED, needs_reason=True),
    Rule(Action.CANCEL, frozenset({S.NEW, S.POSTPONED}) | WORKING, S.CANCELLED, needs_reason=True),
)

# One table per kind. The kinds share the base rules today; a kind that needs its own (a change
# request's approval, say) gets its own tuple here.
TABLE: dict[TicketKind, tuple[Rule, ...]] = {kind: BASE_RULES for kind in TicketKind}


def rules_for(kind: str) -> tuple[Rule, ...]:
    return TABLE[TicketKind(kind)]


def find_rule(ticket: TicketFacts, action: Action) -> Rule:
    """The rule that lets ``action`` happen now, or TransitionNotAllowed saying why not."""
    state = S(ticket.state)
    for rule in rules_for(ticket.kind):
        if rule.action == action and state in rule.sources:
            for guard in rule.guards:
                problem = guard(ticket)
                if problem:
                    raise TransitionNotAllowed(problem, code="guard")
            return rule
    known = any(rule.action == action for rule in rules_for(ticket.kind))
    if not known:
        raise TransitionNotAllowed(_("This action does not exist for this kind of ticket."))
    raise TransitionNotAllowed(
        _("A ticket that is “%(state)s” cannot be given the action “%(action)s”.")
        % {"state": state.label, "action": ACTION_LABELS[action]}
    )


def available_actions(ticket: TicketFacts) -> list[Action]:
    """Actions whose rule matches the state and whose guards pass: the buttons to show."""
    result: list[Action] = []
    for rule in rules_for(ticket.kind):
        if (
            S(ticket.state) in rule.sources
            and rule.action not in result
            and all(guard(ticket) is None for guard in rule.guards)
        ):
            result.append(rule.action)
    return result


def action_choices(ticket: TicketFacts) -> list[tuple[Action, str | None]]:
    """Every action the state allows, each with ``None`` when it can be taken now or the reason why
    not yet (a guard): the console shows the latter as a disabled button with its explanation."""
    result: dict[Action, str | None] = {}
    for rule in rules_for(ticket.kind):
        if S(ticket.state) not in rule.sources or result.get(rule.action, "x") is None:
            continue
        problems = [p for p in (guard(ticket) for guard in rule.guards) if p]
        result[rule.action] = problems[0] if problems else None
    return list(result.items())


def reachable_states(kind: str, start: S = S.NEW) -> set[S]:
    seen = {start}
    frontier: Iterable[S] = [start]
    while frontier:
        nxt = []
        for rule in rules_for(kind):
            for state in frontier:
                if state in rule.sources and isinstance(rule.target, S) and rule.target not in seen:
                    seen.add(rule.target)
                    nxt.append(rule.target)
                elif state in rule.sources and callable(rule.target):
                    for candidate in (S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.REOPENED):
                        if candidate not in seen:
                            seen.add(candidate)
                            nxt.append(candidate)
        frontier = nxt
    return seen
