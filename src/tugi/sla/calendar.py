"""Business-time arithmetic on a plain, immutable calendar (K8, K17). No database here: a selector
builds the CalendarSpec from the models, and everything below is a pure function of it.

Conventions, chosen so that the SLA clock can be paused, resumed and recomputed without losing or
gaining time:
- Working hours are local wall-clock hours in the calendar's time zone. A span whose end is at or
  before its start crosses midnight (22:00-06:00) and belongs to the weekday it starts on: if that
  day is a holiday or a closed day the whole span is off. 00:00-00:00 is the whole day.
- The business time a span gives is the real time that elapses in it, so a night span across the
  spring-forward change is an hour shorter and one across fall-back an hour longer.
- ``add_business_time(s, d)`` is the earliest instant t with ``business_time_between(s, t) == d``.
  For d > 0 it lies inside working time or exactly at the end of a span: a target that runs out at
  17:00 on Friday is due Friday 17:00, not Monday 08:00.
- A 24/7 calendar counts every second (elapsed time) and ignores holidays.
- Overlapping spans are counted once.

Efficiency: spans are expanded to UTC intervals one week at a time and cached on the spec; a week
that the remaining time cannot end in is skipped whole, and public holidays are computed once per
(country, subdivision, year).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

UTC = dt.UTC
ZERO = dt.timedelta(0)
ONE_DAY = dt.timedelta(days=1)
# A calendar with working hours has some in every few weeks; this only stops a runaway loop on a
# calendar whose every day is closed (its closed days are finite, so that cannot last for ever).
HORIZON_WEEKS = 52 * 50
WEEK_CACHE_SIZE = 4096


@dataclass(frozen=True)
class WorkingSpan:
    """Working hours on one weekday (0 = Monday). An end at or before the start is on the next day."""

    weekday: int
    start: dt.time
    end: dt.time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0..6, not {self.weekday!r}")
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("working hours are local wall-clock times without a time zone")

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start


@dataclass(frozen=True)
class _Week:
    """The UTC intervals of one local week (Monday..Sunday, by the day each span starts on)."""

    begins: dt.datetime  # Monday 00:00 local: no span of this week or a later one starts earlier
    intervals: tuple[tuple[dt.datetime, dt.datetime], ...]
    total: dt.timedelta  # business time of the week, overlaps counted once
    first_start: dt.datetime | None
    last_end: dt.datetime | None


@dataclass(frozen=True)
class CalendarSpec:
    """A business calendar as plain data. Hashable and immutable; its expanded weeks are cached on it,
    so build one per calendar and reuse it."""

    spans: tuple[WorkingSpan, ...] = ()
    time_zone: str = "Europe/Tallinn"
    holiday_country: str = "EE"  # "" = no public holidays
    holiday_subdivision: str = ""
    closed_days: frozenset[dt.date] = frozenset()
    open_days: frozenset[dt.date] = frozenset()  # public holidays that are worked anyway
    is_24_7: bool = False
    _by_weekday: tuple[tuple[WorkingSpan, ...], ...] = field(init=False, repr=False, compare=False)
    _weeks: dict[dt.date, _Week] = field(init=False, repr=False, compare=False, hash=False, default_factory=dict)

    def __post_init__(self) -> None:
        ZoneInfo(self.time_zone)  # raises for an unknown zone
        object.__setattr__(self, "spans", tuple(self.spans))
        object.__setattr__(self, "closed_days", frozenset(self.closed_days))
        object.__setattr__(self, "open_days", frozenset(self.open_days))
        if not self.is_24_7 and not self.spans:
            raise ValueError("a calendar that is not 24/7 needs working hours")
        if self.holiday_country:
            _holiday_dates(self.holiday_country, self.holiday_subdivision, 2000)  # raises for an unknown country
        by_weekday = tuple(
            tuple(sorted((s for s in self.spans if s.weekday == weekday), key=lambda s: s.start))
            for weekday in range(7)
        )
        object.__setattr__(self, "_by_weekday", by_weekday)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def is_closed(self, day: dt.date) -> bool:
        """Whether no span may start on this local date: an extra closed day, or a public holiday that
        is not marked as worked."""
        if day in self.closed_days:
            return True
        if not self.holiday_country or day in self.open_days:
            return False
        return day in _holiday_dates(self.holiday_country, self.holiday_subdivision, day.year)


@lru_cache(maxsize=512)
def _holiday_dates(country: str, subdivision: str, year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays(country, subdiv=subdivision or None, years=year).keys())


def _require_aware(*instants: dt.datetime) -> None:
    for instant in instants:
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError(f"an aware datetime is required, not {instant!r}")


def _local_to_utc(day: dt.date, at: dt.time, tz: ZoneInfo) -> dt.datetime:
    # fold=0: an ambiguous time (fall-back) is its first occurrence; a time in the spring-forward gap
    # takes the offset before the change. Both ends of a span use the same rule, and an interval that
    # this leaves empty is dropped.
    return dt.datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def _week(spec: CalendarSpec, monday: dt.date) -> _Week:
    cached = spec._weeks.get(monday)
    if cached is not None:
        return cached
    tz = spec.tz
    intervals: list[tuple[dt.datetime, dt.datetime]] = []
    for offset in range(7):
        day = monday + dt.timedelta(days=offset)
        spans = spec._by_weekday[day.weekday()]
        if not spans or spec.is_closed(day):
            continue
        for span in spans:
            start = _local_to_utc(day, span.start, tz)
            end = _local_to_utc(day + ONE_DAY if span.crosses_midnight else day, span.end, tz)
            if end > start:
                intervals.append((start, end))
    intervals.sort()
    total = ZERO
    cursor: dt.datetime | None = None
    for start, end in intervals:
        lo = start if cursor is None or start > cursor else cursor
        if end > lo:
            total += end - lo
            cursor = end
    week = _Week(
        begins=_local_to_utc(monday, dt.time(0), tz),
        intervals=tuple(intervals),
        total=total,
        first_start=intervals[0][0] if intervals else None,
        last_end=max(end for _, end in intervals) if intervals else None,
    )
    if len(spec._weeks) >= WEEK_CACHE_SIZE:
        spec._weeks.clear()
    spec._weeks[monday] = week
    return week


def _weeks_from(instant: dt.datetime, spec: CalendarSpec) -> Iterator[_Week]:
    """The weeks whose spans may reach ``instant`` or later: from the local week of the day before
    (a span starting yesterday evening may still be running)."""
    day = instant.astimezone(spec.tz).date() - ONE_DAY
    monday = day - dt.timedelta(days=day.weekday())
    for _ in range(HORIZON_WEEKS):
        yield _week(spec, monday)
        monday += dt.timedelta(days=7)
    raise ValueError("the calendar has no working time within fifty years")


def add_business_time(start: dt.datetime, duration: dt.timedelta, spec: CalendarSpec) -> dt.datetime:
    """The instant at which ``duration`` of business time has passed since ``start``, in UTC (Python
    compares two datetimes of one zone by their wall clocks, which is wrong in the fall-back hour)."""
    _require_aware(start)
    if duration < ZERO:
        raise ValueError("a business-time duration cannot be negative")
    if duration == ZERO:
        return start.astimezone(UTC)
    if spec.is_24_7:
        return start.astimezone(UTC) + duration
    cursor = start.astimezone(UTC)
    remaining = duration
    for week in _weeks_from(cursor, spec):
        if week.first_start is None or (week.last_end is not None and week.last_end <= cursor):
            continue
        if cursor <= week.first_start and remaining > week.total:
            remaining -= week.total
            cursor = week.last_end
            continue
        for interval_start, interval_end in week.intervals:
            lo = interval_start if interval_start > cursor else cursor
            if interval_end <= lo:
                continue
            available = interval_end - lo
            if available >= remaining:
                return lo + remaining
            remaining -= available
            cursor = interval_end
    raise AssertionError("unreachable")  # pragma: no cover - _weeks_from raises first


def business_time_between(start: dt.datetime, end: dt.datetime, spec: CalendarSpec) -> dt.timedelta:
    """The business time from ``start`` to ``end``; negative when ``end`` is earlier (how far past a
    due time a ticket is)."""
    _require_aware(start, end)
    # In UTC: Python compares and subtracts two datetimes of the same zone by their wall clocks.
    cursor = start.astimezone(UTC)
    stop = end.astimezone(UTC)
    if stop < cursor:
        return -business_time_between(stop, cursor, spec)
    if spec.is_24_7:
        return stop - cursor
    total = ZERO
    for week in _weeks_from(cursor, spec):
        if week.begins >= stop:
            return total
        if week.first_start is None or week.last_end <= cursor:
            continue
        if cursor <= week.first_start and week.last_end <= stop:
            total += week.total
            cursor = week.last_end
            continue
        for interval_start, interval_end in week.intervals:
            if interval_start >= stop:
                return total
            lo = interval_start if interval_start > cursor else cursor
            hi = interval_end if interval_end < stop else stop
            if hi > lo:
                total += hi - lo
                cursor = hi
    raise AssertionError("unreachable")  # pragma: no cover


def is_working_time(instant: dt.datetime, spec: CalendarSpec) -> bool:
    """Whether ``instant`` is inside working hours (a span includes its start, not its end) — K17's
    "outside working hours" is the negation."""
    _require_aware(instant)
    if spec.is_24_7:
        return True
    at = instant.astimezone(UTC)
    for week in _weeks_from(at, spec):
        if week.begins > at:
            return False
        if any(interval_start <= at < interval_end for interval_start, interval_end in week.intervals):
            return True
    raise AssertionError("unreachable")  # pragma: no cover


def next_working_time(instant: dt.datetime, spec: CalendarSpec) -> dt.datetime:
    """``instant`` itself during working hours, otherwise when working hours next begin: when work on
    a ticket that came in out of hours will start (K17). In UTC."""
    _require_aware(instant)
    at = instant.astimezone(UTC)
    if spec.is_24_7:
        return at
    for week in _weeks_from(at, spec):
        for interval_start, interval_end in week.intervals:
            if interval_end > at:
                return max(interval_start, at)
    raise AssertionError("unreachable")  # pragma: no cover


Pause = tuple[dt.datetime, dt.datetime | None]


def due_time_after_pauses(
    created_at: dt.datetime, target: dt.timedelta, pauses: Iterable[Pause], spec: CalendarSpec
) -> dt.datetime | None:
    """When (UTC) ``target`` of business time has run on a clock started at ``created_at`` that stood still
    during each pause [start, end). Pauses may overlap, be unordered, or lie before the start; a pause
    still running (end None) that begins before the target runs out means no due time yet (None).

    Recomputing with a changed target or calendar keeps the same pauses, so a changed SLA never
    forgets a pause."""
    _require_aware(created_at)
    cursor = created_at.astimezone(UTC)
    remaining = target
    for pause_start, pause_end in _merged(pauses):
        if pause_end is not None and pause_end <= cursor:
            continue
        if pause_start > cursor:
            run = business_time_between(cursor, pause_start, spec)
            if run >= remaining:
                break
            remaining -= run
        if pause_end is None:
            return None
        cursor = max(cursor, pause_end)
    return add_business_time(cursor, remaining, spec)


def _merged(pauses: Iterable[Pause]) -> list[Pause]:
    normalised: list[Pause] = []
    for pause_start, pause_end in pauses:
        _require_aware(pause_start)
        if pause_end is not None:
            _require_aware(pause_end)
            pause_end = pause_end.astimezone(UTC)
        normalised.append((pause_start.astimezone(UTC), pause_end))
    ordered: Sequence[Pause] = sorted(normalised, key=lambda p: p[0])
    merged: list[Pause] = []
    for pause_start, pause_end in ordered:
        if pause_end is not None and pause_end < pause_start:
            raise ValueError(f"a pause cannot end before it starts: {pause_start} .. {pause_end}")
        if merged:
            last_start, last_end = merged[-1]
            if last_end is None:
                break  # an open pause swallows every later one
            if pause_start <= last_end:
                merged[-1] = (last_start, None if pause_end is None else max(last_end, pause_end))
                continue
        merged.append((pause_start, pause_end))
    return merged
