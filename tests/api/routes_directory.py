"""The console's directory pages in the API matrix: organisations, contacts, staff, items (K7), the
search box, and the support phone shown to everyone (K13)."""

from .routespec import CLIENTS, ON_A_TICKET, RouteSpec, _only

DESK_ONLY = {"anonymous": 401, **_only(CLIENTS, 403)}

ROUTES = (
    RouteSpec("list organisations", "GET", "/organisations", DESK_ONLY, 200),
    RouteSpec("read an organisation", "GET", "/organisations/{org}", DESK_ONLY, 200,
              prepare=lambda cast, ticket: {"org": cast.org_a.pk}, openapi_path="/organisations/{organisation_id}"),
    RouteSpec("find a caller (K13)", "GET", "/contacts?q=alfa", DESK_ONLY, 200, openapi_path="/contacts"),
    RouteSpec("read a contact", "GET", "/contacts/{contact}", DESK_ONLY, 200,
              prepare=lambda cast, ticket: {"contact": cast.client_a.pk}, openapi_path="/contacts/{contact_id}"),
    RouteSpec("list the staff", "GET", "/staff", DESK_ONLY, 200),
    RouteSpec("list items (K7)", "GET", "/cis", {"anonymous": 401}, 200),
    RouteSpec("read an item (K7)", "GET", "/cis/{ci}", ON_A_TICKET, 200,
              prepare=lambda cast, ticket: {"ci": cast.ci_a.pk}, openapi_path="/cis/{ci_id}"),
    RouteSpec("search", "GET", "/search?q=Alfa", DESK_ONLY, 200, openapi_path="/search"),
    RouteSpec("the support phone (K13)", "GET", "/support", {}, 200),
)
