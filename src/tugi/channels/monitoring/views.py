"""The monitoring webhooks: thin adapters from each system's JSON to ``alert_receive`` (S1, S2).

Authenticated by the source's token (``Authorization: Bearer <token>``, as Alertmanager's
``http_config.authorization`` and Grafana's contact point send it); CSRF-exempt, as no browser
session is involved; JSON in, JSON out; a malformed delivery is a 4xx with a sentence, never a 500."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from tugi.core.errors import DomainError
from tugi.core.text import unstorable_in

from . import parsing, selectors, services
from .models import AlertSource, SourceKind


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": code, "message": message}, status=status)


def _bearer(request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _ticket_url(reference: str) -> str:
    return settings.TUGI_BASE_URL.rstrip("/") + reverse("console:ticket", kwargs={"reference": reference})


@csrf_exempt
def receive(request, source: str, kind: str):
    if request.method != "POST":
        response = _error(405, "method_not_allowed", "Deliver alerts with POST.")
        response["Allow"] = "POST"
        return response
    found = selectors.alert_source_for_delivery(source)
    # An unknown source and a wrong token look the same, so the address names nothing to a guesser.
    if found is None or not services.token_matches(found, _bearer(request)):
        return _error(401, "unauthorised", "Unknown source or wrong token (Authorization: Bearer <token>).")
    if found.kind != kind:
        return _error(404, "wrong_kind", f"This source takes {found.kind} deliveries at …/{found.kind}.")
    if request.content_type != "application/json":
        return _error(415, "unsupported_media_type", "Send the alert as application/json.")
    try:
        body = request.body
    except RequestDataTooBig:
        return _error(413, "too_large", "The delivery is too large; send fewer alerts at once.")
    if kind == SourceKind.GRAFANA and found.hmac_secret:
        signature = request.headers.get(found.hmac_header, "")
        timestamp = request.headers.get(found.hmac_timestamp_header, "") if found.hmac_timestamp_header else ""
        if not signature or not parsing.grafana_signature_ok(secret=found.hmac_secret, body=body,
                                                             signature=signature, timestamp=timestamp):
            return _error(401, "bad_signature", f"The {found.hmac_header} signature does not match the body"
                          + (f" or {found.hmac_timestamp_header} is not within five minutes of now." if timestamp
                             else "."))
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return _error(400, "invalid_json", "The body is not valid JSON.")
    bad_text = unstorable_in(payload)
    if bad_text:
        return _error(400, "invalid_payload", f"The delivery contains {bad_text[1]}; remove it.")
    try:
        if kind == SourceKind.ZABBIX:
            return _zabbix(found, payload)
        incoming = {
            SourceKind.ALERTMANAGER: parsing.parse_alertmanager,
            SourceKind.GRAFANA: parsing.parse_grafana,
            SourceKind.GENERIC: parsing.parse_generic,
        }[kind](payload)
        outcomes = services.alerts_receive(source=found, incoming=incoming)
    except parsing.InvalidPayload as problem:
        return _error(400, "invalid_payload", str(problem))
    except DomainError as refusal:
        return _error(422, refusal.code, refusal.message)
    return JsonResponse({"received": len(outcomes), "alerts": [
        {"fingerprint": item.fingerprint, "ticket": outcome.reference or None, "outcome": outcome.what}
        for item, outcome in zip(incoming, outcomes, strict=True)]})


def _zabbix(source: AlertSource, payload) -> JsonResponse:
    """Zabbix keeps the answer's ticket id and link as event tags, and sends them back on updates."""
    incoming = parsing.parse_zabbix(payload)
    outcome = services.alert_receive(source=source, incoming=incoming)
    if parsing.is_update(payload) and outcome.ticket_id:
        services.alert_update_note(source=source, alert_id=outcome.alert_id,
                                   text=str(payload.get("message") or "")[:4000])
    return JsonResponse({
        "ticket_id": outcome.ticket_id,
        "reference": outcome.reference or None,
        "url": _ticket_url(outcome.reference) if outcome.reference else None,
        "outcome": outcome.what,
    })
