"""The desk's queues: named views over the one ticket selector (mine, unassigned, open, waiting,
all). The console shows them and the API lists them; both take them from here."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from tugi.core.actors import Actor

from .models import TicketState
from .selectors import TicketFilters


@dataclass(frozen=True)
class QueueView:
    key: str
    label: str

    def filters(self, actor: Actor) -> TicketFilters:
        if self.key == "mine":
            if actor.is_client:  # the portal's "my tickets": what they reported themselves
                return TicketFilters(requester_id=actor.contact_id or -1)
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


def queue_filters_for(actor: Actor, key: str | None) -> TicketFilters:
    """A queue's filters; no queue named, no filter."""
    view = VIEWS_BY_KEY.get(key or "")
    return view.filters(actor) if view else TicketFilters()
