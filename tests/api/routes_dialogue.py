"""The dialogue flow's routes in the API's authorisation matrix (K11, K15). The matrix's ticket {a}
is organisation A's, reported by client_a and assigned to the agent."""

from tugi.dialogue import services
from tugi.tickets import services as tickets

from .routespec import CLIENTS, ON_A_TICKET, STAFF, RouteSpec, _only

NOT_FOR_CLIENTS_OF_A = {"client_a": 403, "representative_a": 403}
NOT_FOR_THE_DESK = _only(STAFF, 403)


def _question_to_client(cast, ticket) -> dict:
    question = services.question_ask(actor=cast.actor("agent"), ticket=ticket, text="Which model is it?")
    return {"question": question.pk}


def _pending_request(cast, ticket) -> dict:
    request = services.priority_request_create(actor=cast.actor("client_a"), ticket=ticket, desired_priority=2,
                                               reason="The whole team is blocked")
    return {"request": request.pk}


def _resolved(cast, ticket) -> dict:
    tickets.ticket_transition(actor=cast.actor("agent"), ticket=ticket, action="resolve", reason="Done")
    return {}


ROUTES = (
    RouteSpec("list questions (K11)", "GET", "/tickets/{a}/questions", ON_A_TICKET, 200),
    RouteSpec("ask a question (K11)", "POST", "/tickets/{a}/questions", ON_A_TICKET, 201,
              body=lambda cast: {"text": "A question from the matrix"}),
    RouteSpec("answer the desk's question (K11)", "POST", "/tickets/{a}/questions/{question}/answer",
              ON_A_TICKET, 200, body=lambda cast: {"text": "An answer from the matrix"},
              prepare=_question_to_client,
              openapi_path="/tickets/{reference}/questions/{question_id}/answer"),
    RouteSpec("read the client's word on resolutions (K11)", "GET", "/tickets/{a}/satisfaction", ON_A_TICKET, 200),
    RouteSpec("confirm a resolution with a rating (K11)", "POST", "/tickets/{a}/satisfaction",
              {**ON_A_TICKET, **NOT_FOR_THE_DESK}, 201,
              body=lambda cast: {"confirmed": True, "rating": 5}, prepare=_resolved),
    RouteSpec("confirm a ticket that is not resolved (K11)", "POST", "/tickets/{a}/satisfaction",
              {**ON_A_TICKET, **NOT_FOR_THE_DESK}, 409, body=lambda cast: {"confirmed": True}),
    RouteSpec("satisfaction report (K11)", "GET", "/reports/satisfaction",
              {"anonymous": 401, **_only(CLIENTS, 403)}, 200),
    RouteSpec("list priority requests (K15)", "GET", "/tickets/{a}/priority-requests", ON_A_TICKET, 200),
    RouteSpec("ask for another priority (K15)", "POST", "/tickets/{a}/priority-requests",
              {**ON_A_TICKET, **NOT_FOR_THE_DESK}, 201,
              body=lambda cast: {"desired_priority": 2, "reason": "The whole team is blocked"}),
    RouteSpec("decide on a priority request (K15)", "POST", "/tickets/{a}/priority-requests/{request}/decision",
              {**ON_A_TICKET, **NOT_FOR_CLIENTS_OF_A}, 200,
              body=lambda cast: {"accept": True, "answer": "Agreed"}, prepare=_pending_request,
              openapi_path="/tickets/{reference}/priority-requests/{request_id}/decision"),
)
