"""Calling API v1 as somebody of the cast: ``api("client_a").get("/tickets")``. Each caller has a
bearer token of their own; ``api(None)`` calls with no credentials at all."""

import json

import pytest
from django.test import Client

from tugi.api.models import ApiToken
from tugi.tickets import services
from tugi.tickets.models import TicketKind, TicketSource

PREFIX = "/api/v1"


class ApiCaller:
    def __init__(self, key: str | None = None):
        # CSRF is enforced as in production, so a missing-credentials answer is what a real caller gets.
        self.client = Client(enforce_csrf_checks=True)
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}

    def get(self, path: str, **params):
        return self.client.get(PREFIX + path, params, **self.headers)

    def post(self, path: str, body=None):
        return self.client.post(
            PREFIX + path, json.dumps(body or {}), content_type="application/json", **self.headers
        )

    def post_multipart(self, path: str, data=None):
        """A form with files, as ``multipart/form-data``; lists are sent as repeated fields."""
        return self.client.post(PREFIX + path, data or {}, **self.headers)

    def call(self, method: str, path: str, body=None, *, multipart: bool = False):
        if method == "GET":
            return self.get(path)
        return self.post_multipart(path, body) if multipart else self.post(path, body)


@pytest.fixture
def api(cast):
    keys = {}

    def caller(who: str | None) -> ApiCaller:
        if who is None:
            return ApiCaller()
        if who not in keys:
            keys[who] = ApiToken.issue(getattr(cast, who).user, f"tests: {who}")[1]
        return ApiCaller(keys[who])

    return caller


def report(cast, who="client_a", **fields):
    """A ticket made through the service, as the portal would make it."""
    values = {"kind": TicketKind.INCIDENT, "title": "Printer is broken", "source": TicketSource.PORTAL}
    if cast.actor(who).is_staff:
        values["source"] = TicketSource.AGENT
    values.update(fields)
    return services.ticket_create(actor=cast.actor(who), **values)


def upload(name="screenshot.png", content=b"\x89PNG fake image", content_type="image/png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(response) -> dict:
    """The body of a refusal, checked for the one shape every refusal has."""
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = response.json()
    assert set(body) >= {"detail", "code", "field"}, body
    assert isinstance(body["detail"], str) and body["detail"].strip(), body
    return body
