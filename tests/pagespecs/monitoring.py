"""The console's monitoring pages in the pages' matrix (S1, S3): the desk's only; a client or a
visitor never sees a source, a rule or an alert."""

from tests.pagematrix import INVALID, NOT_FOUND, OK, PageSpec, console, post, redirect_to
from tugi.channels.monitoring import services
from tugi.channels.monitoring.models import Alert, AlertRule, AlertSource
from tugi.channels.monitoring.parsing import IncomingAlert
from tugi.core.actors import system_actor

ALERT_TITLE = "MONITORING-SECRET: disk of alfa-srv at 97%"
RULE_NAME = "MONITORING-RULE: alfa hosts"
SOURCE_NAME = "MONITORING-SOURCE: Alfa Prometheus"

WATCHED = (AlertSource, AlertRule, Alert)


def build(scene):
    source, _ = services.alert_source_create(actor=system_actor(), slug="matrix-prom", name=SOURCE_NAME,
                                             kind="alertmanager")
    rule = services.alert_rule_create(actor=system_actor(), name=RULE_NAME, configuration_item=scene.cast.ci_a,
                                      matchers=[{"label": "instance", "op": "=~", "value": "alfa-.*"}])
    services.alert_receive(source=source, incoming=IncomingAlert(
        fingerprint="matrix", is_firing=True, title=ALERT_TITLE, labels={"instance": "alfa-srv"}))
    return {"source": source, "rule": rule}


def _source(s):
    return {"pk": s.extra["monitoring"]["source"].pk}


def _rule(s):
    return {"pk": s.extra["monitoring"]["rule"].pk}


def of_the_desk(scene):
    return {RULE_NAME, SOURCE_NAME}


def of_organisation_a(scene):
    """The rule put the alert on alfa-srv: its incident is A's, and A's representative sees it in the portal."""
    return {ALERT_TITLE}


PAGES = (
    PageSpec("monitoring: alerts", "console:monitoring_alerts", console()),
    PageSpec("monitoring: firing alerts, page past the last", "console:monitoring_alerts", console(),
             query="status=firing&page=99999999999999999999"),
    PageSpec("monitoring: sources", "console:monitoring_sources", console()),
    post("monitoring: add a source, empty form", "console:monitoring_sources", console(INVALID)),
    post("monitoring: add a source", "console:monitoring_sources", console(OK),
         body=lambda s: {"name": "Matrix Grafana", "slug": "matrix-grafana", "kind": "grafana",
                         "max_new_tickets_per_hour": 10}, writers=("agent", "service_manager", "catalogue_owner")),
    post("monitoring: new token", "console:monitoring_source_token", console(OK), _source,
         writers=("agent", "service_manager", "catalogue_owner")),
    post("monitoring: new token of a source that does not exist", "console:monitoring_source_token",
         console(NOT_FOUND), lambda s: {"pk": 999999}),
    PageSpec("monitoring: rules", "console:monitoring_rules", console()),
    post("monitoring: add a rule, empty form", "console:monitoring_rules", console(INVALID)),
    post("monitoring: add a rule with a broken matcher", "console:monitoring_rules", console(INVALID),
         body=lambda s: {"name": "x", "position": 1, "matchers": "no operator here", "urgency": 1}),
    post("monitoring: add a rule", "console:monitoring_rules",
         console(redirect_to("/console/monitoring/rules/")),
         body=lambda s: {"name": "Matrix rule", "position": 5, "matchers": "severity=critical", "urgency": 1},
         writers=("agent", "service_manager", "catalogue_owner")),
    post("monitoring: delete a rule", "console:monitoring_rule_delete",
         console(redirect_to("/console/monitoring/rules/")), _rule,
         writers=("agent", "service_manager", "catalogue_owner")),
)
