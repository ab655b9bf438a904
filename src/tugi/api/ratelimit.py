"""Rate limits of the API (django-ratelimit): TUGI_RATELIMIT_API calls per token, per signed-in user
(the interactive docs) or, for a caller with neither, per IP address.

A middleware rather than a check in the routes; the refusal is the API's own shape,
``{detail, code: "rate_limited", field: null}`` with status 429 and ``Retry-After``.

A bearer value is counted as a token only when it is one (its hash is in the ApiToken table; a
known hash is remembered for a while, so a busy token costs no query): a caller sending a new random
value each time would otherwise get a fresh counter per request. Anything else is counted per
signed-in user or per address."""

from __future__ import annotations

import hashlib
import ipaddress
import json

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django_ratelimit.core import _get_ip, get_usage

API_PREFIX = "/api/"
KNOWN_TOKEN_SECONDS = 300


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The caller's address for the limits (RATELIMIT_IP_META_KEY points here). Behind a reverse
    proxy, TUGI_RATELIMIT_IP_HEADER names the header it sets (HTTP_X_FORWARDED_FOR): its last
    address is the one the proxy saw, which a client cannot forge. Never fails a request: with no
    usable address (a Unix socket) every such caller shares one counter."""
    header = settings.TUGI_RATELIMIT_IP_HEADER
    if header:
        forwarded = request.META.get(header, "").split(",")[-1]
        found = _address(forwarded)
        if found:
            return found
    return _address(request.META.get("REMOTE_ADDR") or "") or "0.0.0.0"  # noqa: S104 - a counter's name


def _caller_key(group: str, request) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        digest = hashlib.sha256(token.strip().encode()).hexdigest()
        if _is_token(digest):
            return "token:" + digest
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    # The library's reading of the address, which follows RATELIMIT_IP_META_KEY behind a proxy.
    return "ip:" + str(_get_ip(request))


def _is_token(digest: str) -> bool:
    from tugi.api.models import ApiToken  # the middleware module is loaded before the apps

    cache = caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]
    remembered = "tugi-api-known-token:" + digest
    if cache.get(remembered):
        return True
    # Unknown values are not remembered: random ones would only fill the cache.
    if ApiToken.objects.filter(key_hash=digest).exists():
        cache.set(remembered, True, KNOWN_TOKEN_SECONDS)
        return True
    return False


def refusal(detail: str, retry_after: int) -> HttpResponse:
    response = HttpResponse(
        json.dumps({"detail": detail, "code": "rate_limited", "field": None}),
        status=429, content_type="application/json; charset=utf-8",
    )
    response["Retry-After"] = str(max(retry_after, 1))
    return response


class ApiRateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(API_PREFIX):
            usage = get_usage(request, group="api", key=_caller_key, rate=settings.TUGI_RATELIMIT_API,
                              increment=True)
            if usage is not None and usage["should_limit"]:
                seconds = max(usage["time_left"], 1)
                return refusal(_("Too many requests from this client. Please wait %(seconds)s seconds and try "
                                 "again.") % {"seconds": seconds}, seconds)
        return self.get_response(request)
