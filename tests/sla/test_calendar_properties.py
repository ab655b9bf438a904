"""Properties of business-time arithmetic on random calendars (K8, K17): adding and measuring are
inverse, additive and monotonic; pausing and resuming never loses or gains time; a due time lies in
working time or at the end of a span. Random time zones include DST, half-hour DST and no DST; spans
cross midnight and overlap; holidays, closed days and worked holidays vary."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tugi.sla.calendar import (
    CalendarSpec,
    WorkingSpan,
    add_business_time,
    business_time_between,
    due_time_after_pauses,
    is_working_time,
    next_working_time,
)

UTC = dt.UTC
ZERO = dt.timedelta(0)
TICK = dt.timedelta(microseconds=1)
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ZONES = ["Europe/Tallinn", "UTC", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Europe/Berlin"]
COUNTRIES = [("EE", ""), ("", ""), ("FI", ""), ("DE", "BY"), ("US", "")]

times = st.builds(dt.time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45, 59]))


@st.composite
def spans(draw):
    """A span of half an hour to a whole day; ends past midnight are on the next day. (A calendar of a
    minute a week is possible but no target would ever be due on it.)"""
    start = draw(times)
    minutes = draw(st.integers(30, 24 * 60))
    end = (dt.datetime.combine(dt.date(2000, 1, 1), start) + dt.timedelta(minutes=minutes)).time()
    return WorkingSpan(draw(st.integers(0, 6)), start, end)


days = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2028, 12, 31))


@st.composite
def calendars(draw):
    country, subdivision = draw(st.sampled_from(COUNTRIES))
    if draw(st.integers(0, 19)) == 0:
        return CalendarSpec(is_24_7=True, time_zone=draw(st.sampled_from(ZONES)))
    return CalendarSpec(
        spans=tuple(draw(st.lists(spans(), min_size=1, max_size=6))),
        time_zone=draw(st.sampled_from(ZONES)),
        holiday_country=country,
        holiday_subdivision=subdivision,
        closed_days=frozenset(draw(st.lists(days, max_size=8))),
        open_days=frozenset(draw(st.lists(days, max_size=3))),
    )


instants = st.datetimes(
    min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 12, 31), timezones=st.just(UTC)
)
durations = st.timedeltas(min_value=ZERO, max_value=dt.timedelta(hours=300))
positive_durations = st.timedeltas(min_value=dt.timedelta(seconds=1), max_value=dt.timedelta(hours=300))


@PROPERTY
@given(calendars(), instants, durations)
def test_measuring_what_was_added_gives_it_back(spec, start, duration):
    assert business_time_between(start, add_business_time(start, duration, spec), spec) == duration


@PROPERTY
@given(calendars(), instants, durations, durations)
def test_adding_is_additive(spec, start, first, second):
    assert add_business_time(add_business_time(start, first, spec), second, spec) == add_business_time(
        start, first + second, spec
    )


@PROPERTY
@given(calendars(), instants, instants, durations, durations)
def test_adding_is_monotonic_in_start_and_duration(spec, one, other, shorter, longer):
    early, late = sorted([one, other])
    shorter, longer = sorted([shorter, longer])
    assert add_business_time(early, shorter, spec) <= add_business_time(late, shorter, spec)
    assert add_business_time(early, shorter, spec) <= add_business_time(early, longer, spec)


@PROPERTY
@given(calendars(), instants, instants, instants)
def test_measuring_is_monotonic_additive_and_never_exceeds_elapsed_time(spec, a, b, c):
    a, b, c = sorted([a, b, c])
    ab, bc, ac = (business_time_between(x, y, spec) for x, y in [(a, b), (b, c), (a, c)])
    assert ZERO <= ab <= ac
    assert ab + bc == ac
    assert ac <= c - a
    assert business_time_between(c, a, spec) == -ac


@PROPERTY
@given(calendars(), instants, positive_durations)
def test_a_due_time_is_in_working_time_or_at_the_end_of_a_span(spec, start, duration):
    due = add_business_time(start, duration, spec)
    assert due > start.astimezone(UTC) or spec.is_24_7
    assert is_working_time(due - TICK, spec)


@PROPERTY
@given(calendars(), instants, instants)
def test_adding_the_measured_time_reaches_the_end_or_the_last_working_moment_before_it(spec, a, b):
    start, end = sorted([a, b])
    reached = add_business_time(start, business_time_between(start, end, spec), spec)
    assert reached <= end
    assert business_time_between(reached, end, spec) == ZERO
    if is_working_time(end, spec):
        assert reached == end


@PROPERTY
@given(calendars(), instants)
def test_work_starts_at_the_next_working_moment(spec, instant):
    start = next_working_time(instant, spec)
    assert start >= instant
    assert is_working_time(start, spec)
    assert business_time_between(instant, start, spec) == ZERO


@PROPERTY
@given(calendars(), instants, positive_durations, instants, instants)
def test_a_pause_neither_loses_nor_gains_business_time(spec, created, target, one, other):
    pause_start, resumed = sorted([one, other])
    due = due_time_after_pauses(created, target, [(pause_start, resumed)], spec)
    before_pause = business_time_between(created, pause_start, spec)
    if pause_start > created and before_pause < target:
        # The time that ran before the pause, then the rest from the moment the ticket resumed.
        assert due == add_business_time(resumed, target - before_pause, spec)
    elif resumed <= created or before_pause >= target:
        assert due == add_business_time(created, target, spec)
    run = business_time_between(created, due, spec)
    paused = business_time_between(max(pause_start, created), min(resumed, due), spec) if resumed > created else ZERO
    assert run - max(paused, ZERO) == target


@PROPERTY
@given(calendars(), instants, positive_durations, st.lists(st.tuples(instants, instants), max_size=4))
def test_many_pauses_neither_lose_nor_gain_business_time(spec, created, target, raw_pauses):
    pauses = [tuple(sorted(pair)) for pair in raw_pauses]
    due = due_time_after_pauses(created, target, pauses, spec)
    # Business time on the clock: what ran from creation to the due time, outside every pause.
    edges = sorted({created.astimezone(UTC), due, *[t for pair in pauses for t in pair if created < t < due]})
    running = ZERO
    for lo, hi in zip(edges, edges[1:], strict=False):
        if not any(p_start <= lo and hi <= p_end for p_start, p_end in pauses):
            running += business_time_between(lo, hi, spec)
    assert running == target
    # The order in which pauses are given does not matter.
    assert due_time_after_pauses(created, target, list(reversed(pauses)), spec) == due


@PROPERTY
@given(calendars(), instants, positive_durations, instants)
def test_a_pause_still_running_stops_the_clock_unless_the_target_ran_out_before(spec, created, target, paused_at):
    due = due_time_after_pauses(created, target, [(paused_at, None)], spec)
    if paused_at <= created or business_time_between(created, paused_at, spec) < target:
        assert due is None
    else:
        assert due == add_business_time(created, target, spec)
