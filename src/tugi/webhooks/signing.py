"""The signature of a webhook body, Stripe-style: ``Tugi-Signature: t=<unix time>,v1=<hex>``, where
the hex is HMAC-SHA256 with the subscription's secret over ``"<t>." + body``. The timestamp inside
the signed text lets a receiver refuse an old delivery replayed later (docs/webhooks.md)."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time

HEADER = "Tugi-Signature"
SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def body_of(payload: dict) -> bytes:
    """The exact bytes sent and signed: compact JSON in UTF-8, keys sorted, so the same payload
    always gives the same body."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def signature(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode("ascii") + body, hashlib.sha256).hexdigest()


def header_value(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(secret: str, body: bytes, header: str, *, tolerance: int = 300, now: int | None = None) -> bool:
    """What a receiver does (written here once so the tests and the docs show the same code): parse
    the header, recompute, compare in constant time, and refuse a timestamp older than ``tolerance``."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    now = int(time.time()) if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), parts.get("v1", ""))
