"""The monitoring routes in the API matrix (issue 6, S1): the desk's own, as the console's
monitoring pages (staff_required): every desk role reads and changes, every client is refused
(403), a visitor must authenticate."""

from tugi.channels.monitoring import services

from .routespec import CLIENTS, RouteSpec, _only

DESK = {"anonymous": 401, **_only(CLIENTS, 403)}
_made = {"n": 0}


def _source(cast, ticket):
    _made["n"] += 1
    source, _token = services.alert_source_create(
        actor=cast.actor("agent"), slug=f"matrix-{_made['n']}", name="Matrix Alertmanager", kind="alertmanager",
        hmac_secret="matrix-hmac-secret")
    return {"source": source.pk}


def _rule(cast, ticket):
    rule = services.alert_rule_create(actor=cast.actor("agent"), name="Matrix rule",
                                      matchers=[{"label": "severity", "op": "=", "value": "critical"}], urgency=1)
    return {"rule": rule.pk}


def _source_body(cast):
    _made["n"] += 1
    return {"name": "Matrix Grafana", "slug": f"matrix-new-{_made['n']}", "kind": "grafana"}


def _rule_body(cast):
    return {"name": "Matrix: hosts of Alfa", "matchers": [{"label": "instance", "op": "=~", "value": "alfa-.*"}],
            "service_id": cast.service.pk, "impact": 2}


ROUTES = (
    RouteSpec("monitoring: list sources", "GET", "/monitoring/sources", DESK, 200, prepare=_source),
    RouteSpec("monitoring: add a source", "POST", "/monitoring/sources", DESK, 201, body=_source_body),
    RouteSpec("monitoring: a new token", "POST", "/monitoring/sources/{source}/token", DESK, 200,
              prepare=_source, openapi_path="/monitoring/sources/{source_id}/token"),
    RouteSpec("monitoring: list rules", "GET", "/monitoring/rules", DESK, 200, prepare=_rule),
    RouteSpec("monitoring: add a rule", "POST", "/monitoring/rules", DESK, 201, body=_rule_body),
    RouteSpec("monitoring: delete a rule", "POST", "/monitoring/rules/{rule}/delete", DESK, 204, prepare=_rule,
              openapi_path="/monitoring/rules/{rule_id}/delete"),
    RouteSpec("monitoring: list alerts", "GET", "/monitoring/alerts", DESK, 200),
)
