"""The sign-in page and the bare ticket list (K13, K18 scope: what a client may see)."""

import pytest
from django.urls import reverse

from tugi.tickets import services
from tugi.tickets.models import TicketKind, TicketSource

from ..factories import PASSWORD


@pytest.fixture
def tickets(cast):
    a = services.ticket_create(actor=cast.actor("client_a"), kind=TicketKind.INCIDENT, title="Alfa printer",
                               source=TicketSource.PORTAL)
    b = services.ticket_create(actor=cast.actor("client_b"), kind=TicketKind.INCIDENT, title="Beeta mail",
                               source=TicketSource.PORTAL)
    services.ticket_assign(actor=cast.actor("agent"), ticket=a, assignee=cast.agent)
    return a, b


def signed_in(client, person):
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("signin"))


def test_sign_in_page_shows_the_support_phone_K13(client, db, settings):
    response = client.get(reverse("signin"))
    assert response.status_code == 200
    assert settings.TUGI_SUPPORT_PHONE in response.content.decode()


def test_wrong_password_is_told_politely(client, cast):
    response = client.post(reverse("signin"), {"username": "anna", "password": "nope"})
    assert response.status_code == 200
    assert "error" in response.content.decode()


def test_sign_in_then_see_own_tickets_only(client, cast, tickets):
    response = client.post(reverse("signin"), {"username": "bert", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("portal:home")).content.decode()
    assert "Beeta mail" in page
    assert "Alfa printer" not in page
    assert "Alfa OÜ" not in page


def test_no_page_shows_a_staff_members_personal_phone_K13(client, cast, tickets):
    for person in (cast.client_a, cast.representative_a, cast.client_b):
        page = signed_in(client, person).get(reverse("portal:home")).content.decode()
        for staff in (cast.agent, cast.service_manager, cast.catalogue_owner):
            assert staff.personal_phone not in page
        client.logout()


def test_staff_see_all_tickets(client, cast, tickets):
    assert signed_in(client, cast.agent).get(reverse("portal:home"))["Location"] == reverse("console:queue")
    page = client.get(reverse("console:queue")).content.decode()
    assert "Alfa printer" in page and "Beeta mail" in page


def test_pages_carry_a_strict_content_security_policy(client, db):
    response = client.get(reverse("signin"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
