"""Which audit events of tickets become webhook events, and what their payload says.

The audit log is the outbox: every ticket service writes one audit event per business action, so
reading it in order gives every change once, without signals or hooks in the tickets app. Only the
actions below are published; an internal note (``ticket.note``) never is, and a payload carries
only what the ticket's client may see too: no internal notes, no phone numbers, no e-mail
addresses, no internal plans."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from tugi.tickets.lifecycle import Action

from .models import EventType

TICKET_OBJECT_TYPE = "tickets.ticket"

_STATE_VERBS = frozenset(a.value for a in Action) - {Action.ASSIGN.value}
# Which fields an update touched, by action; the values themselves are in the ticket snapshot.
_UPDATE_VERBS = {
    "assign": ("assignee", "state"),
    "priority": ("impact", "urgency", "priority"),
    "reclassify": ("kind", "reference"),
    "workaround": ("workaround",),
    "ci_add": ("configuration_items",),
    "ci_confirm": ("configuration_items",),
    "ci_correct": ("configuration_items",),
    "link": ("links",),
    "participant_add": ("participants",),
}


def event_type_for(action: str, object_type: str) -> str | None:
    """The webhook event an audit action is, or None when it is not published."""
    if object_type != TICKET_OBJECT_TYPE or not action.startswith("ticket."):
        return None
    verb = action.removeprefix("ticket.")
    if verb == "create":
        return EventType.TICKET_CREATED
    if verb == "reply":  # public replies only: "ticket.note" is the internal one
        return EventType.ENTRY_ADDED
    if verb in _STATE_VERBS:
        return EventType.TICKET_STATE_CHANGED
    if verb in _UPDATE_VERBS:
        return EventType.TICKET_UPDATED
    return None


def _ref(obj) -> dict[str, Any] | None:
    return {"id": obj.pk, "name": str(obj.name)} if obj is not None else None


def _time(value) -> str | None:
    return value.isoformat() if value is not None else None


def ticket_snapshot(ticket) -> dict[str, Any]:
    """The ticket as an integration needs it. The assignee is a name only (never a phone)."""
    return {
        "reference": ticket.reference,
        "kind": ticket.kind,
        "title": ticket.title,
        "state": ticket.state,
        "priority": ticket.priority,
        "impact": ticket.impact,
        "urgency": ticket.urgency,
        "source": ticket.source,
        "organisation": _ref(ticket.organisation),
        "service": _ref(ticket.service),
        "requester": _ref(ticket.requester),
        "assignee": {"name": str(ticket.assignee.name)} if ticket.assignee_id else None,
        "created_at": _time(ticket.created_at),
        "updated_at": _time(ticket.updated_at),
        "resolved_at": _time(ticket.resolved_at),
        "closed_at": _time(ticket.closed_at),
        "url": settings.TUGI_BASE_URL.rstrip("/") + reverse("console:ticket", args=[ticket.reference]),
    }


def event_data(event_type: str, action: str, changes: dict, ticket, entry=None) -> dict[str, Any] | None:
    """The event's own part of the payload; None when the event must not be published after all
    (a reply that turns out to be internal)."""
    verb = action.removeprefix("ticket.")
    if event_type == EventType.TICKET_CREATED:
        return {"description": ticket.description}
    if event_type == EventType.TICKET_STATE_CHANGED:
        state = changes.get("state") or [None, ticket.state]
        return {"action": verb, "from": state[0], "to": state[1], "reason": changes.get("reason") or "",
                "until": changes.get("until")}
    if event_type == EventType.TICKET_UPDATED:
        return {"action": verb, "changed": list(_UPDATE_VERBS.get(verb, ()))}
    if event_type == EventType.ENTRY_ADDED:
        if entry is None or entry.is_internal:
            return None
        return {"entry": {"id": entry.pk, "author": entry.author_label, "author_is_staff": entry.author_is_staff,
                          "channel": entry.channel, "body": entry.body, "created_at": _time(entry.created_at)}}
    return None
