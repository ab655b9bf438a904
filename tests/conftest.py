"""The cast of every test: an agent, a service manager, a catalogue owner, a client of
organisation A, a client of B and a representative of A; and the switch that turns a missing
outside server into a failure in CI (TUGI_REQUIRE_SERVICES=1)."""

import os
from dataclasses import dataclass

import pytest

from tugi.directory.actors import actor_for_contact, actor_for_staff

from .factories import CIFactory, ContactFactory, OrganisationFactory, ServiceFactory, StaffFactory

REQUIRE_SERVICES = os.environ.get("TUGI_REQUIRE_SERVICES") == "1"


def need_service(name: str, reason: str) -> None:
    """Skip (on a developer's machine) or fail (in CI) when an outside server is missing."""
    message = f"{name} is not available: {reason}"
    if REQUIRE_SERVICES:
        pytest.fail(message + " (TUGI_REQUIRE_SERVICES=1 makes this a failure)", pytrace=False)
    pytest.skip(message)


@dataclass
class Cast:
    org_a: object
    org_b: object
    service: object
    agent: object
    service_manager: object
    catalogue_owner: object
    client_a: object
    representative_a: object
    client_b: object
    ci_a: object
    ci_b: object

    def actor(self, who: str):
        person = getattr(self, who)
        return actor_for_staff(person) if hasattr(person, "is_agent") else actor_for_contact(person)


@pytest.fixture
def cast(db) -> Cast:
    org_a = OrganisationFactory(name="Alfa OÜ")
    org_b = OrganisationFactory(name="Beeta AS")
    manager = StaffFactory(name="Service Manager", is_service_manager=True, user__username="manager")
    owner = StaffFactory(name="Catalogue Owner", is_catalogue_owner=True, user__username="owner")
    service = ServiceFactory(service_manager=manager, catalogue_owner=owner, name="ERP")
    return Cast(
        org_a=org_a,
        org_b=org_b,
        service=service,
        agent=StaffFactory(name="Agent Smith", user__username="agent"),
        service_manager=manager,
        catalogue_owner=owner,
        client_a=ContactFactory(organisation=org_a, name="Anna Alfa", user__username="anna"),
        representative_a=ContactFactory(
            organisation=org_a, name="Rein Alfa", is_representative=True, user__username="rein"
        ),
        client_b=ContactFactory(organisation=org_b, name="Bert Beeta", user__username="bert"),
        ci_a=CIFactory(organisation=org_a, name="alfa-srv", service=service),
        ci_b=CIFactory(organisation=org_b, name="beeta-srv"),
    )


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    """Tasks run at once in tests, after the transaction commits as in production. The real
    database and Redis workers have tests of their own (tests/notifications/test_tasks.py)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _english_unless_a_test_asks_for_estonian(settings):
    """Tests read the English source strings; tests of the Estonian interface set LANGUAGE_CODE."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _static_files_without_collectstatic(settings):
    """Production serves hashed files made by collectstatic; tests read the sources."""
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture(autouse=True)
def _rate_limits_counted_per_test():
    """Rate-limit counters live in a cache of the process: each test starts with none spent."""
    from django.core.cache import caches

    caches["ratelimit"].clear()
