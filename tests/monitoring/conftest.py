import json

import pytest

from tugi.channels.monitoring import services
from tugi.core.actors import system_actor


def make_source(kind: str = "alertmanager", slug: str | None = None, **fields):
    source, token = services.alert_source_create(actor=system_actor(), slug=slug or f"prom-{kind}",
                                                 name=f"Prometheus {kind}", kind=kind, **fields)
    return source, token


@pytest.fixture
def alertmanager(db):
    return make_source("alertmanager")


def am_payload(*alerts, status="firing", **extra):
    """An Alertmanager version 4 webhook delivery."""
    return {
        "version": "4", "groupKey": "{}:{alertname=\"X\"}", "truncatedAlerts": 0, "status": status,
        "receiver": "tugi", "groupLabels": {}, "commonLabels": {}, "commonAnnotations": {},
        "externalURL": "http://alertmanager.example:9093", **extra,
        "alerts": [
            {"status": alert.get("status", status), "labels": alert.get("labels", {"alertname": "DiskFull"}),
             "annotations": alert.get("annotations", {"summary": "Disk almost full"}),
             "startsAt": "2026-11-25T10:00:00Z", "endsAt": "0001-01-01T00:00:00Z",
             "generatorURL": "http://prometheus.example:9090/graph", "fingerprint": alert["fingerprint"],
             **{k: v for k, v in alert.items() if k not in ("status", "labels", "annotations", "fingerprint")}}
            for alert in alerts
        ],
    }


def deliver(client, source, token, payload, *, kind=None, headers=None, raw=None):
    return client.post(
        f"/hooks/monitoring/{source.slug}/{kind or source.kind}", data=raw if raw is not None else json.dumps(payload),
        content_type="application/json", headers={"Authorization": f"Bearer {token}", **(headers or {})},
    )
