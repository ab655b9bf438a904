"""Periodic jobs: work that is due by the clock (a postponed ticket's date arrives, a reminder is
due, an SLA nears breach). Apps register a job in AppConfig.ready(); `tugi periodic` runs the due
ones once, or every N seconds with --loop (the demo starts it beside the worker; production may
run it from cron or as a service). Each job must be idempotent and touch only rows that are due,
through an index, so its cost does not grow with the total number of tickets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    run: Callable[[], int]  # returns how many things it did, for the log


_JOBS: dict[str, PeriodicJob] = {}


def register(name: str, run: Callable[[], int]) -> None:
    _JOBS[name] = PeriodicJob(name, run)


def jobs() -> list[PeriodicJob]:
    return sorted(_JOBS.values(), key=lambda job: job.name)
