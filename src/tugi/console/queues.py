"""The console's queues: named views over the one ticket selector, and the filters form's values
turned into TicketFilters. Reading only; every read goes through tugi.tickets.selectors."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy as _

from tugi.core.actors import Actor
from tugi.tickets.models import TicketState
from tugi.tickets.selectors import TicketFilters


@dataclass(frozen=True)
class QueueView:
    key: str
    label: str

    def filters(self, actor: Actor) -> TicketFilters:
        if self.key == "mine":
            return TicketFilters(assignee_id=actor.staff_id or -1, is_open=True)
        if self.key == "unassigned":
            return TicketFilters(unassigned=True, is_open=True)
        if self.key == "waiting":
            return TicketFilters(state=TicketState.WAITING_FOR_CLIENT)
        if self.key == "open":
            return TicketFilters(is_open=True)
        return TicketFilters()


VIEWS = [
    QueueView("mine", _("Mine")),
    QueueView("unassigned", _("Unassigned")),
    QueueView("open", _("All open")),
    QueueView("waiting", _("Waiting for client")),
    QueueView("all", _("All")),
]
VIEWS_BY_KEY = {v.key: v for v in VIEWS}
DEFAULT_VIEW = "open"


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
