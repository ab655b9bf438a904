"""API v1 routes of the remote flow (K19 remote support, K9 third-party work) in the authorisation matrix."""

from tugi.remote import services

from .routespec import ON_A_TICKET, RouteSpec, _only

OF_A = ("client_a", "representative_a")
STAFF = ("agent", "service_manager", "catalogue_owner")
CLIENT_ONLY = {**ON_A_TICKET, **_only(STAFF, 403)}
DESK_ONLY = {**ON_A_TICKET, **_only(OF_A, 403)}
ORDER = "/tickets/{reference}/remote-access/{order_id}"
CI = "/cis/{ci_id}/third-party-work"


def _order(cast, ticket):
    order = services.remote_access_order(actor=cast.actor("client_a"), ticket=ticket, method="anydesk",
                                         configuration_item=cast.ci_a, account_identifier="1 234 567 890",
                                         password="matrix-pass")
    return {"order": order.pk}


def _ci(cast, ticket):
    return {"ci": cast.ci_a.pk}


def _order_body(cast):
    return {"method": "teamviewer", "configuration_item_id": cast.ci_a.pk, "account_identifier": "987 654 321",
            "password": "matrix-secret", "notes": "On from 8 to 17"}


ROUTES = (
    RouteSpec("list remote support (K19)", "GET", "/tickets/{a}/remote-access", ON_A_TICKET, 200, prepare=_order),
    RouteSpec("order remote support (K19)", "POST", "/tickets/{a}/remote-access", CLIENT_ONLY, 201,
              body=_order_body),
    RouteSpec("replace the remote account (K19)", "POST", "/tickets/{a}/remote-access/{order}/replace", CLIENT_ONLY,
              200, body=lambda cast: {"account_identifier": "new-id", "password": "new-pass"}, prepare=_order,
              openapi_path=ORDER + "/replace"),
    RouteSpec("reveal the remote account (K19)", "POST", "/tickets/{a}/remote-access/{order}/reveal", DESK_ONLY,
              200, prepare=_order, openapi_path=ORDER + "/reveal"),
    RouteSpec("revoke the remote account (K19)", "POST", "/tickets/{a}/remote-access/{order}/revoke", ON_A_TICKET,
              200, body=lambda cast: {"reason": "Work done"}, prepare=_order, openapi_path=ORDER + "/revoke"),
    RouteSpec("third-party work on a ticket's items (K9)", "GET", "/tickets/{a}/third-party-work", ON_A_TICKET, 200),
    RouteSpec("third-party work on an item (K9)", "GET", "/cis/{ci}/third-party-work", ON_A_TICKET, 200,
              prepare=_ci, openapi_path=CI),
    RouteSpec("declare third-party work (K9)", "POST", "/cis/{ci}/third-party-work", ON_A_TICKET, 201,
              body=lambda cast: {"party": "Telia", "what": "Replaces the router", "starts_at": "2030-01-01T09:00:00Z"},
              prepare=_ci, openapi_path=CI),
)
