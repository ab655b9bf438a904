"""The desk's reports in the API matrix (issue 5): SLA, backlog, time spent and disputes, the desk's
only, as their console pages; a client, even a representative, is refused."""

from django.utils import timezone

from tugi.worklog import services

from .routespec import CLIENTS, RouteSpec, _only

DESK_ONLY = {"anonymous": 401, **_only(CLIENTS, 403)}


def _disputed_time(cast, ticket):
    """Time logged on A's ticket and disputed, so the time and dispute reports have a row of A."""
    entry = services.time_entry_add(actor=cast.actor("agent"), ticket=ticket, work_date=timezone.localdate(),
                                    minutes=90, description="Restored the payroll index")
    services.time_entry_dispute(actor=cast.actor("representative_a"), entry=entry, reason="It took an hour")
    return {}


ROUTES = (
    RouteSpec("SLA compliance report (K8)", "GET", "/reports/sla", DESK_ONLY, 200),
    RouteSpec("backlog by age report", "GET", "/reports/backlog", DESK_ONLY, 200),
    RouteSpec("time spent report (K12)", "GET", "/reports/time", DESK_ONLY, 200, prepare=_disputed_time),
    RouteSpec("disputes report (K12)", "GET", "/reports/disputes", DESK_ONLY, 200, prepare=_disputed_time),
)
