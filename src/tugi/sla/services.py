"""Due times from a policy (K8). Computing them writes nothing: the tickets app stores the result
and records pauses; recomputation after a change of priority, service or calendar passes the same
pauses again, so no pause is forgotten."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .calendar import Pause, due_time_after_pauses
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
