"""Saved views (issue 6) in the API matrix: the desk's own named queues. A client gets 403, as on the
console's pages; a staff member deletes only their own view (another's is 404, as on the page)."""

from tugi.tickets import saved_views

from .routespec import CLIENTS, RouteSpec, _only

DESK_ONLY = {"anonymous": 401, **_only(CLIENTS, 403)}


def _agents_view(cast, ticket):
    saved = saved_views.saved_view_save(actor=cast.actor("agent"), name="My open ones", query="view=mine")
    return {"view": saved.pk}


ROUTES = (
    RouteSpec("list my saved views (issue 6)", "GET", "/saved-views", DESK_ONLY, 200, prepare=_agents_view),
    RouteSpec("save a view (issue 6)", "POST", "/saved-views", DESK_ONLY, 201,
              body=lambda cast: {"name": "Alfa's open", "query": f"view=open&organisation={cast.org_a.pk}"}),
    RouteSpec("delete the agent's saved view (issue 6)", "POST", "/saved-views/{view}/delete",
              {**DESK_ONLY, "service_manager": 404, "catalogue_owner": 404}, 204, prepare=_agents_view,
              openapi_path="/saved-views/{view_id}/delete"),
)
