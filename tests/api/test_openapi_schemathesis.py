"""Schemathesis against the API's own description, /api/v1/openapi.json (issue 6): for every
operation, generated requests (valid and invalid) as a member of the desk and as a client must get
no server error and only answers that match the described responses.

Deterministic (Hypothesis derandomized) and bounded: TUGI_SCHEMATHESIS_EXAMPLES random examples
per operation and caller (default 6), so the file runs in about a minute on a laptop. A failure names
the operation and prints the request that reproduces it. Operations with a known failure are listed
in KNOWN_FAILURES with what broke: they are expected failures until fixed."""

from __future__ import annotations

import json
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import Client
from hypothesis import HealthCheck, settings
from ninja.responses import NinjaJSONEncoder
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tugi.api.models import ApiToken
from tugi.api.urls import api
from tugi.wsgi import application

from .conftest import report

EXAMPLES = int(os.environ.get("TUGI_SCHEMATHESIS_EXAMPLES", "6"))
CHECKS = [not_a_server_error, response_schema_conformance]

# Failures this test found, left to the route's owner to fix: "METHOD /path" -> the request that
# shows it and what broke. Such an operation is left out of the generated runs and its request is
# an expected failure below (on the engines named), until it is fixed: then remove its line.
KNOWN_FAILURES: dict[str, dict] = {}


def _schema(*, coverage: bool):
    # Through JSON, as /api/v1/openapi.json serves it: the description's status codes become strings.
    served = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), cls=NinjaJSONEncoder))
    loaded = schemathesis.openapi.from_dict(served)
    loaded.app = application
    # The coverage phase sends each operation's boundary cases (empty strings, huge numbers, missing
    # fields, other methods): for the desk, who may call every route. A client's run fuzzes only.
    loaded.config.phases.coverage.enabled = coverage
    return loaded.exclude(name=list(KNOWN_FAILURES)) if KNOWN_FAILURES else loaded


desk_schema = _schema(coverage=True)
client_schema = _schema(coverage=False)


@pytest.fixture
def desk(cast, settings):
    """The callers' tokens and a little data for the routes to find: a ticket of A with a reply."""
    settings.RATELIMIT_ENABLE = False  # thousands of calls a minute: the limits have their own tests
    ticket = report(cast, title="Schemathesis ticket")
    # A WSGI request ends by closing "old" database connections, which would end the test's
    # transaction; Django's test client switches that off the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {
        # The service manager: of the desk, and may also manage what only managers may (webhooks).
        "staff": ApiToken.issue(cast.service_manager.user, "schemathesis: desk")[1],
        "client": ApiToken.issue(cast.client_a.user, "schemathesis: client")[1],
        "ticket": ticket,
    }
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _check(case, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


SETTINGS = settings(
    max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much,
                           HealthCheck.data_too_large],
)


@desk_schema.parametrize()
@SETTINGS
def test_the_api_as_the_desk_matches_its_description(case, desk):
    _check(case, desk["staff"])


@client_schema.parametrize()
@SETTINGS
def test_the_api_as_a_client_matches_its_description(case, desk):
    _check(case, desk["client"])


if KNOWN_FAILURES:  # a test of each known failure, while there are any

    @pytest.mark.parametrize("operation", list(KNOWN_FAILURES))
    def test_known_failures_are_still_failures(operation, desk):
        """Each known failure's request as the desk; an expected failure where it shows, so its fix is noticed."""
        known = KNOWN_FAILURES[operation]
        method, path = operation.split(" ", 1)
        response = Client(raise_request_exception=False).generic(
            method, path, json.dumps(known["body"]), content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {desk['staff']}")
        if response.status_code >= 500 and connection.vendor in known["engines"]:
            pytest.xfail(known["reason"])
        assert response.status_code < 500, known["reason"]
