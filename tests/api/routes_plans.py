"""The plans flow's routes in the API's authorisation matrix (K5 K6 K8 K10): the desk writes the
plan, the steps, the approximate time and the risks; a client of the ticket confirms steps, says
one did not work, and states expectations and wished times; everybody who sees the ticket reads."""

import datetime as dt

from django.utils import timezone

from tugi.plans import services

from .routespec import ON_A_TICKET, RouteSpec, _only

CLIENTS_OF_A = ("client_a", "representative_a")
STAFF = ("agent", "service_manager", "catalogue_owner")
DESK_ONLY = {**ON_A_TICKET, **_only(CLIENTS_OF_A, 403)}
CLIENT_ONLY = {**ON_A_TICKET, **_only(STAFF, 403)}
STEPS = "/tickets/{a}/solution-steps"
STEP = "/tickets/{reference}/solution-steps/{step_id}"


def _later(hours: int) -> str:
    return (timezone.now() + dt.timedelta(hours=hours)).isoformat()


def _step(cast, ticket, *, done=False) -> dict:
    agent = cast.actor("agent")
    step = services.step_add(actor=agent, ticket=ticket, text="Free disk space on the ERP server")
    if done:
        services.step_mark_done(actor=agent, step=step)
    return {"step": step.pk}


def _two_steps(cast, ticket) -> dict:
    _step(cast, ticket)
    return _step(cast, ticket)


def _risk(cast, ticket) -> dict:
    risk = services.risk_record(actor=cast.actor("agent"), ticket=ticket, text="Payroll may run late")
    return {"risk": risk.pk}


ROUTES = (
    RouteSpec("read the resolution plan (K6)", "GET", "/tickets/{a}/plan", ON_A_TICKET, 200),
    RouteSpec("write the resolution plan (K6)", "POST", "/tickets/{a}/plan", DESK_ONLY, 201,
              body=lambda cast: {"text": "Restart the ERP service, then watch the disk."}),
    RouteSpec("record the client's expectations (K6)", "POST", "/tickets/{a}/expectations", ON_A_TICKET, 200,
              body=lambda cast: {"text": "ERP back before the payroll run"}),
    RouteSpec("list the solution steps (K5)", "GET", STEPS, ON_A_TICKET, 200),
    RouteSpec("add a solution step (K5)", "POST", STEPS, DESK_ONLY, 201,
              body=lambda cast: {"text": "Restart the ERP service"}),
    RouteSpec("edit a solution step (K5)", "POST", STEPS + "/{step}", DESK_ONLY, 200,
              body=lambda cast: {"text": "Free 20 GB of disk space"}, prepare=_step, openapi_path=STEP),
    RouteSpec("move a solution step (K5)", "POST", STEPS + "/{step}/move", DESK_ONLY, 200,
              body=lambda cast: {"position": 1}, prepare=_two_steps, openapi_path=STEP + "/move"),
    RouteSpec("mark a solution step done (K5)", "POST", STEPS + "/{step}/done", DESK_ONLY, 200,
              prepare=_step, openapi_path=STEP + "/done"),
    RouteSpec("confirm a solution step (K5)", "POST", STEPS + "/{step}/confirm", CLIENT_ONLY, 200,
              prepare=lambda cast, ticket: _step(cast, ticket, done=True), openapi_path=STEP + "/confirm"),
    RouteSpec("say a solution step did not work (K5)", "POST", STEPS + "/{step}/not-working", CLIENT_ONLY, 200,
              body=lambda cast: {"comment": "The disk is full again"},
              prepare=lambda cast, ticket: _step(cast, ticket, done=True), openapi_path=STEP + "/not-working"),
    RouteSpec("read the wished, committed and approximate times (K8)", "GET", "/tickets/{a}/times",
              ON_A_TICKET, 200),
    RouteSpec("state the wished times (K8)", "POST", "/tickets/{a}/times/wishes", ON_A_TICKET, 200,
              body=lambda cast: {"desired_response_by": _later(2), "desired_resolution_by": _later(48)}),
    RouteSpec("give the approximate resolution time (K8)", "POST", "/tickets/{a}/times/approximate-resolution",
              DESK_ONLY, 200, body=lambda cast: {"at": _later(8)}),
    RouteSpec("list the risks (K10)", "GET", "/tickets/{a}/risks", ON_A_TICKET, 200),
    RouteSpec("record a risk (K10)", "POST", "/tickets/{a}/risks", DESK_ONLY, 201,
              body=lambda cast: {"text": "Payroll may run late", "likelihood": "medium", "impact": "high"}),
    RouteSpec("change a risk (K10)", "POST", "/tickets/{a}/risks/{risk}", DESK_ONLY, 200,
              body=lambda cast: {"text": "Payroll will run a day late", "impact": "high"}, prepare=_risk,
              openapi_path="/tickets/{reference}/risks/{risk_id}"),
)
