"""Recomputing open tickets' due times after a calendar or an SLA policy changed (K8, K15), and
backfilling tickets that have none: in batches, each its own transaction, keeping every pause. The
admin's save calls it for the tickets concerned; `tugi sla recompute [--all]` for the rest."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.db.models import Q

from tugi.core.actors import Actor
from tugi.core.audit import audit_record
from tugi.tickets.selectors import open_ticket_count, open_ticket_ids
from tugi.tickets.services import tickets_sla_recompute

from .models import BusinessCalendar, OrganisationSLAPolicy, SLAPolicy

BATCH_SIZE = 500
NOTHING = Q(pk__in=[])


def policy_scope(policy: SLAPolicy | OrganisationSLAPolicy) -> dict:
    """Which tickets a policy may apply to, as plain data a task can carry."""
    return {"kind": "policy", "priority": policy.priority, "service_id": policy.service_id,
            "organisation_id": getattr(policy, "organisation_id", None)}


def calendar_scope(calendar: BusinessCalendar) -> dict:
    return {"kind": "calendar", "calendar_id": calendar.pk}


def _policy_filter(scope: dict) -> Q:
    where = Q(priority=scope["priority"])
    if scope.get("service_id") is not None:
        where &= Q(service_id=scope["service_id"])
    if scope.get("organisation_id") is not None:
        where &= Q(organisation_id=scope["organisation_id"])
    return where


def tickets_under_policy(policy: SLAPolicy | OrganisationSLAPolicy) -> Q:
    """The open tickets a policy may apply to (a superset is harmless: recomputing is idempotent)."""
    return _policy_filter(policy_scope(policy))


def tickets_in_scopes(scopes: list[dict]) -> Q | None:
    """The open tickets concerned by these changes; None: every open ticket."""
    where = NOTHING
    for scope in scopes:
        if scope["kind"] == "policy":
            where |= _policy_filter(scope)
        elif scope["kind"] == "calendar":
            calendar = BusinessCalendar.objects.filter(pk=scope["calendar_id"]).first()
            if calendar is None:
                continue
            on_calendar = tickets_on_calendar(calendar)
            if on_calendar is None:
                return None
            where |= on_calendar
        else:
            return None
    return where


def tickets_on_calendar(calendar: BusinessCalendar) -> Q | None:
    """The open tickets whose clock may run on this calendar; None: every open ticket (the on-call
    calendar can serve any ticket of a VIP organisation or on a critical system)."""
    if calendar.is_on_call:
        return None
    where = NOTHING
    for policy in SLAPolicy.objects.filter(calendar=calendar):
        where |= tickets_under_policy(policy)
    for policy in OrganisationSLAPolicy.objects.filter(calendar=calendar):
        where |= tickets_under_policy(policy)
    return where


def sla_recompute(
    *,
    actor: Actor,
    where: Q | None = None,
    missing_only: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int, int], None] | None = None,
    reason: str = "",
    about: models.Model | None = None,
) -> int:
    """Recompute the open tickets matching ``where`` (None: all; ``missing_only``: only those
    without due times). ``progress(done, total)`` is called after each batch. Returns the count."""
    total = open_ticket_count(where=where, missing_due_times=missing_only)
    done, after, calendars = 0, 0, {}
    if progress:
        progress(0, total)
    while True:
        ids = open_ticket_ids(where=where, missing_due_times=missing_only, after=after, limit=batch_size)
        if not ids:
            break
        done += tickets_sla_recompute(ticket_ids=ids, calendars=calendars)
        after = ids[-1]
        if progress:
            progress(done, total)
        if len(ids) < batch_size:
            break
    subject = about or BusinessCalendar.objects.order_by("pk").first()  # the trail needs an object
    if done and subject is not None:
        audit_record(actor=actor, action="sla.recompute", obj=subject,
                     changes={"tickets": done, "missing_only": missing_only, "reason": reason})
    return done
