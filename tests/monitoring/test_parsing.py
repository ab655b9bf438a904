"""Reading each monitoring system's payload (S1): Alertmanager v4, Grafana, generic JSON, Zabbix."""

import hashlib
import hmac

import pytest

from tugi.channels.monitoring import parsing

from .conftest import am_payload


def test_alertmanager_v4_alerts_are_read_and_unknown_fields_ignored_S1():
    payload = am_payload({"fingerprint": "abc123", "labels": {"alertname": "DiskFull", "instance": "alfa-srv"},
                          "annotations": {"summary": "Disk on alfa-srv 95% full", "description": "Free space"},
                          "someFutureField": {"x": 1}}, futureTopLevel=[1, 2])
    [alert] = parsing.parse_alertmanager(payload)
    assert alert.fingerprint == "abc123"
    assert alert.is_firing
    assert alert.title == "Disk on alfa-srv 95% full"
    assert alert.description == "Free space"
    assert alert.labels == {"alertname": "DiskFull", "instance": "alfa-srv"}
    assert alert.url == "http://prometheus.example:9090/graph"
    assert alert.started_at.year == 2026


def test_alertmanager_resolved_alert_is_not_firing_S1():
    [alert] = parsing.parse_alertmanager(am_payload({"fingerprint": "abc"}, status="resolved"))
    assert not alert.is_firing


def test_another_alertmanager_payload_version_is_refused_with_a_reason_S1():
    with pytest.raises(parsing.InvalidPayload, match="version 4"):
        parsing.parse_alertmanager({**am_payload({"fingerprint": "a"}), "version": "5"})


@pytest.mark.parametrize("payload", [[], "x", {"alerts": "no"}, {"alerts": [1]},
                                     {"alerts": [{"status": "exploded", "fingerprint": "a"}]}])
def test_malformed_alertmanager_payloads_are_invalid_not_crashes_S1(payload):
    with pytest.raises(parsing.InvalidPayload):
        parsing.parse_alertmanager(payload)


def test_odd_label_values_are_dropped_or_turned_into_text_S1():
    [alert] = parsing.parse_alertmanager(am_payload({"fingerprint": "a", "labels": {
        "alertname": "X", "count": 3, "nested": {"a": 1}, "list": [1]}}))
    assert alert.labels == {"alertname": "X", "count": "3"}


def test_an_alert_without_fingerprint_is_named_by_its_labels_S1():
    first = parsing.parse_generic({"labels": {"alertname": "X", "host": "a"}, "title": "X"})[0]
    again = parsing.parse_generic({"labels": {"host": "a", "alertname": "X"}, "title": "X"})[0]
    other = parsing.parse_generic({"labels": {"alertname": "X", "host": "b"}, "title": "X"})[0]
    assert first.fingerprint == again.fingerprint != other.fingerprint


def test_generic_alert_needs_something_that_names_it_S1():
    with pytest.raises(parsing.InvalidPayload, match="fingerprint"):
        parsing.parse_generic({"title": "Something"})


def test_zabbix_problem_and_recovery_share_the_event_id_S1():
    problem = parsing.parse_zabbix({"event_id": "4711", "event_value": "1", "subject": "Problem: CPU high",
                                    "host": "alfa-srv", "severity": "High",
                                    "tags": [{"tag": "service", "value": "payroll"}]})
    recovery = parsing.parse_zabbix({"event_id": "4711", "event_value": "0", "subject": "Resolved: CPU high"})
    assert problem.fingerprint == recovery.fingerprint == "event-4711"
    assert problem.is_firing and not recovery.is_firing
    assert problem.labels == {"service": "payroll", "host": "alfa-srv", "severity": "High"}


def test_zabbix_unexpanded_macro_is_refused_S1():
    with pytest.raises(parsing.InvalidPayload, match="EVENT.ID"):
        parsing.parse_zabbix({"event_id": "{EVENT.ID}"})


def test_grafana_signature_good_bad_and_with_timestamp_S1():
    body = b'{"alerts": []}'
    good = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert parsing.grafana_signature_ok(secret="s3cret", body=body, signature=good)
    assert not parsing.grafana_signature_ok(secret="s3cret", body=body + b" ", signature=good)
    assert not parsing.grafana_signature_ok(secret="other", body=body, signature=good)
    stamped = hmac.new(b"s3cret", b"1700000000:" + body, hashlib.sha256).hexdigest()
    assert parsing.grafana_signature_ok(secret="s3cret", body=body, signature=stamped, timestamp="1700000000",
                                        now=1700000000)
    assert not parsing.grafana_signature_ok(secret="s3cret", body=body, signature=stamped, timestamp="1700000001",
                                            now=1700000000)
    # A replay: the right signature, but more than five minutes old or ahead.
    for now in (1700000301, 1699999699):
        assert not parsing.grafana_signature_ok(secret="s3cret", body=body, signature=stamped,
                                                timestamp="1700000000", now=now)
    assert parsing.grafana_signature_ok(secret="s3cret", body=body, signature=stamped, timestamp="1700000000",
                                        now=1700000300)
