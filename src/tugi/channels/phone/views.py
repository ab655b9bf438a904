"""The telephony webhook (K13): call events in, one service call each.

``POST /hooks/phone/events`` with ``Authorization: Bearer <token>`` (made by ``tugi phone_token``)
and a JSON object (or a list of them): ``event`` (new | answered | hangup, and the usual synonyms),
``call_id``, ``direction`` (inbound | outbound), ``caller``, ``called``, ``extension``, ``timestamp``
(ISO 8601, optional). CSRF-exempt; a malformed event is a 4xx with a sentence, never a 500."""

from __future__ import annotations

import json

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from tugi.core.errors import DomainError
from tugi.core.text import unstorable_in

from . import services

MAX_EVENTS = 100


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": code, "message": message}, status=status)


def _text(value) -> str:
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""


def _when(value):
    try:
        parsed = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return parsed if parsed is not None and parsed.tzinfo is not None and parsed.year >= 2000 else None


@csrf_exempt
def events(request):
    if request.method != "POST":
        response = _error(405, "method_not_allowed", "Send call events with POST.")
        response["Allow"] = "POST"
        return response
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not services.telephony_token_valid(token.strip()):
        return _error(401, "unauthorised", "Wrong or missing token (Authorization: Bearer <token>).")
    if request.content_type != "application/json":
        return _error(415, "unsupported_media_type", "Send the events as application/json.")
    try:
        payload = json.loads(request.body)
    except RequestDataTooBig:
        return _error(413, "too_large", "Send fewer events at once.")
    except (ValueError, UnicodeDecodeError):
        return _error(400, "invalid_json", "The body is not valid JSON.")
    bad_text = unstorable_in(payload)
    if bad_text:  # refused whole, before any event of a batch is written
        return _error(400, "invalid_payload", f"The events contain {bad_text[1]}; remove it.")
    items = payload if isinstance(payload, list) else [payload]
    if not items or len(items) > MAX_EVENTS or not all(isinstance(item, dict) for item in items):
        return _error(400, "invalid_payload", f"Send one event object, or a list of 1 to {MAX_EVENTS} of them.")
    answers = []
    for item in items:
        incoming = services.IncomingCallEvent(
            event=_text(item.get("event")), call_id=_text(item.get("call_id")), direction=_text(item.get("direction")),
            caller=_text(item.get("caller")), called=_text(item.get("called")),
            extension=_text(item.get("extension")), agent=_text(item.get("agent")), at=_when(item.get("timestamp")))
        try:
            call = services.call_event_record(incoming=incoming, payload=item)
        except DomainError as refusal:
            return _error(400, refusal.code, refusal.message)
        answers.append({"call_id": call.call_id, "state": call.state, "contact_known": call.contact_id is not None})
    return JsonResponse({"calls": answers})
