"""The support phone's routes in the API matrix (issue 6, K13), as the console's call pop: the pop
is the desk's (a client 403, a visitor 401); only the agent whose call it is acts on it, other desk
members do not find it (404). The call rings at the agent's extension."""


from tests.factories import answered_call

from .routespec import CLIENTS, STAFF, RouteSpec, _only

DESK = {"anonymous": 401, **_only(CLIENTS, 403)}
AGENTS_CALL = {**DESK, **_only(STAFF, 404)}
_ticket = {}  # the ticket {a}, for the body (prepare runs before body)


def _call(cast, ticket):
    _ticket["reference"] = ticket.reference
    return {"call": answered_call(cast, call_id="matrix-call").pk}


ROUTES = (
    RouteSpec("calls: the pop", "GET", "/calls/current", DESK, 200, prepare=_call),
    RouteSpec("calls: log the call on a ticket", "POST", "/calls/{call}/log", {**AGENTS_CALL, "agent": 200}, 200,
              body=lambda cast: {"reference": _ticket["reference"], "note": "Matrix call"}, prepare=_call,
              openapi_path="/calls/{call_id}/log"),
    RouteSpec("calls: a new phone ticket", "POST", "/calls/{call}/ticket", {**AGENTS_CALL, "agent": 201}, 201,
              body=lambda cast: {"kind": "incident", "title": "Matrix phone ticket"}, prepare=_call,
              openapi_path="/calls/{call_id}/ticket"),
)
