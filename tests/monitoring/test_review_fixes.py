"""Review findings of the monitoring hooks: what a client may read of an alert (S2), a replayed
Grafana signature (S1), and a NUL character in a delivery (S1: a 4xx with a sentence, never a 500)."""

import hashlib
import hmac
import json
import time

from tugi.channels.monitoring.models import Alert, AlertRule
from tugi.notifications.models import Notification
from tugi.tickets.models import Ticket, TicketSource
from tugi.tickets.selectors import ticket_list_for

from .conftest import am_payload, deliver, make_source

LABEL_VALUE = "alfa-db-07.internal:9100"
GENERATOR_URL = "http://prometheus.example:9090/graph"


def _the_ticket(cast) -> Ticket:
    return ticket_list_for(cast.actor("agent")).filter(source=TicketSource.MONITORING).get()


def test_a_client_reads_the_alert_but_not_its_labels_or_link_the_desk_does_S2(client, cast, alertmanager):
    source, token = alertmanager
    AlertRule.objects.create(name="alfa", matchers=[{"label": "instance", "op": "=~", "value": "alfa-.*"}],
                             organisation=cast.org_a, service=cast.service)
    payload = am_payload({"fingerprint": "fp1", "labels": {"alertname": "DiskFull", "instance": LABEL_VALUE},
                          "annotations": {"summary": "Disk almost full", "description": "Only 2% left on /var."}})
    assert deliver(client, source, token, payload).status_code == 200
    ticket = _the_ticket(cast)
    assert ticket.organisation == cast.org_a

    mail = Notification.objects.get(event="ticket_created", recipient_email=cast.representative_a.email)
    assert "Disk almost full" in mail.subject + mail.body
    assert LABEL_VALUE not in mail.subject + mail.body and GENERATOR_URL not in mail.body

    client.force_login(cast.representative_a.user)
    portal = client.get(f"/tickets/{ticket.reference}/")
    assert portal.status_code == 200
    page = portal.content.decode()
    assert "Only 2% left on /var." in page
    assert LABEL_VALUE not in page and GENERATOR_URL not in page

    client.force_login(cast.agent.user)
    console = client.get(f"/console/tickets/{ticket.reference}/")
    assert console.status_code == 200
    assert LABEL_VALUE in console.content.decode() and GENERATOR_URL in console.content.decode()
    assert ticket.entries.filter(is_internal=True, body__contains=LABEL_VALUE).exists()


# --- Grafana's signed timestamp ----------------------------------------------------------------------

def _grafana_body():
    return json.dumps({**am_payload({"fingerprint": "g1"}), "version": "1", "title": "[FIRING:1]"}).encode()


def _signed(body: bytes, timestamp: str) -> dict:
    signature = hmac.new(b"s3cret", timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Grafana-Alerting-Signature": signature, "X-Grafana-Alerting-Timestamp": timestamp}


def _grafana():
    return make_source("grafana", hmac_secret="s3cret", hmac_timestamp_header="X-Grafana-Alerting-Timestamp")


def test_a_replayed_grafana_delivery_older_than_five_minutes_is_refused_S1(client, cast):
    source, token = _grafana()
    body = _grafana_body()
    for stale in (int(time.time()) - 301, int(time.time()) + 301):
        response = deliver(client, source, token, None, raw=body, headers=_signed(body, str(stale)))
        assert response.status_code == 401 and response.json()["error"] == "bad_signature"
    assert not Alert.objects.exists()
    fresh = deliver(client, source, token, None, raw=body, headers=_signed(body, str(int(time.time()) - 60)))
    assert fresh.status_code == 200, fresh.content


def test_a_grafana_timestamp_that_is_not_a_number_is_a_bad_signature_S1(client, cast):
    source, token = _grafana()
    body = _grafana_body()
    for odd in ("yesterday", "1.7e9", f"{int(time.time())}x"):
        response = deliver(client, source, token, None, raw=body, headers=_signed(body, odd))
        assert response.status_code == 401 and response.json()["error"] == "bad_signature"
    assert not Alert.objects.exists()


# --- NUL characters -----------------------------------------------------------------------------------

def test_a_nul_in_an_alertmanager_delivery_is_a_400_and_writes_nothing_S1(client, cast, alertmanager):
    source, token = alertmanager
    payload = am_payload({"fingerprint": "fp-ok"},
                         {"fingerprint": "fp-nul", "labels": {"alertname": "Disk\u0000Full", "instance": "x"}})
    response = deliver(client, source, token, payload)
    assert response.status_code == 400 and "NUL" in response.json()["message"]
    assert not Alert.objects.exists() and not Ticket.objects.exists()


def test_a_nul_anywhere_in_the_other_hooks_is_a_400_S1(client, cast):
    generic, generic_token = make_source("generic")
    assert deliver(client, generic, generic_token, {"fingerprint": "f", "title": "ok",
                                                    "description": "a\u0000b"}).status_code == 400
    zabbix, zabbix_token = make_source("zabbix")
    assert deliver(client, zabbix, zabbix_token, {"event_id": "1", "subject": "x",
                                                  "tags": [{"tag": "k\u0000", "value": "v"}]}).status_code == 400
    grafana, grafana_token = make_source("grafana")
    body = json.dumps({**am_payload({"fingerprint": "g1"}), "message": "\u0000"}).encode()
    assert deliver(client, grafana, grafana_token, None, raw=body).status_code == 400
    assert not Alert.objects.exists()


def test_half_a_surrogate_pair_in_a_delivery_is_a_400_not_a_server_error_S1(client, cast):
    """JSON lets "\\udc00" through, and it is no character: no database can keep it."""
    generic, token = make_source("generic")
    body = b'{"fingerprint": "f", "title": "Disk \\udc00 full"}'
    response = deliver(client, generic, token, None, raw=body)
    assert response.status_code == 400 and "surrogate" in response.json()["message"]
    assert not Alert.objects.exists()
