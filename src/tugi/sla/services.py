"""Due times and the escalation schedule from a policy (K8). Computing them writes nothing: the
tickets app stores the result and records pauses; recomputation after a change of priority, service
or calendar passes the same pauses again, so no pause is forgotten. ``sla_escalations_arm`` writes
the schedule the periodic job (escalation.py) works through."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from .calendar import Pause, due_time_after_pauses
from .models import SLAEscalation, SLATarget
from .selectors import AppliedSLAPolicy


@dataclass(frozen=True)
class DueTimes:
    """None for a clock that stands still (paused now) before its target ran out."""

    response_due: dt.datetime | None
    resolution_due: dt.datetime | None


def due_times_for(
    *,
    created_at: dt.datetime,
    policy: AppliedSLAPolicy,
    pauses: Iterable[Pause] = (),
    response_pauses: Iterable[Pause] | None = None,
) -> DueTimes:
    """Response and resolution due on the policy's calendar. ``pauses`` (waiting for the client,
    postponed) stop the resolution clock; whether they stop the response clock as well is the
    caller's choice through ``response_pauses`` (by default no: the first answer is owed anyway)."""
    pauses = list(pauses)
    return DueTimes(
        response_due=due_time_after_pauses(created_at, policy.response_target, response_pauses or (), policy.calendar),
        resolution_due=due_time_after_pauses(created_at, policy.resolution_target, pauses, policy.calendar),
    )


# --- escalation (issue 5: breach prediction) --------------------------------------------------------

ASSIGNEE = "assignee"
SERVICE_MANAGER = "service_manager"
ROLES = (ASSIGNEE, SERVICE_MANAGER)


@dataclass(frozen=True)
class EscalationStep:
    """At ``threshold`` per cent of a target, these roles are told."""

    threshold: int
    roles: tuple[str, ...]


def parse_escalation_steps(items: Sequence[str]) -> list[EscalationStep]:
    """``["75:assignee", "100:service_manager+assignee"]`` → steps, lowest threshold first."""
    steps: dict[int, EscalationStep] = {}
    for item in items:
        threshold, _sep, roles = str(item).strip().partition(":")
        try:
            percent = int(threshold)
        except ValueError:
            raise ImproperlyConfigured(f"TUGI_SLA_ESCALATION: {item!r} does not start with a percentage") from None
        names = tuple(dict.fromkeys(r.strip() for r in roles.split("+") if r.strip()))
        unknown = [name for name in names if name not in ROLES]
        if not 1 <= percent <= 1000 or not names or unknown:
            raise ImproperlyConfigured(
                f"TUGI_SLA_ESCALATION: {item!r} must be <1-1000>:<role>[+<role>] with roles from {', '.join(ROLES)}"
            )
        if percent in steps:
            raise ImproperlyConfigured(f"TUGI_SLA_ESCALATION: {percent} % is given twice")
        steps[percent] = EscalationStep(percent, names)
    return [steps[p] for p in sorted(steps)]


def escalation_steps() -> list[EscalationStep]:
    return parse_escalation_steps(settings.TUGI_SLA_ESCALATION)


def escalation_step(threshold: int) -> EscalationStep | None:
    return next((step for step in escalation_steps() if step.threshold == threshold), None)


@dataclass(frozen=True)
class EscalationPoint:
    target: str  # SLATarget
    threshold: int
    at: dt.datetime


def escalation_points(
    *,
    created_at: dt.datetime,
    policy: AppliedSLAPolicy,
    pauses: Iterable[Pause] = (),
    has_response: bool = False,
    steps: Sequence[EscalationStep] | None = None,
) -> list[EscalationPoint]:
    """When each threshold of each target is reached, on the same clock as the due times: the
    response clock runs on (it has no points once the desk answered), the resolution clock stands
    still in each pause (no point while a pause lasts: nobody is chased for a clock that stopped)."""
    steps = escalation_steps() if steps is None else steps
    pauses = list(pauses)
    points = []
    for step in steps:
        fraction = step.threshold / 100
        if not has_response:
            at = due_time_after_pauses(created_at, policy.response_target * fraction, (), policy.calendar)
            if at is not None:
                points.append(EscalationPoint(SLATarget.RESPONSE, step.threshold, at))
        at = due_time_after_pauses(created_at, policy.resolution_target * fraction, pauses, policy.calendar)
        if at is not None:
            points.append(EscalationPoint(SLATarget.RESOLUTION, step.threshold, at))
    return points


def sla_escalations_arm(
    *, ticket_id: int, points: Iterable[EscalationPoint], now: dt.datetime,
    existing: Iterable[SLAEscalation] | None = None,
) -> None:
    """Make the ticket's escalation schedule match ``points`` (call in the ticket's transaction,
    with the ticket locked). An armed step moves with its moment; a step that no longer applies
    (the desk answered, the clock is paused, no policy) is dropped unless it was already sent, which
    stays as the record; a sent step whose moment is again in the future (the due time moved
    later) is re-armed, so it is told again when it is reached again. ``existing``: the ticket's
    rows when the caller read them already (a batch)."""
    wanted = {(p.target, p.threshold): p.at for p in points}
    rows = SLAEscalation.objects.filter(ticket_id=ticket_id) if existing is None else existing
    by_key = {(row.target, row.threshold): row for row in rows}
    drop = [row.pk for key, row in by_key.items() if key not in wanted and row.status == SLAEscalation.Status.ARMED]
    if drop:
        SLAEscalation.objects.filter(pk__in=drop).delete()
    create, changed = [], []
    for key, at in wanted.items():
        row = by_key.get(key)
        if row is None:
            create.append(SLAEscalation(ticket_id=ticket_id, target=key[0], threshold=key[1], due_at=at))
        elif row.status == SLAEscalation.Status.ARMED:
            if row.due_at != at:
                row.due_at = at
                changed.append(row)
        elif at > now:
            row.due_at, row.status, row.sent_at, row.notified = at, SLAEscalation.Status.ARMED, None, ""
            changed.append(row)
    if changed:
        SLAEscalation.objects.bulk_update(changed, ["due_at", "status", "sent_at", "notified"])
    if create:
        SLAEscalation.objects.bulk_create(create)


def sla_escalations_disarm(*, ticket_id: int, target: str | None = None) -> int:
    """Drop the armed steps of a ticket (all, or one target's): it was finished, or answered."""
    where = Q(ticket_id=ticket_id, status=SLAEscalation.Status.ARMED)
    if target is not None:
        where &= Q(target=target)
    deleted, _by_model = SLAEscalation.objects.filter(where).delete()
    return deleted
