"""The monitoring (S1) and support-phone (K13) routes of API v1 (issue 6): the same services and
selectors as the console's monitoring pages and call pop, so the same rules decide."""

import json

import pytest

from tests.factories import answered_call
from tugi.channels.monitoring import services as monitoring
from tugi.channels.monitoring.models import Alert, AlertRule, AlertSource
from tugi.channels.phone import services as phone
from tugi.channels.phone.models import Call, PhoneExtension
from tugi.console.monitoring_forms import parse_matchers
from tugi.tickets.models import TicketSource

from .conftest import refusal, report

SOURCE = {"name": "Prometheus", "slug": "prom", "kind": "generic"}


def _deliver(client, hook_url: str, token: str, fingerprint: str = "disk-1", labels=None):
    path = hook_url.split("://", 1)[-1].partition("/")[2]
    return client.post("/" + path, json.dumps({"fingerprint": fingerprint, "title": "Disk almost full",
                                               "labels": labels or {"alertname": "DiskFull"}}),
                       content_type="application/json", headers={"Authorization": f"Bearer {token}"})


# --- monitoring ------------------------------------------------------------------------------------

def test_a_created_sources_token_works_on_its_webhook_S1(api, cast, client):
    response = api("agent").post("/monitoring/sources", SOURCE)
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["hook_url"].endswith("/hooks/monitoring/prom/generic")
    assert made["token"].startswith(made["token_hint"])
    assert _deliver(client, made["hook_url"], made["token"]).status_code < 300
    assert Alert.objects.filter(source_id=made["id"], fingerprint="disk-1").exists()


def test_a_rotated_token_replaces_the_old_one_S1(api, cast, client):
    made = api("agent").post("/monitoring/sources", SOURCE).json()
    response = api("service_manager").post(f"/monitoring/sources/{made['id']}/token")
    assert response.status_code == 200, response.content
    new = response.json()["token"]
    assert new != made["token"]
    assert _deliver(client, made["hook_url"], made["token"]).status_code == 401
    assert _deliver(client, made["hook_url"], new).status_code < 300


def test_reads_never_carry_a_token_digest_or_an_hmac_secret_S1(api, cast):
    made = api("agent").post("/monitoring/sources", {**SOURCE, "kind": "grafana",
                                                     "hmac_secret": "grafana-shared-secret"}).json()
    source = AlertSource.objects.get(pk=made["id"])
    listed = api("agent").get("/monitoring/sources")
    assert listed.status_code == 200
    text = listed.content.decode()
    assert made["token"] not in text and source.token_digest not in text and "grafana-shared-secret" not in text
    assert listed.json()[0]["has_hmac_secret"] is True and "token" not in listed.json()[0]
    assert "grafana-shared-secret" not in json.dumps(made)


def test_a_taken_address_name_is_refused_with_the_field(api, cast):
    api("agent").post("/monitoring/sources", SOURCE)
    response = api("agent").post("/monitoring/sources", SOURCE)
    assert response.status_code == 400
    assert refusal(response)["field"] == "slug"


def test_a_rule_maps_labels_as_the_consoles_does_S1(api, cast):
    source, _token = monitoring.alert_source_create(actor=cast.actor("agent"), slug="prom", name="P",
                                                    kind="alertmanager")
    lines = "instance=~alfa-.*\nseverity!=info"
    response = api("agent").post("/monitoring/rules", {
        "name": "Alfa hosts", "position": 10, "source_id": source.pk,
        "matchers": parse_matchers(lines), "configuration_item_id": cast.ci_a.pk, "urgency": 1})
    assert response.status_code == 201, response.content
    rule = AlertRule.objects.get(pk=response.json()["id"])
    assert rule.matchers == parse_matchers(lines)
    mapped = monitoring.alert_mapping(source, {"instance": "alfa-db1", "severity": "critical"})
    assert mapped.configuration_item == cast.ci_a and mapped.organisation == cast.org_a and mapped.urgency == 1
    assert monitoring.alert_mapping(source, {"instance": "beeta-db1"}).configuration_item is None
    listed = api("service_manager").get("/monitoring/rules").json()
    assert [r["name"] for r in listed] == ["Alfa hosts"]
    assert listed[0]["configuration_item"]["id"] == cast.ci_a.pk


def test_a_rule_that_gives_nothing_is_refused_with_why(api, cast):
    response = api("agent").post("/monitoring/rules", {"name": "Nothing", "matchers": []})
    assert response.status_code == 400
    assert "what the rule gives" in refusal(response)["detail"]
    assert not AlertRule.objects.exists()


def test_a_rule_is_deleted(api, cast):
    rule = monitoring.alert_rule_create(actor=cast.actor("agent"), name="R", matchers=[], impact=1)
    assert api("catalogue_owner").post(f"/monitoring/rules/{rule.pk}/delete").status_code == 204
    assert not AlertRule.objects.exists()
    assert api("agent").post(f"/monitoring/rules/{rule.pk}/delete").status_code == 404


def test_alerts_are_listed_filtered_and_paged_S1(api, cast, client):
    made = api("agent").post("/monitoring/sources", SOURCE).json()
    for n in range(3):
        _deliver(client, made["hook_url"], made["token"], fingerprint=f"f{n}", labels={"n": str(n)})
    Alert.objects.filter(fingerprint="f0").update(status="resolved")
    page = api("agent").get("/monitoring/alerts?limit=2")
    assert page.status_code == 200
    body = page.json()
    assert len(body["items"]) == 2 and body["has_more"] is True
    assert body["items"][0]["source"]["name"] == "Prometheus" and body["items"][0]["ticket"]["reference"]
    assert api("agent").get("/monitoring/alerts?limit=2&offset=2").json()["has_more"] is False
    resolved = api("agent").get("/monitoring/alerts?status=resolved").json()["items"]
    assert [a["fingerprint"] for a in resolved] == ["f0"]


@pytest.mark.parametrize("who", ["client_a", "representative_a"])
def test_monitoring_is_refused_to_a_client_with_why(api, cast, who):
    response = api(who).post("/monitoring/sources", SOURCE)
    assert response.status_code == 403
    assert "service desk" in refusal(response)["detail"]
    assert not AlertSource.objects.exists()


# --- the support phone -----------------------------------------------------------------------------

@pytest.fixture
def ringing(cast):
    """Anna of Alfa calls; it rings at the agent's extension and is answered."""
    return answered_call(cast, caller="0037251234567")


def test_the_pop_shows_the_caller_and_open_tickets_K13(api, cast, ringing):
    ticket = report(cast, title="Payroll is stuck")
    response = api("agent").get("/calls/current")
    assert response.status_code == 200
    body = response.json()
    assert body["extension"] == "201"
    [call] = body["calls"]
    assert call["id"] == ringing.pk and call["state"] == "answered" and call["number"] == "0037251234567"
    assert call["contact"]["name"] == "Anna Alfa" and call["contact"]["organisation"]["name"] == cast.org_a.name
    assert [t["reference"] for t in call["open_tickets"]] == [ticket.reference]
    assert api("service_manager").get("/calls/current").json()["calls"] == []  # not their call


def test_the_pop_never_shows_a_staff_members_personal_phone_K13(api, cast):
    cast.agent.personal_phone = "+372 5999 8888"
    cast.agent.save(update_fields=["personal_phone"])
    PhoneExtension.objects.create(user=cast.agent.user, extension="201")
    phone.call_event_record(incoming=phone.IncomingCallEvent(
        event="new", call_id="c2", direction="inbound", caller="+37259998888", extension="201"))
    response = api("agent").get("/calls/current")
    [call] = response.json()["calls"]
    assert call["number"] == "" and "59998888" not in response.content.decode()


def test_logging_a_call_puts_it_on_the_ticket_K13(api, cast, ringing):
    ticket = report(cast, title="Payroll is stuck")
    response = api("agent").post(f"/calls/{ringing.pk}/log", {"reference": ticket.reference,
                                                              "note": "She will restart the batch"})
    assert response.status_code == 200, response.content
    assert response.json() == {"id": ringing.pk, "logged_on": ticket.reference}
    entry = ticket.entries.get(body__contains="She will restart the batch")
    assert entry.is_internal and entry.channel == TicketSource.PHONE and "Phone call from" in entry.body
    ringing.refresh_from_db()
    assert ringing.ticket == ticket


def test_logging_on_an_unknown_ticket_says_why(api, cast, ringing):
    response = api("agent").post(f"/calls/{ringing.pk}/log", {"reference": "INC-999999"})
    assert response.status_code == 400
    body = refusal(response)
    assert body["field"] == "reference" and "INC-999999" in body["detail"]


def test_a_ticket_from_a_call_is_linked_to_the_call_and_comes_by_phone_K13(api, cast, ringing):
    response = api("agent").post(f"/calls/{ringing.pk}/ticket", {"kind": "incident", "title": "Printer jams",
                                                                 "description": "Tray 2"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["source"] == "phone" and body["requester"]["id"] == cast.client_a.pk
    assert body["title"] == "Printer jams" and "Tray 2" in body["description"]
    ringing.refresh_from_db()
    assert ringing.ticket.reference == body["reference"]


def test_a_ticket_for_an_unknown_caller_is_refused_with_the_way_forward_K13(api, cast):
    PhoneExtension.objects.create(user=cast.agent.user, extension="201")
    call = phone.call_event_record(incoming=phone.IncomingCallEvent(
        event="answered", call_id="c3", direction="inbound", caller="+1 555 0100", extension="201"))
    response = api("agent").post(f"/calls/{call.pk}/ticket", {"kind": "incident", "title": "Help"})
    assert response.status_code == 400
    assert "phone intake" in refusal(response)["detail"]
    assert Call.objects.get(pk=call.pk).ticket is None


def test_another_agents_call_is_not_found_and_a_client_is_refused_K13(api, cast, ringing):
    ticket = report(cast)
    body = {"reference": ticket.reference}
    assert api("service_manager").post(f"/calls/{ringing.pk}/log", body).status_code == 404
    response = api("client_a").post(f"/calls/{ringing.pk}/log", body)
    assert response.status_code == 403 and "service desk" in refusal(response)["detail"]
    assert Call.objects.get(pk=ringing.pk).ticket is None
