"""API v1 routes of the visits flow (K4, K21) in the authorisation matrix."""

import datetime as dt

from django.utils import timezone

from tugi.visits import services

from .routespec import ON_A_TICKET, RouteSpec, _only

DESK_ONLY = {**ON_A_TICKET, **_only(("client_a", "representative_a"), 403)}

def _window(cast):
    start = (timezone.now() + dt.timedelta(days=2)).replace(microsecond=0)
    return {"starts_at": start.isoformat(), "ends_at": (start + dt.timedelta(hours=2)).isoformat(),
            "staff_id": cast.agent.pk, "location": "Tartu mnt 1"}

def _requirement(cast, ticket):
    requirement = services.access_requirement_add(actor=cast.actor("agent"), ticket=ticket, kind="room",
                                                  what="Server room 2")
    return {"access": requirement.pk}

def _appointment(cast, ticket):
    start = timezone.now() + dt.timedelta(days=3)
    appointment = services.appointment_plan(actor=cast.actor("agent"), ticket=ticket, starts_at=start,
                                            ends_at=start + dt.timedelta(hours=1), staff=cast.agent)
    return {"appointment": appointment.pk}

ACCESS = "/tickets/{reference}/access/{access_id}"
APPOINTMENT = "/tickets/{reference}/appointments/{appointment_id}"

ROUTES = (
    RouteSpec("list access needed (K4)", "GET", "/tickets/{a}/access", ON_A_TICKET, 200, prepare=_requirement),
    RouteSpec("record access needed (K4)", "POST", "/tickets/{a}/access", DESK_ONLY, 201,
              body=lambda cast: {"kind": "information_system", "what": "ERP production", "whom_to_ask": "Mari"}),
    RouteSpec("confirm access (K4)", "POST", "/tickets/{a}/access/{access}/confirm", ON_A_TICKET, 200,
              body=lambda cast: {"confirmed_by": "Anna Alfa by phone"}, prepare=_requirement,
              openapi_path=ACCESS + "/confirm"),
    RouteSpec("withdraw access (K4)", "POST", "/tickets/{a}/access/{access}/withdraw", DESK_ONLY, 200,
              prepare=_requirement, openapi_path=ACCESS + "/withdraw"),
    RouteSpec("list appointments (K21)", "GET", "/tickets/{a}/appointments", ON_A_TICKET, 200, prepare=_appointment),
    RouteSpec("plan an appointment (K21)", "POST", "/tickets/{a}/appointments", DESK_ONLY, 201, body=_window),
    RouteSpec("change an appointment (K21)", "POST", "/tickets/{a}/appointments/{appointment}/change", DESK_ONLY,
              200, body=_window, prepare=_appointment, openapi_path=APPOINTMENT + "/change"),
    RouteSpec("cancel an appointment (K21)", "POST", "/tickets/{a}/appointments/{appointment}/cancel", DESK_ONLY,
              200, body=lambda cast: {"reason": "The specialist is ill"}, prepare=_appointment,
              openapi_path=APPOINTMENT + "/cancel"),
    RouteSpec("appointment calendar (K21)", "GET", "/tickets/{a}/appointments/{appointment}/calendar.ics",
              ON_A_TICKET, 200, prepare=_appointment, openapi_path=APPOINTMENT + "/calendar.ics"),
    RouteSpec("read the internal planned work time (K21)", "GET", "/tickets/{a}/planned-work", DESK_ONLY, 200),
    RouteSpec("set the internal planned work time (K21)", "POST", "/tickets/{a}/planned-work", DESK_ONLY, 200,
              body=lambda cast: {"planned_start": (timezone.now() + dt.timedelta(days=1)).isoformat()}),
)
