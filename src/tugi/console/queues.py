"""The console's queues (named in tugi.tickets.queues) and the filters form's values turned into
TicketFilters. Reading only; every read goes through tugi.tickets.selectors."""

from __future__ import annotations

from dataclasses import replace

from tugi.core.actors import Actor
from tugi.tickets.models import TicketState
from tugi.tickets.queues import DEFAULT_VIEW, VIEWS_BY_KEY
from tugi.tickets.selectors import TicketFilters


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def filters_from(actor: Actor, view_key: str, params) -> TicketFilters:
    """The view's filters, narrowed by the filter form's values."""
    base = VIEWS_BY_KEY.get(view_key, VIEWS_BY_KEY[DEFAULT_VIEW]).filters(actor)
    changes = {}
    if params.get("state") in TicketState.values:
        changes["state"] = params["state"]
        changes["is_open"] = None
    for name in ("kind",):
        if params.get(name):
            changes[name] = params[name]
    for name in ("organisation", "service", "assignee"):
        value = _int(params.get(name))
        if value:
            changes[f"{name}_id"] = value
    if params.get("q"):
        changes["query"] = params["q"][:200]
    return replace(base, **changes)
