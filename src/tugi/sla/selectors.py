"""Reads of the SLA engine. These serve the desk's own machinery (due times, escalation), not a
user's page, so they take facts rather than an actor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection

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


def _candidate_policies(facts: TicketFacts) -> list[_Candidate]:
    """Every policy that could apply to these facts, organisation contracts and service or desk
    defaults alike, in one statement: this runs for every new ticket, and two ORM queries cost
    twenty times the CPU of one plain statement (docs/performance.md, mail intake)."""
    quote = connection.ops.quote_name
    calendar = quote(BusinessCalendar._meta.db_table)
    columns = ("p.id, p.service_id, p.priority, p.response_target, p.resolution_target, p.calendar_id, "
               "c.version")
    parts, params = [], []
    if facts.organisation_id is not None:
        parts.append(f"SELECT 1, {columns} FROM {quote(OrganisationSLAPolicy._meta.db_table)} p "
                     f"JOIN {calendar} c ON c.id = p.calendar_id WHERE p.organisation_id = %s AND p.priority = %s "
                     f"AND (p.service_id = %s OR p.service_id IS NULL)")
        params += [facts.organisation_id, facts.priority, facts.service_id]
    parts.append(f"SELECT 0, {columns} FROM {quote(SLAPolicy._meta.db_table)} p "
                 f"JOIN {calendar} c ON c.id = p.calendar_id WHERE p.priority = %s "
                 f"AND (p.service_id = %s OR p.service_id IS NULL)")
    params += [facts.priority, facts.service_id]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return [_Candidate(bool(of_organisation), pk, service_id, priority, _duration(response),
                           _duration(resolution), calendar_id, version)
                for of_organisation, pk, service_id, priority, response, resolution, calendar_id, version
                in cursor.fetchall()]


@dataclass(frozen=True)
class _Candidate:
    of_organisation: bool
    pk: int
    service_id: int | None
    priority: int
    response_target: dt.timedelta
    resolution_target: dt.timedelta
    calendar_id: int
    calendar_version: str


def _duration(value) -> dt.timedelta:
    # PostgreSQL has an interval type; SQLite keeps Django's DurationField as microseconds.
    return value if isinstance(value, dt.timedelta) else dt.timedelta(microseconds=int(value))


# From the most specific: the organisation's contract for the service, then for every service, then the
# service's own policy, then the desk-wide default.
_SCOPES = ((True, True, "organisation_service"), (True, False, "organisation"), (False, True, "service"),
           (False, False, "default"))


def _sla_policy_for(facts: TicketFacts, calendars: dict | None) -> AppliedSLAPolicy | None:
    candidates = _candidate_policies(facts)
    chosen, source = None, ""
    for of_organisation, for_service, name in _SCOPES:
        chosen = next((c for c in candidates if c.of_organisation == of_organisation
                       and (c.service_id is not None) == for_service), None)
        if chosen is not None:
            source = name
            break
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
