"""The costs flow's routes in the API matrix: extra cost (K16) and orders (K20)."""

from tugi.costs import services

from .routespec import CLIENTS, ON_A_TICKET, RouteSpec, _only

CLIENTS_REFUSED = {**ON_A_TICKET, "client_a": 403, "representative_a": 403}


def _unpriced_notice(cast, ticket):
    notice = services.cost_notice_create(actor=cast.actor("agent"), ticket=ticket, description="Licence")
    return {"notice": notice.pk}


def _priced_notice(cast, ticket):
    notice = services.cost_notice_create(actor=cast.actor("service_manager"), ticket=ticket, description="Licence",
                                         amount="100")
    return {"notice": notice.pk}


def _consultation(cast, ticket):
    consultation = services.cost_consultation_ask(actor=cast.actor("agent"), ticket=ticket, question="Chargeable?")
    return {"consultation": consultation.pk}


def _order(cast):
    return {"service_id": cast.service.pk, "kind": "hardware", "item": "Laptop", "quantity": 1,
            "justification": "A new colleague", "deliver_to": "Tallinn office",
            "requester_id": cast.client_a.pk}  # the desk orders for a caller; a client for themself


ROUTES = (
    RouteSpec("read the costs (K16)", "GET", "/tickets/{a}/costs", ON_A_TICKET, 200),
    RouteSpec("mark the work chargeable (K16)", "POST", "/tickets/{a}/costs/chargeable", CLIENTS_REFUSED, 200,
              body=lambda cast: {"is_chargeable": True, "reason": "Extra work"}),
    RouteSpec("write a cost notice without an amount (K16)", "POST", "/tickets/{a}/cost-notices", CLIENTS_REFUSED,
              201, body=lambda cast: {"description": "Licence for the add-on"}),
    RouteSpec("write a cost notice with an amount (K16)", "POST", "/tickets/{a}/cost-notices",
              {**CLIENTS_REFUSED, "agent": 403}, 201,
              body=lambda cast: {"description": "Licence for the add-on", "amount": "120.50"}),
    RouteSpec("enter the amount (K16)", "POST", "/tickets/{a}/cost-notices/{notice}/amount",
              # A notice without an amount is still the desk's work: a client cannot find it.
              {"anonymous": 401, **_only(CLIENTS, 404), "agent": 403}, 200,
              body=lambda cast: {"amount": 99}, prepare=_unpriced_notice,
              openapi_path="/tickets/{reference}/cost-notices/{notice_id}/amount"),
    RouteSpec("decide on the cost (K16)", "POST", "/tickets/{a}/cost-notices/{notice}/decision",
              {**ON_A_TICKET, "client_a": 200, "representative_a": 200}, 403,
              body=lambda cast: {"accept": True, "comment": "Fine"}, prepare=_priced_notice,
              openapi_path="/tickets/{reference}/cost-notices/{notice_id}/decision"),
    RouteSpec("consult the catalogue owner (K16)", "POST", "/tickets/{a}/cost-consultations", CLIENTS_REFUSED, 201,
              body=lambda cast: {"question": "Is the add-on chargeable?"}),
    RouteSpec("open questions to the catalogue owner (K16)", "GET", "/cost-consultations",
              {"anonymous": 401, **_only(CLIENTS, 403), "catalogue_owner": 200}, 403, prepare=_consultation),
    RouteSpec("answer the desk's question (K16)", "POST", "/tickets/{a}/cost-consultations/{consultation}/answer",
              {"anonymous": 401, **_only(CLIENTS, 404), "catalogue_owner": 200}, 403,
              body=lambda cast: {"is_chargeable": True, "explanation": "Add-ons are billed"}, prepare=_consultation,
              openapi_path="/tickets/{reference}/cost-consultations/{consultation_id}/answer"),
    RouteSpec("order hardware or software (K20)", "POST", "/orders", {"anonymous": 401}, 201, body=_order),
    RouteSpec("check a reply for prices (K20)", "POST", "/prices/check", {"anonymous": 401}, 200,
              body=lambda cast: {"text": "It costs about 500 EUR"}),
)
