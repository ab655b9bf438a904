"""Due times on real dates (K8, K17): weekends, Estonian public holidays, DST in Europe/Tallinn,
spans across midnight, 24/7."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tugi.sla.calendar import (
    CalendarSpec,
    WorkingSpan,
    add_business_time,
    business_time_between,
    due_time_after_pauses,
    is_working_time,
    next_working_time,
)

TALLINN = ZoneInfo("Europe/Tallinn")
H = dt.timedelta(hours=1)


def at(y, mo, d, h=0, mi=0):
    return dt.datetime(y, mo, d, h, mi, tzinfo=TALLINN)


OFFICE = CalendarSpec(spans=tuple(WorkingSpan(wd, dt.time(8), dt.time(17)) for wd in range(5)))
NIGHTS = CalendarSpec(spans=tuple(WorkingSpan(wd, dt.time(22), dt.time(6)) for wd in range(7)), holiday_country="")
ROUND_THE_CLOCK = CalendarSpec(is_24_7=True)


def test_friday_afternoon_with_two_business_hours_is_due_monday_morning():
    assert add_business_time(at(2026, 3, 6, 16, 30), 2 * H, OFFICE) == at(2026, 3, 9, 9, 30)


def test_a_target_that_runs_out_at_closing_time_is_due_then_not_next_morning():
    assert add_business_time(at(2026, 3, 6, 15), 2 * H, OFFICE) == at(2026, 3, 6, 17)


def test_a_start_before_opening_counts_from_opening():
    assert add_business_time(at(2026, 3, 9, 6), 1 * H, OFFICE) == at(2026, 3, 9, 9)


def test_christmas_24_to_26_december_2026_is_closed():
    # 24 (Thu) and 25 (Fri) December are public holidays in Estonia, 26 is a Saturday.
    assert add_business_time(at(2026, 12, 23, 16), 2 * H, OFFICE) == at(2026, 12, 28, 9)
    assert business_time_between(at(2026, 12, 23, 8), at(2026, 12, 28, 17), OFFICE) == 18 * H


def test_voidupuha_and_jaanipaev_are_closed():
    # Võidupüha 23 June (Tue) and Jaanipäev 24 June 2026 (Wed).
    assert add_business_time(at(2026, 6, 22, 16), 2 * H, OFFICE) == at(2026, 6, 25, 9)


def test_spring_forward_29_march_2026_keeps_office_hours_on_the_wall_clock():
    start, due = at(2026, 3, 27, 16), at(2026, 3, 30, 9)
    assert add_business_time(start, 2 * H, OFFICE) == due
    assert due.utcoffset() == 3 * H and start.utcoffset() == 2 * H
    assert business_time_between(start, due, OFFICE) == 2 * H


def test_fall_back_25_october_2026_keeps_office_hours_on_the_wall_clock():
    assert add_business_time(at(2026, 10, 23, 16), 2 * H, OFFICE) == at(2026, 10, 26, 9)


def test_a_night_span_across_spring_forward_is_an_hour_shorter():
    start = at(2026, 3, 28, 22)
    assert business_time_between(start, at(2026, 3, 29, 6), NIGHTS) == 7 * H
    assert add_business_time(start, 7 * H, NIGHTS) == at(2026, 3, 29, 6)


def test_a_night_span_across_fall_back_is_an_hour_longer():
    start = at(2026, 10, 24, 22)
    assert business_time_between(start, at(2026, 10, 25, 6), NIGHTS) == 9 * H
    assert add_business_time(start, 9 * H, NIGHTS) == at(2026, 10, 25, 6)


def test_a_span_across_midnight_belongs_to_the_day_it_starts():
    friday_nights = CalendarSpec(spans=(WorkingSpan(4, dt.time(22), dt.time(6)),))
    assert add_business_time(at(2026, 3, 7, 1), 2 * H, friday_nights) == at(2026, 3, 7, 3)
    assert add_business_time(at(2026, 3, 7, 5), 2 * H, friday_nights) == at(2026, 3, 13, 23)
    # Good Friday (3 April 2026) is a holiday: its night shift, running into Saturday, is off too.
    assert add_business_time(at(2026, 4, 3, 12), 1 * H, friday_nights) == at(2026, 4, 10, 23)


def test_the_whole_day_span():
    whole_days = CalendarSpec(spans=(WorkingSpan(0, dt.time(0), dt.time(0)),), holiday_country="")
    assert business_time_between(at(2026, 3, 9), at(2026, 3, 10), whole_days) == 24 * H


def test_extra_closed_day_and_worked_holiday():
    closed = CalendarSpec(spans=OFFICE.spans, closed_days=frozenset({dt.date(2026, 3, 9)}))
    assert add_business_time(at(2026, 3, 6, 16, 30), 2 * H, closed) == at(2026, 3, 10, 9, 30)
    worked = CalendarSpec(spans=OFFICE.spans, open_days=frozenset({dt.date(2026, 12, 24)}))
    assert add_business_time(at(2026, 12, 23, 16), 2 * H, worked) == at(2026, 12, 24, 9)


def test_a_24_7_calendar_counts_elapsed_time_even_over_holidays_and_dst():
    start = at(2026, 3, 28, 12)
    assert add_business_time(start, 24 * H, ROUND_THE_CLOCK) == start.astimezone(dt.UTC) + 24 * H
    assert add_business_time(start, 24 * H, ROUND_THE_CLOCK) == at(2026, 3, 29, 13)  # the wall clock jumped
    assert business_time_between(at(2026, 12, 24), at(2026, 12, 27), ROUND_THE_CLOCK) == 72 * H
    assert business_time_between(at(2026, 10, 24, 12), at(2026, 10, 25, 12), ROUND_THE_CLOCK) == 25 * H


def test_two_hundred_business_hours():
    # 200 h at 9 h a day = 22 days and 2 hours; from Mon 2 Nov 2026 08:00, no holidays in Nov.
    due = add_business_time(at(2026, 11, 2, 8), 200 * H, OFFICE)
    assert due == at(2026, 12, 2, 10)
    assert business_time_between(at(2026, 11, 2, 8), due, OFFICE) == 200 * H


def test_between_is_negative_when_the_end_is_earlier():
    assert business_time_between(at(2026, 3, 9, 10), at(2026, 3, 9, 9), OFFICE) == -H


def test_working_time_and_when_work_starts_k17():
    assert is_working_time(at(2026, 3, 9, 8), OFFICE)
    assert not is_working_time(at(2026, 3, 9, 17), OFFICE)
    assert not is_working_time(at(2026, 6, 24, 10), OFFICE)
    assert next_working_time(at(2026, 6, 23, 20), OFFICE) == at(2026, 6, 25, 8)
    assert next_working_time(at(2026, 6, 25, 10), OFFICE) == at(2026, 6, 25, 10)


def test_a_pause_stops_the_clock_and_it_resumes_after():
    # Created Mon 9:00 with 4 h; waits for the client 10:00 to Tue 15:00: 1 h ran, 3 h left.
    created = at(2026, 3, 9, 9)
    pauses = [(at(2026, 3, 9, 10), at(2026, 3, 10, 15))]
    assert due_time_after_pauses(created, 4 * H, pauses, OFFICE) == at(2026, 3, 11, 9)
    assert due_time_after_pauses(created, 4 * H, [(at(2026, 3, 9, 10), None)], OFFICE) is None
    assert due_time_after_pauses(created, 1 * H, [(at(2026, 3, 9, 10), None)], OFFICE) == at(2026, 3, 9, 10)


def test_naive_datetimes_and_empty_calendars_are_refused():
    with pytest.raises(ValueError):
        add_business_time(dt.datetime(2026, 3, 9, 9), H, OFFICE)
    with pytest.raises(ValueError):
        CalendarSpec()
    with pytest.raises(ValueError):
        add_business_time(at(2026, 3, 9), -H, OFFICE)
