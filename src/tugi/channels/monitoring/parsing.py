"""Turning each monitoring system's payload into the one shape the service takes. Pure: no database.

Unknown fields are ignored everywhere (a newer Alertmanager or Grafana adds fields, not meaning);
a missing or malformed field that the alert cannot do without is an ``InvalidPayload`` with a
sentence the monitoring system's operator can act on."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field

from django.utils.dateparse import parse_datetime

MAX_ALERTS_PER_DELIVERY = 1000
MAX_LABELS = 64
MAX_TEXT = 4000


class InvalidPayload(ValueError):
    """The delivery cannot be read; the message says why (in English: it goes to a machine's log)."""


@dataclass(frozen=True)
class IncomingAlert:
    fingerprint: str
    is_firing: bool
    title: str
    description: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    url: str = ""
    started_at: dt.datetime | None = None


def _text(value, limit: int = MAX_TEXT) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value[:limit]
    if isinstance(value, bool | int | float):
        return str(value)[:limit]
    return ""


def _labels(value) -> dict[str, str]:
    """Label and annotation maps: string keys, scalar values as text; anything else is dropped."""
    if not isinstance(value, dict):
        return {}
    result = {}
    for key, item in list(value.items())[:MAX_LABELS]:
        if isinstance(key, str) and isinstance(item, str | int | float | bool):
            result[key[:100]] = _text(item, 500)
    return result


def _when(value) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        return None
    if parsed is None or parsed.tzinfo is None or parsed.year < 1000:
        return None  # Alertmanager's "0001-01-01T00:00:00Z" means "not yet"
    return parsed


def _fingerprint_of(labels: dict[str, str]) -> str:
    """An alert without a fingerprint is named by its labels, as Alertmanager itself does."""
    canonical = json.dumps(sorted(labels.items()), separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def _status(value, where: str) -> bool:
    status = _text(value or "firing").strip().lower()
    if status in ("firing", "alerting", "problem", "1"):
        return True
    if status in ("resolved", "ok", "recovery", "0"):
        return False
    raise InvalidPayload(f"{where}: status must be 'firing' or 'resolved', not {status[:40]!r}.")


def _alert_list(payload, where: str) -> list:
    alerts = payload.get("alerts")
    if not isinstance(alerts, list):
        raise InvalidPayload("'alerts' must be a list of alerts.")
    if len(alerts) > MAX_ALERTS_PER_DELIVERY:
        raise InvalidPayload(f"At most {MAX_ALERTS_PER_DELIVERY} alerts in one delivery.")
    return alerts


def parse_alertmanager(payload, *, check_version: bool = True) -> list[IncomingAlert]:
    """Alertmanager's webhook payload, version 4; Grafana's shares its shape."""
    if not isinstance(payload, dict):
        raise InvalidPayload("The payload must be a JSON object.")
    if check_version and "version" in payload and _text(payload.get("version")) != "4":
        raise InvalidPayload("Only version 4 of Alertmanager's webhook payload is understood.")
    common = _labels(payload.get("commonAnnotations"))
    result = []
    for number, item in enumerate(_alert_list(payload, "alerts"), 1):
        where = f"alert {number}"
        if not isinstance(item, dict):
            raise InvalidPayload(f"{where} must be an object.")
        labels = _labels(item.get("labels"))
        annotations = {**common, **_labels(item.get("annotations"))}
        fingerprint = _text(item.get("fingerprint"), 200).strip() or _fingerprint_of(labels)
        title = (annotations.get("summary") or annotations.get("title") or labels.get("alertname")
                 or _text(payload.get("title"), 250) or fingerprint)
        description = annotations.get("description") or annotations.get("message") or ""
        url = (_text(item.get("generatorURL"), 500) or _text(item.get("dashboardURL"), 500)
               or _text(item.get("panelURL"), 500))
        result.append(IncomingAlert(
            fingerprint=fingerprint, is_firing=_status(item.get("status") or payload.get("status"), where),
            title=title[:250], description=description, labels=labels, url=url,
            started_at=_when(item.get("startsAt")),
        ))
    return result


def parse_grafana(payload) -> list[IncomingAlert]:
    return parse_alertmanager(payload, check_version=False)


def parse_generic(payload) -> list[IncomingAlert]:
    """``{"fingerprint", "status", "title", "description", "labels", "url"}``, or ``{"alerts": [...]}``
    of them. ``id`` may stand for the fingerprint."""
    if not isinstance(payload, dict):
        raise InvalidPayload("The payload must be a JSON object.")
    items = _alert_list(payload, "alerts") if "alerts" in payload else [payload]
    result = []
    for number, item in enumerate(items, 1):
        where = f"alert {number}"
        if not isinstance(item, dict):
            raise InvalidPayload(f"{where} must be an object.")
        labels = _labels(item.get("labels"))
        fingerprint = _text(item.get("fingerprint") or item.get("id"), 200).strip()
        if not fingerprint:
            if not labels:
                raise InvalidPayload(f"{where}: give a 'fingerprint' (or 'id') or 'labels' that name the alert.")
            fingerprint = _fingerprint_of(labels)
        title = _text(item.get("title"), 250).strip() or labels.get("alertname", "") or fingerprint
        result.append(IncomingAlert(
            fingerprint=fingerprint, is_firing=_status(item.get("status"), where), title=title,
            description=_text(item.get("description")), labels=labels, url=_text(item.get("url"), 500),
        ))
    return result


def parse_zabbix(payload) -> IncomingAlert:
    """What Tugi's Zabbix media type posts: the problem's event id names the alert; ``event_value``
    1 is a problem, 0 its recovery; ``event_update`` 1 an update (acknowledgement, comment)."""
    if not isinstance(payload, dict):
        raise InvalidPayload("The payload must be a JSON object.")
    event_id = _text(payload.get("event_id"), 100).strip()
    if not event_id or event_id.startswith("{"):
        raise InvalidPayload("'event_id' must be Zabbix's {EVENT.ID}.")
    value = _text(payload.get("event_value"), 10).strip() or "1"
    if value not in ("0", "1"):
        raise InvalidPayload("'event_value' must be 1 (problem) or 0 (recovery).")
    labels = {}
    tags = payload.get("tags")
    if isinstance(tags, list):
        for tag in tags[:MAX_LABELS]:
            if isinstance(tag, dict) and isinstance(tag.get("tag"), str):
                labels[tag["tag"][:100]] = _text(tag.get("value"), 500)
    else:
        labels.update(_labels(tags))
    for name in ("host", "severity", "trigger_id"):
        text = _text(payload.get(name), 500).strip()
        if text and not text.startswith("{"):
            labels.setdefault(name, text)
    title = _text(payload.get("subject") or payload.get("title"), 250).strip() or f"Zabbix event {event_id}"
    return IncomingAlert(
        fingerprint=f"event-{event_id}", is_firing=value == "1", title=title,
        description=_text(payload.get("message")), labels=labels, url=_text(payload.get("url"), 500),
    )


def is_update(payload) -> bool:
    return isinstance(payload, dict) and _text(payload.get("event_update"), 10).strip() == "1"


SIGNATURE_MAX_AGE = 300  # seconds a signed timestamp may differ from now: an older delivery is a replay


def grafana_signature_ok(*, secret: str, body: bytes, signature: str, timestamp: str = "",
                         now: float | None = None) -> bool:
    """Grafana signs the body with HMAC-SHA256 (hex); with a timestamp header set, it signs
    ``timestamp:body``, and a timestamp that is not a number, or more than five minutes from now, is
    refused, so a captured delivery cannot be replayed. Compared in constant time."""
    if timestamp:
        try:
            sent = int(timestamp.strip())
        except ValueError:
            return False
        if abs((time.time() if now is None else now) - sent) > SIGNATURE_MAX_AGE:
            return False
    message = (timestamp.encode() + b":" + body) if timestamp else body
    expected = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    given = signature.strip().removeprefix("sha256=").lower()
    return hmac.compare_digest(expected, given)


SEVERITY_URGENCY = {
    "critical": 1, "disaster": 1, "high": 1, "page": 1, "emergency": 1,
    "warning": 2, "average": 2, "major": 2, "error": 2,
    "info": 3, "information": 3, "low": 3, "minor": 3, "not classified": 3,
}
