"""The monitoring channel (S1, S2): tokens, one open incident per alert, repeats, recovery, the storm
guard, rules as data, and the webhooks' answers to odd input."""

import hashlib
import hmac
import json
import time

import pytest

from tugi.channels.monitoring import services
from tugi.channels.monitoring.models import Alert, AlertRule, AlertStatus
from tugi.channels.monitoring.parsing import IncomingAlert
from tugi.notifications.models import Notification
from tugi.tickets import services as tickets
from tugi.tickets.lifecycle import Action
from tugi.tickets.models import ConversationEntry, TicketSource, TicketState
from tugi.tickets.selectors import ticket_list_for

from .conftest import am_payload, deliver, make_source


def _alerts_tickets(cast):
    return ticket_list_for(cast.actor("agent")).filter(source=TicketSource.MONITORING)


# --- tokens ----------------------------------------------------------------------------------------

def test_only_the_digest_of_the_token_is_kept(alertmanager):
    source, token = alertmanager
    assert token not in source.token_digest and source.token_digest == hashlib.sha256(token.encode()).hexdigest()


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic abc", "Bearer "])
def test_a_delivery_without_the_right_token_is_refused_S1(client, cast, alertmanager, header):
    source, _ = alertmanager
    response = client.post(f"/hooks/monitoring/{source.slug}/alertmanager",
                           data=json.dumps(am_payload({"fingerprint": "a"})), content_type="application/json",
                           headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorised"
    assert not Alert.objects.exists()


def test_one_sources_token_does_not_open_another_source(client, cast, alertmanager):
    other, other_token = make_source("alertmanager", slug="other")
    source, _ = alertmanager
    assert deliver(client, source, other_token, am_payload({"fingerprint": "a"})).status_code == 401


def test_an_inactive_source_is_refused(client, cast, alertmanager):
    source, token = alertmanager
    source.is_active = False
    source.save()
    assert deliver(client, source, token, am_payload({"fingerprint": "a"})).status_code == 401


@pytest.mark.parametrize(("raw", "content_type", "status"), [
    ("not json", "application/json", 400), ("[]", "application/json", 400),
    ('{"version": "4", "alerts": [{"status": "boom"}]}', "application/json", 400),
    ('{"alerts": []}', "text/plain", 415), ("\xff\xfe", "application/json", 400),
])
def test_odd_input_gets_a_clear_4xx_never_a_500_S1(client, cast, alertmanager, raw, content_type, status):
    source, token = alertmanager
    response = client.post(f"/hooks/monitoring/{source.slug}/alertmanager", data=raw, content_type=content_type,
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == status
    assert response.json()["message"]


def test_the_wrong_kind_for_a_source_is_a_404_that_names_the_right_one(client, cast, alertmanager):
    source, token = alertmanager
    response = deliver(client, source, token, {"fingerprint": "a", "title": "x"}, kind="generic")
    assert response.status_code == 404 and "alertmanager" in response.json()["message"]


def test_a_get_is_refused_with_405(client, cast, alertmanager):
    source, _ = alertmanager
    assert client.get(f"/hooks/monitoring/{source.slug}/alertmanager").status_code == 405


# --- one open incident per alert -------------------------------------------------------------------

def test_a_firing_alert_opens_one_monitoring_incident_S1(client, cast, alertmanager):
    source, token = alertmanager
    response = deliver(client, source, token, am_payload({"fingerprint": "fp1"}))
    assert response.status_code == 200, response.content
    assert response.json()["alerts"][0]["outcome"] == "opened"
    [ticket] = _alerts_tickets(cast)
    assert ticket.kind == "incident" and ticket.title == "Disk almost full"
    assert ticket.requester_id is None
    assert Alert.objects.get().ticket == ticket


def test_repeats_count_on_the_same_ticket_without_entries_or_mail_S1(client, cast, alertmanager):
    source, token = alertmanager
    source.default_service = cast.service
    source.save()
    deliver(client, source, token, am_payload({"fingerprint": "fp1"}))
    entries, mails = ConversationEntry.objects.count(), Notification.objects.count()
    for _ in range(5):
        assert deliver(client, source, token, am_payload({"fingerprint": "fp1"})).json()["alerts"][0]["outcome"] \
            == "repeated"
    assert _alerts_tickets(cast).count() == 1
    assert Alert.objects.get().count == 6
    assert (ConversationEntry.objects.count(), Notification.objects.count()) == (entries, mails)


def test_different_fingerprints_open_different_tickets_S1(client, cast, alertmanager):
    source, token = alertmanager
    deliver(client, source, token, am_payload({"fingerprint": "fp1"}, {"fingerprint": "fp2"}))
    assert _alerts_tickets(cast).count() == 2


def test_the_same_fingerprint_of_two_sources_is_two_alerts(client, cast, alertmanager):
    source, token = alertmanager
    other, other_token = make_source("alertmanager", slug="other")
    deliver(client, source, token, am_payload({"fingerprint": "fp1"}))
    deliver(client, other, other_token, am_payload({"fingerprint": "fp1"}))
    assert _alerts_tickets(cast).count() == 2


def test_unknown_client_tells_the_service_manager_and_the_representative_S2(client, cast, alertmanager):
    source, token = alertmanager
    AlertRule.objects.create(name="alfa", matchers=[{"label": "instance", "op": "=~", "value": "alfa-.*"}],
                             organisation=cast.org_a, service=cast.service)
    deliver(client, source, token, am_payload({"fingerprint": "fp1", "labels": {"alertname": "X",
                                                                               "instance": "alfa-db"}}))
    told = set(Notification.objects.filter(event="ticket_created").values_list("recipient_email", flat=True))
    assert told == {cast.service.service_manager.email, cast.representative_a.email}


def test_rules_map_labels_to_ci_service_organisation_and_priority_in_order_S1(client, cast, alertmanager):
    source, token = alertmanager
    AlertRule.objects.create(name="alfa-srv", position=1, configuration_item=cast.ci_a,
                             matchers=[{"label": "instance", "op": "=", "value": "alfa-srv:9100"}])
    AlertRule.objects.create(name="B, wrongly", position=2, organisation=cast.org_b, impact=1,
                             matchers=[{"label": "instance", "op": "=~", "value": "alfa.*"}])
    AlertRule.objects.create(name="never", position=3, urgency=3,
                             matchers=[{"label": "severity", "op": "!=", "value": "critical"}])
    deliver(client, source, token, am_payload({"fingerprint": "fp1", "labels": {
        "alertname": "X", "instance": "alfa-srv:9100", "severity": "critical"}}))
    [ticket] = _alerts_tickets(cast)
    assert ticket.organisation == cast.org_a  # the CI names its owner; the later rule's B loses
    assert ticket.service == cast.ci_a.service
    assert list(ticket.ci_links.values_list("configuration_item", flat=True)) == [cast.ci_a.pk]
    assert (ticket.impact, ticket.urgency) == (1, 1)  # impact by the rule, urgency by severity=critical


def test_a_malformed_rule_matches_nothing(client, cast, alertmanager):
    source, token = alertmanager
    AlertRule.objects.create(name="broken", matchers={"instance": "x"}, organisation=cast.org_b)
    AlertRule.objects.create(name="bad regex", matchers=[{"label": "a", "op": "=~", "value": "("}],
                             organisation=cast.org_b)
    deliver(client, source, token, am_payload({"fingerprint": "fp1"}))
    assert _alerts_tickets(cast).get().organisation is None


# --- recovery --------------------------------------------------------------------------------------

def test_a_resolved_message_adds_a_note_and_leaves_the_ticket_to_the_desk_S1(client, cast, alertmanager):
    source, token = alertmanager
    deliver(client, source, token, am_payload({"fingerprint": "fp1"}))
    response = deliver(client, source, token, am_payload({"fingerprint": "fp1"}, status="resolved"))
    assert response.json()["alerts"][0]["outcome"] == "resolved"
    ticket = _alerts_tickets(cast).get()
    assert ticket.state == TicketState.NEW
    assert ticket.entries.filter(body__contains="recovered", is_internal=True).exists()
    assert Alert.objects.get().status == AlertStatus.RESOLVED


def _taken(cast, ticket):
    return tickets.ticket_assign(actor=cast.actor("agent"), ticket=ticket, assignee=cast.agent)


def test_recovery_resolves_the_ticket_when_the_source_says_so_S1(client, cast, alertmanager):
    source, token = alertmanager
    source.resolve_on_recovery = True
    source.save()
    deliver(client, source, token, am_payload({"fingerprint": "fp1"}))
    _taken(cast, _alerts_tickets(cast).get())
    deliver(client, source, token, am_payload({"fingerprint": "fp1"}, status="resolved"))
    assert _alerts_tickets(cast).get().state == TicketState.RESOLVED


def test_recovery_of_a_ticket_nobody_took_says_why_it_was_not_resolved_S1(client, cast, alertmanager):
    source, token = alertmanager
    source.resolve_on_recovery = True
    source.save()
    deliver(client, source, token, am_payload({"fingerprint": "fp1"}))
    deliver(client, source, token, am_payload({"fingerprint": "fp1"}, status="resolved"))
    ticket = _alerts_tickets(cast).get()
    assert ticket.state == TicketState.NEW
    assert ticket.entries.filter(body__contains="could not be resolved automatically").exists()


def test_an_alert_that_fires_again_reopens_its_resolved_ticket_S1(client, cast, alertmanager):
    source, token = alertmanager
    source.resolve_on_recovery = True
    source.save()
    deliver(client, source, token, am_payload({"fingerprint": "fp1"}))
    _taken(cast, _alerts_tickets(cast).get())
    deliver(client, source, token, am_payload({"fingerprint": "fp1"}, status="resolved"))
    response = deliver(client, source, token, am_payload({"fingerprint": "fp1"}))
    assert response.json()["alerts"][0]["outcome"] == "reopened"
    assert _alerts_tickets(cast).get().state == TicketState.REOPENED


def test_an_alert_after_its_ticket_closed_opens_a_new_one_S1(client, cast, alertmanager):
    source, token = alertmanager
    deliver(client, source, token, am_payload({"fingerprint": "fp1"}))
    ticket = _alerts_tickets(cast).get()
    tickets.ticket_transition(actor=cast.actor("agent"), ticket=ticket, action=Action.CANCEL, reason="Test alert")
    deliver(client, source, token, am_payload({"fingerprint": "fp1"}))
    assert _alerts_tickets(cast).count() == 2
    assert Alert.objects.get().ticket != ticket


def test_a_recovery_of_an_unknown_alert_opens_nothing(client, cast, alertmanager):
    source, token = alertmanager
    response = deliver(client, source, token, am_payload({"fingerprint": "never-fired"}, status="resolved"))
    assert response.status_code == 200 and response.json()["alerts"][0]["outcome"] == "noted"
    assert not _alerts_tickets(cast).exists()


# --- storms ----------------------------------------------------------------------------------------

def test_a_storm_of_1000_repeats_is_one_ticket_and_bounded_mail_S1(client, cast, alertmanager):
    source, token = alertmanager
    source.default_service = cast.service
    source.default_organisation = cast.org_a
    source.save()
    for _ in range(10):
        deliver(client, source, token, am_payload(*({"fingerprint": "storm"} for _ in range(100))))
    assert _alerts_tickets(cast).count() == 1
    assert Alert.objects.get().count == 1000
    assert Notification.objects.count() == 2  # the S2 acknowledgement: the service manager and Rein
    services.alerts_summarise()
    summary = ConversationEntry.objects.filter(body__contains="999 more deliveries")
    assert summary.count() == 1 and summary.get().is_internal
    assert Notification.objects.count() == 2
    assert services.alerts_summarise() == 0  # nothing new since


def test_a_storm_of_new_alerts_opens_at_most_the_sources_limit_then_one_storm_ticket_S1(client, cast):
    source, token = make_source("generic", max_new_tickets_per_hour=5)
    for number in range(40):
        deliver(client, source, token, {"fingerprint": f"host-{number}", "title": f"host {number} down"})
    assert _alerts_tickets(cast).count() == 6
    storm = _alerts_tickets(cast).get(title__startswith="Alert storm")
    assert Alert.objects.filter(ticket=storm).count() == 35
    services.alerts_summarise()
    assert ConversationEntry.objects.filter(ticket=storm, body__contains="host 39 down").exists()


def test_an_alert_whose_ticket_is_gone_gets_a_new_one_on_the_same_row_S1(cast, alertmanager):
    """(Racing deliveries of a new alert: tests/monitoring/test_concurrency.py, on PostgreSQL.)"""
    source, _ = alertmanager
    incoming = IncomingAlert(fingerprint="gone", is_firing=True, title="Gone")
    first = services.alert_receive(source=source, incoming=incoming)
    Alert.objects.filter(pk=first.alert_id).update(ticket=None)  # the ticket was deleted (SET_NULL)
    second = services.alert_receive(source=source, incoming=incoming)
    assert second.alert_id == first.alert_id and Alert.objects.count() == 1
    assert second.what == "opened" and second.ticket_id != first.ticket_id


# --- Grafana and Zabbix ----------------------------------------------------------------------------

def _grafana_body():
    return json.dumps({**am_payload({"fingerprint": "g1"}), "version": "1", "orgId": 1, "title": "[FIRING:1]",
                       "state": "alerting", "message": "Grafana says"}).encode()


def test_grafana_with_hmac_takes_a_good_signature_and_refuses_a_bad_one_S1(client, cast):
    source, token = make_source("grafana", hmac_secret="s3cret")
    body = _grafana_body()
    good = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert deliver(client, source, token, None, raw=body,
                   headers={"X-Grafana-Alerting-Signature": "0" * 64}).status_code == 401
    assert deliver(client, source, token, None, raw=body).status_code == 401
    assert not Alert.objects.exists()
    assert deliver(client, source, token, None, raw=body,
                   headers={"X-Grafana-Alerting-Signature": good}).status_code == 200
    assert _alerts_tickets(cast).count() == 1


def test_grafana_without_hmac_needs_only_the_token_S1(client, cast):
    source, token = make_source("grafana")
    assert deliver(client, source, token, None, raw=_grafana_body()).status_code == 200


def test_zabbix_opens_updates_and_resolves_by_event_answering_the_ticket_link_S1(client, cast):
    source, token = make_source("zabbix", resolve_on_recovery=True)
    problem = {"event_id": "4711", "event_value": "1", "event_update": "0", "subject": "Problem: CPU high",
               "message": "CPU at 99%", "host": "alfa-srv", "severity": "High"}
    answer = deliver(client, source, token, problem).json()
    ticket = _alerts_tickets(cast).get()
    assert answer["ticket_id"] == ticket.pk and answer["reference"] == ticket.reference
    assert answer["url"].endswith(f"/console/tickets/{ticket.reference}/")
    update = deliver(client, source, token, {**problem, "event_update": "1", "message": "Acknowledged by Ops"})
    assert update.json()["reference"] == ticket.reference
    assert ticket.entries.filter(body__contains="Acknowledged by Ops", is_internal=True).exists()
    _taken(cast, ticket)
    recovery = deliver(client, source, token, {**problem, "event_value": "0", "subject": "Resolved: CPU high"})
    assert recovery.json()["reference"] == ticket.reference
    assert _alerts_tickets(cast).get().state == TicketState.RESOLVED


def test_zabbix_without_an_event_id_is_a_400(client, cast):
    source, token = make_source("zabbix")
    response = deliver(client, source, token, {"subject": "x"})
    assert response.status_code == 400 and "event_id" in response.json()["message"]


def test_the_summary_of_repeats_is_a_periodic_job_S1():
    from tugi.core.periodic import jobs

    assert "monitoring.summarise_repeats" in {job.name for job in jobs()}


def test_grafana_signing_a_timestamp_too_is_checked_with_it_S1(client, cast):
    source, token = make_source("grafana", hmac_secret="s3cret", hmac_timestamp_header="X-Grafana-Alerting-Timestamp")
    body = _grafana_body()
    now = int(time.time())
    signature = hmac.new(b"s3cret", f"{now}:".encode() + body, hashlib.sha256).hexdigest()
    headers = {"X-Grafana-Alerting-Signature": signature, "X-Grafana-Alerting-Timestamp": str(now)}
    assert deliver(client, source, token, None, raw=body, headers=headers).status_code == 200
    tampered = {**headers, "X-Grafana-Alerting-Timestamp": str(now + 1)}
    assert deliver(client, source, token, None, raw=body, headers=tampered).status_code == 401
