"""How many SLA due times Tugi computes per second (K8, K17).

Random creation instants over two years (2026-2027, Europe/Tallinn) and random business-time
targets from 1 h to 200 h, on the default calendar "Estonian working days 08:00-17:00" (Estonian
public holidays, DST) and on a 24/7 calendar. Pure arithmetic: no database, so no DATABASE_URL.

    .venv/bin/python bench/sla_due_times.py [--count 100000] [--seed 5]

"warm" reuses one calendar, as the periodic job and a recomputation do (its expanded weeks are
cached); "cold" builds a fresh calendar for every due time, the worst case of a lone ticket.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time

from tugi.sla.calendar import CalendarSpec, WorkingSpan, add_business_time, due_time_after_pauses

OFFICE_SPANS = tuple(WorkingSpan(weekday, dt.time(8), dt.time(17)) for weekday in range(5))
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
TWO_YEARS = 2 * 365 * 24 * 3600


def _cases(count: int, seed: int) -> list[tuple[dt.datetime, dt.timedelta]]:
    rng = random.Random(seed)
    return [
        (START + dt.timedelta(seconds=rng.randrange(TWO_YEARS)), dt.timedelta(minutes=rng.randrange(60, 200 * 60 + 1)))
        for _ in range(count)
    ]


def _rate(label: str, count: int, run) -> None:
    began = time.perf_counter()
    run()
    elapsed = time.perf_counter() - began
    print(f"{label:<52} {count / elapsed:>12,.0f} /s   ({elapsed * 1e6 / count:7.1f} µs each, {count:,} due times)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    cases = _cases(args.count, args.seed)
    office = CalendarSpec(spans=OFFICE_SPANS)
    round_the_clock = CalendarSpec(is_24_7=True)
    pause = dt.timedelta(hours=20)

    def warm() -> None:
        for start, target in cases:
            add_business_time(start, target, office)

    def cold() -> None:
        for start, target in cases[: args.count // 10]:
            add_business_time(start, target, CalendarSpec(spans=OFFICE_SPANS))

    def paused() -> None:
        for start, target in cases:
            due_time_after_pauses(start, target, [(start + pause, start + 2 * pause)], office)

    def always() -> None:
        for start, target in cases:
            add_business_time(start, target, round_the_clock)

    print("SLA due times: starts over 2026-2027, targets 1 h - 200 h of business time")
    _rate("08:00-17:00 Mon-Fri, EE holidays, warm calendar", args.count, warm)
    _rate("08:00-17:00 Mon-Fri, EE holidays, cold calendar", args.count // 10, cold)
    _rate("08:00-17:00 Mon-Fri, EE holidays, one pause", args.count, paused)
    _rate("24/7", args.count, always)


if __name__ == "__main__":
    main()
