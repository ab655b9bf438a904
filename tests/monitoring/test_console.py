"""The desk's monitoring pages (S1): a new source's token is shown once and works; rules are made
from matcher lines; clients are refused."""

import json

from tugi.channels.monitoring.models import AlertRule, AlertSource

from .conftest import am_payload


def test_a_new_source_shows_its_token_once_and_the_token_works_S1(client, cast):
    client.force_login(cast.agent.user)
    response = client.post("/console/monitoring/sources/", {
        "name": "Alfa Prometheus", "slug": "alfa-prom", "kind": "alertmanager", "max_new_tickets_per_hour": 30})
    assert response.status_code == 200
    token = response.context["new_token"]
    assert token in response.content.decode()
    assert "/hooks/monitoring/alfa-prom/alertmanager" in response.content.decode()
    assert token not in client.get("/console/monitoring/sources/").content.decode()
    client.logout()
    delivered = client.post("/hooks/monitoring/alfa-prom/alertmanager", json.dumps(am_payload({"fingerprint": "a"})),
                            content_type="application/json", headers={"Authorization": f"Bearer {token}"})
    assert delivered.status_code == 200


def test_a_duplicate_address_name_is_refused_politely(client, cast):
    client.force_login(cast.agent.user)
    form = {"name": "A", "slug": "same", "kind": "generic", "max_new_tickets_per_hour": 30}
    client.post("/console/monitoring/sources/", form)
    response = client.post("/console/monitoring/sources/", form)
    assert response.status_code == 400 and "already has this address name" in response.content.decode()
    assert AlertSource.objects.count() == 1


def test_a_rule_is_made_from_matcher_lines_S1(client, cast):
    client.force_login(cast.agent.user)
    response = client.post("/console/monitoring/rules/", {
        "name": "Alfa hosts", "position": 10, "matchers": "instance=~alfa-.*\nseverity!=info",
        "configuration_item": "alfa-srv", "urgency": 1})
    assert response.status_code == 302
    rule = AlertRule.objects.get()
    assert rule.matchers == [{"label": "instance", "op": "=~", "value": "alfa-.*"},
                             {"label": "severity", "op": "!=", "value": "info"}]
    assert rule.configuration_item == cast.ci_a and rule.urgency == 1


def test_a_rule_with_a_broken_regex_is_refused_with_the_reason(client, cast):
    client.force_login(cast.agent.user)
    response = client.post("/console/monitoring/rules/", {"name": "x", "position": 1, "matchers": "a=~(",
                                                          "urgency": 1})
    assert response.status_code == 400 and "not a regular expression" in response.content.decode()
    assert not AlertRule.objects.exists()


def test_clients_cannot_see_the_monitoring_pages(client, cast):
    client.force_login(cast.client_a.user)
    assert client.get("/console/monitoring/alerts/").status_code == 403
