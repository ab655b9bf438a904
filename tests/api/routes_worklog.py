"""Time accounting's routes in the API matrix (K12): the client reads and disputes, the desk logs
and answers."""

from django.utils import timezone

from tugi.worklog import services

from .routespec import CLIENTS, ON_A_TICKET, RouteSpec, _only

CLIENTS_REFUSED = {**ON_A_TICKET, "client_a": 403, "representative_a": 403}


def _entry(cast, ticket):
    entry = services.time_entry_add(actor=cast.actor("agent"), ticket=ticket, work_date=timezone.localdate(),
                                    minutes=90, description="Restored the payroll index")
    return {"entry": entry.pk}


def _dispute(cast, ticket):
    entry = services.time_entry_add(actor=cast.actor("agent"), ticket=ticket, work_date=timezone.localdate(),
                                    minutes=90, description="Restored the payroll index")
    dispute = services.time_entry_dispute(actor=cast.actor("client_a"), entry=entry, reason="It took an hour")
    return {"dispute": dispute.pk}


ROUTES = (
    RouteSpec("read the time entries (K12)", "GET", "/tickets/{a}/time-entries", ON_A_TICKET, 200, prepare=_entry),
    RouteSpec("log time (K12)", "POST", "/tickets/{a}/time-entries", CLIENTS_REFUSED, 201,
              body=lambda cast: {"work_date": timezone.localdate().isoformat(), "minutes": 45,
                                 "description": "Checked the backups", "is_billable": False}),
    RouteSpec("dispute a time entry (K12)", "POST", "/tickets/{a}/time-entries/{entry}/disputes",
              {**ON_A_TICKET, "client_a": 201, "representative_a": 201}, 403,
              body=lambda cast: {"reason": "Nobody came that day"}, prepare=_entry,
              openapi_path="/tickets/{reference}/time-entries/{entry_id}/disputes"),
    RouteSpec("answer a dispute of time (K12)", "POST", "/tickets/{a}/time-disputes/{dispute}/answer",
              CLIENTS_REFUSED, 200,
              body=lambda cast: {"outcome": "corrected", "justification": "The visit took an hour", "minutes": 60},
              prepare=_dispute, openapi_path="/tickets/{reference}/time-disputes/{dispute_id}/answer"),
    RouteSpec("open disputes of time (K12)", "GET", "/time-disputes", {"anonymous": 401, **_only(CLIENTS, 403)}, 200,
              prepare=_dispute),
)
