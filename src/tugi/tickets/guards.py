"""Business guards on the lifecycle: rules that need the database, kept apart from the pure table
in lifecycle.py. An app that owns such a rule (access must be confirmed before work starts, K4; a
cost must be accepted first, K16) registers a guard for an action in its AppConfig.ready(); the
tickets app never imports those apps. A guard returns None when the action may go ahead, or the
reason, in the user's language, why not yet."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from tugi.core.errors import TransitionNotAllowed

from .lifecycle import Action
from .models import OPEN_STATES, Ticket, TicketLink

Guard = Callable[[Ticket], str | None]
_GUARDS: dict[Action, list[Guard]] = {}


def register_guard(action: Action, guard: Guard) -> None:
    """Add ``guard`` for ``action`` (idempotent, so a reloaded app does not add it twice)."""
    guards = _GUARDS.setdefault(Action(action), [])
    if guard not in guards:
        guards.append(guard)


def problems_for(ticket: Ticket, action: Action) -> list[str]:
    return [p for p in (guard(ticket) for guard in _GUARDS.get(Action(action), ())) if p]


def check(ticket: Ticket, action: Action) -> None:
    problems = problems_for(ticket, action)
    if problems:
        raise TransitionNotAllowed(" ".join(problems), code="guard")


# --- the tickets app's own guards -------------------------------------------------------------

def open_children_block_closing(ticket: Ticket) -> str | None:
    """A parent cannot be closed (or resolved) while a child is still open."""
    children = TicketLink.objects.filter(
        target=ticket, kind=TicketLink.Kind.CHILD_OF, source__state__in=OPEN_STATES
    ).values_list("source__reference", flat=True)
    open_children = list(children[:5])
    if open_children:
        return _("Child tickets are still open: %(refs)s.") % {"refs": ", ".join(open_children)}
    return None


register_guard(Action.CLOSE, open_children_block_closing)
register_guard(Action.RESOLVE, open_children_block_closing)


def action_choices(ticket: Ticket) -> list[tuple[Action, str | None]]:
    """The lifecycle's choices for the ticket's state, with the business guards' reasons merged in:
    what the console shows as buttons, enabled or disabled with the reason."""
    from .lifecycle import action_choices as table_choices

    result = []
    for action, problem in table_choices(ticket):
        if problem is None:
            problems = problems_for(ticket, action)
            problem = " ".join(problems) if problems else None
        result.append((action, problem))
    return result
