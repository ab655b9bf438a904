"""Rate limits (issue 6), tested switched on: failed sign-ins per IP address and per username, with a
polite page and status 429; the API per token, refused in the API's shape with Retry-After."""

import pytest
from django.core.cache import caches

from tugi.api.models import ApiToken

PASSWORD = "right-password-123"


@pytest.fixture(autouse=True)
def _limits_on_and_counted_afresh(settings):
    settings.RATELIMIT_ENABLE = True
    settings.TUGI_RATELIMIT_SIGNIN_IP = "5/m"
    settings.TUGI_RATELIMIT_SIGNIN_USERNAME = "3/m"
    settings.TUGI_RATELIMIT_API = "4/m"
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()


@pytest.fixture
def anna(cast):
    user = cast.client_a.user
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def sign_in(client, username, password="wrong", ip="192.0.2.10"):
    return client.post("/signin/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_too_many_sign_ins_for_one_username_are_refused_politely_with_429(client, anna):
    for _ in range(3):
        assert sign_in(client, "anna").status_code == 200  # wrong password: the form again
    refused = sign_in(client, "Anna ", PASSWORD, ip="192.0.2.11")  # another address, the same user
    assert refused.status_code == 429
    assert "Too many sign-in attempts" in refused.content.decode()
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert 'value="Anna "' in refused.content.decode()  # the username is kept in the form
    assert "_auth_user_id" not in client.session  # even the right password does not get in now


def test_too_many_sign_ins_from_one_address_are_refused(client, cast):
    for n in range(5):
        assert sign_in(client, f"guess{n}").status_code == 200
    assert sign_in(client, "guess-next").status_code == 429


def test_successful_sign_ins_are_not_counted(anna):
    from django.test import Client

    for _ in range(6):  # twice the username's limit
        assert sign_in(Client(), "anna", PASSWORD).status_code == 302


def test_sign_in_works_below_the_limits(client, anna):
    sign_in(client, "anna")
    response = sign_in(client, "anna", PASSWORD)
    assert response.status_code == 302 and client.session.get("_auth_user_id") == str(anna.pk)


def test_the_api_refuses_a_token_over_its_limit_in_the_api_shape(client, cast):
    _token, key = ApiToken.issue(user=cast.agent.user, name="busy")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    for _ in range(4):
        assert client.get("/api/v1/tickets", **headers).status_code == 200
    refused = client.get("/api/v1/tickets", **headers)
    assert refused.status_code == 429
    assert refused.json() == {"detail": refused.json()["detail"], "code": "rate_limited", "field": None}
    assert "wait" in refused.json()["detail"]
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Another caller is counted apart.
    assert client.get("/api/v1/tickets").status_code == 401


def test_no_limit_when_switched_off(client, cast, settings):
    settings.RATELIMIT_ENABLE = False
    for _ in range(8):
        assert sign_in(client, "anna").status_code == 200


def test_behind_a_proxy_the_address_it_saw_is_counted_not_a_forged_one(client, cast, settings):
    settings.TUGI_RATELIMIT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    for n in range(5):  # a client forging the header's first address gains nothing
        forwarded = f"10.0.0.{n}, 198.51.100.7"
        assert client.post("/signin/", {"username": f"guess{n}", "password": "x"}, REMOTE_ADDR="127.0.0.1",
                           HTTP_X_FORWARDED_FOR=forwarded).status_code == 200
    assert client.post("/signin/", {"username": "guess-next", "password": "x"}, REMOTE_ADDR="127.0.0.1",
                       HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7").status_code == 429
    # Another client behind the same proxy still gets in.
    assert client.post("/signin/", {"username": "other", "password": "x"}, REMOTE_ADDR="127.0.0.1",
                       HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 200


def test_without_an_address_the_request_still_gets_an_answer(client, cast):
    assert client.post("/signin/", {"username": "anna", "password": "x"}, REMOTE_ADDR="").status_code == 200
    assert client.get("/api/v1/tickets", REMOTE_ADDR="").status_code == 401


def test_sign_ins_sent_at_once_are_counted_before_their_passwords_are_checked(cast, monkeypatch):
    """Issue 6: attempts that overlap (each still checking its password when the next arrives) are
    counted as they come, so the one past the username's limit (3) is refused, not let through."""
    from django.contrib.auth import forms as auth_forms
    from django.test import Client

    statuses = []
    checking = auth_forms.authenticate

    def slow_check(request=None, **credentials):
        # While this attempt's password is being checked, the next attempt arrives.
        if len(statuses) < 3:
            slot = len(statuses)
            statuses.append(None)
            statuses[slot] = sign_in(Client(), "anna", ip=f"192.0.2.{21 + slot}").status_code
        return checking(request, **credentials)

    monkeypatch.setattr(auth_forms, "authenticate", slow_check)
    first = sign_in(Client(), "anna", ip="192.0.2.20")
    assert first.status_code == 200
    assert statuses == [200, 200, 429]  # the fourth attempt in flight is over the limit of 3


def test_random_bearer_values_from_one_address_are_limited_together(client, cast):
    """Issue 6: a made-up token is no token; each new random value must not get a counter of its own."""
    import secrets

    for _ in range(4):
        assert client.get("/api/v1/tickets", HTTP_AUTHORIZATION=f"Bearer {secrets.token_hex(16)}",
                          REMOTE_ADDR="192.0.2.30").status_code == 401
    refused = client.get("/api/v1/tickets", HTTP_AUTHORIZATION=f"Bearer {secrets.token_hex(16)}",
                         REMOTE_ADDR="192.0.2.30")
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    # The anonymous access request is limited the same way.
    refused = client.post("/api/v1/access-requests", {}, content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {secrets.token_hex(16)}", REMOTE_ADDR="192.0.2.30")
    assert refused.status_code == 429
    # A real token keeps its own counter.
    _token, key = ApiToken.issue(user=cast.agent.user, name="real")
    assert client.get("/api/v1/tickets", HTTP_AUTHORIZATION=f"Bearer {key}",
                      REMOTE_ADDR="192.0.2.30").status_code == 200


def test_the_admin_signs_in_through_the_limited_page_so_its_form_cannot_be_used_to_guess(client, cast):
    """The admin's own sign-in form is not limited: it is never shown. Its address sends the browser
    to Tugi's sign-in page, and a password posted to it is never checked."""
    staff = cast.agent.user
    staff.set_password(PASSWORD)
    staff.save(update_fields=["password"])
    shown = client.get("/admin/login/?next=/admin/")
    assert shown.status_code == 302 and shown["Location"] == "/signin/?next=/admin/"
    for _ in range(10):
        posted = client.post("/admin/login/", {"username": staff.username, "password": PASSWORD})
        assert posted.status_code == 302 and posted["Location"].startswith("/signin/")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # the admin sends anybody not signed in the same way
    signed_in = client.post("/signin/?next=/admin/", {"username": staff.username, "password": PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/admin/"
    # Signed in without the admin's rights: turned away once, not sent round between the two pages.
    assert not staff.is_staff
    assert client.get("/admin/", follow=True).status_code == 403
