"""Client-portal access (K18) in the API matrix: staff read the requests, only the catalogue owner
decides, and anyone may ask on the public form."""

from tugi.directory import services
from tugi.directory.models import PortalAccess

from ..factories import ContactFactory
from .routespec import CLIENTS, ROLES, RouteSpec, _only

STAFF_READS = {"anonymous": 401, **_only(CLIENTS, 403)}
OWNER_DECIDES = {"anonymous": 401, **_only(CLIENTS, 404), "catalogue_owner": 200}


def _newcomer(cast, *, access=PortalAccess.NONE):
    return ContactFactory(organisation=cast.org_a, name="Carl Alfa", portal_access=access, user=None)


def _pending(cast, ticket):
    made = services.access_request_create_for_contact(actor=cast.actor("agent"), contact=_newcomer(cast))
    return {"request": made.pk}


ROUTES = (
    RouteSpec("list pending access requests (K18)", "GET", "/access-requests", STAFF_READS, 200, prepare=_pending),
    RouteSpec("list access decisions (K18)", "GET", "/access-requests/decisions", STAFF_READS, 200),
    RouteSpec("read an access request (K18)", "GET", "/access-requests/{request}", STAFF_READS, 200,
              prepare=_pending, openapi_path="/access-requests/{request_id}"),
    RouteSpec("approve access (K18)", "POST", "/access-requests/{request}/approve", OWNER_DECIDES, 403,
              prepare=_pending, body=lambda cast: {"reason": "A colleague of Rein"},
              openapi_path="/access-requests/{request_id}/approve"),
    RouteSpec("refuse access (K18)", "POST", "/access-requests/{request}/refuse", OWNER_DECIDES, 403,
              prepare=_pending, body=lambda cast: {"reason": "Please ask your representative"},
              openapi_path="/access-requests/{request_id}/refuse"),
    RouteSpec("list contacts with access (K18)", "GET", "/portal-access", STAFF_READS, 200),
    RouteSpec("ask access for a contact (K18)", "POST", "/contacts/{contact}/access-request", STAFF_READS, 201,
              prepare=lambda cast, ticket: {"contact": _newcomer(cast).pk},
              body=lambda cast: {"message": "Asked on the phone"},
              openapi_path="/contacts/{contact_id}/access-request"),
    RouteSpec("withdraw access (K18)", "POST", "/contacts/{contact}/withdraw-access",
              {**STAFF_READS, "catalogue_owner": 200}, 403,
              prepare=lambda cast, ticket: {"contact": _newcomer(cast, access=PortalAccess.APPROVED).pk},
              body=lambda cast: {"reason": "Left the company"},
              openapi_path="/contacts/{contact_id}/withdraw-access"),
    RouteSpec("ask for portal access on the public form (K18)", "POST", "/access-requests",
              dict.fromkeys(ROLES, 202), 202,
              body=lambda cast: {"name": "Dora Delta", "email": "dora@delta.ee", "organisation": "Delta OÜ"}),
)
