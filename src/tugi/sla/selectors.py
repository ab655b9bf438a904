"""Reads of the SLA engine. These serve the desk's own machinery (due times, escalation), not a
user's page, so they take facts rather than an actor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q

from .calendar import CalendarSpec, WorkingSpan
from .models import BusinessCalendar, OrganisationSLAPolicy, SLAPolicy


@dataclass(frozen=True)
class TicketFacts:
    """What decides a ticket's SLA: who it is for, which service, which priority."""

    priority: int
    organisation_id: int | None = None
    service_id: int | None = None
    # K17: a ticket on a mission-critical system or of a VIP organisation runs on the on-call calendar.
    is_on_call: bool = False


@dataclass(frozen=True)
class AppliedSLAPolicy:
    """The policy a ticket falls under, with its calendar ready for the arithmetic."""

    source: str  # "organisation_service" | "organisation" | "service" | "default"
    policy_id: int
    priority: int
    response_target: dt.timedelta
    resolution_target: dt.timedelta
    calendar_id: int
    calendar: CalendarSpec  # the calendar the clock runs on
    # The policy's own calendar: when the desk works. It differs from ``calendar`` on the on-call
    # path (K17), where the clock runs round the clock but "working hours" still mean these.
    working_calendar_id: int | None = None
    working_calendar: CalendarSpec | None = None

    @property
    def is_on_call(self) -> bool:
        return self.working_calendar_id is not None and self.working_calendar_id != self.calendar_id


def _on_call_calendar() -> tuple[int, str] | None:
    """The calendar of the on-call path (K17), if the desk has one: its id and version."""
    return BusinessCalendar.objects.filter(is_on_call=True).values_list("pk", "version").first()


def calendar_spec_for(calendar: BusinessCalendar | int) -> CalendarSpec:
    """The plain calendar the arithmetic works on, in one query (plus three prefetches)."""
    calendar_id = calendar if isinstance(calendar, int) else calendar.pk
    row = BusinessCalendar.objects.prefetch_related("working_hours", "closed_days", "open_days").get(pk=calendar_id)
    return CalendarSpec(
        spans=tuple(WorkingSpan(h.weekday, h.start_time, h.end_time) for h in row.working_hours.all()),
        time_zone=row.time_zone,
        holiday_country=row.holiday_country,
        holiday_subdivision=row.holiday_subdivision,
        closed_days=frozenset(d.date for d in row.closed_days.all()),
        open_days=frozenset(d.date for d in row.open_days.all()),
        is_24_7=row.is_24_7,
    )


# The calendars this process has read, by id: (version, spec). A calendar's version changes with every
# edit of it or of its hours and days, and is read with the policy (one join), so an entry is used
# only while it is current: no calendar query per ticket, and no stale calendar in any process.
_known_calendars: dict[int, tuple[str, CalendarSpec]] = {}


def _spec(calendar_id: int, version: str, calendars: dict | None) -> CalendarSpec:
    if calendars is not None and calendar_id in calendars:
        return calendars[calendar_id]
    known = _known_calendars.get(calendar_id)
    if known is not None and known[0] == version:
        spec = known[1]
    else:
        spec = calendar_spec_for(calendar_id)
        _known_calendars[calendar_id] = (version, spec)
    if calendars is not None:
        calendars[calendar_id] = spec
    return spec


def sla_policy_for(facts: TicketFacts, *, calendars: dict | None = None) -> AppliedSLAPolicy | None:
    """The most specific policy: the organisation's contract for the service, then its contract for
    every service, then the service's default, then the desk-wide default. None when nothing applies.
    On the on-call path (K17) the clock runs on the on-call calendar instead of the policy's own.
    ``calendars``: a cache shared by the calls of one batch, so each calendar is read (and its weeks
    expanded) once and each combination of facts looked up once."""
    if calendars is None:
        return _sla_policy_for(facts, None)
    key = ("policy", facts)
    if key not in calendars:
        calendars[key] = _sla_policy_for(facts, calendars)
    return calendars[key]


def _sla_policy_for(facts: TicketFacts, calendars: dict | None) -> AppliedSLAPolicy | None:
    chosen: OrganisationSLAPolicy | SLAPolicy | None = None
    source = ""
    if facts.organisation_id is not None:
        contracts = OrganisationSLAPolicy.objects.annotate(calendar_version=F("calendar__version")).filter(
            Q(service_id=facts.service_id) | Q(service__isnull=True) if facts.service_id else Q(service__isnull=True),
            organisation_id=facts.organisation_id,
            priority=facts.priority,
        )
        by_scope = {p.service_id: p for p in contracts}
        if facts.service_id is not None and facts.service_id in by_scope:
            chosen, source = by_scope[facts.service_id], "organisation_service"
        elif None in by_scope:
            chosen, source = by_scope[None], "organisation"
    if chosen is None:
        defaults = SLAPolicy.objects.annotate(calendar_version=F("calendar__version")).filter(
            Q(service_id=facts.service_id) | Q(service__isnull=True) if facts.service_id else Q(service__isnull=True),
            priority=facts.priority,
        )
        by_scope = {p.service_id: p for p in defaults}
        if facts.service_id is not None and facts.service_id in by_scope:
            chosen, source = by_scope[facts.service_id], "service"
        elif None in by_scope:
            chosen, source = by_scope[None], "default"
    if chosen is None:
        return None
    working = _spec(chosen.calendar_id, chosen.calendar_version, calendars)
    clock_id, clock = chosen.calendar_id, working
    if facts.is_on_call:
        on_call = _on_call_calendar()
        if on_call is not None and on_call[0] != chosen.calendar_id:
            clock_id, clock = on_call[0], _spec(*on_call, calendars)
    return AppliedSLAPolicy(
        source=source,
        policy_id=chosen.pk,
        priority=chosen.priority,
        response_target=chosen.response_target,
        resolution_target=chosen.resolution_target,
        calendar_id=clock_id,
        calendar=clock,
        working_calendar_id=chosen.calendar_id,
        working_calendar=working,
    )
